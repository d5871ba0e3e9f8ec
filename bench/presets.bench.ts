/**
 * ERP preset throughput: 1 million NetSuite Return Authorization line rows (M/D/YYYY 12-hour dates, status
 * spellings, "Sales Order #…" display text, negative quantities, "Thermal Scopes : TS-35" items) ingested with
 * `--format netsuite-ra`, against the same rows as canonical-csv — both through ingest(), each into a fresh
 * store, measured in the same run. Rows: RMA_BENCH_ROWS (default 1,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingest } from '../ingest/index.js';
import { openStore } from '../pipeline/store.js';

const rows = Number(process.env.RMA_BENCH_ROWS ?? 1_000_000);

/** Both files from the same generated rows, written by DuckDB (no JS loop over rows). */
async function writeFiles(dir: string): Promise<{ canonical: string; netsuite: string }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const canonical = join(dir, 'canonical.csv');
  const netsuite = join(dir, 'netsuite.csv');
  try {
    await conn.run(`CREATE TABLE g AS SELECT
        i,
        'RMA' || lpad(CAST(i // 2 AS VARCHAR), 8, '0') AS rma_number,
        CAST(i % 2 + 1 AS INTEGER) AS line,
        TIMESTAMP '2024-01-01 08:00:00' + to_minutes(CAST(i % 500000 AS BIGINT)) AS opened,
        ['Pending Receipt', 'Return Authorization : Pending Refund', 'RtnAuth:G', 'Closed'][i % 4 + 1] AS status,
        ['qualification', 'execution', 'closed', 'closed'][i % 4 + 1] AS stage,
        ['TS-35', 'TS-50', 'ACC-MOUNT'][i % 3 + 1] AS sku,
        'SN' || lpad(CAST(i AS VARCHAR), 9, '0') AS serial,
        ['Defective', 'Damaged in Transit', 'Wrong Item Shipped', 'No Longer Needed'][i % 4 + 1] AS reason,
        ['defective', 'shipping_damage', 'wrong_item', 'changed_mind'][i % 4 + 1] AS reason_canonical,
        CAST(1 + i % 2 AS INTEGER) AS qty,
        CAST((i % 2000) + 0.5 AS DECIMAL(14,2)) AS amount
      FROM range(${rows}) AS t(i)`);
    await conn.run(`COPY (SELECT rma_number, line, strftime(opened, '%Y-%m-%dT%H:%M:%SZ') AS opened_at, stage, status AS status_raw,
        serial AS serial_number, sku, qty AS quantity, reason_canonical AS return_reason, amount AS credit_amount, 'USD' AS currency,
        'SO' || CAST(i // 2 AS VARCHAR) AS order_number FROM g ORDER BY i) TO '${canonical}' (FORMAT csv, HEADER true)`);
    await conn.run(`COPY (SELECT rma_number AS "Document Number", line AS "Line ID", strftime(opened, '%-m/%-d/%Y %-I:%M %p') AS "Date",
        status AS "Status", 'Sales Order #SO' || CAST(i // 2 AS VARCHAR) AS "Created From", 'Thermal Scopes : ' || sku AS "Item",
        serial AS "Serial/Lot Numbers", -qty AS "Quantity", -amount AS "Amount", 'USD' AS "Currency", reason AS "Return Reason"
        FROM g ORDER BY i) TO '${netsuite}' (FORMAT csv, HEADER true)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return { canonical, netsuite };
}

async function timeIngest(dir: string, name: string, file: string, format: string): Promise<{ ms: number; inserted: number; quarantined: number }> {
  const store = await openStore(join(dir, `${name}.duckdb`));
  try {
    const t0 = performance.now();
    const r = await ingest(store, [file], { format, source: name });
    return { ms: performance.now() - t0, inserted: r.totals.inserted, quarantined: r.totals.quarantined };
  } finally {
    await store.close();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-bench-presets-'));
  try {
    const files = await writeFiles(dir);
    const base = await timeIngest(dir, 'canonical', files.canonical, 'canonical-csv');
    const preset = await timeIngest(dir, 'netsuite', files.netsuite, 'netsuite-ra');
    const rate = (ms: number): string => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
    console.log(`presets: canonical-csv ${rows} rows: ${(base.ms / 1000).toFixed(1)} s (${rate(base.ms)}), inserted ${base.inserted}, quarantined ${base.quarantined}`);
    console.log(`presets: netsuite-ra ${rows} rows: ${(preset.ms / 1000).toFixed(1)} s (${rate(preset.ms)}), inserted ${preset.inserted}, quarantined ${preset.quarantined}`);
    console.log(`presets: netsuite-ra throughput = ${(base.ms / preset.ms).toFixed(2)} × canonical-csv`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
