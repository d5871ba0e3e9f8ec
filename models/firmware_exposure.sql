/* model: firmware_exposure
   grain: firmware_version, sku, batch_id, age_band
   inputs: firmware_installs, models.stg_units, models.age_bands
   audits: between(unit_days, 0, 1e15)
   Unit-days on each firmware build per SKU, production batch and unit-age band, up to the analysis date.
   A build with installed-base snapshots gets their step function (each snapshot's active units hold
   until the SKU's next snapshot; a build missing from a snapshot has none) spread over batches and
   age bands like the units shipped with it — or, for a build only ever installed over the air, like
   the SKU's whole installed base while the build was out. A build without snapshots gets the
   exposure of the units shipped with it. */
WITH unit_groups AS (
  SELECT
    sku,
    coalesce(firmware_version, '') AS firmware_version,
    coalesce(batch_id, '(none)') AS batch_id,
    shipped_on,
    exposure_end,
    count(*) AS units
  FROM models.stg_units
  GROUP BY ALL
),
snapshot_days AS (
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
    sum(i.active_units * (s.next_on - s.taken_on)) AS unit_days,
    min(s.taken_on) AS window_start,
    max(s.next_on) AS window_end
  FROM firmware_installs AS i
  JOIN snapshot_days AS s ON s.sku = i.sku AND s.taken_on = i.as_of
  GROUP BY ALL
),
registry AS (
  -- unit-days of units shipped with each build, by batch and age band
  SELECT
    g.firmware_version,
    g.sku,
    g.batch_id,
    b.age_band,
    sum(g.units * greatest(least(g.exposure_end, g.shipped_on + coalesce(b.hi, 1000000)) - (g.shipped_on + b.lo), 0)) AS unit_days
  FROM unit_groups AS g
  CROSS JOIN models.age_bands AS b
  WHERE g.firmware_version <> ''
  GROUP BY ALL
  HAVING sum(g.units * greatest(least(g.exposure_end, g.shipped_on + coalesce(b.hi, 1000000)) - (g.shipped_on + b.lo), 0)) > 0
),
registry_totals AS (
  SELECT firmware_version, sku, sum(unit_days) AS unit_days
  FROM registry
  GROUP BY ALL
),
ota_only AS (
  SELECT i.*
  FROM installed AS i
  ANTI JOIN registry_totals AS r ON r.firmware_version = i.firmware_version AND r.sku = i.sku
),
ota_mix AS (
  -- the SKU's installed base by batch and age band while an over-the-air-only build was out
  SELECT
    o.firmware_version,
    o.sku,
    g.batch_id,
    b.age_band,
    sum(g.units * greatest(
      least(g.exposure_end, o.window_end, g.shipped_on + coalesce(b.hi, 1000000))
      - greatest(o.window_start, g.shipped_on + b.lo), 0)) AS unit_days
  FROM ota_only AS o
  JOIN unit_groups AS g ON g.sku = o.sku
  CROSS JOIN models.age_bands AS b
  GROUP BY ALL
),
ota_mix_totals AS (
  SELECT firmware_version, sku, sum(unit_days) AS unit_days
  FROM ota_mix
  GROUP BY ALL
)
-- builds shipped with units: snapshots (when present) spread like the registry, else the registry
SELECT
  r.firmware_version,
  r.sku,
  r.batch_id,
  r.age_band,
  CASE WHEN i.unit_days IS NOT NULL THEN i.unit_days * r.unit_days / t.unit_days ELSE r.unit_days END AS unit_days,
  CASE WHEN i.unit_days IS NOT NULL THEN 'snapshots' ELSE 'units_shipped' END AS exposure_source
FROM registry AS r
JOIN registry_totals AS t USING (firmware_version, sku)
LEFT JOIN installed AS i ON i.firmware_version = r.firmware_version AND i.sku = r.sku
UNION ALL
-- over-the-air-only builds: snapshots spread like the installed base of their window
SELECT
  m.firmware_version,
  m.sku,
  m.batch_id,
  m.age_band,
  o.unit_days * m.unit_days / mt.unit_days AS unit_days,
  'snapshots' AS exposure_source
FROM ota_mix AS m
JOIN ota_mix_totals AS mt ON mt.firmware_version = m.firmware_version AND mt.sku = m.sku
JOIN ota_only AS o ON o.firmware_version = m.firmware_version AND o.sku = m.sku
WHERE m.unit_days > 0 AND mt.unit_days > 0
