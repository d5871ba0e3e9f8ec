/* model: batch_age_profile
   grain: batch_id, age_bucket
   inputs: models.unit_cohorts, models.stg_rma
   audits: not_null(sku), between(failures, 0, 1e12), between(suspensions, 0, 1e12)
   Life data per batch in 30-day age buckets, for the Weibull fit of time to return (batches model):
   failures = confirmed defects by the unit's age at the claim; suspensions = units still without a
   confirmed defect, by their age on the analysis date (or at warranty end, when it has passed). */
WITH unit_ages AS (
  SELECT
    batch_id,
    any_value(sku) AS sku,
    (exposure_end - shipped_on) // 30 AS age_bucket,
    sum(units) AS units,
    sum(units * (exposure_end - shipped_on)) AS age_sum
  FROM models.unit_cohorts
  WHERE batch_id IS NOT NULL AND warranty_days IS NOT NULL   -- units with a SKU (and so a warranty)
  GROUP BY batch_id, age_bucket
),
defects AS MATERIALIZED (
  -- One pass over the confirmed defects for both groupings: by the unit's age on the date (first
  -- returns only: the failed units taken out of the suspensions) and by its age at the claim (the
  -- failures). A second scan of stg_rma cost ≈ 1 s at 10 M RMAs.
  SELECT
    batch_id,
    grouping(current_bucket) = 0 AS by_current_age,
    coalesce(current_bucket, failure_bucket) AS age_bucket,
    any_value(sku) AS sku,
    count(*) FILTER (WHERE is_first_return = 1) AS returned_units,
    sum(current_age) FILTER (WHERE is_first_return = 1) AS returned_age_sum,
    count(*) AS failures,
    sum(age_days) AS failure_age_sum
  FROM (
    SELECT
      batch_id,
      sku,
      is_first_return,
      age_days,
      exposure_end - shipped_on AS current_age,
      (exposure_end - shipped_on) // 30 AS current_bucket,
      age_days // 30 AS failure_bucket
    FROM models.stg_rma
    WHERE is_confirmed_defect AND batch_id IS NOT NULL
  )
  GROUP BY GROUPING SETS ((batch_id, current_bucket), (batch_id, failure_bucket))
),
defective_unit_ages AS (
  -- the same units' current ages, to take failed units out of the suspensions
  SELECT batch_id, age_bucket, returned_units AS units, returned_age_sum AS age_sum
  FROM defects
  WHERE by_current_age AND returned_units > 0
),
failure_ages AS (
  SELECT batch_id, sku, age_bucket, failures, failure_age_sum AS age_sum
  FROM defects
  WHERE NOT by_current_age AND age_bucket IS NOT NULL
),
suspensions AS (
  SELECT
    u.batch_id,
    u.sku,
    u.age_bucket,
    greatest(u.units - coalesce(d.units, 0), 0) AS suspensions,
    (u.age_sum - coalesce(d.age_sum, 0)) / nullif(u.units - coalesce(d.units, 0), 0) AS suspension_age
  FROM unit_ages AS u
  LEFT JOIN defective_unit_ages AS d USING (batch_id, age_bucket)
)
SELECT
  coalesce(s.batch_id, f.batch_id) AS batch_id,
  coalesce(s.sku, f.sku) AS sku,
  coalesce(s.age_bucket, f.age_bucket) AS age_bucket,
  coalesce(f.failures, 0) AS failures,
  -- mean age (days) of the failures and of the suspensions in the bucket
  f.age_sum / nullif(f.failures, 0) AS failure_age,
  coalesce(s.suspensions, 0) AS suspensions,
  s.suspension_age
FROM suspensions AS s
FULL OUTER JOIN failure_ages AS f ON f.batch_id = s.batch_id AND f.age_bucket = s.age_bucket
WHERE coalesce(f.failures, 0) > 0 OR coalesce(s.suspensions, 0) > 0
