/* model: stg_units
   grain: serial_number
   inputs: units, models.stg_warranty
   materialized: view
   Units shipped by the analysis date with their exposure window: at risk from the ship date until the
   warranty ends or the analysis date (returns end it earlier; batch_quality subtracts those days).
   A view: 50 million units are only ever aggregated, never read row by row. */
WITH shipped AS (
  SELECT
    u.serial_number,
    u.sku,
    u.batch_id,
    u.firmware_version,
    -- the UTC day by arithmetic: a TIMESTAMPTZ → DATE cast goes through ICU and costs 4× as much
    DATE '1970-01-01' + CAST(floor(epoch(u.shipped_at) / 86400) AS INTEGER) AS shipped_on
  FROM units AS u
  WHERE u.shipped_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)
)
SELECT
  s.serial_number AS serial_number,
  s.sku AS sku,
  s.batch_id AS batch_id,
  s.firmware_version AS firmware_version,
  s.shipped_on AS shipped_on,
  w.warranty_days AS warranty_days,
  -- last day at risk (exclusive): warranty end or the day after the analysis date
  least(s.shipped_on + w.warranty_days, getvariable('as_of') + 1) AS exposure_end
FROM shipped AS s
JOIN models.stg_warranty AS w ON w.sku = s.sku
