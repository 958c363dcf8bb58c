-- The most used words (3+ letters, lower case), leaving out pt-BR stopwords, links, commands, hashtags and mentions.
-- The pattern matches links, /commands, #hashtags and @mentions whole, so that only plain words
-- fill group 1 (an empty or null group is dropped by the length filter in both engines).
SELECT
    t.word,
    count(*) AS uses,
    count(DISTINCT m.user_key) AS users
FROM messages AS m
CROSS JOIN UNNEST(
    regexp_extract_all(lower(m.text), 'https?://\S+|[/#@][\p{L}\p{N}_@]+|(\p{L}+)', 1)
) AS t (word)
WHERE m.context_date BETWEEN $start AND $end
  AND m.update_type NOT LIKE 'edited%'
  AND length(t.word) >= 3
  AND t.word NOT IN $stopwords
GROUP BY t.word
ORDER BY uses DESC, t.word
LIMIT 30
