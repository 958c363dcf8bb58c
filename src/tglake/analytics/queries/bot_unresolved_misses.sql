-- Searches that found nothing and that the same person did not resolve within ten minutes: what a person should look at (a new alias, a gap in the data).
WITH replies AS (
    SELECT update_id, user_key, command, query, answered, result_count, top_match, reply_ts,
           context_date
    FROM bot_replies
    WHERE context_date BETWEEN $start AND $end
),
misses AS (
    SELECT *
    FROM replies
    WHERE NOT answered
      AND trim(coalesce(query, '')) <> ''
      AND coalesce(command, '') <> 'callback'
),
resolved AS (
    SELECT DISTINCT m.update_id
    FROM misses AS m
    JOIN replies AS f
      ON f.user_key = m.user_key
     AND f.update_id > m.update_id
     AND f.answered
     AND f.result_count = 1
     AND f.top_match IS NOT NULL
     AND f.reply_ts >= m.reply_ts
     AND f.reply_ts <= m.reply_ts + INTERVAL '10' MINUTE
)
SELECT
    trim(regexp_replace(lower(trim(m.query)), '[?!. ]+\z', '')) AS search,
    count(DISTINCT m.user_key) AS people,
    count(*) AS times,
    max(m.context_date) AS last_day
FROM misses AS m
LEFT JOIN resolved AS r
  ON r.update_id = m.update_id
WHERE r.update_id IS NULL
GROUP BY 1
ORDER BY people DESC, times DESC, search
LIMIT 15
