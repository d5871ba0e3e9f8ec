/* model: pareto
   grain: sku, failure_code
   inputs: models.rpt_rma, failure_codes
   audits: unique(sku, failure_code), not_null(sku), not_null(failure_code), between(share, 0, 1), between(cumulative_share, 0, 1)
   Pareto of failure codes per SKU and over all SKUs (sku = '*'): confirmed defects by verified code
   (NTF, customer damage and commercial returns excluded), beside what the claims stated. Ranked by
   verified count; share and cumulative_share are of the verified total of that SKU. */
WITH confirmed AS (
  SELECT sku, coalesce(failure_code_verified, '(unverified)') AS failure_code
  FROM models.rpt_rma
  WHERE return_reason = 'defective'
    AND inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace')
    AND sku IS NOT NULL
),
stated AS (
  SELECT
    sku,
    coalesce(failure_code_stated, '(not stated)') AS failure_code,
    inspection_outcome = 'no_trouble_found' AS was_ntf
  FROM models.rpt_rma
  WHERE return_reason = 'defective'
    AND NOT cancelled
    AND sku IS NOT NULL
),
verified_counts AS (
  SELECT coalesce(sku, '*') AS sku, failure_code, count(*) AS verified
  FROM confirmed
  GROUP BY GROUPING SETS ((sku, failure_code), (failure_code))
),
stated_counts AS (
  SELECT
    coalesce(sku, '*') AS sku,
    failure_code,
    count(*) AS stated,
    count(*) FILTER (WHERE was_ntf) AS stated_ntf
  FROM stated
  GROUP BY GROUPING SETS ((sku, failure_code), (failure_code))
),
joined AS (
  SELECT
    coalesce(v.sku, s.sku) AS sku,
    coalesce(v.failure_code, s.failure_code) AS failure_code,
    coalesce(v.verified, 0) AS verified,
    coalesce(s.stated, 0) AS stated,
    coalesce(s.stated_ntf, 0) AS stated_ntf
  FROM verified_counts AS v
  FULL OUTER JOIN stated_counts AS s ON s.sku = v.sku AND s.failure_code = v.failure_code
),
ranked AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY sku ORDER BY verified DESC, stated DESC, failure_code) AS rank,
    sum(verified) OVER (PARTITION BY sku) AS verified_total
  FROM joined
)
SELECT
  r.sku,
  r.rank,
  r.failure_code,
  fc.category,
  fc.subcategory,
  fc.disposition_class,
  r.verified,                                                   -- confirmed defects with this verified code
  r.stated,                                                     -- defect claims stating this code
  r.stated_ntf,                                                 -- of those, inspected as no trouble found
  r.verified - r.stated AS verified_minus_stated,
  CASE WHEN r.verified_total > 0 THEN r.verified / r.verified_total ELSE 0 END AS share,
  CASE WHEN r.verified_total > 0
    THEN sum(r.verified) OVER (PARTITION BY r.sku ORDER BY r.rank) / r.verified_total
    ELSE 0
  END AS cumulative_share
FROM ranked AS r
LEFT JOIN failure_codes AS fc ON fc.code = r.failure_code
