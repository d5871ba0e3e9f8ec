/* model: ntf_counts
   grain: dealer_id
   inputs: models.rpt_rma
   audits: unique(dealer_id), not_null(dealer_id)
   Inspected returns and no-trouble-found outcomes per dealer ('(direct)' for claims without one),
   with the code most often stated on the NTF returns: the counts behind the ntf report. */
WITH inspected AS (
  SELECT
    coalesce(dealer_id, '(direct)') AS dealer_id,
    inspection_outcome,
    failure_code_stated
  FROM models.rpt_rma
  WHERE inspection_outcome IN ('no_trouble_found', 'trouble_found_repair', 'trouble_found_replace', 'customer_damage')
),
top_codes AS (
  SELECT dealer_id, first(failure_code_stated ORDER BY n DESC, failure_code_stated) AS top_ntf_stated_code
  FROM (
    SELECT dealer_id, failure_code_stated, count(*) AS n
    FROM inspected
    WHERE inspection_outcome = 'no_trouble_found' AND failure_code_stated IS NOT NULL
    GROUP BY ALL
  )
  GROUP BY dealer_id
)
SELECT
  i.dealer_id,
  count(*) AS inspected,
  count(*) FILTER (WHERE i.inspection_outcome = 'no_trouble_found') AS no_trouble_found,
  count(*) FILTER (WHERE i.inspection_outcome = 'customer_damage') AS customer_damage,
  any_value(t.top_ntf_stated_code) AS top_ntf_stated_code
FROM inspected AS i
LEFT JOIN top_codes AS t USING (dealer_id)
GROUP BY i.dealer_id
