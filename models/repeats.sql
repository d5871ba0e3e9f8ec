/* model: repeats
   grain: serial_number
   inputs: models.rpt_rma, models.rpt_warranty_terms
   audits: unique(serial_number), not_null(serial_number)
   Repeat returns per customer unit: a unit and the replacements sent for it form one chain (followed
   through replacement_serial), keyed by the original serial. Counts the chain's returns and
   replacements against the policy's max_replacements, and dates the warranty end: from delivery,
   restarted by a replacement only as the policy says (doa_only: a replacement for a dead-on-arrival
   return; always; never). Chains with one return and no replacement are not repeats and are left out. */
WITH RECURSIVE marked AS (
  -- Narrow first pass: the lines that can put their serial in a reported chain. A serial with ≥ 2
  -- returns has a line that is not its first return (rpt_rma's is_first_return: one line per serial);
  -- the lone first returns without a replacement, most of the claims, never reach the steps below.
  SELECT serial_number, replacement_serial, NOT is_first_return AS later
  FROM models.rpt_rma
  WHERE NOT cancelled AND serial_number IS NOT NULL
    AND (NOT is_first_return OR resolution IN ('replace', 'advance_replacement') OR replacement_serial IS NOT NULL)
),
exchanges AS (
  SELECT DISTINCT serial_number, replacement_serial
  FROM marked
  WHERE replacement_serial IS NOT NULL AND replacement_serial <> serial_number
),
candidates AS (
  -- the serials of those lines and the replacement units; `several`: the serial may have more than
  -- one line (without a later line it has only its first return)
  SELECT serial_number, bool_or(later) AS several, bool_or(replacement_unit) AS replacement_unit
  FROM (
    SELECT serial_number, later, false AS replacement_unit FROM marked
    UNION ALL
    SELECT replacement_serial, false, true FROM exchanges
  )
  GROUP BY serial_number
),
flagged AS (
  -- every line of the candidates (the columns used below only)
  SELECT
    r.rma_key, r.serial_number, r.sku, r.unit_sku, r.opened_at, r.resolved_at, r.shipped_at, c.several, c.replacement_unit,
    r.resolution IN ('replace', 'advance_replacement') OR r.replacement_serial IS NOT NULL AS is_replacement,
    -- microseconds, not TIMESTAMPTZ subtraction: that goes through ICU and costs ~10 µs a row
    (r.warranty_status = 'doa'
      OR (r.shipped_at IS NOT NULL AND epoch_us(r.opened_at) - epoch_us(r.shipped_at) <= t.doa_days * 86400000000)) AS is_doa
  FROM models.rpt_rma AS r
  JOIN candidates AS c ON c.serial_number = r.serial_number
  LEFT JOIN models.rpt_warranty_terms AS t ON t.sku = r.sku
  WHERE NOT r.cancelled
),
per_serial AS (
  -- Grouped before the chains are joined: most chains are one serial and need no second grouping.
  -- Only serials with several lines are grouped: the others' line is their row (the aggregates of one line).
  SELECT
    serial_number,
    count(*) AS returns,
    bool_or(is_replacement) AS replaced,
    bool_or(replacement_unit) AS replacement_unit,
    any_value(sku) AS sku,
    -- the unit registry's SKU and ship date, the same on every line of the serial
    any_value(unit_sku) AS unit_sku,
    any_value(shipped_at) AS shipped_at,
    min(opened_at) AS first_opened_at,
    max(opened_at) AS last_opened_at,
    count(*) FILTER (WHERE is_replacement) AS replacements,
    count(*) FILTER (WHERE is_replacement AND is_doa) AS doa_replacements,
    max(coalesce(resolved_at, opened_at)) FILTER (WHERE is_replacement) AS last_replacement_at,
    max(coalesce(resolved_at, opened_at)) FILTER (WHERE is_replacement AND is_doa) AS last_doa_replacement_at,
    list({'opened_at': opened_at, 'rma_key': rma_key}) AS rma_list             -- unsorted
  FROM flagged
  WHERE several
  GROUP BY serial_number
  UNION ALL
  SELECT
    serial_number,
    1::BIGINT,
    is_replacement,
    replacement_unit,
    sku,
    unit_sku,
    shipped_at,
    opened_at,
    opened_at,
    CASE WHEN is_replacement THEN 1 ELSE 0 END::BIGINT,
    CASE WHEN is_replacement AND is_doa THEN 1 ELSE 0 END::BIGINT,
    CASE WHEN is_replacement THEN coalesce(resolved_at, opened_at) END,
    CASE WHEN is_replacement AND is_doa THEN coalesce(resolved_at, opened_at) END,
    [{'opened_at': opened_at, 'rma_key': rma_key}]
  FROM flagged
  WHERE NOT several
),
returned_exchanges AS (
  -- The exchanges whose replacement came back (has lines of its own): only they join serials into one chain.
  -- A unit exchanged for a replacement that never returned is a chain of one, like a unit repaired in place,
  -- and takes the cheap path below (at 10 M RMAs: 0.8 M such units, ≈ 3 s through the chain path).
  SELECT e.serial_number, e.replacement_serial
  FROM exchanges AS e
  SEMI JOIN per_serial AS p ON p.serial_number = e.replacement_serial
),
exchanged_chain (root_serial, member_serial, depth) AS (
  -- The replacements sent for exchanged units that are not replacements themselves (the roots), followed
  -- through units that were exchanged again; a replacement loop in bad data cannot run forever.
  SELECT serial_number, replacement_serial, 1
  FROM returned_exchanges
  WHERE serial_number NOT IN (SELECT replacement_serial FROM exchanges)
  UNION ALL
  SELECT c.root_serial, e.replacement_serial, c.depth + 1
  FROM exchanged_chain AS c
  JOIN returned_exchanges AS e ON e.serial_number = c.member_serial
  WHERE c.depth < 20
),
per_chain AS (
  -- a chain of one serial is its serial's row
  SELECT
    p.serial_number AS root_serial,
    p.sku,
    p.unit_sku,
    p.shipped_at,
    [p.serial_number] AS chain_serials,
    p.returns,
    p.first_opened_at,
    p.last_opened_at,
    p.replacements,
    p.doa_replacements,
    p.last_replacement_at,
    p.last_doa_replacement_at,
    p.rma_list
  FROM per_serial AS p
  -- Only chains that can be reported (≥ 2 returns or a replacement) are built: a unit with one return
  -- and no replacement is most of the claims and never a repeat.
  WHERE NOT p.replacement_unit
    AND p.serial_number NOT IN (SELECT serial_number FROM returned_exchanges)
    AND (p.returns >= 2 OR p.replaced)
  UNION ALL
  -- An exchanged unit's chain: its serial's row (depth 0) and those of the replacements that came back.
  -- A member reached twice (bad data) counts twice, as its lines would.
  SELECT
    c.root_serial,
    any_value(p.sku) FILTER (WHERE c.depth = 0),
    any_value(p.unit_sku) FILTER (WHERE c.depth = 0),
    any_value(p.shipped_at) FILTER (WHERE c.depth = 0),
    -- sorted lists by list_sort, not ORDER BY inside the aggregate (a sort per group: 5× slower)
    list_sort(list_distinct(list(p.serial_number))),
    sum(p.returns)::BIGINT,
    min(p.first_opened_at),
    max(p.last_opened_at),
    sum(p.replacements)::BIGINT,
    sum(p.doa_replacements)::BIGINT,
    max(p.last_replacement_at),
    max(p.last_doa_replacement_at),
    flatten(list(p.rma_list))
  FROM (
    SELECT serial_number AS root_serial, serial_number AS member_serial, 0 AS depth
    FROM per_serial
    WHERE NOT replacement_unit AND serial_number IN (SELECT serial_number FROM returned_exchanges)
    UNION ALL
    SELECT * FROM exchanged_chain
  ) AS c
  JOIN per_serial AS p ON p.serial_number = c.member_serial
  GROUP BY c.root_serial
),
with_terms AS (
  SELECT
    pc.*,
    coalesce(pc.unit_sku, pc.sku) AS chain_sku,
    t.warranty_months,
    t.max_replacements,
    t.restart_on_replacement,
    CASE t.restart_on_replacement
      WHEN 'always' THEN pc.last_replacement_at
      WHEN 'doa_only' THEN pc.last_doa_replacement_at
    END AS warranty_restarted_at,
    -- + to_months() on the UTC wall time (the store's zone): on TIMESTAMPTZ it goes through ICU per row
    make_timestamptz(epoch_us(make_timestamp(epoch_us(coalesce(warranty_restarted_at, pc.shipped_at))) + to_months(t.warranty_months))) AS warranty_end
  FROM per_chain AS pc
  -- the chain's SKU and warranty start are its first unit's (a returned one: they come with its lines)
  LEFT JOIN models.rpt_warranty_terms AS t ON t.sku = coalesce(pc.unit_sku, pc.sku)
)
SELECT
  root_serial AS serial_number,
  chain_sku AS sku,
  chain_serials,                                                -- the original unit and every replacement sent for it
  returns,
  returns >= 2 AS is_repeat,
  first_opened_at,
  last_opened_at,
  replacements,
  max_replacements,
  replacements > max_replacements AS over_replacement_limit,
  doa_replacements,
  restart_on_replacement,
  shipped_at AS warranty_start,
  warranty_restarted_at,                                        -- NULL: the policy did not restart the warranty
  warranty_end,
  warranty_end >= getvariable('as_of')::DATE::TIMESTAMPTZ AS in_warranty,
  -- in opening order (then key); a list of one needs no sort
  CASE WHEN len(rma_list) = 1 THEN [rma_list[1].rma_key]
    ELSE list_transform(list_sort(rma_list), lambda k: k.rma_key) END AS rma_keys
FROM with_terms
WHERE returns >= 2 OR replacements >= 1
