-- Each search of the bot that found nothing, and what the same person found next within ten minutes (a search, a button or a command with one answer), if anything.
WITH replies AS (
    SELECT update_id, user_key, command, query, matched_kind, top_match, result_count,
           answered, reply_ts, context_date
    FROM bot_replies
    WHERE context_date BETWEEN $start AND $end
      AND user_key IS NOT NULL
      AND reply_ts IS NOT NULL
),
misses AS (
    SELECT update_id, user_key, command, query, reply_ts, context_date
    FROM replies
    WHERE NOT answered
      AND trim(coalesce(query, '')) <> ''
      AND coalesce(command, '') <> 'callback'
),
found AS (
    SELECT update_id, user_key, matched_kind, top_match, reply_ts
    FROM replies
    WHERE answered
      AND result_count = 1
      AND top_match IS NOT NULL
),
pairs AS (
    SELECT m.update_id AS miss_id,
           f.update_id AS found_id,
           f.top_match,
           f.matched_kind,
           date_diff('second', m.reply_ts, f.reply_ts) AS seconds_after,
           row_number() OVER (
               PARTITION BY m.update_id ORDER BY f.reply_ts, f.update_id
           ) AS nth
    FROM misses AS m
    JOIN found AS f
      ON f.user_key = m.user_key
     AND f.update_id > m.update_id
     AND f.reply_ts >= m.reply_ts
     AND f.reply_ts <= m.reply_ts + INTERVAL '10' MINUTE
)
SELECT m.context_date AS day,
       m.update_id AS miss_id,
       m.user_key,
       m.command,
       m.query,
       p.found_id,
       p.top_match AS resolved_to,
       p.matched_kind AS resolved_by,
       p.seconds_after
FROM misses AS m
LEFT JOIN pairs AS p
  ON p.miss_id = m.update_id
 AND p.nth = 1
ORDER BY m.context_date, m.update_id
