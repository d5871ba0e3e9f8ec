/* model: nevada
   grain: sku, ship_month, return_month
   inputs: units, models.rpt_rma
   audits: unique(sku, ship_month, return_month), not_null(sku), not_null(ship_month), not_null(return_month)
   Nevada (ship cohort × return month) matrix per SKU: units shipped in each month and the first
   warranty claim of each of those serials by the month it was raised. Every cell from the ship month
   to the analysis month is present (zeros included), so the triangle feeds nevadaToLifeData directly.
   Claims on serials missing from the unit registry cannot be placed in a cohort and are left out. */
WITH params AS (
  SELECT getvariable('as_of')::DATE AS as_of
),
shipped AS (
  -- UTC ship day by epoch arithmetic (a TIMESTAMPTZ → DATE cast or date_trunc goes through ICU, several
  -- times slower per row); months are taken after grouping, on thousands of rows instead of millions.
  -- No CROSS JOIN with params on the 50 M units: with it DuckDB hashed the units, not the claims.
  SELECT
    u.serial_number,
    u.sku,
    floor(epoch_us(u.shipped_at) / 86400000000)::INTEGER AS ship_day
  FROM units AS u
  WHERE u.shipped_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)
),
cohorts AS (
  SELECT sku, date_trunc('month', DATE '1970-01-01' + ship_day)::DATE AS ship_month, sum(units)::BIGINT AS units_shipped
  FROM (SELECT sku, ship_day, count(*) AS units FROM shipped GROUP BY ALL)
  GROUP BY ALL
),
first_claims AS (
  -- A unit's life ends at its first claim; repeats are the repeats report's business.
  SELECT
    serial_number,
    date_trunc('month', DATE '1970-01-01' + floor(min(epoch_us(opened_at)) / 86400000000)::INTEGER)::DATE AS claim_month
  FROM models.rpt_rma
  WHERE warranty_claim AND serial_number IS NOT NULL
  GROUP BY serial_number
),
returned AS (
  SELECT
    sku,
    ship_month,
    greatest(claim_month, ship_month) AS return_month,   -- a claim dated before shipping counts in the ship month
    sum(returns)::BIGINT AS returns
  FROM (
    SELECT s.sku, date_trunc('month', DATE '1970-01-01' + s.ship_day)::DATE AS ship_month, f.claim_month, count(*) AS returns
    FROM shipped AS s
    JOIN first_claims AS f USING (serial_number)
    GROUP BY s.sku, s.ship_day, f.claim_month
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
