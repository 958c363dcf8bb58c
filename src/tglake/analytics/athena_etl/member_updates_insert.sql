-- One raw day into member_updates, by the Python ETL's rules (tglake.etl.flatten.member_updates): one row per chat_member / my_chat_member; the member is the new state's user, else the old state's; actor and member are keyed hashes; a private chat's id is dropped.
INSERT INTO {{database}}.member_updates
WITH
{{first_sightings}},
events AS (
  SELECT update_id, update_type, payload_hash, json_extract(body, concat('$.', update_type)) AS e
  FROM (SELECT firsts.*, {{update_kind}} AS update_type FROM firsts) AS typed
  WHERE update_type IS NOT NULL
),
members AS (
  SELECT
    events.*,
    CASE
      WHEN {{is_filled_object(json_extract(e, '$.new_chat_member.user'))}} THEN json_extract(e, '$.new_chat_member.user')
      ELSE json_extract(e, '$.old_chat_member.user')
    END AS member
  FROM events
)
SELECT
  update_id,
  payload_hash,
  update_type,
  {{chat_id(json_extract(e, '$.chat'))}} AS chat_id,
  json_extract_scalar(e, '$.chat.type') AS chat_type,
  {{user_key(TRY_CAST(json_extract_scalar(e, '$.from.id') AS bigint))}} AS actor_user_key,
  {{user_key(TRY_CAST(json_extract_scalar(member, '$.id') AS bigint))}} AS member_user_key,
  TRY_CAST(json_extract(member, '$.is_bot') AS boolean) AS member_is_bot,
  json_extract_scalar(e, '$.old_chat_member.status') AS old_status,
  json_extract_scalar(e, '$.new_chat_member.status') AS new_status,
  {{epoch_ts(TRY_CAST(json_extract_scalar(e, '$.date') AS bigint))}} AS change_ts,
  {{is_object(json_extract(e, '$.invite_link'))}} AS via_invite_link,
  DATE '{{day}}' AS context_date
FROM members
