/* model: unit_cohorts
   grain: sku?, batch_id?, firmware_version?, shipped_on
   inputs: units, models.stg_warranty
   audits: between(units, 1, 1e12)
   Units shipped by the analysis date, counted per SKU, production batch, firmware build at shipment and
   UTC ship day, with their at-risk window: from the ship day until the warranty ends or the day after
   the analysis date (returns end it earlier; batch_quality subtracts those days). The models that need
   units only in aggregate read these cohorts (about a million rows at 50 M units) instead of scanning
   the unit registry each. A `?` in the grain: may be NULL (a unit without SKU, batch or build). */
WITH by_currency AS (
  -- currency as a grouping key, not a max() over 50 M strings (that aggregate was 40 % of the model)
  SELECT
    u.sku,
    u.batch_id,
    u.firmware_version,
    -- the UTC day by arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU and costs 4× as much
    DATE '1970-01-01' + CAST(floor(epoch_us(u.shipped_at) / 86400000000) AS INTEGER) AS shipped_on,
    u.currency,
    count(*) AS units,
    sum(coalesce(u.unit_price, 0)) AS revenue
  FROM units AS u
  WHERE u.shipped_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)
  GROUP BY ALL
),
cohorts AS (
  SELECT sku, batch_id, firmware_version, shipped_on, sum(units)::BIGINT AS units, sum(revenue) AS revenue, max(currency) AS currency
  FROM by_currency
  GROUP BY ALL
)
-- the warranty joined after grouping: a million cohorts, not 50 M units
SELECT
  c.sku,
  c.batch_id,
  c.firmware_version,
  c.shipped_on,
  w.warranty_days,                                             -- NULL for units without a SKU
  least(c.shipped_on + w.warranty_days, getvariable('as_of') + 1) AS exposure_end,
  c.units,
  c.revenue,
  c.currency
FROM cohorts AS c
LEFT JOIN models.stg_warranty AS w ON w.sku = c.sku
