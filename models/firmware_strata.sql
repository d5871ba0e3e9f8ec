/* model: firmware_strata
   grain: firmware_version, sku, failure_code, batch_id, age_band
   inputs: models.firmware_exposure, models.firmware_returns
   audits: between(time1, 0, 1e15), between(time0, 0, 1e15)
   Mantel–Haenszel strata for each build × failure code × SKU cell: within one batch and age band,
   the build's claims and unit-days (cases1, time1) against every other build's (cases0, time0).
   Only strata that carry information are kept (exposure on both sides, at least one claim). */
WITH stratum_exposure AS (
  SELECT sku, batch_id, age_band, sum(unit_days) AS unit_days
  FROM models.firmware_exposure
  GROUP BY ALL
),
stratum_returns AS (
  SELECT sku, batch_id, age_band, failure_code, sum(returns) AS returns
  FROM models.firmware_returns
  GROUP BY ALL
)
SELECT
  e.firmware_version,
  e.sku,
  sr.failure_code,
  e.batch_id,
  e.age_band,
  coalesce(r.returns, 0) AS cases1,
  e.unit_days AS time1,
  sr.returns - coalesce(r.returns, 0) AS cases0,
  se.unit_days - e.unit_days AS time0
FROM models.firmware_exposure AS e
JOIN stratum_exposure AS se
  ON se.sku = e.sku AND se.batch_id = e.batch_id AND se.age_band = e.age_band
JOIN stratum_returns AS sr
  ON sr.sku = e.sku AND sr.batch_id = e.batch_id AND sr.age_band = e.age_band
LEFT JOIN models.firmware_returns AS r
  ON r.firmware_version = e.firmware_version AND r.sku = e.sku AND r.batch_id = e.batch_id
 AND r.age_band = e.age_band AND r.failure_code = sr.failure_code
WHERE e.unit_days > 0
  AND se.unit_days - e.unit_days > 1e-9
