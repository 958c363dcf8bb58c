-- Active users (distinct user_key that sent a message) per day, in the local time zone.
SELECT
    CAST(message_ts AT TIME ZONE $tz AS DATE) AS local_day,
    count(DISTINCT user_key) AS active_users
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
  AND user_key IS NOT NULL
GROUP BY 1
ORDER BY 1
