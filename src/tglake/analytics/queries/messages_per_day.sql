-- New messages per day, in the local time zone (edits not counted).
SELECT
    CAST(message_ts AT TIME ZONE $tz AS DATE) AS local_day,
    count(*) AS messages
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
GROUP BY 1
ORDER BY 1
