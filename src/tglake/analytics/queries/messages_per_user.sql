-- How many users sent how many messages: a distribution in buckets, never a list of people.
WITH per_user AS (
    SELECT user_key, count(*) AS sent
    FROM messages
    WHERE context_date BETWEEN $start AND $end
      AND update_type NOT LIKE 'edited%'
      AND user_key IS NOT NULL
    GROUP BY user_key
),
bucketed AS (
    SELECT
        CASE
            WHEN sent = 1 THEN '1'
            WHEN sent <= 5 THEN '2-5'
            WHEN sent <= 10 THEN '6-10'
            WHEN sent <= 20 THEN '11-20'
            WHEN sent <= 50 THEN '21-50'
            ELSE '51+'
        END AS bucket,
        sent
    FROM per_user
)
SELECT bucket, count(*) AS users, sum(sent) AS messages
FROM bucketed
GROUP BY bucket
ORDER BY min(sent)
