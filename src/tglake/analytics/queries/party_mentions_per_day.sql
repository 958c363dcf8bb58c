-- Mentions per local day of the five parties mentioned most in the period.
WITH leaders AS (
    SELECT party
    FROM candidate_mentions
    WHERE context_date BETWEEN $start AND $end
      AND party IS NOT NULL
    GROUP BY party
    ORDER BY count(*) DESC, party
    LIMIT 5
)
SELECT
    CAST(m.message_ts AT TIME ZONE $tz AS DATE) AS local_day,
    m.party,
    count(*) AS mentions
FROM candidate_mentions AS m
JOIN leaders AS l ON m.party = l.party
WHERE m.context_date BETWEEN $start AND $end
GROUP BY 1, 2
ORDER BY 1, 2
