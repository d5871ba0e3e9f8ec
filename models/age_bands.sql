/* model: age_bands
   grain: age_band
   inputs:
   Unit-age bands (days since shipment) used as strata for firmware effects, from the configured
   upper edges (variable age_bands, e.g. [30, 90, 180, 365, 730]); the last band is open-ended. */
WITH edges AS (
  SELECT list_sort(getvariable('age_bands')) AS e
)
SELECT
  i - 1 AS age_band,
  CASE WHEN i = 1 THEN 0 ELSE e[i - 1] END AS lo,
  -- NULL: open-ended
  CASE WHEN i <= len(e) THEN e[i] END AS hi,
  CASE WHEN i <= len(e) THEN (CASE WHEN i = 1 THEN 0 ELSE e[i - 1] END) || '-' || e[i] || 'd'
       ELSE e[len(e)] || 'd+' END AS label
FROM edges, range(1, len(e) + 2) AS r(i)
