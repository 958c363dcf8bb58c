-- Sessions with the bot per local day (a person's turns with no silence of the session gap or more): sessions, people, turns, median turns and median duration in seconds.
-- A session belongs to the day of its first turn; its duration runs from its first answer to
-- its last (0 s for a single turn). Turns before the period still cut sessions, so a session
-- that began the day before is not counted again. Medians are exact, by window functions.
WITH cut AS (
    SELECT
        user_key,
        turn_ts,
        context_date,
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
sessions AS (
    SELECT
        user_key,
        session_no,
        min(context_date) AS first_day,
        CAST(min(turn_ts) AT TIME ZONE $tz AS DATE) AS local_day,
        count(*) AS turns,
        date_diff('millisecond', min(turn_ts), max(turn_ts)) / 1000.0 AS seconds
    FROM cut
    GROUP BY user_key, session_no
),
ranked AS (
    SELECT
        local_day,
        user_key,
        turns,
        seconds,
        row_number() OVER (PARTITION BY local_day ORDER BY turns) AS turns_index,
        row_number() OVER (PARTITION BY local_day ORDER BY seconds) AS seconds_index,
        count(*) OVER (PARTITION BY local_day) AS total
    FROM sessions
    WHERE first_day BETWEEN $start AND $end
)
SELECT
    local_day,
    count(*) AS sessions,
    count(DISTINCT user_key) AS people,
    sum(turns) AS turns,
    avg(
        CASE
            WHEN turns_index IN (floor((total + 1) / 2.0), ceil((total + 1) / 2.0)) THEN turns
        END
    ) AS median_turns,
    round(
        avg(
            CASE
                WHEN seconds_index IN (floor((total + 1) / 2.0), ceil((total + 1) / 2.0))
                THEN seconds
            END
        ),
        1
    ) AS median_seconds
FROM ranked
GROUP BY local_day
ORDER BY local_day
