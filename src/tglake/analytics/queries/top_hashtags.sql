-- The most used hashtags (lower case), with how many users used each.
SELECT
    t.hashtag,
    count(*) AS uses,
    count(DISTINCT m.user_key) AS users
FROM messages AS m
CROSS JOIN UNNEST(regexp_extract_all(lower(m.text), '#([\p{L}\p{N}_]+)', 1)) AS t (hashtag)
WHERE m.context_date BETWEEN $start AND $end
  AND m.update_type NOT LIKE 'edited%'
  AND m.text LIKE '%#%'
GROUP BY t.hashtag
ORDER BY uses DESC, t.hashtag
LIMIT 20
