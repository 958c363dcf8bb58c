-- Messages per chat: groups and channels by title; private conversations (one per person, counted by user_key) summed into one row.
SELECT
    chat_type,
    CASE WHEN chat_type = 'private' THEN NULL ELSE chat_title END AS chat_title,
    CASE
        WHEN chat_type = 'private' THEN count(DISTINCT user_key)
        ELSE count(DISTINCT chat_id)
    END AS chats,
    count(*) AS messages,
    count(DISTINCT user_key) AS users
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
GROUP BY 1, 2
ORDER BY messages DESC, chat_type, chat_title
