/* model: unit_cohorts
   grain: sku?, batch_id?, firmware_version?, shipped_on
   inputs: unit_ship_days, models.stg_warranty
   audits: between(units, 1, 1e12)
   Units shipped by the analysis date, counted per SKU, production batch, firmware build at shipment and
   UTC ship day, with their at-risk window: from the ship day until the warranty ends or the day after
   the analysis date (returns end it earlier; batch_quality subtracts those days). The models that need
   units only in aggregate read these cohorts (about a million rows at 50 M units) instead of scanning
   the unit registry each. A `?` in the grain: may be NULL (a unit without SKU, batch or build).
   The counts come from unit_ship_days, the registry counted per ship day as units land
   (ingest/normalise/ship-days.ts): grouping the 50 M units here took ≈ 6 s of every build. */
WITH cohorts AS (
  -- one row per currency there: the cohort's revenue summed over them, the currency named by max()
  SELECT sku, batch_id, firmware_version, shipped_on, sum(units)::BIGINT AS units, sum(revenue) AS revenue, max(currency) AS currency
  FROM unit_ship_days
  WHERE shipped_on <= getvariable('as_of')
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
