-- Parties whose candidates are mentioned most: mentions, distinct candidates named, and people.
SELECT
    party,
    count(*) AS mentions,
    count(DISTINCT candidate_number) AS candidates,
    count(DISTINCT user_key) AS users
FROM candidate_mentions
WHERE context_date BETWEEN $start AND $end
  AND party IS NOT NULL
GROUP BY party
ORDER BY mentions DESC, party
LIMIT 20
