-- Overview of the period: new messages (edits not counted), active users, chats, first and last day.
SELECT
    count(*) AS messages,
    count(DISTINCT user_key) AS active_users,
    count(DISTINCT chat_id) AS chats,
    min(context_date) AS first_day,
    max(context_date) AS last_day
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
