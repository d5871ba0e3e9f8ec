/* model: stg_rma
   grain: rma_key
   inputs: models.rpt_rma, models.stg_warranty
   materialized: view
   RMA lines as they stood on the analysis date, in the terms of the quality models: opened by then,
   cross-source duplicates dropped, batch / SKU / firmware filled from the unit registry, and the
   inspection only if it happened by then (an inspection after the analysis date is still pending) — so
   any past date reproduces. A view of the rpt_rma view: these columns are arithmetic on its lines
   (opened_on comes from the required opened_at, and rpt_rma audits is_first_return), so it has no
   audits of its own: each would evaluate both views over every line again. */
WITH lines AS (
  SELECT
    r.rma_key,
    r.serial_number,
    r.sku,
    r.batch_id,
    r.firmware_version,
    -- UTC days through a plain TIMESTAMP: epoch() of a TIMESTAMPTZ goes through ICU (≈ 0.3 CPU-s a column per read at 10 M lines)
    make_timestamp(epoch_us(r.opened_at))::DATE AS opened_on,
    make_timestamp(epoch_us(r.shipped_at))::DATE AS shipped_on,
    w.warranty_days,
    r.return_reason,
    coalesce(r.inspection_outcome, 'not_inspected') AS inspection_outcome,   -- rpt_rma blanks inspections after the date
    coalesce(r.failure_code_verified, r.failure_code_stated) AS failure_code,
    r.open_on_as_of,
    r.is_first_return
  FROM models.rpt_rma AS r
  LEFT JOIN models.stg_warranty AS w ON w.sku = r.sku
)
SELECT
  rma_key,
  serial_number,
  sku,
  batch_id,
  firmware_version,
  opened_on,
  shipped_on,
  -- unit age at the claim, in days (NULL when the unit is not in the registry)
  greatest(opened_on - shipped_on, 0) AS age_days,
  CAST(is_first_return AS INTEGER) AS is_first_return,
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
FROM lines
