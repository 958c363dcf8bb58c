-- One row per message at its latest version (last edit's text, content and edit time), with edit_count; the history stays in messages.
-- A message is identified by its chat and message_id; a private chat has no chat_id in the lake
-- (its id is the person's id), so there the person's user_key stands for the chat. The latest
-- version is the row with the greatest coalesce(edit_ts, message_ts), then update_id.
-- update_type is the kind of the original (message, channel_post, business_message) and
-- context_date the day the message was first seen, so a period selects messages by when they
-- were sent, whatever day they were edited on. A message whose original is not in the lake (an
-- edit of something older) still gets its row, from its edits.
SELECT
    update_id,
    replace(update_type, 'edited_', '') AS update_type,
    message_id,
    chat_id,
    chat_type,
    chat_title,
    message_thread_id,
    user_key,
    user_is_bot,
    user_language_code,
    sender_chat_id,
    first_ts AS message_ts,
    edit_ts,
    content_type,
    text,
    text_length,
    command,
    reply_to_message_id,
    is_forward,
    edit_count,
    first_day AS context_date
FROM (
    SELECT
        m.*,
        row_number() OVER (
            PARTITION BY chat_type, chat_id, CASE WHEN chat_id IS NULL THEN user_key END,
                message_id
            ORDER BY coalesce(edit_ts, message_ts) DESC, update_id DESC
        ) AS version,
        count(CASE WHEN update_type LIKE 'edited%' THEN 1 END) OVER (
            PARTITION BY chat_type, chat_id, CASE WHEN chat_id IS NULL THEN user_key END,
                message_id
        ) AS edit_count,
        min(message_ts) OVER (
            PARTITION BY chat_type, chat_id, CASE WHEN chat_id IS NULL THEN user_key END,
                message_id
        ) AS first_ts,
        min(context_date) OVER (
            PARTITION BY chat_type, chat_id, CASE WHEN chat_id IS NULL THEN user_key END,
                message_id
        ) AS first_day
    FROM messages AS m
) AS versions
WHERE version = 1
