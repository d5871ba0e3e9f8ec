/* model: stg_rma
   grain: rma_key
   inputs: rma, units, models.stg_warranty
   audits: not_null(opened_on), between(is_first_return, 0, 1)
   RMA lines as they stood on the analysis date: opened by then, cross-source duplicates dropped,
   batch / SKU / firmware filled from the unit registry, and the inspection only if it happened by
   then (an inspection after the analysis date is still pending) — so any past date reproduces. */
WITH lines AS (
  SELECT r.*
  FROM rma AS r
  -- timestamps compare with the end of the analysis day (UTC); no per-row casts (they go through ICU)
  WHERE r.opened_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)
    AND r.duplicate_of IS NULL
),
inspected AS (
  SELECT
    l.*,
    (l.inspected_at IS NULL OR l.inspected_at < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ)) AS inspection_known,
    -- still open on the analysis date: neither resolved nor closed (or cancelled) by then
    NOT coalesce(least(l.resolved_at, l.closed_at) < CAST(getvariable('as_of') + 1 AS TIMESTAMPTZ), false)
      -- a closed line without dates is closed whenever it was read
      AND NOT (coalesce(l.stage, '') IN ('closed', 'cancelled') AND l.resolved_at IS NULL AND l.closed_at IS NULL) AS open_on_as_of
  FROM lines AS l
),
joined AS (
  SELECT
    i.rma_key,
    i.source,
    i.serial_number,
    coalesce(i.sku, u.sku) AS sku,
    coalesce(i.batch_id, u.batch_id) AS batch_id,
    coalesce(i.firmware_version, u.firmware_version) AS firmware_version,
    DATE '1970-01-01' + CAST(floor(epoch(i.opened_at) / 86400) AS INTEGER) AS opened_on,
    DATE '1970-01-01' + CAST(floor(epoch(u.shipped_at) / 86400) AS INTEGER) AS shipped_on,
    w.warranty_days,
    i.return_reason,
    CASE WHEN i.inspection_known THEN coalesce(i.inspection_outcome, 'not_inspected') ELSE 'not_inspected' END AS inspection_outcome,
    coalesce(CASE WHEN i.inspection_known THEN i.failure_code_verified END, i.failure_code_stated) AS failure_code,
    i.open_on_as_of
  FROM inspected AS i
  LEFT JOIN units AS u ON u.serial_number = i.serial_number
  LEFT JOIN models.stg_warranty AS w ON w.sku = coalesce(i.sku, u.sku)
)
SELECT
  rma_key,
  source,
  serial_number,
  sku,
  batch_id,
  firmware_version,
  opened_on,
  shipped_on,
  -- unit age at the claim, in days (NULL when the unit is not in the registry)
  greatest(opened_on - shipped_on, 0) AS age_days,
  -- the unit's exposure ends at its first return; later lines for the same unit do not end it again
  CAST(serial_number IS NOT NULL AND shipped_on IS NOT NULL
       AND row_number() OVER (PARTITION BY serial_number ORDER BY opened_on, rma_key) = 1 AS INTEGER) AS is_first_return,
  least(shipped_on + warranty_days, getvariable('as_of') + 1) AS exposure_end,
  return_reason,
  inspection_outcome,
  failure_code,
  coalesce((return_reason = 'defective' AND inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace')), false) AS is_confirmed_defect,
  coalesce((return_reason = 'defective' AND inspection_outcome = 'not_inspected'), false) AS is_pending,
  -- pending and still open: the only pending claims that may yet be confirmed
  coalesce((return_reason = 'defective' AND inspection_outcome = 'not_inspected' AND open_on_as_of), false) AS is_open_pending,
  coalesce((inspection_outcome = 'no_trouble_found'), false) AS is_no_trouble_found,
  -- claims that may be a product failure: defective, not (yet) shown to be NTF or customer damage
  coalesce((return_reason = 'defective' AND inspection_outcome NOT IN ('no_trouble_found', 'customer_damage')), false) AS is_failure_claim
FROM joined
