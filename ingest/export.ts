import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quoteIdent as q } from '../pipeline/schema/ddl.js';
import type { Store } from '../pipeline/store.js';
import { sqlString } from './typed-sql.js';

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
const skipTables = new Set(['rma_intel_meta', 'api_keys']);

/**
 * Every table of the store (canonical and lineage tables under outDir/<table>/, the last build's model
 * tables under outDir/models/<name>/) as Parquet, Hive-partitioned by month (month=YYYY-MM/) when the table
 * has a date column; written by DuckDB, no rows in JS.
 */
export async function exportParquet(store: Store, outDir: string): Promise<ExportedTable[]> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const tables = await store.all<{ schema_name: string; table_name: string }>(
    "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name IN ('main', 'models') AND NOT temporary ORDER BY schema_name, table_name",
  );
  const result: ExportedTable[] = [];
  for (const { schema_name: schema, table_name: name } of tables) {
    if (schema === 'main' && skipTables.has(name)) continue;
    const table = schema === 'main' ? name : `${schema}.${name}`;
    const source = `${q(schema)}.${q(name)}`;
    const cols = await store.all<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2',
      [schema, name],
    );
    const dated = new Map(cols.filter((c) => /^(DATE|TIMESTAMP)/.test(c.data_type)).map((c) => [c.column_name, c]));
    const monthFrom = monthColumns.find((m) => dated.has(m)) ?? null;
    const path = schema === 'main' ? join(out, name) : join(out, schema, name);
    rmSync(path, { recursive: true, force: true });
    const count = await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${source}`);
    // An empty table still gets a (schema-only) file, so readers find every table.
    if (monthFrom && Number(count?.n ?? 0) > 0) {
      // The partition key is `month` (YYYY-MM); a table's own month column keeps its value in `month_date`.
      const ownMonth = cols.some((c) => c.column_name === 'month') ? ' EXCLUDE (month), month AS month_date' : '';
      const select = `SELECT *${ownMonth}, strftime(${q(monthFrom)}, '%Y-%m') AS month FROM ${source}`;
      await store.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)`);
    } else {
      mkdirSync(path, { recursive: true });
      await store.run(`COPY ${source} TO ${sqlString(join(path, 'data.parquet'))} (FORMAT parquet)`);
    }
    result.push({ table, rows: Number(count?.n ?? 0), path, month_from: monthFrom });
  }
  return result;
}
