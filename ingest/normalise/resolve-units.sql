/* step: lines resolved against the unit registry
   grain: rma_key (every line of each serial that has a line still to resolve)
   inputs: rma, units
   A line is still to resolve while its is_first_return is NULL: a new line, a line of a serial whose lines
   changed, whose registry row changed, or whose duplicates were relinked (markUnresolved). Resolving looks at
   the serial's lines together: the registry's SKU, batch, firmware, ship time and dealer for the serial, and
   which line is the unit's first return (earliest day, then smallest key, among lines that are not
   duplicates; only a registered unit has one) and which its first warranty claim (the same among claims).
   None of this depends on the analysis date: a line's first return (or claim) is never later than the line
   itself, so a build as of any date reads it as it is. */
WITH pending AS (
  -- (is_first_claim NULL alone: a store from before that column)
  SELECT DISTINCT serial_number FROM rma WHERE (is_first_return IS NULL OR is_first_claim IS NULL) AND serial_number IS NOT NULL
),
lines AS (
  SELECT
    r.rma_key,
    r.serial_number,
    r.opened_at,
    r.duplicate_of,
    -- a warranty claim: models/rpt_rma.sql's warranty_claim, the same rule (reason, warranty status, stage do not
    -- depend on the analysis date)
    coalesce(r.return_reason, 'defective') NOT IN ('wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind')
      AND coalesce(r.warranty_status, 'unknown') <> 'out_of_warranty'
      AND coalesce(r.stage, 'intake') <> 'cancelled' AS warranty_claim
  FROM rma AS r
  SEMI JOIN pending AS p ON p.serial_number = r.serial_number
),
first_lines AS (
  -- the UTC day through a plain TIMESTAMP: epoch() of a TIMESTAMPTZ goes through ICU, several times slower a row
  SELECT
    serial_number,
    arg_min(rma_key, (make_timestamp(epoch_us(opened_at))::DATE, rma_key)) AS first_rma_key,
    arg_min(rma_key, (make_timestamp(epoch_us(opened_at))::DATE, rma_key)) FILTER (WHERE warranty_claim) AS first_claim_key
  FROM lines
  WHERE duplicate_of IS NULL
  GROUP BY serial_number
),
registered AS (
  SELECT u.serial_number, u.sku, u.batch_id, u.firmware_version, u.shipped_at, u.dealer_id
  FROM units AS u
  SEMI JOIN pending AS p ON p.serial_number = u.serial_number
)
SELECT
  l.rma_key,
  g.sku AS unit_sku,
  g.batch_id AS unit_batch_id,
  g.firmware_version AS unit_firmware_version,
  g.shipped_at AS unit_shipped_at,
  g.dealer_id AS unit_dealer_id,
  coalesce(g.serial_number IS NOT NULL AND f.first_rma_key = l.rma_key, false) AS is_first_return,
  coalesce(g.serial_number IS NOT NULL AND f.first_claim_key = l.rma_key, false) AS is_first_claim
FROM lines AS l
LEFT JOIN first_lines AS f ON f.serial_number = l.serial_number
LEFT JOIN registered AS g ON g.serial_number = l.serial_number
