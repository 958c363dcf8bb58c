-- Overview of the period: new messages (edits not counted), active users, conversations by kind, first and last day.
-- A private conversation is one person talking to the bot: its chat id is the person's id, which
-- the lake does not keep, so private conversations are counted by user_key.
SELECT
    count(*) AS messages,
    count(DISTINCT user_key) AS active_users,
    count(DISTINCT chat_id) + count(DISTINCT CASE WHEN chat_type = 'private' THEN user_key END)
        AS chats,
    count(DISTINCT CASE WHEN chat_type IN ('group', 'supergroup') THEN chat_id END) AS groups,
    count(DISTINCT CASE WHEN chat_type = 'channel' THEN chat_id END) AS channels,
    count(DISTINCT CASE WHEN chat_type = 'private' THEN user_key END) AS private_chats,
    min(context_date) AS first_day,
    max(context_date) AS last_day
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
