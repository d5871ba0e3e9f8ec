/* model: pareto
   grain: sku, failure_code
   inputs: models.rpt_rma, failure_codes
   audits: unique(sku, failure_code), not_null(sku), not_null(failure_code), between(share, 0, 1), between(cumulative_share, 0, 1)
   Pareto of failure codes per SKU and over all SKUs (sku = '*'): confirmed defects by verified code
   (NTF, customer damage and commercial returns excluded), beside what the claims stated. Ranked by
   verified count; share and cumulative_share are of the verified total of that SKU. */
WITH claims AS (
  -- One pass over the defect claims for both counts (a second scan of rpt_rma cost ≈ 0.8 s at 10 M
  -- RMAs), grouped first: a few codes per SKU, not millions of lines, go on to the two groupings.
  SELECT
    sku,
    coalesce(failure_code_verified, '(unverified)') AS verified_code,
    coalesce(failure_code_stated, '(not stated)') AS stated_code,
    coalesce(inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace'), false) AS confirmed,
    NOT cancelled AS stated,
    coalesce(inspection_outcome = 'no_trouble_found', false) AS was_ntf,
    count(*) AS claims
  FROM models.rpt_rma
  WHERE return_reason = 'defective'
    AND sku IS NOT NULL
  GROUP BY ALL
),
verified_counts AS (
  -- confirmed defects by verified code (cancelled ones too: the inspection found the fault)
  SELECT coalesce(sku, '*') AS sku, verified_code AS failure_code, sum(claims) AS verified
  FROM claims
  WHERE confirmed
  GROUP BY GROUPING SETS ((sku, verified_code), (verified_code))
),
stated_counts AS (
  SELECT
    coalesce(sku, '*') AS sku,
    stated_code AS failure_code,
    sum(claims) AS stated,
    coalesce(sum(claims) FILTER (WHERE was_ntf), 0) AS stated_ntf
  FROM claims
  WHERE stated
  GROUP BY GROUPING SETS ((sku, stated_code), (stated_code))
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
