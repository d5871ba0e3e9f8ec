/* step: cross-source duplicates
   grain: rma_key (rows that repeat a return already recorded by another source)
   inputs: rma
   Two rows from different sources are the same return when their opened_at are at most $window_days apart and
   either (a) they name the same serial number, or (b) neither has one to compare and they name the same order
   (ignoring '#', spaces and case) and the same SKU. Of the rows that match each other, the earliest opened_at
   (then the smallest rma_key) is the record; every other gets duplicate_of = its key, so counts that use
   `duplicate_of IS NULL` count the return once. */
WITH lines AS NOT MATERIALIZED (
  SELECT
    rma_key,
    source,
    opened_at,
    nullif(upper(trim(serial_number)), '') AS serial,
    nullif(upper(regexp_replace(order_number, '[#\s]', '', 'g')), '') AS order_ref,
    nullif(upper(trim(sku)), '') AS sku_ref
  FROM rma
  WHERE opened_at IS NOT NULL
),
other_keys AS MATERIALIZED (
  -- $main_source: the source with the most lines; every pair across sources has a line from another one
  SELECT serial, order_ref, sku_ref FROM lines WHERE source <> $main_source
),
base AS (
  -- With $prefilter, only the lines whose serial, or order and SKU, such a line names: they are the only ones
  -- that can pair, and a self-join of every line with every other line of its serial cost 3.6 s at 10 M lines.
  SELECT *
  FROM lines
  WHERE NOT $prefilter
    OR (EXISTS (SELECT 1 FROM other_keys)
    AND (serial IN (SELECT serial FROM other_keys) OR (order_ref, sku_ref) IN (SELECT (order_ref, sku_ref) FROM other_keys)))
),
-- Two equi-joins rather than one join with OR, so DuckDB can hash-join them (the OR forced a nested loop).
-- Times compared in epoch microseconds: epoch() of a TIMESTAMPTZ goes through ICU, several times slower a row.
-- The branches are disjoint: (a) needs both serials, (b) at least one missing.
pairs AS (
  SELECT b.rma_key, a.rma_key AS earlier_key, a.opened_at AS earlier_at
  FROM base AS b
  JOIN base AS a
    ON a.serial = b.serial
   AND a.source <> b.source
   AND abs(epoch_us(a.opened_at) - epoch_us(b.opened_at)) <= $window_days * 86400000000
   AND (a.opened_at, a.rma_key) < (b.opened_at, b.rma_key)
  UNION ALL
  SELECT b.rma_key, a.rma_key AS earlier_key, a.opened_at AS earlier_at
  FROM base AS b
  JOIN base AS a
    ON a.order_ref = b.order_ref
   AND a.sku_ref = b.sku_ref
   AND (a.serial IS NULL OR b.serial IS NULL)
   AND a.source <> b.source
   AND abs(epoch_us(a.opened_at) - epoch_us(b.opened_at)) <= $window_days * 86400000000
   AND (a.opened_at, a.rma_key) < (b.opened_at, b.rma_key)
),
first_match AS (
  SELECT rma_key, earlier_key
  FROM pairs
  QUALIFY row_number() OVER (PARTITION BY rma_key ORDER BY earlier_at, earlier_key) = 1
)
-- One level of chasing: a row matching only a duplicate points at that duplicate's record.
SELECT f.rma_key, coalesce(g.earlier_key, f.earlier_key) AS duplicate_of
FROM first_match AS f
LEFT JOIN first_match AS g ON g.rma_key = f.earlier_key
