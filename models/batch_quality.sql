/* model: batch_quality
   grain: batch_id
   inputs: batches, models.unit_cohorts, models.stg_rma, models.stg_warranty
   audits: between(defect_rate, 0, 1)
   Exposure and return counts per production batch as of the analysis date (CONTRACT 7.1 counts).
   Exposure comes from the unit registry; a batch known only from batch totals (batches.units_shipped)
   is assumed shipped at the middle of its shipping window. */
WITH registry AS (
  SELECT
    batch_id,
    any_value(sku) AS sku,
    sum(units) AS units_shipped,
    sum(units * (exposure_end - shipped_on)) AS gross_unit_days
  FROM models.unit_cohorts
  WHERE batch_id IS NOT NULL AND warranty_days IS NOT NULL   -- units with a SKU (and so a warranty)
  GROUP BY batch_id
),
totals_only AS (
  -- batches without a per-serial registry: batch totals, shipped mid-window
  SELECT
    b.batch_id,
    b.sku,
    b.units_shipped,
    b.units_shipped * greatest(
      least(ship.mid + w.warranty_days, getvariable('as_of') + 1) - ship.mid, 0) AS gross_unit_days
  FROM batches AS b
  JOIN models.stg_warranty AS w ON w.sku = b.sku
  CROSS JOIN LATERAL (
    SELECT coalesce(
      b.shipped_from + CAST((coalesce(b.shipped_to, b.shipped_from) - b.shipped_from) / 2 AS INTEGER),
      b.produced_at) AS mid
  ) AS ship
  WHERE b.units_shipped IS NOT NULL
    AND ship.mid <= getvariable('as_of')
    AND b.batch_id NOT IN (SELECT batch_id FROM registry)
),
exposure AS (
  SELECT * FROM registry
  UNION ALL
  SELECT * FROM totals_only
),
returns AS (
  SELECT
    batch_id,
    any_value(sku) AS sku,
    count(*) AS returns,
    count(*) FILTER (WHERE is_confirmed_defect) AS confirmed_defects,
    count(*) FILTER (WHERE is_pending) AS pending,
    count(*) FILTER (WHERE is_open_pending) AS open_pending,
    count(*) FILTER (WHERE is_no_trouble_found) AS no_trouble_found,
    count(*) FILTER (WHERE return_reason = 'defective' AND inspection_outcome <> 'not_inspected') AS inspected_defect_claims,
    -- at-risk days lost because a unit came back before its exposure window closed
    coalesce(sum(greatest(exposure_end - opened_on, 0)) FILTER (WHERE is_first_return = 1), 0) AS returned_unit_days,
    -- both quantiles from one aggregate: median and quantile_cont each kept and sorted their own copy of the ages
    quantile_cont(age_days, [0.5, 0.9]) FILTER (WHERE is_confirmed_defect) AS days_to_defect
  FROM models.stg_rma
  WHERE batch_id IS NOT NULL
  GROUP BY batch_id
),
catalogue AS (
  SELECT batch_id, sku FROM batches
)
SELECT
  coalesce(e.batch_id, r.batch_id) AS batch_id,
  coalesce(c.sku, e.sku, r.sku) AS sku,
  coalesce(e.units_shipped, 0) AS units_shipped,
  greatest(coalesce(e.gross_unit_days, 0) - coalesce(r.returned_unit_days, 0), 0) AS unit_days,
  coalesce(r.returns, 0) AS returns,
  coalesce(r.confirmed_defects, 0) AS confirmed_defects,
  coalesce(r.pending, 0) AS pending,
  -- pending claims still open on the date (a pending claim closed uninspected will never be confirmed)
  coalesce(r.open_pending, 0) AS open_pending,
  coalesce(r.no_trouble_found, 0) AS no_trouble_found,
  coalesce(r.inspected_defect_claims, 0) AS inspected_defect_claims,
  -- confirmed defects per unit shipped (NULL without exposure)
  CASE WHEN coalesce(e.units_shipped, 0) > 0 THEN least(coalesce(r.confirmed_defects, 0) / e.units_shipped, 1) END AS defect_rate,
  r.days_to_defect[1] AS median_days_to_defect,
  r.days_to_defect[2] AS p90_days_to_defect
FROM exposure AS e
FULL OUTER JOIN returns AS r ON r.batch_id = e.batch_id
LEFT JOIN catalogue AS c ON c.batch_id = coalesce(e.batch_id, r.batch_id)
