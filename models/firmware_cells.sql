/* model: firmware_cells
   grain: firmware_version, sku, failure_code
   inputs: models.firmware_exposure, models.firmware_returns
   Crude counts per build × failure code × SKU: the build's claims and unit-days, and the baseline
   (every other build of the SKU). Every build with exposure or claims × every code seen for the SKU. */
WITH build_exposure AS (
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
  SELECT firmware_version, sku FROM build_exposure
  UNION
  SELECT firmware_version, sku FROM build_returns
),
codes AS (
  SELECT DISTINCT sku, failure_code FROM build_returns
),
sku_totals AS (
  SELECT
    c.sku,
    c.failure_code,
    coalesce(sum(r.returns), 0) AS returns
  FROM codes AS c
  LEFT JOIN build_returns AS r ON r.sku = c.sku AND r.failure_code = c.failure_code
  GROUP BY ALL
),
sku_exposure AS (
  SELECT sku, sum(unit_days) AS unit_days FROM build_exposure GROUP BY ALL
)
SELECT
  b.firmware_version,
  b.sku,
  c.failure_code,
  coalesce(r.returns, 0) AS returns,
  coalesce(e.unit_days, 0) AS unit_days,
  t.returns - coalesce(r.returns, 0) AS baseline_returns,
  coalesce(se.unit_days, 0) - coalesce(e.unit_days, 0) AS baseline_unit_days
FROM builds AS b
JOIN codes AS c ON c.sku = b.sku
JOIN sku_totals AS t ON t.sku = c.sku AND t.failure_code = c.failure_code
LEFT JOIN build_exposure AS e ON e.firmware_version = b.firmware_version AND e.sku = b.sku
LEFT JOIN build_returns AS r ON r.firmware_version = b.firmware_version AND r.sku = b.sku AND r.failure_code = c.failure_code
LEFT JOIN sku_exposure AS se ON se.sku = b.sku
