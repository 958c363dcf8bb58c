-- Average and (exact) median length in characters of the messages that carry text.
WITH ranked AS (
    SELECT
        text_length,
        row_number() OVER (ORDER BY text_length) AS row_index,
        count(*) OVER () AS total
    FROM messages
    WHERE context_date BETWEEN $start AND $end
      AND update_type NOT LIKE 'edited%'
      AND text_length > 0
)
SELECT
    count(*) AS messages_with_text,
    round(avg(text_length), 1) AS average_length,
    avg(
        CASE
            WHEN row_index IN (floor((total + 1) / 2.0), ceil((total + 1) / 2.0))
            THEN text_length
        END
    ) AS median_length
FROM ranked
