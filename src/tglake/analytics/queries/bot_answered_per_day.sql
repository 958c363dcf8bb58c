-- Questions people asked the bot each day (a search with words, not a button) and the share it answered.
SELECT
    context_date AS day,
    count(*) AS questions,
    sum(CASE WHEN answered THEN 1 ELSE 0 END) AS answered,
    round(100.0 * sum(CASE WHEN answered THEN 1 ELSE 0 END) / count(*), 1) AS answered_percent,
    sum(CASE WHEN matched_kind = 'alias' THEN 1 ELSE 0 END) AS by_alias
FROM bot_replies
WHERE context_date BETWEEN $start AND $end
  AND trim(coalesce(query, '')) <> ''
  AND coalesce(command, '') <> 'callback'
GROUP BY context_date
ORDER BY day
