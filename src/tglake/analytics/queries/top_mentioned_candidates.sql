-- Candidates mentioned most in new messages: messages naming each, and how many people wrote them.
SELECT
    candidate_number,
    max(office) AS office,
    max(party) AS party,
    count(*) AS mentions,
    count(DISTINCT user_key) AS users
FROM candidate_mentions
WHERE context_date BETWEEN $start AND $end
GROUP BY candidate_number
ORDER BY mentions DESC, candidate_number
LIMIT 20
