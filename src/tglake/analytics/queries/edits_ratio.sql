-- How often messages are edited: edits, new messages and edits per 100 messages.
WITH counts AS (
    SELECT
        count(CASE WHEN update_type NOT LIKE 'edited%' THEN 1 END) AS messages,
        count(CASE WHEN update_type LIKE 'edited%' THEN 1 END) AS edits
    FROM messages
    WHERE context_date BETWEEN $start AND $end
)
SELECT
    messages,
    edits,
    round(100.0 * edits / nullif(messages, 0), 2) AS edits_percent
FROM counts
