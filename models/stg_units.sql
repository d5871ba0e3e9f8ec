/* model: stg_units
   grain: serial_number
   inputs: units, models.stg_warranty
   materialized: view
   Units shipped by the analysis date with their exposure window: at risk from the ship date until the
   warranty ends or the analysis date (returns end it earlier; batch_quality subtracts those days).
   A view: 50 million units are only ever aggregated, never read row by row. */
SELECT
  u.serial_number AS serial_number,
  u.sku AS sku,
  u.batch_id AS batch_id,
  u.firmware_version AS firmware_version,
  CAST(u.shipped_at AS DATE) AS shipped_on,
  w.warranty_days AS warranty_days,
  -- last day at risk (exclusive): warranty end or the day after the analysis date
  least(CAST(u.shipped_at AS DATE) + w.warranty_days, getvariable('as_of') + 1) AS exposure_end
FROM units AS u
JOIN models.stg_warranty AS w ON w.sku = u.sku
WHERE CAST(u.shipped_at AS DATE) <= getvariable('as_of')
