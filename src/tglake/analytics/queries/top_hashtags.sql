-- The most used hashtags (lower case, without the #) of messages at their latest version, with how many users used each.
WITH tagged AS (
    SELECT
        user_key,
        regexp_extract_all(lower(text), '#[\p{L}\p{N}_]+') AS tags
    FROM messages_latest
    WHERE context_date BETWEEN $start AND $end
      AND text LIKE '%#%'
)
SELECT
    substr(t.tag, 2) AS hashtag,
    count(*) AS uses,
    count(DISTINCT tagged.user_key) AS users
FROM tagged
CROSS JOIN UNNEST(tagged.tags) AS t (tag)
GROUP BY 1
ORDER BY uses DESC, hashtag
LIMIT 20
