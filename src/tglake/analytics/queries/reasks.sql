-- Re-asks: the same person asking about the same subject (the one candidate, party or bairro an answer found) again in a later session, within 24 hours of asking before; and after longer. Per subject and in total ('(all)').
-- An ask is an answered question or button press that found exactly one thing (top_match). A
-- repeat inside the same session is a follow-up, not a re-ask; one in a later session is a
-- re-ask when it comes at most 24 hours after the person's previous ask on that subject (in
-- Dialogflow CX's words, a callback), else a later return. Earlier asks count as the previous
-- one even before the period. Subjects without any repeat are left out; the 20 most re-asked.
WITH cut AS (
    SELECT
        *,
        sum(
            CASE
                WHEN ms_since_previous IS NULL
                  OR ms_since_previous >= 60000 * $session_gap_minutes
                THEN 1 ELSE 0
            END
        ) OVER (
            PARTITION BY user_key ORDER BY turn_ts, update_id ROWS UNBOUNDED PRECEDING
        ) AS session_no
    FROM bot_turns
    WHERE user_key IS NOT NULL
      AND context_date <= $end
),
asks AS (
    SELECT
        user_key,
        top_match AS subject,
        context_date,
        session_no,
        lag(session_no) OVER (
            PARTITION BY user_key, top_match ORDER BY turn_ts, update_id
        ) AS previous_session,
        date_diff(
            'millisecond',
            lag(turn_ts) OVER (PARTITION BY user_key, top_match ORDER BY turn_ts, update_id),
            turn_ts
        ) AS ms_after_previous
    FROM cut
    WHERE (is_question OR intent = 'button')
      AND answered
      AND result_count = 1
      AND top_match IS NOT NULL
),
marked AS (
    SELECT
        subject,
        user_key,
        CASE
            WHEN previous_session < session_no AND ms_after_previous <= 86400000 THEN 1 ELSE 0
        END AS within_24h,
        CASE
            WHEN previous_session < session_no AND ms_after_previous > 86400000 THEN 1 ELSE 0
        END AS later
    FROM asks
    WHERE context_date BETWEEN $start AND $end
),
tally AS (
    SELECT
        subject,
        count(DISTINCT user_key) AS people,
        count(*) AS asks,
        sum(within_24h) AS reasked_within_24h,
        sum(later) AS reasked_later
    FROM marked
    GROUP BY subject
    HAVING sum(within_24h) + sum(later) > 0
    UNION ALL
    SELECT
        '(all)',
        count(DISTINCT user_key),
        count(*),
        sum(within_24h),
        sum(later)
    FROM marked
    HAVING count(*) > 0
)
SELECT subject, people, asks, reasked_within_24h, reasked_later
FROM tally
ORDER BY CASE WHEN subject = '(all)' THEN 0 ELSE 1 END,
         reasked_within_24h DESC, reasked_later DESC, asks DESC, subject
LIMIT 21
