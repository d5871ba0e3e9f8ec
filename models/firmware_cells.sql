/* model: firmware_cells
   grain: firmware_version, sku, failure_code
   inputs: models.firmware_exposure, models.firmware_returns, firmware_builds
   Crude counts per build × failure code × SKU: the build's claims and unit-days, and the baseline
   (the SKU's reference builds: every build but the build itself and beta builds, as in
   firmware_strata). Every build with exposure or claims × every code seen for the SKU. */
WITH beta AS (
  SELECT DISTINCT firmware_version, sku FROM firmware_builds WHERE channel = 'beta'
),
build_exposure AS (
  SELECT firmware_version, sku, sum(unit_days) AS unit_days
  FROM models.firmware_exposure
  GROUP BY ALL
),
build_returns AS (
  SELECT firmware_version, sku, failure_code, sum(returns) AS returns
  FROM models.firmware_returns
  GROUP BY ALL
),
builds AS (
  SELECT
    firmware_version,
    sku,
    NOT EXISTS (SELECT 1 FROM beta AS b WHERE b.firmware_version = x.firmware_version AND b.sku IN (x.sku, '')) AS is_reference
  FROM (SELECT firmware_version, sku FROM build_exposure UNION SELECT firmware_version, sku FROM build_returns) AS x
),
codes AS (
  SELECT DISTINCT sku, failure_code FROM build_returns
),
reference_returns AS (
  SELECT r.sku, r.failure_code, sum(r.returns) AS returns
  FROM build_returns AS r
  JOIN builds AS b ON b.firmware_version = r.firmware_version AND b.sku = r.sku AND b.is_reference
  GROUP BY ALL
),
reference_exposure AS (
  SELECT e.sku, sum(e.unit_days) AS unit_days
  FROM build_exposure AS e
  JOIN builds AS b ON b.firmware_version = e.firmware_version AND b.sku = e.sku AND b.is_reference
  GROUP BY ALL
)
SELECT
  b.firmware_version,
  b.sku,
  c.failure_code,
  coalesce(r.returns, 0) AS returns,
  coalesce(e.unit_days, 0) AS unit_days,
  coalesce(rr.returns, 0) - CASE WHEN b.is_reference THEN coalesce(r.returns, 0) ELSE 0 END AS baseline_returns,
  coalesce(re.unit_days, 0) - CASE WHEN b.is_reference THEN coalesce(e.unit_days, 0) ELSE 0 END AS baseline_unit_days
FROM builds AS b
JOIN codes AS c ON c.sku = b.sku
LEFT JOIN reference_returns AS rr ON rr.sku = c.sku AND rr.failure_code = c.failure_code
LEFT JOIN reference_exposure AS re ON re.sku = b.sku
LEFT JOIN build_exposure AS e ON e.firmware_version = b.firmware_version AND e.sku = b.sku
LEFT JOIN build_returns AS r ON r.firmware_version = b.firmware_version AND r.sku = b.sku AND r.failure_code = c.failure_code
