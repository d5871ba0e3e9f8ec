/* model: dealer_claims
   grain: dealer_id, cancelled, return_reason?, inspection_outcome?, paid_claim, ntf_stated_code?
   inputs: models.rpt_rma_costed
   audits: between(lines, 1, 1e12)
   RMA lines counted per dealer ('(direct)' for claims without one) by the columns the dealer scorecard
   (dealers) and the NTF report (ntf_counts) split on: one pass over the lines for both (a second pass
   cost ≈ 1.3 s at 10 M lines). A few thousand rows: ntf_stated_code is the stated code of the NTF lines
   only, so the other lines do not multiply by code. */
SELECT
  coalesce(dealer_id, '(direct)') AS dealer_id,
  cancelled,
  return_reason,
  inspection_outcome,
  warranty_claim AND paid_at IS NOT NULL AS paid_claim,
  CASE WHEN inspection_outcome = 'no_trouble_found' THEN failure_code_stated END AS ntf_stated_code,
  count(*) AS lines,
  sum(coalesce(cost_gross, 0) - deductible_collected - supplier_recovery) AS net_cost,   -- net of deductibles and recovery
  sum(deductible_collected) AS deductibles_collected
FROM models.rpt_rma_costed
GROUP BY ALL
