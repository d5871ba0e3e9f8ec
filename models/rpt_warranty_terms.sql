/* model: rpt_warranty_terms
   grain: sku
   inputs: warranty_policies, units, rma
   audits: unique(sku), not_null(sku), not_null(warranty_months)
   The warranty terms in force on the analysis date for every SKU seen in units, RMAs or policies:
   the SKU's own policy over the brand-wide '*' one, the latest effective_from on or before the date,
   and the typical terms (24 months, 30-day DOA, one replacement, restart for DOA only) when the
   store has no policy at all. The default length can be set with the `default_warranty_months` variable. */
WITH params AS (
  SELECT getvariable('as_of')::DATE AS as_of
),
in_force AS (
  SELECT
    w.*,
    row_number() OVER (PARTITION BY w.sku ORDER BY w.effective_from DESC) AS recency
  FROM warranty_policies AS w
  CROSS JOIN params AS p
  WHERE w.effective_from <= p.as_of
),
current_terms AS (
  SELECT * FROM in_force WHERE recency = 1
),
skus AS (
  SELECT sku FROM units WHERE sku IS NOT NULL
  UNION
  SELECT sku FROM rma WHERE sku IS NOT NULL
  UNION
  SELECT sku FROM warranty_policies WHERE sku <> '*'
)
SELECT
  s.sku,
  coalesce(own.warranty_months, brand.warranty_months, getvariable('default_warranty_months')::INTEGER, 24) AS warranty_months,
  coalesce(own.doa_days, brand.doa_days, 30) AS doa_days,
  coalesce(own.deductible, brand.deductible, 0) AS deductible,
  coalesce(own.max_replacements, brand.max_replacements, 1) AS max_replacements,
  coalesce(own.restart_on_replacement, brand.restart_on_replacement, 'doa_only') AS restart_on_replacement,
  (own.sku IS NULL AND brand.sku IS NULL) AS default_terms     -- no policy found: the typical terms were assumed
FROM skus AS s
LEFT JOIN current_terms AS own ON own.sku = s.sku
LEFT JOIN current_terms AS brand ON brand.sku = '*'
