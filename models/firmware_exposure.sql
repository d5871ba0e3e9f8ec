/* model: firmware_exposure
   grain: firmware_version, sku, batch_id, age_band
   inputs: firmware_installs, models.unit_cohorts, models.age_bands
   audits: between(unit_days, 0, 1e15)
   Unit-days on each firmware build per SKU, production batch and unit-age band, up to the analysis date.
   Builds with installed-base snapshots: each snapshot's active units hold until the SKU's next snapshot
   (a build missing from a snapshot has none). Within each interval the build's unit-days are spread
   over batches and age bands like the units shipped with it; when more units run it than were shipped
   with it (an over-the-air build), the excess is spread like the SKU's whole installed base in that
   interval. Builds without snapshots: the exposure of the units shipped with them. */
WITH unit_groups AS (
  -- units with a SKU (and so a warranty) per build shipped, batch and ship day, from the cohorts
  SELECT
    sku,
    coalesce(firmware_version, '') AS shipped_with,
    coalesce(batch_id, '(none)') AS batch_id,
    shipped_on,
    exposure_end,
    sum(units)::BIGINT AS units                                   -- BIGINT, not the HUGEINT of sum(): the products below stay 64-bit
  FROM models.unit_cohorts
  WHERE warranty_days IS NOT NULL
  GROUP BY ALL
),
intervals AS (
  -- the SKU's snapshot calendar: interval j of SKU s holds from a snapshot until the SKU's next one
  -- (or the day after the analysis date)
  SELECT
    sku,
    dense_rank() OVER (ORDER BY sku) AS s,
    taken_on,
    coalesce(lead(taken_on) OVER (PARTITION BY sku ORDER BY taken_on), getvariable('as_of') + 1) AS next_on,
    row_number() OVER (PARTITION BY sku ORDER BY taken_on) AS j
  FROM (SELECT DISTINCT sku, as_of AS taken_on FROM firmware_installs WHERE as_of <= getvariable('as_of'))
),
installed AS (
  SELECT
    i.firmware_version,
    i.sku,
    v.taken_on,
    i.active_units * (v.next_on - v.taken_on) AS unit_days
  FROM firmware_installs AS i
  JOIN intervals AS v ON v.sku = i.sku AND v.taken_on = i.as_of
  WHERE i.active_units > 0
),
unit_keys AS (
  -- integer ids for (SKU, build shipped, batch) of SKUs with snapshots: the per-band work below groups
  -- and sorts millions of rows, far cheaper on integers than on three strings
  SELECT k.sku, v.s, k.shipped_with, k.batch_id, row_number() OVER (ORDER BY k.sku, k.shipped_with, k.batch_id) AS gid
  FROM (SELECT DISTINCT sku, shipped_with, batch_id FROM unit_groups) AS k
  JOIN (SELECT DISTINCT sku, s FROM intervals) AS v ON v.sku = k.sku
),
bands AS (
  -- the units of each group in each age band: at risk in it from band_start to band_end (exclusive)
  SELECT
    k.gid,
    k.s,
    b.age_band,
    g.shipped_on + b.lo AS band_start,
    least(g.exposure_end, g.shipped_on + coalesce(b.hi, 1000000)) AS band_end,
    g.units
  FROM unit_groups AS g
  JOIN unit_keys AS k ON k.sku = g.sku AND k.shipped_with = g.shipped_with AND k.batch_id = g.batch_id
  CROSS JOIN models.age_bands AS b
  WHERE band_start < band_end
),
day_intervals AS (
  -- each day a band can start or end on → the snapshot interval j holding it and the days w from it to
  -- the interval's end. Days before the SKU's first snapshot count from that snapshot (exposure before
  -- it is not counted); the day after the analysis date falls in the last interval with w = 0.
  SELECT d.s, d.day, v.j, v.next_on - greatest(d.day, v.taken_on) AS w
  FROM (
    SELECT f.s, f.first_snapshot, f.first_day + CAST(r.k AS INTEGER) AS day
    FROM (
      SELECT v.s, v.first_snapshot, least(v.first_snapshot, b.first_start) AS first_day
      FROM (SELECT s, min(taken_on) AS first_snapshot FROM intervals GROUP BY ALL) AS v
      JOIN (SELECT s, min(band_start) AS first_start FROM bands GROUP BY ALL) AS b ON b.s = v.s
    ) AS f, range(0, getvariable('as_of') + 2 - f.first_day) AS r(k)
  ) AS d
  ASOF JOIN intervals AS v ON v.s = d.s AND greatest(d.day, d.first_snapshot) >= v.taken_on
),
interval_steps AS (
  -- per group, band and interval j: units entering (+) and leaving (−) the band in j (delta), and their
  -- unit-days in j (lead_in: each unit from its day to the interval's end)
  SELECT e.gid, e.age_band, m.j, sum(e.units * m.w) AS lead_in, sum(e.units) AS delta
  FROM (
    SELECT gid, s, age_band, band_start AS day, units FROM bands
    UNION ALL
    SELECT gid, s, age_band, band_end AS day, -units FROM bands
  ) AS e
  JOIN day_intervals AS m ON m.s = e.s AND m.day = e.day
  GROUP BY ALL
),
interval_grid AS (
  -- every interval from the group's first step to its last in the band (units stay in between)
  SELECT gid, age_band, unnest(range(first_j, last_j + 1)) AS j
  FROM (SELECT gid, age_band, min(j) AS first_j, max(j) AS last_j FROM interval_steps GROUP BY ALL)
),
interval_active AS (
  SELECT
    g.gid,
    g.age_band,
    g.j,
    coalesce(t.lead_in, 0) AS lead_in,
    -- units in the band when the interval begins
    coalesce(sum(t.delta) OVER (PARTITION BY g.gid, g.age_band ORDER BY g.j ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS active
  FROM interval_grid AS g
  LEFT JOIN interval_steps AS t ON t.gid = g.gid AND t.age_band = g.age_band AND t.j = g.j
),
group_intervals AS (
  -- unit-days of the units shipped with each build, per batch and age band, inside each snapshot interval:
  -- those in the band all interval long plus those entering (less those leaving) during it
  SELECT k.sku, k.shipped_with, k.batch_id, v.taken_on, a.age_band, a.lead_in + a.active * (v.next_on - v.taken_on) AS unit_days
  FROM interval_active AS a
  JOIN unit_keys AS k ON k.gid = a.gid
  JOIN intervals AS v ON v.s = k.s AND v.j = a.j
  WHERE unit_days > 0
),
base_mix AS (
  SELECT sku, taken_on, batch_id, age_band, sum(unit_days) AS unit_days
  FROM group_intervals
  GROUP BY ALL
),
base_total AS (
  SELECT sku, taken_on, sum(unit_days) AS unit_days
  FROM base_mix
  GROUP BY ALL
),
shipped_mix AS (
  SELECT shipped_with AS firmware_version, sku, taken_on, batch_id, age_band, unit_days
  FROM group_intervals
  WHERE shipped_with <> '' AND unit_days > 0
),
shipped_total AS (
  SELECT firmware_version, sku, taken_on, sum(unit_days) AS unit_days
  FROM shipped_mix
  GROUP BY ALL
),
from_snapshots AS (
  -- the units shipped with the build: all of them, or scaled down when fewer still run it
  SELECT
    i.firmware_version,
    i.sku,
    m.batch_id,
    m.age_band,
    m.unit_days * least(i.unit_days / t.unit_days, 1) AS unit_days
  FROM installed AS i
  JOIN shipped_total AS t ON t.firmware_version = i.firmware_version AND t.sku = i.sku AND t.taken_on = i.taken_on
  JOIN shipped_mix AS m ON m.firmware_version = i.firmware_version AND m.sku = i.sku AND m.taken_on = i.taken_on
  UNION ALL
  -- units that got the build over the air: spread like the installed base of the interval
  SELECT
    i.firmware_version,
    i.sku,
    m.batch_id,
    m.age_band,
    (i.unit_days - coalesce(t.unit_days, 0)) * m.unit_days / bt.unit_days AS unit_days
  FROM installed AS i
  LEFT JOIN shipped_total AS t ON t.firmware_version = i.firmware_version AND t.sku = i.sku AND t.taken_on = i.taken_on
  JOIN base_total AS bt ON bt.sku = i.sku AND bt.taken_on = i.taken_on
  JOIN base_mix AS m ON m.sku = i.sku AND m.taken_on = i.taken_on
  WHERE i.unit_days > coalesce(t.unit_days, 0) AND bt.unit_days > 0
),
snapshot_builds AS (
  SELECT DISTINCT firmware_version, sku FROM firmware_installs
),
from_registry AS (
  -- builds without snapshots: the units shipped with them, over their whole at-risk window
  SELECT
    g.shipped_with AS firmware_version,
    g.sku,
    g.batch_id,
    b.age_band,
    sum(g.units * greatest(least(g.exposure_end, g.shipped_on + coalesce(b.hi, 1000000)) - (g.shipped_on + b.lo), 0)) AS unit_days
  FROM unit_groups AS g
  CROSS JOIN models.age_bands AS b
  ANTI JOIN snapshot_builds AS s ON s.firmware_version = g.shipped_with AND s.sku = g.sku
  WHERE g.shipped_with <> ''
  GROUP BY ALL
)
SELECT
  firmware_version,
  sku,
  batch_id,
  age_band,
  sum(unit_days) AS unit_days,
  'snapshots' AS exposure_source
FROM from_snapshots
GROUP BY ALL
HAVING sum(unit_days) > 0
UNION ALL
SELECT
  firmware_version,
  sku,
  batch_id,
  age_band,
  unit_days,
  'units_shipped' AS exposure_source
FROM from_registry
WHERE unit_days > 0
