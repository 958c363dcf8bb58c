-- What people asked the bot that found nothing, in their own words, most frequent first.
SELECT
    lower(trim(query)) AS search,
    count(*) AS times,
    max(CAST(reply_ts AT TIME ZONE $tz AS DATE)) AS last_day
FROM bot_replies
WHERE context_date BETWEEN $start AND $end
  AND NOT answered
  AND trim(query) <> ''
  AND coalesce(command, '') <> 'callback'
GROUP BY 1
ORDER BY times DESC, search
LIMIT 20
