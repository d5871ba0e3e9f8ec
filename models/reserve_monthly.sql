/* model: reserve_monthly
   grain: month, sku
   inputs: models.unit_cohorts, reserve_plan, models.rpt_rma_costed
   audits: unique(month, sku), not_null(month), not_null(sku)
   Service-reserve ledger per month and SKU before the running totals: accrual on units shipped
   (reserve per unit, else a share of the unit's price, from the plan in force on the ship date, the
   SKU's own plan over '*'), and warranty cost paid in the month by component, net of deductibles
   collected and supplier recovery. Costs unknown on the record were filled from cost_rates and are
   also reported apart (cost_estimated). Every month from the SKU's first activity to the analysis
   date has a row, so running totals and trailing burn need no gaps filled. */
WITH params AS (
  SELECT
    getvariable('as_of')::DATE AS as_of
),
shipped AS (
  -- Units per SKU and ship day, before the plan lookup: the plan in force is a matter of the day
  -- (effective_from is a date), so 50 million units are a few thousand rows here.
  SELECT
    sku,
    shipped_on,
    sum(units) AS units,
    sum(revenue) AS revenue,
    max(currency) AS currency
  FROM models.unit_cohorts
  GROUP BY ALL
),
plan_by_date AS (
  SELECT sku, effective_from, reserve_per_unit, reserve_pct_of_revenue, currency
  FROM reserve_plan
),
shipped_terms AS (
  -- The plan in force on the ship date: the SKU's own row wins over the '*' row.
  SELECT
    s.*,
    CASE WHEN own.sku IS NOT NULL THEN own.reserve_per_unit ELSE brand.reserve_per_unit END AS reserve_per_unit,
    CASE WHEN own.sku IS NOT NULL THEN own.reserve_pct_of_revenue ELSE brand.reserve_pct_of_revenue END AS reserve_pct_of_revenue,
    CASE WHEN own.sku IS NOT NULL THEN own.currency ELSE brand.currency END AS plan_currency
  FROM shipped AS s
  ASOF LEFT JOIN plan_by_date AS own ON own.sku = s.sku AND s.shipped_on >= own.effective_from
  ASOF LEFT JOIN (SELECT * FROM plan_by_date WHERE sku = '*') AS brand ON s.shipped_on >= brand.effective_from
),
accrued AS (
  SELECT
    sku,
    date_trunc('month', shipped_on)::DATE AS month,
    sum(units)::BIGINT AS units_shipped,
    sum(revenue) AS revenue,
    sum(CASE
      WHEN reserve_per_unit IS NOT NULL THEN reserve_per_unit * units
      WHEN reserve_pct_of_revenue IS NOT NULL THEN revenue * reserve_pct_of_revenue
      ELSE 0
    END) AS accrual,
    coalesce(sum(units) FILTER (WHERE reserve_per_unit IS NULL AND reserve_pct_of_revenue IS NULL), 0)::BIGINT AS units_without_plan,
    max(plan_currency) AS plan_currency,
    max(currency) AS unit_currency
  FROM shipped_terms
  GROUP BY ALL
),
paid AS (
  SELECT
    sku,
    date_trunc('month', DATE '1970-01-01' + floor(epoch_us(paid_at) / 86400000000)::INTEGER)::DATE AS month,
    count(*) AS claims_paid,
    sum(coalesce(cost_labor, 0)) AS cost_labor,
    sum(coalesce(cost_parts, 0)) AS cost_parts,
    sum(coalesce(cost_shipping, 0)) AS cost_shipping,
    sum(coalesce(cost_replacement, 0)) AS cost_replacement,
    sum(coalesce(cost_duties, 0)) AS cost_duties,
    sum(coalesce(credit_amount, 0)) AS credits,
    coalesce(sum(cost_gross) FILTER (WHERE cost_estimated), 0) AS cost_estimated,
    count(*) FILTER (WHERE cost_estimated) AS claims_estimated,
    count(*) FILTER (WHERE cost_gross IS NULL) AS claims_cost_unknown,
    sum(coalesce(cost_gross, 0)) AS cost_gross,
    sum(deductible_collected) AS deductibles,
    sum(supplier_recovery) AS supplier_recovery,
    max(currency) AS rma_currency
  FROM models.rpt_rma_costed
  WHERE warranty_claim
    AND paid_at IS NOT NULL
    AND sku IS NOT NULL
  GROUP BY ALL
),
sku_span AS (
  SELECT
    sku,
    min(month) AS first_month,
    max(plan_currency) AS plan_currency,
    max(unit_currency) AS unit_currency,
    max(rma_currency) AS rma_currency
  FROM (
    SELECT sku, month, plan_currency, unit_currency, NULL AS rma_currency FROM accrued
    UNION ALL
    SELECT sku, month, NULL, NULL, rma_currency FROM paid
  )
  GROUP BY sku
),
spine AS (
  SELECT
    s.sku,
    unnest(generate_series(s.first_month, date_trunc('month', p.as_of)::DATE, INTERVAL 1 MONTH))::DATE AS month,
    coalesce(s.plan_currency, s.unit_currency, s.rma_currency) AS currency
  FROM sku_span AS s
  CROSS JOIN params AS p
)
SELECT
  sp.month,
  sp.sku,
  coalesce(a.units_shipped, 0) AS units_shipped,
  coalesce(a.units_without_plan, 0) AS units_without_plan,   -- shipped with no reserve plan in force: accrued 0
  coalesce(a.revenue, 0)::DECIMAL(18,2) AS revenue,
  coalesce(a.accrual, 0)::DECIMAL(18,2) AS accrual,
  coalesce(c.claims_paid, 0) AS claims_paid,
  coalesce(c.cost_labor, 0)::DECIMAL(18,2) AS cost_labor,
  coalesce(c.cost_parts, 0)::DECIMAL(18,2) AS cost_parts,
  coalesce(c.cost_shipping, 0)::DECIMAL(18,2) AS cost_shipping,
  coalesce(c.cost_replacement, 0)::DECIMAL(18,2) AS cost_replacement,
  coalesce(c.cost_duties, 0)::DECIMAL(18,2) AS cost_duties,
  coalesce(c.credits, 0)::DECIMAL(18,2) AS credits,
  coalesce(c.cost_estimated, 0)::DECIMAL(18,2) AS cost_estimated,   -- part of cost_gross filled from cost_rates
  coalesce(c.claims_estimated, 0) AS claims_estimated,
  coalesce(c.claims_cost_unknown, 0) AS claims_cost_unknown,         -- no recorded cost and no standard rate: counted as 0
  coalesce(c.cost_gross, 0)::DECIMAL(18,2) AS cost_gross,
  coalesce(c.deductibles, 0)::DECIMAL(18,2) AS deductibles,
  coalesce(c.supplier_recovery, 0)::DECIMAL(18,2) AS supplier_recovery,
  (coalesce(c.cost_gross, 0) - coalesce(c.deductibles, 0) - coalesce(c.supplier_recovery, 0))::DECIMAL(18,2) AS cost_paid,
  sp.currency
FROM spine AS sp
LEFT JOIN accrued AS a ON a.sku = sp.sku AND a.month = sp.month
LEFT JOIN paid AS c ON c.sku = sp.sku AND c.month = sp.month
