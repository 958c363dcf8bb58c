-- Weekly cohorts of the bot's users: per first week (Monday, local time) the people who first talked to the bot that week, and per week after it (0 is the first) how many of them had a turn, and their share.
-- Who counts: anyone with a turn (a message or a button the bot answered). A person's first
-- week is that of their first turn in the lake, so a cohort inside the period holds only people
-- new then; cohorts start at the week of the period's first day. Weeks after a
-- cohort run to the period's end; a week in which nobody at all talked to the bot is absent.
WITH active AS (
    SELECT DISTINCT
        user_key,
        CAST(date_trunc('week', CAST(turn_ts AT TIME ZONE $tz AS DATE)) AS DATE) AS week
    FROM bot_turns
    WHERE user_key IS NOT NULL
      AND context_date <= $end
),
cohorts AS (
    SELECT user_key, min(week) AS cohort_week
    FROM active
    GROUP BY user_key
),
sizes AS (
    SELECT cohort_week, count(*) AS people
    FROM cohorts
    WHERE cohort_week >= CAST(date_trunc('week', $start) AS DATE)
    GROUP BY cohort_week
),
weeks AS (
    SELECT DISTINCT week FROM active
),
returned AS (
    SELECT c.cohort_week, a.week, count(*) AS active_people
    FROM cohorts AS c
    JOIN active AS a ON a.user_key = c.user_key
    GROUP BY c.cohort_week, a.week
)
SELECT
    s.cohort_week,
    CAST(date_diff('day', s.cohort_week, w.week) / 7 AS INTEGER) AS week_number,
    s.people,
    coalesce(r.active_people, 0) AS active_people,
    round(100.0 * coalesce(r.active_people, 0) / s.people, 1) AS active_percent
FROM sizes AS s
JOIN weeks AS w ON w.week >= s.cohort_week
LEFT JOIN returned AS r
  ON r.cohort_week = s.cohort_week
 AND r.week = w.week
ORDER BY s.cohort_week, week_number
