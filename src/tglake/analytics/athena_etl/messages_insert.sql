-- One raw day into messages, by the Python ETL's rules (tglake.etl.flatten.messages): the same payload twice is one row (also across midnight), a different payload under a known update_id is kept, user_key is the keyed hash, private chat ids are dropped, names are dropped unless keep-names, text is the text or caption with typed @usernames replaced, NFC, without control characters, trimmed as str.strip trims.
-- Not stated in SQL (docs/scale.md, "Past one Lambda"): a text whose entities name a person (mention, text_mention, phone_number, email) is written null, and so is its text_length. Python replaces those spans by UTF-16 offsets, skipping overlapping ones; Trino counts code points and has no fold that states that faithfully, and null keeps the names out. command is read before those spans would be replaced (Telegram never marks one inside a command).
INSERT INTO {{database}}.messages
WITH
{{first_sightings}},
messages AS (
  SELECT update_id, update_type, payload_hash, json_extract(body, concat('$.', update_type)) AS m
  FROM (SELECT firsts.*, {{update_kind}} AS update_type FROM firsts) AS typed
  WHERE update_type IS NOT NULL
),
fields AS (
  SELECT
    messages.*,
    json_extract_scalar(m, '$.text') IS NOT NULL AS has_text,
    coalesce(json_extract_scalar(m, '$.text'), json_extract_scalar(m, '$.caption')) AS raw_text,
    CASE
      WHEN json_extract_scalar(m, '$.text') IS NOT NULL THEN json_extract(m, '$.entities')
      ELSE json_extract(m, '$.caption_entities')
    END AS entities,
    TRY_CAST(json_extract_scalar(m, '$.date') AS bigint) AS date_s,
    TRY_CAST(json_extract_scalar(m, '$.edit_date') AS bigint) AS edit_date_s
  FROM messages
),
redacted AS (
  SELECT fields.*, {{redact_usernames(raw_text)}} AS typed_text, {{names_a_person(entities)}} AS names_a_person
  FROM fields
),
cleaned AS (
  SELECT redacted.*, {{clean_text(typed_text)}} AS clean_text
  FROM redacted
)
SELECT
  update_id,
  update_type,
  payload_hash,
  TRY_CAST(json_extract_scalar(m, '$.message_id') AS bigint) AS message_id,
  CASE WHEN update_type = 'guest_message' THEN NULL
    ELSE {{chat_id(json_extract(m, '$.chat'))}} END AS chat_id,
  json_extract_scalar(m, '$.chat.type') AS chat_type,
  CASE WHEN update_type = 'guest_message' THEN NULL
    ELSE {{clean_text(json_extract_scalar(m, '$.chat.title'))}} END AS chat_title,
  CASE WHEN update_type = 'guest_message' THEN NULL
    ELSE TRY_CAST(json_extract_scalar(m, '$.message_thread_id') AS bigint) END
    AS message_thread_id,
  {{user_key(TRY_CAST(json_extract_scalar(m, '$.from.id') AS bigint))}} AS user_key,
  TRY_CAST(json_extract(m, '$.from.is_bot') AS boolean) AS user_is_bot,
  json_extract_scalar(m, '$.from.language_code') AS user_language_code,
  TRY_CAST(json_extract_scalar(m, '$.sender_chat.id') AS bigint) AS sender_chat_id,
  {{epoch_ts(date_s)}} AS message_ts,
  {{epoch_ts(edit_date_s)}} AS edit_ts,
  {{content_type(m)}} AS content_type,
  CASE WHEN NOT names_a_person THEN clean_text END AS text,
  CAST(CASE WHEN NOT names_a_person THEN length(clean_text) END AS integer) AS text_length,
  CASE WHEN has_text THEN {{command(clean_text)}} END AS command,
  TRY_CAST(json_extract_scalar(m, '$.reply_to_message.message_id') AS bigint) AS reply_to_message_id,
  {{is_forward(m)}} AS is_forward,
  'bot_api' AS source,
  {{name(json_extract_scalar(m, '$.from.first_name'))}} AS user_first_name,
  {{name(json_extract_scalar(m, '$.from.last_name'))}} AS user_last_name,
  {{name(json_extract_scalar(m, '$.from.username'))}} AS user_username,
  {{name(json_extract_scalar(m, '$.contact.phone_number'))}} AS contact_phone_number,
  DATE '{{day}}' AS context_date
FROM cleaned
