/* model: rpt_rma_costed
   grain: rma_key
   inputs: models.rpt_rma, cost_rates
   materialized: view
   rpt_rma with each line's gross cost: labour + parts + shipping + replacement + duties + credits
   when any is known; when none is and the line was resolved by the date, the cost_rates standard
   cost for its resolution (the SKU's rate over the '*' rate), flagged cost_estimated. */
SELECT
  r.* EXCLUDE (cost_known, cost_estimable),
  r.cost_estimable AND coalesce(rate_sku.standard_cost, rate_any.standard_cost) IS NOT NULL AS cost_estimated,
  CASE WHEN r.cost_estimable THEN coalesce(rate_sku.standard_cost, rate_any.standard_cost) ELSE r.cost_known END AS cost_gross
FROM models.rpt_rma AS r
-- Only lines whose cost is estimated look a rate up: the others' NULL key matches nothing and costs less to
-- probe (≈ 0.2 s a read at 10 M lines, one in ten estimated; four reads a build). (resolution, sku) is the
-- table's key, so a line meets one rate at most either way.
LEFT JOIN cost_rates AS rate_sku ON rate_sku.resolution = CASE WHEN r.cost_estimable THEN r.resolution END AND rate_sku.sku = r.sku
LEFT JOIN cost_rates AS rate_any ON rate_any.resolution = CASE WHEN r.cost_estimable THEN r.resolution END AND rate_any.sku = '*'
