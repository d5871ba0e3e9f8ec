/**
 * Bulk generators for benchmarks, entirely in DuckDB SQL (`… FROM range(n)` with hash-based
 * pseudo-randomness): no JavaScript loop over rows, so tens of millions of rows fit in minutes.
 * Values are plausible in every canonical column (enums from the schema, codes from the taxonomy,
 * some NULLs), not a statistically planted world: use the demo world for that.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString, sqlStringList } from '../../pipeline/sql-text.js';
import { channels, inspectionOutcomes, resolutions, returnReasons, warrantyStatuses } from '../../pipeline/schema/enums.js';
import { createTableSql } from '../../pipeline/schema/ddl.js';
import { rmaTable, tableDef } from '../../pipeline/schema/tables.js';
import { openStore, type Store } from '../../pipeline/store.js';
import { fileColumns } from './format.js';
import { loadTaxonomy } from './taxonomy.js';

export interface BulkStoreCounts {
  units: number;
  rmas: number;
  /** Production batches (default units / 2,000, at least 1). */
  batches?: number;
  /** Number of SKUs (default 2). */
  skus?: number;
  seed?: number;
  /** Analysis date the data ends at (default 2026-06-30); shipments span the two years before it. */
  asOf?: string;
}

const countryList = ['US', 'US', 'US', 'CA', 'DE', 'DE', 'FR', 'SE', 'FI', 'PL', 'GB', 'NO', 'CH', 'AU'];
const versionsPerSku = 6;

interface Shape {
  units: number;
  batches: number;
  skus: number;
  seed: number;
  asOf: string;
}

/**
 * Per-connection macros: u(i, tag) is a uniform in [0, 1) from a hash of (row, tag, seed); the unit,
 * batch and SKU formulas are shared by every table so serials, batches and ship dates agree.
 */
async function defineMacros(conn: DuckDBConnection, s: Shape): Promise<void> {
  const start = `(DATE ${sqlString(s.asOf)} - INTERVAL 730 DAY)::TIMESTAMPTZ`;
  const macros = [
    `u(i, tag) AS (hash(i, tag, ${s.seed}::BIGINT) % 1000000)::DOUBLE / 1000000.0`,
    `pick(list, i, tag) AS list[1 + floor(u(i, tag) * len(list))::INTEGER]`,
    `pickU(list, x) AS list[1 + floor(x * len(list))::INTEGER]`,
    `bits(h, k) AS ((h >> (16 * k)) & 65535)::DOUBLE / 65536.0`,
    `sku_name(k) AS CASE k WHEN 0 THEN 'TS-35' WHEN 1 THEN 'TM-19' ELSE printf('SKU-%02d', k + 1) END`,
    `batch_of(j) AS (j % ${s.batches})`,
    `sku_of_batch(b) AS (b % ${s.skus})`,
    `batch_name(b) AS 'B' || lpad((b + 1)::VARCHAR, 6, '0')`,
    `serial_name(j) AS 'U' || lpad((j + 1)::VARCHAR, 10, '0')`,
    // Batches are produced evenly over the first 21 months; units ship 7–45 days after production.
    `produced_of(b) AS ${start} + to_days((b * 640 // ${s.batches})::INTEGER)`,
    `shipped_of(j) AS produced_of(batch_of(j)) + to_seconds((604800 + u(j, 'ship') * 3283200)::BIGINT)`,
    `version_name(v) AS '3.' || v::VARCHAR || '.0'`,
    `released_of(v) AS ${start} + to_days((v * 730 // ${versionsPerSku} - 30)::INTEGER)`,
    // Firmware as shipped: the newest version released before the ship date.
    `version_at(t) AS least(${versionsPerSku - 1}, greatest(0, floor((epoch(t) - epoch(${start}) + 30 * 86400) / (730 * 86400 / ${versionsPerSku}))::INTEGER))`,
    `iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%SZ')`,
  ];
  for (const m of macros) await conn.run(`CREATE OR REPLACE TEMP MACRO ${m}`);
}

/** Canonical rma columns (typed) for rows i in range(n); `j` is the returned unit. */
function rmaSelect(n: number, s: Shape, codes: readonly string[]): string {
  const asOfTs = `DATE ${sqlString(s.asOf)}::TIMESTAMPTZ`;
  return `
    WITH hashes AS (
      -- A few 64-bit hashes per row, each split into four 16-bit uniforms: hashing is the main cost.
      SELECT
        i,
        (hash(i, 'unit', ${s.seed}::BIGINT) % ${s.units})::BIGINT AS j,
        hash(i, 0, ${s.seed}::BIGINT) AS h0,
        hash(i, 1, ${s.seed}::BIGINT) AS h1,
        hash(i, 2, ${s.seed}::BIGINT) AS h2,
        hash(i, 3, ${s.seed}::BIGINT) AS h3,
        hash(i, 4, ${s.seed}::BIGINT) AS h4,
        hash(i, 5, ${s.seed}::BIGINT) AS h5,
        hash(i, 6, ${s.seed}::BIGINT) AS h6,
        hash(i, 7, ${s.seed}::BIGINT) AS h7
      FROM range(${n}) AS r(i)
    ), base AS (
      SELECT
        *,
        shipped_of(j) AS shipped,
        u(i, 'age') AS age_u,
        bits(h0, 0) AS r_reason,
        bits(h0, 1) AS r_status,
        bits(h0, 2) AS r_code,
        bits(h0, 3) AS r_desc,
        bits(h1, 0) AS r_chan2,
        bits(h1, 1) AS r_outcome,
        bits(h1, 2) AS r_resolution,
        bits(h1, 3) AS r_warranty,
        bits(h2, 0) AS r_kind,
        bits(h2, 1) AS r_appr,
        bits(h2, 2) AS r_recv,
        bits(h2, 3) AS r_insp,
        bits(h3, 0) AS r_resv,
        bits(h3, 1) AS r_clos,
        bits(h3, 2) AS r_cancel,
        bits(h3, 3) AS r_nobatch,
        bits(h4, 0) AS r_old,
        bits(h4, 1) AS r_stated,
        bits(h4, 2) AS r_ntf,
        bits(h4, 3) AS r_cust,
        bits(h5, 0) AS r_chan,
        bits(h5, 1) AS r_repl,
        bits(h5, 2) AS r_c1,
        bits(h5, 3) AS r_c2,
        bits(h6, 0) AS r_c3n,
        bits(h6, 1) AS r_c3,
        bits(h6, 2) AS r_xb,
        bits(h6, 3) AS r_c5,
        bits(h7, 0) AS r_c6,
        bits(h7, 1) AS r_ded,
        bits(h7, 2) AS r_rec,
        bits(h7, 3) AS r_c8
      FROM hashes
    ), timed AS (
      SELECT
        *,
        shipped + to_seconds((age_u * (epoch(${asOfTs}) - epoch(shipped) - 86400))::BIGINT) AS opened
      FROM base
    ), staged AS (
      -- Stage times accumulate so they stay in order: approve, receive, inspect, resolve, close.
      SELECT
        *,
        opened + to_seconds((r_appr * 172800)::BIGINT) AS approved,
        opened + to_seconds((172800 + r_recv * 1209600)::BIGINT) AS received,
        opened + to_seconds((172800 + r_recv * 1209600 + 3600 + r_insp * 172800)::BIGINT) AS inspected,
        opened + to_seconds((172800 + r_recv * 1209600 + 3600 + r_insp * 172800 + 86400 + r_resv * 2592000)::BIGINT) AS resolved,
        opened + to_seconds((172800 + r_recv * 1209600 + 3600 + r_insp * 172800 + 86400 + r_resv * 2592000 + r_clos * 345600)::BIGINT) AS closed,
        CASE WHEN r_kind < 0.80 THEN 'defective' ELSE pickU(${sqlStringList(returnReasons.filter((r) => r !== 'defective'))}, r_reason) END AS return_reason
      FROM timed
    )
    SELECT
      'bulk' AS source,
      '' AS company,
      lpad((i + 1)::VARCHAR, 9, '0') AS rma_number,
      1 AS line,
      opened AS opened_at,
      CASE WHEN approved < ${asOfTs} THEN approved END AS approved_at,
      CASE WHEN received < ${asOfTs} THEN received END AS received_at,
      CASE WHEN inspected < ${asOfTs} AND return_reason = 'defective' THEN inspected END AS inspected_at,
      CASE WHEN resolved < ${asOfTs} THEN resolved END AS resolved_at,
      CASE WHEN closed < ${asOfTs} THEN closed END AS closed_at,
      CASE
        WHEN closed < ${asOfTs} THEN CASE WHEN r_cancel < 0.03 THEN 'cancelled' ELSE 'closed' END
        WHEN resolved < ${asOfTs} THEN 'execution'
        WHEN inspected < ${asOfTs} THEN 'decision'
        WHEN received < ${asOfTs} THEN 'triage'
        WHEN approved < ${asOfTs} THEN 'qualification'
        ELSE 'intake'
      END AS stage,
      pickU(['Open', 'Approved', 'Received', 'Inspected', 'Closed', 'In progress'], r_status) AS status_raw,
      serial_name(j) AS serial_number,
      sku_name(sku_of_batch(batch_of(j))) AS sku,
      CASE WHEN r_nobatch < 0.05 THEN NULL ELSE batch_name(batch_of(j)) END AS batch_id,
      version_name(least(${versionsPerSku - 1}, version_at(opened) - CASE WHEN r_old < 0.3 THEN 1 ELSE 0 END)) AS firmware_version,
      1 AS quantity,
      return_reason,
      CASE WHEN return_reason = 'defective' AND r_stated < 0.85 THEN pickU(${sqlStringList(codes)}, r_code) END AS failure_code_stated,
      CASE WHEN return_reason = 'defective' AND inspected < ${asOfTs} AND r_ntf >= 0.2 THEN pickU(${sqlStringList(codes)}, r_code) END AS failure_code_verified,
      CASE WHEN return_reason = 'defective' THEN pickU(${sqlStringList(codes)}, r_code) END AS failure_code_raw,
      CASE WHEN r_desc < 0.1 THEN NULL ELSE pickU(['Unit does not work as expected', 'Customer reports a fault', 'Returned by dealer', 'See attached photos, please check'], r_desc) END AS description,
      CASE WHEN r_cust < 0.3 THEN NULL ELSE 'C-' || lpad((hash(j, 'cust', ${s.seed}::BIGINT) % 10000000)::VARCHAR, 8, '0') END AS customer_id,
      CASE WHEN r_chan < 0.6 THEN 'D-' || lpad((1 + hash(j, 'dealer', ${s.seed}::BIGINT) % 200)::VARCHAR, 3, '0') END AS dealer_id,
      CASE WHEN r_chan < 0.55 THEN 'dealer' WHEN r_chan < 0.6 THEN 'distributor' ELSE pickU(${sqlStringList(channels.filter((c) => c !== 'dealer' && c !== 'distributor'))}, r_chan2) END AS channel,
      pick(${sqlStringList(countryList)}, j, 'country') AS country,
      CASE WHEN inspected < ${asOfTs} AND return_reason = 'defective' THEN pickU(${sqlStringList(inspectionOutcomes)}, r_outcome) WHEN return_reason <> 'defective' THEN 'not_inspected' END AS inspection_outcome,
      CASE WHEN resolved < ${asOfTs} THEN pickU(${sqlStringList(resolutions)}, r_resolution) END AS resolution,
      CASE WHEN age_u * 730 < 30 THEN 'doa' ELSE pickU(${sqlStringList(warrantyStatuses.filter((w) => w !== 'doa'))}, r_warranty) END AS warranty_status,
      CASE WHEN r_repl < 0.08 THEN 'R' || lpad((i + 1)::VARCHAR, 9, '0') END AS replacement_serial,
      CASE WHEN resolved < ${asOfTs} THEN round(10 + r_c1 * 130, 2)::DECIMAL(14,2) END AS cost_labor,
      CASE WHEN resolved < ${asOfTs} THEN round(r_c2 * 180, 2)::DECIMAL(14,2) END AS cost_parts,
      CASE WHEN resolved < ${asOfTs} AND r_c3n >= 0.02 THEN round(18 + r_c3 * 90, 2)::DECIMAL(14,2) END AS cost_shipping,
      CASE WHEN resolved < ${asOfTs} THEN CASE WHEN r_repl < 0.08 THEN 900.00 ELSE 0 END::DECIMAL(14,2) END AS cost_replacement,
      CASE WHEN resolved < ${asOfTs} THEN CASE WHEN r_xb < 0.2 THEN round(r_c5 * 150, 2) ELSE 0 END::DECIMAL(14,2) END AS cost_duties,
      CASE WHEN resolved < ${asOfTs} THEN CASE WHEN return_reason <> 'defective' THEN round(r_c6 * 1500, 2) ELSE 0 END::DECIMAL(14,2) END AS credit_amount,
      CASE WHEN resolved < ${asOfTs} THEN CASE WHEN age_u * 730 >= 30 AND r_ded < 0.5 THEN 45 ELSE 0 END::DECIMAL(14,2) END AS deductible_collected,
      CASE WHEN resolved < ${asOfTs} THEN CASE WHEN r_rec < 0.05 THEN round(r_c8 * 100, 2) ELSE 0 END::DECIMAL(14,2) END AS supplier_recovery,
      'USD' AS currency,
      r_xb < 0.2 AS cross_border
    FROM staged`;
}

/** Columns rmaSelect produces; canonical columns added later come out NULL. */
const generatedRmaColumns = new Set(['return_reason', 'source', 'company', 'rma_number', 'line', 'opened_at', 'approved_at', 'received_at', 'inspected_at', 'resolved_at', 'closed_at', 'stage', 'status_raw', 'serial_number', 'sku', 'batch_id', 'firmware_version', 'quantity', 'failure_code_stated', 'failure_code_verified', 'failure_code_raw', 'description', 'customer_id', 'dealer_id', 'channel', 'country', 'inspection_outcome', 'resolution', 'warranty_status', 'replacement_serial', 'cost_labor', 'cost_parts', 'cost_shipping', 'cost_replacement', 'cost_duties', 'credit_amount', 'deductible_collected', 'supplier_recovery', 'currency', 'cross_border']);

/** The canonical file columns of rma, as SQL over rmaSelect's output (NULL for columns it does not generate). */
function rmaColumnsSql(render: (name: string, kind: string) => string = (n) => n): string[] {
  return fileColumns(rmaTable).map((c) => {
    const name = `"${c.name}"`;
    return generatedRmaColumns.has(c.name) ? `${render(name, c.kind)} AS ${name}` : `NULL::${c.duckType} AS ${name}`;
  });
}

/**
 * Load one table with one INSERT … SELECT. An empty table is recreated without its primary key and gets
 * it back after the load: building the index once is several times cheaper than maintaining it per row.
 */
async function loadTable(conn: DuckDBConnection, name: string, insertSql: string): Promise<void> {
  const def = tableDef(name);
  const count = (await conn.runAndReadAll(`SELECT count(*)::INTEGER FROM ${sqlIdent(name)}`)).getRowsJS()[0][0];
  const deferKey = count === 0 && def.key.length > 0;
  if (deferKey) {
    await conn.run(`DROP TABLE ${sqlIdent(name)}`);
    await conn.run(createTableSql({ ...def, key: [] }));
  }
  await conn.run(insertSql);
  if (deferKey) await conn.run(`ALTER TABLE ${sqlIdent(name)} ADD PRIMARY KEY (${def.key.map(sqlIdent).join(', ')})`);
}

function shapeOf(counts: BulkStoreCounts): Shape {
  return {
    units: Math.max(1, Math.floor(counts.units)),
    batches: Math.max(1, Math.floor(counts.batches ?? counts.units / 2000)),
    skus: Math.max(1, Math.floor(counts.skus ?? 2)),
    seed: Math.floor(counts.seed ?? 1),
    asOf: counts.asOf ?? '2026-06-30',
  };
}

/**
 * Write `rows` canonical RMA lines to a canonical-csv file (header = canonical column names),
 * deterministic for a seed. Returns the path written.
 */
export async function writeBulkCanonicalCsv(path: string, rows: number, seed: number, options: { units?: number } = {}): Promise<string> {
  const shape = shapeOf({ units: options.units ?? Math.max(1000, rows * 5), rmas: rows, seed });
  const codes = loadTaxonomy().map((c) => c.code);
  const rendered = rmaColumnsSql((name, kind) => (kind === 'timestamp' ? `iso(${name})` : name));
  const store = await openStore(':memory:');
  try {
    await store.withConnection(async (conn) => {
      await defineMacros(conn, shape);
      await conn.run(`COPY (SELECT ${rendered.join(', ')} FROM (${rmaSelect(rows, shape, codes)})) TO ${sqlString(path)} (FORMAT csv, HEADER)`);
    });
  } finally {
    await store.close();
  }
  return path;
}

/**
 * Fill a store's canonical tables directly (no files, no ingest): units, batches, firmware builds and
 * weekly installs, policies, reserve plan, cost rates and rma, with lineage run_id `bulk-<seed>`.
 * Existing rows with the same keys make the insert fail: use a fresh store.
 */
export async function fillBulkStore(store: Store, counts: BulkStoreCounts): Promise<Record<string, number>> {
  const s = shapeOf(counts);
  const rmas = Math.max(0, Math.floor(counts.rmas));
  const codes = loadTaxonomy().map((c) => c.code);
  const run = `'bulk-${s.seed}'`;
  await store.withConnection(async (conn) => {
    await defineMacros(conn, s);
    await conn.run('BEGIN TRANSACTION');
    try {
      await loadTable(conn, 'batches', `
        INSERT INTO batches (batch_id, sku, units_shipped, produced_at, shipped_from, shipped_to, supplier, factory_line, run_id, source_row)
        SELECT
          batch_name(b), sku_name(sku_of_batch(b)),
          (${s.units} // ${s.batches} + CASE WHEN b < ${s.units} % ${s.batches} THEN 1 ELSE 0 END)::INTEGER,
          produced_of(b)::DATE, (produced_of(b) + INTERVAL 7 DAY)::DATE, (produced_of(b) + INTERVAL 45 DAY)::DATE,
          'Optronix Assembly Ltd', printf('L%d', 1 + b % 3), ${run}, (b + 1)::INTEGER
        FROM range(${s.batches}) AS r(b)`);
      await loadTable(conn, 'units', `
        INSERT INTO units (serial_number, sku, batch_id, shipped_at, customer_id, dealer_id, country, firmware_version, unit_price, currency, run_id, source_row)
        SELECT
          serial_name(j), sku_name(sku_of_batch(batch_of(j))), batch_name(batch_of(j)), shipped_of(j),
          CASE WHEN u(j, 'cust') < 0.3 THEN NULL ELSE 'C-' || lpad((hash(j, 'cust', ${s.seed}::BIGINT) % 10000000)::VARCHAR, 8, '0') END,
          CASE WHEN u(j, 'chan') < 0.6 THEN 'D-' || lpad((1 + hash(j, 'dealer', ${s.seed}::BIGINT) % 200)::VARCHAR, 3, '0') END,
          pick(${sqlStringList(countryList)}, j, 'country'),
          version_name(version_at(shipped_of(j))),
          CASE sku_of_batch(batch_of(j)) WHEN 0 THEN 1949.22 ELSE 1013.22 END::DECIMAL(14,2),
          'USD', ${run}, (j + 1)::INTEGER
        FROM range(${s.units}) AS r(j)`);
      await loadTable(conn, 'firmware_builds', `
        INSERT INTO firmware_builds (firmware_version, sku, released_at, channel, status, run_id, source_row)
        SELECT version_name(v), sku_name(k), released_of(v), CASE WHEN v = ${versionsPerSku - 1} THEN 'beta' ELSE 'stable' END,
               CASE WHEN v = ${versionsPerSku - 1} THEN 'candidate' ELSE 'released' END, ${run}, (k * ${versionsPerSku} + v + 1)::INTEGER
        FROM range(${s.skus}) AS a(k), range(${versionsPerSku}) AS b(v)`);
      // Weekly installed base: units shipped by then, spread over the versions released by then (newest heaviest).
      await loadTable(conn, 'firmware_installs', `
        INSERT INTO firmware_installs (firmware_version, sku, as_of, active_units, run_id, source_row)
        WITH weeks AS (
          SELECT (DATE ${sqlString(s.asOf)} - to_days((w * 7)::INTEGER))::DATE AS d FROM range(105) AS r(w)
        ), cells AS (
          SELECT version_name(v) AS version, v, sku_name(k) AS sku, d,
                 version_at(d::TIMESTAMPTZ) AS newest,
                 ${s.units} / ${s.skus} * least(1.0, greatest(0.0, (epoch(d::TIMESTAMPTZ) - epoch(produced_of(0))) / (epoch(DATE ${sqlString(s.asOf)}::TIMESTAMPTZ) - epoch(produced_of(0))))) AS shipped
          FROM weeks, range(${s.skus}) AS a(k), range(${versionsPerSku}) AS b(v)
        )
        SELECT version, sku, d, round(shipped * CASE WHEN v > newest THEN 0 WHEN v = newest THEN 0.6 ELSE 0.4 / greatest(1, newest) END)::INTEGER,
               ${run}, row_number() OVER (ORDER BY sku, version, d)::INTEGER
        FROM cells WHERE d >= released_of(v)::DATE`);
      await loadTable(conn, 'warranty_policies', `
        INSERT INTO warranty_policies (sku, effective_from, warranty_months, doa_days, deductible, max_replacements, restart_on_replacement, currency, run_id, source_row)
        SELECT sku_name(k), DATE '2020-01-01', 24, 30, 45, 1, 'doa_only', 'USD', ${run}, (k + 1)::INTEGER FROM range(${s.skus}) AS r(k)`);
      await loadTable(conn, 'reserve_plan', `
        INSERT INTO reserve_plan (sku, effective_from, reserve_per_unit, reserve_pct_of_revenue, currency, run_id, source_row)
        SELECT sku_name(k), DATE '2020-01-01', CASE WHEN k = 0 THEN 60 ELSE 35 END, NULL, 'USD', ${run}, (k + 1)::INTEGER FROM range(${s.skus}) AS r(k)`);
      await loadTable(conn, 'cost_rates', `
        INSERT INTO cost_rates (resolution, sku, standard_cost, currency, run_id, source_row)
        SELECT res, '*', (20 + 40 * idx)::DECIMAL(14,2), 'USD', ${run}, idx::INTEGER
        FROM (SELECT unnest(${sqlStringList(resolutions)}) AS res, generate_subscripts(${sqlStringList(resolutions)}, 1) AS idx)`);
      const names = fileColumns(rmaTable).map((c) => `"${c.name}"`);
      await loadTable(conn, 'rma', `
        INSERT INTO rma (rma_key, ${names.join(', ')}, run_id, source_row, record_hash)
        SELECT 'bulk::' || rma_number || ':1', ${rmaColumnsSql().join(', ')}, ${run}, rma_number::INTEGER, NULL
        FROM (${rmaSelect(rmas, s, codes)})`);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
  const out: Record<string, number> = {};
  for (const t of ['units', 'batches', 'firmware_builds', 'firmware_installs', 'warranty_policies', 'reserve_plan', 'cost_rates', 'rma']) {
    const row = await store.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${t} WHERE run_id = ${run}`);
    out[t] = row?.n ?? 0;
  }
  return out;
}
