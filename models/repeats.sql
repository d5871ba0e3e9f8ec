/* model: repeats
   grain: serial_number
   inputs: models.rpt_rma, models.rpt_warranty_terms
   audits: unique(serial_number), not_null(serial_number)
   Repeat returns per customer unit: a unit and the replacements sent for it form one chain (followed
   through replacement_serial), keyed by the original serial. Counts the chain's returns and
   replacements against the policy's max_replacements, and dates the warranty end: from delivery,
   restarted by a replacement only as the policy says (doa_only: a replacement for a dead-on-arrival
   return; always; never). Chains with one return and no replacement are not repeats and are left out. */
WITH RECURSIVE params AS (
  SELECT getvariable('as_of')::DATE AS as_of
),
claims AS (
  -- the columns used below only: this CTE is materialised, and 10 M wide lines cost seconds to copy
  SELECT rma_key, serial_number, replacement_serial, resolution, sku, unit_sku, warranty_status, opened_at, resolved_at, shipped_at
  FROM models.rpt_rma
  WHERE NOT cancelled AND serial_number IS NOT NULL
),
exchanges AS (
  SELECT DISTINCT serial_number, replacement_serial
  FROM claims
  WHERE replacement_serial IS NOT NULL AND replacement_serial <> serial_number
),
per_serial AS (
  SELECT
    serial_number,
    count(*) AS returns,
    bool_or(resolution IN ('replace', 'advance_replacement') OR replacement_serial IS NOT NULL) AS replaced,
    any_value(sku) AS sku,
    -- the unit registry's SKU and ship date, the same on every line of the serial
    any_value(unit_sku) AS unit_sku,
    any_value(shipped_at) AS shipped_at
  FROM claims
  GROUP BY serial_number
),
roots AS (
  -- Only chains that can be reported (≥ 2 returns or a replacement) are built: a unit with one return
  -- and no replacement is most of the claims and never a repeat.
  SELECT p.serial_number, e.serial_number IS NOT NULL AS exchanged
  FROM per_serial AS p
  LEFT JOIN (SELECT DISTINCT serial_number FROM exchanges) AS e ON e.serial_number = p.serial_number
  WHERE p.serial_number NOT IN (SELECT replacement_serial FROM exchanges)
    AND (p.returns >= 2 OR p.replaced OR e.serial_number IS NOT NULL)
),
exchanged_chain (root_serial, member_serial, depth) AS (
  -- Recursion only from units that were exchanged: the others are chains of one serial.
  SELECT serial_number, serial_number, 0 FROM roots WHERE exchanged
  UNION ALL
  SELECT c.root_serial, e.replacement_serial, c.depth + 1
  FROM exchanged_chain AS c
  JOIN exchanges AS e ON e.serial_number = c.member_serial
  WHERE c.depth < 20                                            -- a replacement loop in bad data cannot run forever
),
chain AS (
  SELECT root_serial, member_serial, depth FROM exchanged_chain
  UNION ALL
  SELECT serial_number, serial_number, 0 FROM roots WHERE NOT exchanged
),
chain_claims AS (
  SELECT
    ch.root_serial,
    ch.depth,
    cl.*,
    t.doa_days,
    cl.resolution IN ('replace', 'advance_replacement') OR cl.replacement_serial IS NOT NULL AS is_replacement,
    -- microseconds, not TIMESTAMPTZ subtraction: that goes through ICU and costs ~10 µs a row
    (cl.warranty_status = 'doa'
      OR (cl.shipped_at IS NOT NULL AND epoch_us(cl.opened_at) - epoch_us(cl.shipped_at) <= t.doa_days * 86400000000)) AS is_doa
  FROM chain AS ch
  JOIN claims AS cl ON cl.serial_number = ch.member_serial
  LEFT JOIN models.rpt_warranty_terms AS t ON t.sku = cl.sku
),
per_chain AS (
  SELECT
    root_serial,
    -- sorted lists by list_sort, not ORDER BY inside the aggregate (a sort per group: 5× slower)
    list_sort(list_distinct(list(serial_number))) AS chain_serials,
    count(*) AS returns,
    min(opened_at) AS first_opened_at,
    max(opened_at) AS last_opened_at,
    count(*) FILTER (WHERE is_replacement) AS replacements,
    count(*) FILTER (WHERE is_replacement AND is_doa) AS doa_replacements,
    max(coalesce(resolved_at, opened_at)) FILTER (WHERE is_replacement) AS last_replacement_at,
    max(coalesce(resolved_at, opened_at)) FILTER (WHERE is_replacement AND is_doa) AS last_doa_replacement_at,
    list_transform(list_sort(list({'opened_at': opened_at, 'rma_key': rma_key})), lambda k: k.rma_key) AS rma_keys
  FROM chain_claims
  GROUP BY root_serial
),
with_terms AS (
  SELECT
    pc.*,
    coalesce(first_claim.unit_sku, first_claim.sku) AS sku,
    first_claim.shipped_at AS warranty_start,
    t.warranty_months,
    t.max_replacements,
    t.restart_on_replacement,
    CASE t.restart_on_replacement
      WHEN 'always' THEN pc.last_replacement_at
      WHEN 'doa_only' THEN pc.last_doa_replacement_at
    END AS warranty_restarted_at
  FROM per_chain AS pc
  -- the chain's first unit is a returned one: its registry SKU and ship date come with its lines
  LEFT JOIN per_serial AS first_claim ON first_claim.serial_number = pc.root_serial
  LEFT JOIN models.rpt_warranty_terms AS t ON t.sku = coalesce(first_claim.unit_sku, first_claim.sku)
)
SELECT
  w.root_serial AS serial_number,
  w.sku,
  w.chain_serials,                                              -- the original unit and every replacement sent for it
  w.returns,
  w.returns >= 2 AS is_repeat,
  w.first_opened_at,
  w.last_opened_at,
  w.replacements,
  w.max_replacements,
  w.replacements > w.max_replacements AS over_replacement_limit,
  w.doa_replacements,
  w.restart_on_replacement,
  w.warranty_start,
  w.warranty_restarted_at,                                      -- NULL: the policy did not restart the warranty
  (coalesce(w.warranty_restarted_at, w.warranty_start) + to_months(w.warranty_months)) AS warranty_end,
  (coalesce(w.warranty_restarted_at, w.warranty_start) + to_months(w.warranty_months)) >= p.as_of::TIMESTAMPTZ AS in_warranty,
  w.rma_keys
FROM with_terms AS w
CROSS JOIN params AS p
WHERE w.returns >= 2 OR w.replacements >= 1
