/* model: firmware_returns
   grain: firmware_version, sku, batch_id, age_band, failure_code
   inputs: models.stg_rma, models.age_bands
   audits: between(returns, 1, 1e12)
   Failure claims (defective, not shown to be NTF or customer damage) per firmware build at intake,
   SKU, batch, unit-age band at the claim and failure code. age_band -1: the unit's age is unknown. */
SELECT
  r.firmware_version,
  r.sku,
  coalesce(r.batch_id, '(none)') AS batch_id,
  coalesce(b.age_band, -1) AS age_band,
  coalesce(r.failure_code, '(uncoded)') AS failure_code,
  count(*) AS returns
FROM models.stg_rma AS r
LEFT JOIN models.age_bands AS b
  ON r.age_days >= b.lo AND (b.hi IS NULL OR r.age_days < b.hi)
WHERE r.is_failure_claim
  AND r.firmware_version IS NOT NULL
  AND r.sku IS NOT NULL
GROUP BY ALL
