-- How fast the bot answers: questions, share answered, latency p50 and p95 in ms (nearest rank).
WITH ranked AS (
    SELECT
        answered,
        latency_ms,
        row_number() OVER (ORDER BY latency_ms NULLS LAST) AS row_index,
        count(latency_ms) OVER () AS timed
    FROM bot_replies
    WHERE context_date BETWEEN $start AND $end
)
SELECT
    count(*) AS questions,
    round(100.0 * sum(CASE WHEN answered THEN 1 ELSE 0 END) / nullif(count(*), 0), 1)
        AS answered_percent,
    max(CASE WHEN row_index = ceil(0.5 * timed) THEN latency_ms END) AS p50_ms,
    max(CASE WHEN row_index = ceil(0.95 * timed) THEN latency_ms END) AS p95_ms,
    max(latency_ms) AS max_ms
FROM ranked
