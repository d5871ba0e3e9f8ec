import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sqlIdent as q, sqlString } from '../pipeline/sql-text.js';
import type { Store } from '../pipeline/store.js';
import { shipDaysTables } from './normalise/ship-days.js';

export interface ExportedTable {
  /** `rma`, `units`, … for canonical tables; `models.<name>` for the tables of the last build. */
  table: string;
  rows: number;
  path: string;
  /** The date/time column the month partitions come from, or null (one unpartitioned file). */
  month_from: string | null;
}

/** Columns preferred as a table's month, in order; the first DATE/TIMESTAMP one present wins. */
const monthColumns = ['month', 'opened_at', 'shipped_at', 'as_of', 'released_at', 'produced_at', 'effective_from', 'quarantined_at', 'started_at', 'opened', 'created_at'];

/** Internal bookkeeping that is not data, and credentials (API key hashes never leave the store). */
// the registry's ship-day counts are ingest's working tables (derived from units), not data of their own
const skipTables = new Set(['rma_intel_meta', 'api_keys', ...shipDaysTables]);

export interface ExportableTable {
  /** `rma`, `units`, … for canonical tables; `models.<name>` for the tables of the last build. */
  table: string;
  /** The quoted schema-qualified name, safe to splice into SQL (it comes from DuckDB's catalogue). */
  source: string;
  /** Folder under an export root: `<name>` or `models/<name>`. */
  folder: string;
  /** The date/time column the month partitions come from, or null. */
  month_from: string | null;
  /** Whether the table has a column of its own named `month` (kept as `month_date` when partitioning). */
  own_month: boolean;
}

/**
 * The tables an export may write: canonical and lineage tables, and the last build's models — tables and
 * views alike (a model view, such as the per-RMA lines of rpt_rma, carries the build's settings and as-of date).
 */
export async function exportableTables(store: Store): Promise<ExportableTable[]> {
  const cols = await store.all<{ schema_name: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT t.schema_name, t.table_name, c.column_name, c.data_type
     FROM (SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('main', 'models') AND NOT temporary
           UNION ALL
           SELECT database_name, schema_name, view_name FROM duckdb_views() WHERE schema_name = 'models' AND NOT temporary) AS t
     JOIN duckdb_columns() AS c USING (database_name, schema_name, table_name)
     WHERE t.database_name = current_database()
     ORDER BY t.schema_name, t.table_name, c.column_index`,
  );
  const byTable = new Map<string, typeof cols>();
  for (const c of cols) {
    if (c.schema_name === 'main' && skipTables.has(c.table_name)) continue;
    const key = c.schema_name === 'main' ? c.table_name : `${c.schema_name}.${c.table_name}`;
    byTable.set(key, [...(byTable.get(key) ?? []), c]);
  }
  return [...byTable].map(([table, tableCols]) => {
    const { schema_name: schema, table_name: name } = tableCols[0];
    const dated = new Set(tableCols.filter((c) => /^(DATE|TIMESTAMP)/.test(c.data_type)).map((c) => c.column_name));
    return {
      table,
      source: `${q(schema)}.${q(name)}`,
      folder: schema === 'main' ? name : join(schema, name),
      month_from: monthColumns.find((m) => dated.has(m)) ?? null,
      own_month: tableCols.some((c) => c.column_name === 'month'),
    };
  });
}

/**
 * Write one table to Parquet: into the folder `path` Hive-partitioned by month (month=YYYY-MM/) when
 * `partitioned` and the table has a date column, else as the single file `path`. DuckDB writes; no rows in JS.
 */
export async function writeTableParquet(store: Store, t: ExportableTable, path: string, partitioned: boolean): Promise<void> {
  if (partitioned && t.month_from) {
    // The partition key is `month` (YYYY-MM); a table's own month column keeps its value in `month_date`.
    const ownMonth = t.own_month ? ' EXCLUDE (month), month AS month_date' : '';
    const select = `SELECT *${ownMonth}, strftime(${q(t.month_from)}, '%Y-%m') AS month FROM ${t.source}`;
    await store.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)`);
  } else {
    await store.run(`COPY ${t.source} TO ${sqlString(path)} (FORMAT parquet)`);
  }
}

/**
 * Every exportable table as Parquet under outDir/<table>/ (model tables under outDir/models/<name>/),
 * Hive-partitioned by month when the table has a date column. An empty or undated table still gets a
 * single data.parquet, so readers find every table.
 */
export async function exportParquet(store: Store, outDir: string): Promise<ExportedTable[]> {
  const out = resolve(outDir);
  const result: ExportedTable[] = [];
  for (const t of await exportableTables(store)) {
    const path = join(out, t.folder);
    rmSync(path, { recursive: true, force: true });
    const rows = Number((await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${t.source}`))?.n ?? 0);
    const partitioned = t.month_from !== null && rows > 0;
    mkdirSync(partitioned ? dirname(path) : path, { recursive: true });
    await writeTableParquet(store, t, partitioned ? path : join(path, 'data.parquet'), partitioned);
    result.push({ table: t.table, rows, path, month_from: t.month_from });
  }
  return result;
}
