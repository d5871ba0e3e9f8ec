/* model: sla
   grain: month, sku
   inputs: models.sla_items
   audits: unique(month, sku), not_null(month), not_null(sku), between(response_met_rate, 0, 1), between(inspection_met_rate, 0, 1), between(resolution_met_rate, 0, 1)
   SLA attainment per month the claims were raised and SKU (sku = '*' for all SKUs). Each rate is over
   the lines whose promise is already decided (kept, or broken by age); lines still inside their limit
   are counted apart. */
SELECT
  month,
  coalesce(sku, '*') AS sku,
  count(*) AS rmas,
  count(response_met) AS response_decided,
  avg(response_met::INTEGER) AS response_met_rate,
  count(inspection_met) AS inspection_decided,
  avg(inspection_met::INTEGER) AS inspection_met_rate,
  count(resolution_met) AS resolution_decided,
  avg(resolution_met::INTEGER) AS resolution_met_rate,
  count(*) FILTER (WHERE open) AS open,
  count(*) FILTER (WHERE status = 'open_overdue') AS open_overdue,
  -- both quantiles from one aggregate: median and quantile_cont each kept and sorted their own copy of the values
  round(quantile_cont(resolution_working_days, [0.5, 0.9])[1], 2) AS median_resolution_working_days,
  round(quantile_cont(resolution_working_days, [0.5, 0.9])[2], 2) AS p90_resolution_working_days,
  round(max(age_working_days), 2) AS oldest_open_working_days
FROM models.sla_items
WHERE sku IS NOT NULL
GROUP BY GROUPING SETS ((month, sku), (month))
