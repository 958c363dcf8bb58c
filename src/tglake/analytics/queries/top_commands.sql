-- The bot commands people send most, with how many users sent each.
SELECT
    command,
    count(*) AS messages,
    count(DISTINCT user_key) AS users
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
  AND command IS NOT NULL
GROUP BY command
ORDER BY messages DESC, command
LIMIT 20
