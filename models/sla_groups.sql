/* model: sla_groups
   grain: level, month?, sku?, dealer_id?
   inputs: models.sla_items
   audits: between(response_met_rate, 0, 1), between(inspection_met_rate, 0, 1), between(resolution_met_rate, 0, 1)
   SLA attainment in one pass over the business-time clock (sla_items), at the three levels its readers
   report: `month_sku` (per month the claims were raised and SKU) and `month` (all SKUs; sku = '*') for
   sla, `dealer` (dealer_id; '(direct)' for claims without one) for dealers. The clock is the costly part
   of both reports (several CPU-seconds at 10 M lines): evaluated once here, not once per reader. The
   month levels count lines with a SKU; the dealer level counts every line. Each rate is over the lines
   whose promise is already decided (kept, or broken by age); lines still inside their limit are
   counted apart. */
WITH grouped AS (
  SELECT
    -- grouping(): a bit per column left out of the set, the first column highest
    CASE grouping(month, sku, has_sku, dealer_id)
      WHEN 3 THEN 'month_sku'              -- (month, sku)
      WHEN 5 THEN 'month'                  -- (month, has_sku)
      ELSE 'dealer'                        -- (dealer_id): 14
    END AS level,
    month,
    sku,
    has_sku,
    dealer_id,
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
    quantile_cont(resolution_working_days, [0.5, 0.9]) AS resolution_quantiles,
    max(age_working_days) AS oldest_open_working_days
  FROM (SELECT *, sku IS NOT NULL AS has_sku FROM models.sla_items)
  GROUP BY GROUPING SETS ((month, sku), (month, has_sku), (dealer_id))
)
SELECT
  level,
  month,
  CASE level WHEN 'month_sku' THEN sku WHEN 'month' THEN '*' END AS sku,
  dealer_id,
  rmas,
  response_decided,
  response_met_rate,
  inspection_decided,
  inspection_met_rate,
  resolution_decided,
  resolution_met_rate,
  open,
  open_overdue,
  resolution_quantiles[1] AS median_resolution_working_days,
  resolution_quantiles[2] AS p90_resolution_working_days,
  oldest_open_working_days
FROM grouped
-- the month levels are of lines with a SKU
WHERE level = 'dealer' OR (level = 'month_sku' AND sku IS NOT NULL) OR (level = 'month' AND has_sku)
