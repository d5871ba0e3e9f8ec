/* model: sla
   grain: month, sku
   inputs: models.sla_groups
   audits: unique(month, sku), not_null(month), not_null(sku), between(response_met_rate, 0, 1), between(inspection_met_rate, 0, 1), between(resolution_met_rate, 0, 1)
   SLA attainment per month the claims were raised and SKU (sku = '*' for all SKUs). Each rate is over
   the lines whose promise is already decided (kept, or broken by age); lines still inside their limit
   are counted apart. The month rows of sla_groups (its one pass over the business-time clock). */
-- sla_groups' columns in its order, the quantiles and the oldest age rounded for the report
SELECT * EXCLUDE (level, dealer_id) REPLACE (
  round(median_resolution_working_days, 2) AS median_resolution_working_days,
  round(p90_resolution_working_days, 2) AS p90_resolution_working_days,
  round(oldest_open_working_days, 2) AS oldest_open_working_days
)
FROM models.sla_groups
WHERE level IN ('month_sku', 'month')
