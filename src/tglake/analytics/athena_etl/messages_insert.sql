-- One raw day into the messages table, by the Python ETL's rules: same payload twice is one row (also across midnight), a different payload under a known update_id is kept, user_key is the keyed hash, private chat ids and names are dropped, text is NFC without control characters.
INSERT INTO {{database}}.messages
WITH raw AS (
  SELECT
    body,
    context_date,
    lower(substr(to_hex(sha256(to_utf8(body))), 1, 12)) AS payload_hash,
    TRY_CAST(json_extract_scalar(body, '$.update_id') AS bigint) AS update_id
  FROM {{database}}.raw_updates
  WHERE context_date IN ('{{day}}', '{{day_before}}')
),
firsts AS (
  -- the first sighting of each payload: a redelivery that crossed midnight belongs to the day before
  SELECT body, payload_hash, update_id
  FROM (
    SELECT
      raw.*,
      row_number() OVER (PARTITION BY update_id, payload_hash ORDER BY context_date) AS sighting
    FROM raw
    WHERE update_id IS NOT NULL
  ) AS ranked
  WHERE sighting = 1 AND context_date = '{{day}}'
),
carried AS (
  SELECT
    update_id,
    payload_hash,
    CASE
      WHEN json_extract(body, '$.message') IS NOT NULL THEN 'message'
      WHEN json_extract(body, '$.edited_message') IS NOT NULL THEN 'edited_message'
      WHEN json_extract(body, '$.channel_post') IS NOT NULL THEN 'channel_post'
      WHEN json_extract(body, '$.edited_channel_post') IS NOT NULL THEN 'edited_channel_post'
      WHEN json_extract(body, '$.business_message') IS NOT NULL THEN 'business_message'
      WHEN json_extract(body, '$.edited_business_message') IS NOT NULL THEN 'edited_business_message'
    END AS update_type,
    body
  FROM firsts
),
messages AS (
  SELECT
    update_id,
    update_type,
    payload_hash,
    json_extract(body, concat('$.', update_type)) AS m
  FROM carried
  WHERE update_type IS NOT NULL
),
cleaned AS (
  SELECT
    messages.*,
    nullif(trim(regexp_replace(normalize(coalesce(
      json_extract_scalar(m, '$.text'), json_extract_scalar(m, '$.caption')
    ), NFC), '[\x00-\x08\x0b-\x1f\x7f-\x9f]', '')), '') AS clean_text,
    json_extract_scalar(m, '$.text') IS NOT NULL AS has_text,
    TRY_CAST(json_extract_scalar(m, '$.from.id') AS bigint) AS from_id
  FROM messages
)
SELECT
  update_id,
  update_type,
  payload_hash,
  TRY_CAST(json_extract_scalar(m, '$.message_id') AS bigint) AS message_id,
  CASE
    WHEN json_extract_scalar(m, '$.chat.type') = 'private' THEN NULL
    ELSE TRY_CAST(json_extract_scalar(m, '$.chat.id') AS bigint)
  END AS chat_id,
  json_extract_scalar(m, '$.chat.type') AS chat_type,
  nullif(trim(regexp_replace(normalize(json_extract_scalar(m, '$.chat.title'), NFC),
    '[\x00-\x08\x0b-\x1f\x7f-\x9f]', '')), '') AS chat_title,
  TRY_CAST(json_extract_scalar(m, '$.message_thread_id') AS bigint) AS message_thread_id,
  CASE
    WHEN from_id IS NULL THEN NULL
    ELSE lower(to_hex(hmac_sha256(to_utf8(CAST(from_id AS varchar)), to_utf8('{{pseudonym_key}}'))))
  END AS user_key,
  TRY_CAST(json_extract(m, '$.from.is_bot') AS boolean) AS user_is_bot,
  json_extract_scalar(m, '$.from.language_code') AS user_language_code,
  TRY_CAST(json_extract_scalar(m, '$.sender_chat.id') AS bigint) AS sender_chat_id,
  CAST(from_unixtime(TRY_CAST(json_extract_scalar(m, '$.date') AS bigint)) AS timestamp) AS message_ts,
  CAST(from_unixtime(TRY_CAST(json_extract_scalar(m, '$.edit_date') AS bigint)) AS timestamp) AS edit_ts,
  {{content_type_case}} AS content_type,
  clean_text AS text,
  CAST(length(clean_text) AS integer) AS text_length,
  CASE
    WHEN has_text AND clean_text LIKE '/%'
      THEN '/' || lower(regexp_extract(clean_text, '^/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)', 1))
  END AS command,
  TRY_CAST(json_extract_scalar(m, '$.reply_to_message.message_id') AS bigint) AS reply_to_message_id,
  (
    json_extract(m, '$.forward_origin') IS NOT NULL
    OR json_extract(m, '$.forward_from') IS NOT NULL
    OR json_extract(m, '$.forward_from_chat') IS NOT NULL
    OR json_extract(m, '$.forward_sender_name') IS NOT NULL
    OR json_extract(m, '$.forward_date') IS NOT NULL
  ) AS is_forward,
  'bot_api' AS source,
  CAST(NULL AS varchar) AS user_first_name,
  CAST(NULL AS varchar) AS user_last_name,
  CAST(NULL AS varchar) AS user_username,
  CAST(NULL AS varchar) AS contact_phone_number,
  DATE '{{day}}' AS context_date
FROM cleaned
