/* model: ntf_counts
   grain: dealer_id
   inputs: models.dealer_claims
   audits: unique(dealer_id), not_null(dealer_id)
   Inspected returns and no-trouble-found outcomes per dealer ('(direct)' for claims without one),
   with the code most often stated on the NTF returns: the counts behind the ntf report. Counted from
   dealer_claims (the lines grouped per dealer once, for this and the dealer scorecard); cancelled
   lines count too: their inspection happened. */
WITH grouped AS (
  SELECT dealer_id, inspection_outcome, ntf_stated_code AS failure_code_stated, sum(lines)::BIGINT AS n
  FROM models.dealer_claims
  WHERE inspection_outcome IN ('no_trouble_found', 'trouble_found_repair', 'trouble_found_replace', 'customer_damage')
  GROUP BY ALL
),
top_codes AS (
  SELECT dealer_id, first(failure_code_stated ORDER BY n DESC, failure_code_stated) AS top_ntf_stated_code
  FROM grouped
  WHERE inspection_outcome = 'no_trouble_found' AND failure_code_stated IS NOT NULL
  GROUP BY dealer_id
)
SELECT
  g.dealer_id,
  sum(g.n)::BIGINT AS inspected,
  coalesce(sum(g.n) FILTER (WHERE g.inspection_outcome = 'no_trouble_found'), 0)::BIGINT AS no_trouble_found,
  coalesce(sum(g.n) FILTER (WHERE g.inspection_outcome = 'customer_damage'), 0)::BIGINT AS customer_damage,
  any_value(t.top_ntf_stated_code) AS top_ntf_stated_code
FROM grouped AS g
LEFT JOIN top_codes AS t USING (dealer_id)
GROUP BY g.dealer_id
