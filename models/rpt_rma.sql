/* model: rpt_rma
   grain: rma_key
   inputs: rma
   audits: not_null(is_first_return)
   materialized: view
   The RMA lines of the reports as they looked on the analysis date: duplicates across sources
   dropped, lines opened after the date left out, stage times (and the outcomes they reveal) not yet
   reached blanked, the batch resolved from the unit registry. Every report reads this view: the
   quality models through stg_rma, the money reports through rpt_rma_costed (which fills unknown
   costs from cost_rates, a lookup the other readers need not pay for). It is arithmetic on each
   line: what needs the unit registry (the unit's SKU, batch, ship time, dealer and first return)
   was resolved into rma when the line landed (ingest/normalise/resolve-units.sql), so no build
   joins 10 M lines to 50 M units or writes a per-RMA table (that write was a third of a build at
   10 M lines). The audit catches a store whose lines were never resolved. */
WITH params AS (
  SELECT
    getvariable('as_of')::DATE AS as_of,
    (getvariable('as_of')::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ AS as_of_end
),
lines AS (
  SELECT
    r.*,
    coalesce(r.sku, r.unit_sku) AS resolved_sku,
    p.as_of_end
  FROM rma AS r
  CROSS JOIN params AS p
  WHERE r.duplicate_of IS NULL
    AND r.opened_at < p.as_of_end
),
masked AS (
  -- A stage reached after the analysis date had not happened yet on that date.
  SELECT
    *,
    CASE WHEN approved_at < as_of_end THEN approved_at END AS approved_asof,
    CASE WHEN received_at < as_of_end THEN received_at END AS received_asof,
    CASE WHEN inspected_at < as_of_end THEN inspected_at END AS inspected_asof,
    CASE WHEN resolved_at < as_of_end THEN resolved_at END AS resolved_asof,
    CASE WHEN closed_at < as_of_end THEN closed_at END AS closed_asof,
    (inspected_at IS NOT NULL AND inspected_at >= as_of_end) AS inspection_in_future,
    (coalesce(resolved_at, closed_at) IS NOT NULL AND coalesce(resolved_at, closed_at) >= as_of_end) AS resolution_in_future,
    -- still open on the analysis date: neither resolved nor closed (or cancelled) by then; a closed
    -- line without dates is closed whenever it was read
    NOT coalesce(least(resolved_at, closed_at) < as_of_end, false)
      AND NOT (coalesce(stage, '') IN ('closed', 'cancelled') AND resolved_at IS NULL AND closed_at IS NULL) AS open_on_as_of,
    -- Every gross component unknown: the cost of the line is not known (rpt_rma_costed estimates it).
    (cost_labor IS NULL AND cost_parts IS NULL AND cost_shipping IS NULL AND cost_replacement IS NULL
      AND cost_duties IS NULL AND credit_amount IS NULL) AS costs_unknown
  FROM lines
)
SELECT
  rma_key,
  serial_number,
  resolved_sku AS sku,                                         -- from the record, else the unit registry
  coalesce(batch_id, unit_batch_id) AS batch_id,
  coalesce(firmware_version, unit_firmware_version) AS firmware_version,
  coalesce(dealer_id, unit_dealer_id) AS dealer_id,           -- the unit registry knows the dealer when the claim does not
  return_reason,
  failure_code_stated,
  -- an inspection after the analysis date had not verified anything yet
  CASE WHEN inspection_in_future THEN NULL ELSE failure_code_verified END AS failure_code_verified,
  CASE WHEN inspection_in_future THEN NULL ELSE inspection_outcome END AS inspection_outcome,
  CASE WHEN resolution_in_future THEN NULL ELSE resolution END AS resolution,
  warranty_status,
  replacement_serial,
  coalesce(stage, 'intake') = 'cancelled' AS cancelled,
  -- Warranty claims are what the service reserve pays for: not commercial returns, not billed repairs.
  (coalesce(return_reason, 'defective') NOT IN ('wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind')
    AND coalesce(warranty_status, 'unknown') <> 'out_of_warranty'
    AND coalesce(stage, 'intake') <> 'cancelled') AS warranty_claim,
  unit_shipped_at AS shipped_at,
  -- the registry's own SKU and batch (NULL: unit not registered), for life data by unit (weibull,
  -- nevada, repeats): with them those models need not scan the 50 M units for the returned ones
  unit_sku,
  unit_batch_id,
  opened_at,
  approved_asof AS approved_at,
  received_asof AS received_at,
  inspected_asof AS inspected_at,
  resolved_asof AS resolved_at,
  closed_asof AS closed_at,
  open_on_as_of,
  is_first_return,
  is_first_claim,                                              -- the unit's first warranty claim (resolved as the line landed)
  -- When the money moved: at resolution (or closure); a source without stage times pays at opening.
  CASE
    WHEN resolution_in_future THEN NULL
    WHEN coalesce(resolved_asof, closed_asof) IS NOT NULL THEN coalesce(resolved_asof, closed_asof)
    WHEN resolved_at IS NULL AND closed_at IS NULL AND (resolution IS NOT NULL OR NOT costs_unknown) THEN opened_at
  END AS paid_at,
  cost_labor,
  cost_parts,
  cost_shipping,
  cost_replacement,
  cost_duties,
  credit_amount,
  coalesce(deductible_collected, 0) AS deductible_collected,
  coalesce(supplier_recovery, 0) AS supplier_recovery,
  CASE WHEN NOT costs_unknown THEN coalesce(cost_labor, 0) + coalesce(cost_parts, 0) + coalesce(cost_shipping, 0)
    + coalesce(cost_replacement, 0) + coalesce(cost_duties, 0) + coalesce(credit_amount, 0)
  END AS cost_known,                                           -- labour + parts + shipping + replacement + duties + credits
  costs_unknown AND NOT resolution_in_future AS cost_estimable,  -- resolved by the date, cost unknown: the standard cost applies
  currency,
  -- The stage times on the SLA business clock, read when the line landed (ingest/normalise/business-clock.ts) on
  -- the calendar clock_calendar names, blanked like the times; resolution_clock is that of resolved_at, else closed_at.
  clock_calendar,
  opened_clock,
  CASE WHEN approved_asof IS NOT NULL THEN approved_clock END AS approved_clock,
  CASE WHEN received_asof IS NOT NULL THEN received_clock END AS received_clock,
  CASE WHEN inspected_asof IS NOT NULL THEN inspected_clock END AS inspected_clock,
  CASE WHEN resolved_asof IS NOT NULL THEN resolved_clock WHEN closed_asof IS NOT NULL THEN closed_clock END AS resolution_clock
FROM masked
