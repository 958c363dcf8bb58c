-- One row per turn (something a person sent that the bot handled, a message or a button press, and the bot's answer): who, when, its intent, and the milliseconds since that person's previous turn.
-- The turn's time is the answer's reply_ts (a button press carries no time of its own). Who
-- asked is the event's user_key; a version 1 event in a group has none, and then the user_key
-- of the message with the same update_id on the same day stands in. intent is what the bot's
-- parser made of free text (matched_kind: the Ask value of tglake.bot.question, or sugestao
-- when it offered names instead), '/' and the command for a command, 'button' for a button.
-- A question is a turn with words that is not a button press (as in bot_answered_per_day).
-- ms_since_previous is null for a person's first turn in the lake: the queries cut sessions
-- where it is null or at least the session gap (TGLAKE_SESSION_GAP_MINUTES).
SELECT
    update_id,
    context_date,
    user_key,
    turn_ts,
    command,
    query,
    intent,
    is_question,
    matched_kind,
    top_match,
    result_count,
    answered,
    date_diff(
        'millisecond',
        lag(turn_ts) OVER (PARTITION BY user_key ORDER BY turn_ts, update_id),
        turn_ts
    ) AS ms_since_previous
FROM (
    SELECT
        r.update_id,
        r.context_date,
        coalesce(r.user_key, m.user_key) AS user_key,
        r.reply_ts AS turn_ts,
        r.command,
        r.query,
        CASE
            WHEN r.command = 'callback' THEN 'button'
            WHEN r.command = 'texto' THEN coalesce(r.matched_kind, 'none')
            ELSE concat('/', coalesce(r.command, '?'))
        END AS intent,
        (trim(coalesce(r.query, '')) <> '' AND coalesce(r.command, '') <> 'callback')
            AS is_question,
        r.matched_kind,
        r.top_match,
        r.result_count,
        coalesce(r.answered, false) AS answered
    FROM bot_replies AS r
    LEFT JOIN (
        SELECT context_date, update_id, min(user_key) AS user_key
        FROM messages
        WHERE update_type NOT LIKE 'edited%'
        GROUP BY context_date, update_id
    ) AS m
      ON m.context_date = r.context_date
     AND m.update_id = r.update_id
    WHERE r.reply_ts IS NOT NULL
) AS turns
