-- Shared by every INSERT, and where every one differs from the Python ETL (docs/scale.md, "Past one Lambda"): an object that is not JSON or has no integer update_id is skipped, not listed in _rejects; a value of another JSON type than the Bot API's ("5" for 5, "true" for true) is converted where Python reads null; an update carrying two payload objects (Telegram sends one) is read by the table's kinds in a fixed order, not by JSON key order, which Trino does not keep; a date with a fraction of a second, or past Trino's timestamp range (about the year 73,000), is null.
raw AS (
  SELECT
    body,
    context_date,
    lower(substr(to_hex(sha256(to_utf8(body))), 1, {{hash_chars}})) AS payload_hash,
    TRY_CAST(json_extract_scalar(body, '$.update_id') AS bigint) AS update_id
  FROM {{database}}.{{raw_table}}
  WHERE context_date IN ('{{day}}', '{{day_before}}')
),
firsts AS (
  -- the first sighting of each (update_id, payload): a redelivery that crossed midnight belongs to the day before; a different payload under a known update_id is a row of its own
  SELECT body, payload_hash, update_id
  FROM (
    SELECT
      raw.*,
      row_number() OVER (PARTITION BY update_id, payload_hash ORDER BY context_date) AS sighting
    FROM raw
    WHERE update_id IS NOT NULL
  ) AS ranked
  WHERE sighting = 1 AND context_date = '{{day}}'
)
