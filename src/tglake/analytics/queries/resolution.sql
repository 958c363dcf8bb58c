-- Per intent (and in total, '(all)'): questions asked, answered on the first try, answered after a rephrase in the same session, never answered though rephrased, and abandoned (the person left after the not-found).
-- An attempt is a question (a turn with words, not a button press) or a button press. A
-- question counts as asked unless it is a rephrase: an attempt that follows, in the same
-- session, an attempt the bot did not answer. A question the bot did not answer is answered
-- after a rephrase when a later attempt of its session is answered; else it is abandoned
-- when it was the last attempt of its session, and never answered when the person tried
-- again in vain. The four outcomes add up to asked. The intent is the asked question's.
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
attempts AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY user_key, session_no ORDER BY turn_ts, update_id
        ) AS nth
    FROM cut
    WHERE is_question OR intent = 'button'
),
followed AS (
    SELECT
        *,
        lag(answered) OVER (
            PARTITION BY user_key, session_no ORDER BY nth
        ) AS previous_answered,
        min(CASE WHEN answered THEN nth END) OVER (
            PARTITION BY user_key, session_no ORDER BY nth
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS next_answered,
        max(nth) OVER (PARTITION BY user_key, session_no) AS last_nth
    FROM attempts
),
asked AS (
    SELECT
        intent,
        CASE
            WHEN answered THEN 'first_try'
            WHEN next_answered IS NOT NULL THEN 'after_rephrase'
            WHEN nth = last_nth THEN 'abandoned'
            ELSE 'never_answered'
        END AS outcome
    FROM followed
    WHERE is_question
      AND coalesce(previous_answered, true)
      AND context_date BETWEEN $start AND $end
),
tally AS (
    SELECT
        intent,
        count(*) AS asked,
        sum(CASE WHEN outcome = 'first_try' THEN 1 ELSE 0 END) AS first_try,
        sum(CASE WHEN outcome = 'after_rephrase' THEN 1 ELSE 0 END) AS after_rephrase,
        sum(CASE WHEN outcome = 'never_answered' THEN 1 ELSE 0 END) AS never_answered,
        sum(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandoned
    FROM asked
    GROUP BY intent
    UNION ALL
    SELECT
        '(all)',
        count(*),
        sum(CASE WHEN outcome = 'first_try' THEN 1 ELSE 0 END),
        sum(CASE WHEN outcome = 'after_rephrase' THEN 1 ELSE 0 END),
        sum(CASE WHEN outcome = 'never_answered' THEN 1 ELSE 0 END),
        sum(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END)
    FROM asked
    HAVING count(*) > 0
)
SELECT
    intent,
    asked,
    first_try,
    after_rephrase,
    never_answered,
    abandoned,
    round(100.0 * first_try / asked, 1) AS first_try_percent,
    round(100.0 * (first_try + after_rephrase) / asked, 1) AS resolved_percent
FROM tally
ORDER BY CASE WHEN intent = '(all)' THEN 0 ELSE 1 END, asked DESC, intent
