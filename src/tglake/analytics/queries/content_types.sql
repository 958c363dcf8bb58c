-- New messages by content type (text, photo, sticker, ...) and their share in percent.
SELECT
    coalesce(content_type, 'other') AS content_type,
    count(*) AS messages,
    round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent
FROM messages
WHERE context_date BETWEEN $start AND $end
  AND update_type NOT LIKE 'edited%'
GROUP BY 1
ORDER BY messages DESC, content_type
