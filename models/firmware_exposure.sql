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
  SELECT
    sku,
    coalesce(firmware_version, '') AS shipped_with,
    coalesce(batch_id, '(none)') AS batch_id,
    shipped_on,
    exposure_end,
    sum(units) AS units
  FROM models.unit_cohorts
  WHERE warranty_days IS NOT NULL   -- units with a SKU (and so a warranty)
  GROUP BY ALL
),
intervals AS (
  -- the SKU's snapshot calendar: each snapshot holds until the SKU's next one (or the analysis date)
  SELECT
    sku,
    as_of AS taken_on,
    coalesce(lead(as_of) OVER (PARTITION BY sku ORDER BY as_of), getvariable('as_of') + 1) AS next_on
  FROM (SELECT DISTINCT sku, as_of FROM firmware_installs WHERE as_of <= getvariable('as_of'))
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
snapshot_groups AS (
  SELECT g.*, b.age_band, g.shipped_on + b.lo AS band_start, least(g.exposure_end, g.shipped_on + coalesce(b.hi, 1000000)) AS band_end
  FROM unit_groups AS g
  CROSS JOIN models.age_bands AS b
  WHERE g.sku IN (SELECT sku FROM intervals)
),
partitions AS (
  SELECT sku, shipped_with, batch_id, age_band, min(band_start) AS first_day, max(band_end) AS last_day
  FROM snapshot_groups
  WHERE band_start < band_end
  GROUP BY ALL
),
band_events AS (
  -- units entering and leaving each age band, by day: a step function per (build shipped, batch, band)
  SELECT sku, shipped_with, batch_id, age_band, band_start AS day, units AS delta
  FROM snapshot_groups WHERE band_start < band_end
  UNION ALL
  SELECT sku, shipped_with, batch_id, age_band, band_end AS day, -units AS delta
  FROM snapshot_groups WHERE band_start < band_end
  UNION ALL
  -- cut the steps at every snapshot, so each segment lies inside one snapshot interval
  SELECT p.sku, p.shipped_with, p.batch_id, p.age_band, v.taken_on AS day, 0 AS delta
  FROM partitions AS p
  JOIN intervals AS v ON v.sku = p.sku AND v.taken_on > p.first_day AND v.taken_on < p.last_day
),
segments AS (
  SELECT
    sku, shipped_with, batch_id, age_band, day,
    sum(delta) OVER w AS active,
    lead(day) OVER w AS next_day
  FROM (SELECT sku, shipped_with, batch_id, age_band, day, sum(delta) AS delta FROM band_events GROUP BY ALL)
  WINDOW w AS (PARTITION BY sku, shipped_with, batch_id, age_band ORDER BY day)
),
group_intervals AS (
  -- unit-days of the units shipped with each build, per batch and age band, inside each snapshot interval
  SELECT
    s.sku,
    s.shipped_with,
    s.batch_id,
    v.taken_on,
    s.age_band,
    sum(s.active * (least(s.next_day, v.next_on) - s.day)) AS unit_days
  FROM segments AS s
  ASOF JOIN intervals AS v ON v.sku = s.sku AND s.day >= v.taken_on
  WHERE s.active > 0 AND s.next_day IS NOT NULL AND s.day < v.next_on
  GROUP BY ALL
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
