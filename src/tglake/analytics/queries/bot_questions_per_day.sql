-- Questions the bot handled per local day: answered, and not found (nothing matched).
SELECT
    CAST(reply_ts AT TIME ZONE $tz AS DATE) AS local_day,
    count(*) AS questions,
    sum(CASE WHEN answered THEN 1 ELSE 0 END) AS answered,
    sum(CASE WHEN NOT answered THEN 1 ELSE 0 END) AS not_found
FROM bot_replies
WHERE context_date BETWEEN $start AND $end
GROUP BY 1
ORDER BY 1
