/* step: firmware strata, the query models/firmware.model.ts reads its strata from (not a model)
   grain: firmware_version, sku, failure_code
   inputs: models.firmware_exposure, models.firmware_returns, firmware_builds
   Mantel–Haenszel strata for each build × failure code × SKU cell: within one batch and age band,
   the build's claims and unit-days (cases1, time1) against the reference builds' (cases0, time0).
   Reference builds are every build of the SKU except the build itself and beta builds (a beta on trial
   is no yardstick: a beta that fixes a fault would make every released build look worse).
   Only strata that carry information are kept (exposure on both sides, at least one claim).
   One row per cell, its strata as four parallel lists (what the firmware model reads): at 10 M RMAs a
   row per stratum was 5 M rows of four strings each to write, audit and group again (≈ 6 s).
   Read by the firmware model straight from this query, not from a table: a table of a few hundred
   rows of long lists went whole into the write-ahead log (a table under one row group is logged, not
   written to blocks) and was written again at the next checkpoint, 157 MB and ≈ 2 s at 10 M RMAs.
   Exposures are bounded by firmware_exposure's audit; the WHERE below keeps time1 > 0 and time0 > 0. */
WITH beta AS (
  SELECT DISTINCT firmware_version, sku FROM firmware_builds WHERE channel = 'beta'
),
exposure AS (
  SELECT
    e.*,
    NOT EXISTS (SELECT 1 FROM beta AS b WHERE b.firmware_version = e.firmware_version AND b.sku IN (e.sku, '')) AS is_reference
  FROM models.firmware_exposure AS e
),
claims AS (
  SELECT
    r.*,
    NOT EXISTS (SELECT 1 FROM beta AS b WHERE b.firmware_version = r.firmware_version AND b.sku IN (r.sku, '')) AS is_reference
  FROM models.firmware_returns AS r
),
stratum_exposure AS (
  SELECT sku, batch_id, age_band, sum(unit_days) AS unit_days
  FROM exposure
  WHERE is_reference
  GROUP BY ALL
),
stratum_codes AS (
  -- the codes claimed in each stratum, with the reference builds' claims (one pass over the claims)
  SELECT sku, batch_id, age_band, failure_code, coalesce(sum(returns) FILTER (WHERE is_reference), 0) AS returns
  FROM claims
  GROUP BY ALL
),
cells AS (
  SELECT
    e.firmware_version,
    e.sku,
    c.failure_code,
    e.batch_id,
    e.age_band,
    coalesce(own.returns, 0) AS cases1,
    e.unit_days AS time1,
    -- the reference builds, less the build itself when it is one of them
    c.returns - CASE WHEN e.is_reference THEN coalesce(own.returns, 0) ELSE 0 END AS cases0,
    coalesce(se.unit_days, 0) - CASE WHEN e.is_reference THEN e.unit_days ELSE 0 END AS time0
  FROM exposure AS e
  JOIN stratum_codes AS c
    ON c.sku = e.sku AND c.batch_id = e.batch_id AND c.age_band = e.age_band
  LEFT JOIN stratum_exposure AS se
    ON se.sku = e.sku AND se.batch_id = e.batch_id AND se.age_band = e.age_band
  LEFT JOIN claims AS own
    ON own.firmware_version = e.firmware_version AND own.sku = e.sku AND own.batch_id = e.batch_id
   AND own.age_band = e.age_band AND own.failure_code = c.failure_code
)
SELECT
  firmware_version,
  sku,
  failure_code,
  count(*) AS strata,
  list(cases1::DOUBLE) AS cases1,
  list(time1) AS time1,
  list(cases0::DOUBLE) AS cases0,
  list(time0) AS time0
FROM cells
WHERE time1 > 0
  AND time0 > 1e-9
  AND cases1 + cases0 > 0
GROUP BY ALL
