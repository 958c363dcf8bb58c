-- One raw day into reactions, by the Python ETL's rules (tglake.etl.flatten.reactions): a message_reaction is one row (who, old and new reactions); a message_reaction_count is one row per reaction it counts (new_reactions holds that reaction, total_count its count); reactions are the emoji, custom:<id> or the type (paid); user_key is the keyed hash, a private chat's id is dropped.
INSERT INTO {{database}}.reactions
WITH
{{first_sightings}},
events AS (
  SELECT update_id, update_type, payload_hash, json_extract(body, concat('$.', update_type)) AS e
  FROM (SELECT firsts.*, {{update_kind}} AS update_type FROM firsts) AS typed
  WHERE update_type IS NOT NULL
),
changes AS (
  SELECT
    events.*,
    {{reactions(json_extract(e, '$.old_reaction'))}} AS old_reactions,
    {{reactions(json_extract(e, '$.new_reaction'))}} AS new_reactions,
    CAST(NULL AS integer) AS total_count
  FROM events
  WHERE update_type = 'message_reaction'
),
counts AS (
  SELECT
    events.*,
    CAST(NULL AS array(varchar)) AS old_reactions,
    CASE
      WHEN nullif({{reaction(json_extract(counted.reaction_count, '$.type'))}}, '') IS NULL THEN ARRAY[]
      ELSE ARRAY[{{reaction(json_extract(counted.reaction_count, '$.type'))}}]
    END AS new_reactions,
    TRY_CAST(json_extract_scalar(counted.reaction_count, '$.total_count') AS integer) AS total_count
  FROM events
  CROSS JOIN UNNEST(coalesce(TRY_CAST(json_extract(e, '$.reactions') AS array(json)), ARRAY[])) AS counted (reaction_count)
  WHERE update_type = 'message_reaction_count'
),
reaction_rows AS (
  SELECT * FROM changes
  UNION ALL
  SELECT * FROM counts
)
SELECT
  update_id,
  payload_hash,
  update_type,
  {{chat_id(json_extract(e, '$.chat'))}} AS chat_id,
  json_extract_scalar(e, '$.chat.type') AS chat_type,
  TRY_CAST(json_extract_scalar(e, '$.message_id') AS bigint) AS message_id,
  {{user_key(TRY_CAST(json_extract_scalar(e, '$.user.id') AS bigint))}} AS user_key,
  TRY_CAST(json_extract_scalar(e, '$.actor_chat.id') AS bigint) AS actor_chat_id,
  {{epoch_ts(TRY_CAST(json_extract_scalar(e, '$.date') AS bigint))}} AS reaction_ts,
  old_reactions,
  new_reactions,
  total_count,
  'bot_api' AS source,
  DATE '{{day}}' AS context_date
FROM reaction_rows
