-- DuckDB translation of ../top_words.sql, checked by the tests to give the same rows.
-- DuckDB runs a lateral CROSS JOIN UNNEST as a dependent join, about twice as slow here as
-- unnest() in the select list, which Trino does not have; everything else is unchanged.
WITH tokenized AS (
    SELECT
        user_key,
        unnest(regexp_extract_all(lower(text), '[/#@.]?\p{L}+')) AS word
    FROM messages_latest
    WHERE context_date BETWEEN $start AND $end
      AND text IS NOT NULL
)
SELECT
    word,
    count(*) AS uses,
    count(DISTINCT user_key) AS users
FROM tokenized
WHERE length(word) >= 3
  AND substr(word, 1, 1) NOT IN ('/', '#', '@', '.')
  AND word NOT IN $stopwords
GROUP BY word
ORDER BY uses DESC, word
LIMIT 30
