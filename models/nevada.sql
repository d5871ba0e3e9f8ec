/* model: nevada
   grain: sku, ship_month, return_month
   inputs: models.unit_cohorts, models.rpt_rma
   audits: unique(sku, ship_month, return_month), not_null(sku), not_null(ship_month), not_null(return_month)
   Nevada (ship cohort × return month) matrix per SKU: units shipped in each month and the first
   warranty claim of each of those serials by the month it was raised. Every cell from the ship month
   to the analysis month is present (zeros included), so the triangle feeds nevadaToLifeData directly.
   Claims on serials missing from the unit registry cannot be placed in a cohort and are left out. */
WITH params AS (
  SELECT getvariable('as_of')::DATE AS as_of
),
cohorts AS (
  -- months are taken after grouping by day, on thousands of rows instead of millions
  SELECT sku, date_trunc('month', shipped_on)::DATE AS ship_month, sum(units)::BIGINT AS units_shipped
  FROM (SELECT sku, shipped_on, sum(units) AS units FROM models.unit_cohorts GROUP BY ALL)
  GROUP BY ALL
),
first_claims AS (
  -- A unit's life ends at its first claim; repeats are the repeats report's business. Which line is the unit's
  -- first warranty claim was resolved as the lines landed (is_first_claim; it does not depend on the date: a
  -- first claim opened after the date means no claim by then), and the unit's SKU and ship day come with it,
  -- so neither the 8 M claims are grouped by serial nor the 50 M units scanned here.
  SELECT
    unit_sku AS sku,
    floor(epoch_us(shipped_at) / 86400000000)::INTEGER AS ship_day,   -- UTC day, no ICU cast
    floor(epoch_us(opened_at) / 86400000000)::INTEGER AS claim_day
  FROM models.rpt_rma
  WHERE is_first_claim
    AND shipped_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)   -- registered units shipped by the date
),
returned AS (
  SELECT
    sku,
    ship_month,
    greatest(claim_month, ship_month) AS return_month,   -- a claim dated before shipping counts in the ship month
    sum(returns)::BIGINT AS returns
  FROM (
    -- months after grouping by day: on thousands of rows, not millions
    SELECT
      sku,
      date_trunc('month', DATE '1970-01-01' + ship_day)::DATE AS ship_month,
      date_trunc('month', DATE '1970-01-01' + claim_day)::DATE AS claim_month,
      returns
    FROM (SELECT sku, ship_day, claim_day, count(*) AS returns FROM first_claims GROUP BY ALL)
  )
  GROUP BY ALL
),
cells AS (
  SELECT
    c.sku,
    c.ship_month,
    unnest(generate_series(c.ship_month, date_trunc('month', p.as_of)::DATE, INTERVAL 1 MONTH))::DATE AS return_month,
    c.units_shipped
  FROM cohorts AS c
  CROSS JOIN params AS p
)
SELECT
  c.sku,
  c.ship_month,
  c.return_month,
  datediff('month', c.ship_month, c.return_month) AS age_months,  -- months in service when the claim was raised
  c.units_shipped,
  coalesce(r.returns, 0) AS returns,
  sum(coalesce(r.returns, 0)) OVER (PARTITION BY c.sku, c.ship_month ORDER BY c.return_month) AS returns_to_date
FROM cells AS c
LEFT JOIN returned AS r USING (sku, ship_month, return_month)
