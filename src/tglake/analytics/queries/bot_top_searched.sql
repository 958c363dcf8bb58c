-- Candidates and parties people looked up most: replies that found exactly one (a button counts).
-- People are counted by user_key (a private chat's id is a person's id: never in the enriched zone).
SELECT
    CASE WHEN top_match LIKE 'partido:%' THEN 'partido' ELSE 'candidato' END AS target_kind,
    replace(top_match, 'partido:', '') AS target,
    count(*) AS searches,
    count(DISTINCT user_key) AS people
FROM bot_replies
WHERE context_date BETWEEN $start AND $end
  AND answered
  AND result_count = 1
  AND top_match IS NOT NULL
  AND top_match NOT LIKE 'bairro:%'
GROUP BY 1, 2
ORDER BY searches DESC, target_kind, target
LIMIT 20
