-- New messages per day of the week (1 = Monday ... 7 = Sunday), in the local time zone.
-- The ISO weekday is counted from 1900-01-01, a Monday: DuckDB (isodow) and Trino
-- (day_of_week) name it differently, date_diff and % mean the same in both.
SELECT
    (date_diff('day', DATE '1900-01-01', CAST(message_ts AT TIME ZONE $tz AS DATE)) % 7) + 1
        AS iso_weekday,
    count(*) AS messages
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
GROUP BY 1
ORDER BY 1
