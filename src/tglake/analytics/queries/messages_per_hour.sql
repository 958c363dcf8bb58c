-- New messages per hour of the day (0-23), in the local time zone.
SELECT
    hour(message_ts AT TIME ZONE $tz) AS local_hour,
    count(*) AS messages
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
GROUP BY 1
ORDER BY 1
