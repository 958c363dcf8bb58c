-- Per day, users seen for the first time ever (new) and users seen on an earlier day (returning).
WITH activity AS (
    SELECT DISTINCT
        user_key,
        CAST(message_ts AT TIME ZONE $tz AS DATE) AS local_day
    FROM messages
    WHERE context_date <= $end
      AND update_type NOT LIKE 'edited%'
      AND user_key IS NOT NULL
),
first_seen AS (
    SELECT user_key, min(local_day) AS first_day
    FROM activity
    GROUP BY user_key
)
SELECT
    a.local_day,
    count(CASE WHEN a.local_day = f.first_day THEN 1 END) AS new_users,
    count(CASE WHEN a.local_day > f.first_day THEN 1 END) AS returning_users
FROM activity AS a
JOIN first_seen AS f ON a.user_key = f.user_key
WHERE a.local_day BETWEEN $start AND $end
GROUP BY a.local_day
ORDER BY a.local_day
