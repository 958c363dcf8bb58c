-- Mentions per local day of the five candidates mentioned most in the period.
WITH leaders AS (
    SELECT candidate_number
    FROM candidate_mentions
    WHERE context_date BETWEEN $start AND $end
    GROUP BY candidate_number
    ORDER BY count(*) DESC, candidate_number
    LIMIT 5
)
SELECT
    CAST(m.message_ts AT TIME ZONE $tz AS DATE) AS local_day,
    m.candidate_number,
    count(*) AS mentions
FROM candidate_mentions AS m
JOIN leaders AS l ON m.candidate_number = l.candidate_number
WHERE m.context_date BETWEEN $start AND $end
GROUP BY 1, 2
ORDER BY 1, 2
