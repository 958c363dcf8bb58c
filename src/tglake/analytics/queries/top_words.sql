-- The most used words (3+ letters, lower case) of messages at their latest version, leaving out pt-BR stopwords, links, commands, hashtags and mentions.
-- Tokens are letter runs that keep the one character before them when it is / # @ or . so
-- that /commands, #hashtags, @mentions and the pieces of links (.com, /path) can be dropped.
-- The words are split in a CTE and unnested in the FROM clause: Trino's only form, and on
-- DuckDB much faster than unnesting an expression computed in the lateral join itself.
WITH tokenized AS (
    SELECT
        user_key,
        regexp_extract_all(lower(text), '[/#@.]?\p{L}+') AS tokens
    FROM messages_latest
    WHERE context_date BETWEEN $start AND $end
      AND text IS NOT NULL
)
SELECT
    t.word,
    count(*) AS uses,
    count(DISTINCT tokenized.user_key) AS users
FROM tokenized
CROSS JOIN UNNEST(tokenized.tokens) AS t (word)
WHERE length(t.word) >= 3
  AND substr(t.word, 1, 1) NOT IN ('/', '#', '@', '.')
  AND t.word NOT IN $stopwords
GROUP BY t.word
ORDER BY uses DESC, t.word
LIMIT 30
