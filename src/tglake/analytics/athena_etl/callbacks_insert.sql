-- One raw day into callbacks, by the Python ETL's rules (tglake.etl.flatten.callbacks): deduplicated as every table (first_sightings), user_key is the keyed hash of the presser, a private chat's id is dropped, data is cleaned text.
INSERT INTO {{database}}.callbacks
WITH
{{first_sightings}},
queries AS (
  SELECT update_id, payload_hash, json_extract(body, '$.callback_query') AS q
  FROM firsts
  WHERE {{update_kind}} = 'callback_query'
)
SELECT
  update_id,
  payload_hash,
  json_extract_scalar(q, '$.id') AS callback_query_id,
  {{user_key(TRY_CAST(json_extract_scalar(q, '$.from.id') AS bigint))}} AS user_key,
  TRY_CAST(json_extract(q, '$.from.is_bot') AS boolean) AS user_is_bot,
  json_extract_scalar(q, '$.from.language_code') AS user_language_code,
  {{chat_id(json_extract(q, '$.message.chat'))}} AS chat_id,
  json_extract_scalar(q, '$.message.chat.type') AS chat_type,
  TRY_CAST(json_extract_scalar(q, '$.message.message_id') AS bigint) AS message_id,
  json_extract_scalar(q, '$.inline_message_id') AS inline_message_id,
  {{clean_text(json_extract_scalar(q, '$.data'))}} AS data,
  json_extract_scalar(q, '$.game_short_name') AS game_short_name,
  DATE '{{day}}' AS context_date
FROM queries
