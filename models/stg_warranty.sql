/* model: stg_warranty
   grain: sku
   inputs: units, batches, warranty_policies
   audits: between(warranty_days, 1, 36600)
   Warranty length per SKU as of the analysis date: the SKU's own policy in force, else the brand-wide
   ('*') policy, else the configured default (variable default_warranty_months). */
WITH skus AS (
  SELECT DISTINCT sku FROM units WHERE sku IS NOT NULL
  UNION
  SELECT DISTINCT sku FROM batches WHERE sku IS NOT NULL
),
in_force AS (
  SELECT
    sku,
    arg_max(warranty_months, effective_from) AS warranty_months
  FROM warranty_policies
  WHERE effective_from <= getvariable('as_of')
  GROUP BY sku
)
SELECT
  s.sku AS sku,
  coalesce(own.warranty_months, brand.warranty_months, getvariable('default_warranty_months'), 24) AS warranty_months,
  -- exposure arithmetic is in days; an average month keeps 24 months = 730 days
  CAST(round(coalesce(own.warranty_months, brand.warranty_months, getvariable('default_warranty_months'), 24) * 30.4375) AS INTEGER) AS warranty_days
FROM skus AS s
LEFT JOIN in_force AS own ON own.sku = s.sku
LEFT JOIN in_force AS brand ON brand.sku = '*'
