-- One raw day of bot events (raw_bot_events) into bot_replies, by the Python ETL's rules (tglake.etl.bot_tables.bot_reply_row): deduplicated as every table (first_sightings); a chat is private when the event's chat_type says so, or (version 1 events, without chat_type) when its id is positive, and a private chat's id is dropped; user_key is the keyed hash of user_id, else of a private chat's id; typed @usernames in query become @pessoa; top_match is the first matched id.
-- Not stated in SQL: reply_ts is read as ISO 8601 with a T (the responder's isoformat); another form Python's fromisoformat accepts is null here, and a malformed one, which the Python ETL rejects with its event, is null too.
INSERT INTO {{database}}.bot_replies
WITH
{{first_sightings}},
events AS (
  SELECT
    update_id,
    body AS e,
    TRY_CAST(json_extract_scalar(body, '$.chat_id') AS bigint) AS event_chat_id,
    TRY_CAST(json_extract_scalar(body, '$.user_id') AS bigint) AS user_id,
    coalesce(TRY_CAST(json_extract(body, '$.matched_ids') AS array(varchar)), ARRAY[]) AS matched_ids
  FROM firsts
),
asked AS (
  SELECT
    events.*,
    CASE
      WHEN {{is_string(json_extract(e, '$.chat_type'))}} THEN json_extract_scalar(e, '$.chat_type') = 'private'
      ELSE coalesce(event_chat_id > 0, false)
    END AS private_chat
  FROM events
)
SELECT
  update_id,
  json_extract_scalar(e, '$.update_kind') AS update_kind,
  CASE WHEN private_chat THEN NULL ELSE event_chat_id END AS chat_id,
  {{user_key(coalesce(user_id, CASE WHEN private_chat THEN event_chat_id END))}} AS user_key,
  json_extract_scalar(e, '$.command') AS command,
  {{redact_usernames(json_extract_scalar(e, '$.query'))}} AS query,
  json_extract_scalar(e, '$.matched_kind') AS matched_kind,
  matched_ids,
  element_at(matched_ids, 1) AS top_match,
  TRY_CAST(json_extract_scalar(e, '$.result_count') AS integer) AS result_count,
  TRY_CAST(json_extract(e, '$.answered') AS boolean) AS answered,
  TRY_CAST(json_extract_scalar(e, '$.latency_ms') AS double) AS latency_ms,
  json_extract_scalar(e, '$.reply_method') AS reply_method,
  TRY_CAST(json_extract_scalar(e, '$.reply_chars') AS integer) AS reply_chars,
  CASE
    WHEN {{is_string(json_extract(e, '$.reply_ts'))}}
      THEN try(CAST(from_iso8601_timestamp(json_extract_scalar(e, '$.reply_ts')) AT TIME ZONE 'UTC' AS timestamp))
    ELSE {{epoch_ts(TRY_CAST(json_extract_scalar(e, '$.reply_ts') AS bigint))}}
  END AS reply_ts,
  TRY_CAST(json_extract_scalar(e, '$.event_version') AS integer) AS event_version,
  DATE '{{day}}' AS context_date
FROM asked
