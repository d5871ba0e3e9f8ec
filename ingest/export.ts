import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quoteIdent as q } from '../pipeline/schema/ddl.js';
import type { Store } from '../pipeline/store.js';
import { sqlString } from './typed-sql.js';

export interface ExportedTable {
  table: string;
  rows: number;
  path: string;
  /** The date/time column the month partitions come from, or null (one unpartitioned file). */
  month_from: string | null;
}

/** Columns preferred as a table's month, in order; the first DATE/TIMESTAMP one present wins. */
const monthColumns = ['month', 'opened_at', 'shipped_at', 'as_of', 'released_at', 'produced_at', 'effective_from', 'quarantined_at', 'started_at', 'opened', 'created_at'];

/** Internal bookkeeping that is not data. */
const skipTables = new Set(['rma_intel_meta']);

/**
 * Every table of the store (canonical, lineage and model tables) as Parquet under outDir/<table>/, Hive-
 * partitioned by month (month=YYYY-MM/) when the table has a date column; written by DuckDB, no rows in JS.
 */
export async function exportParquet(store: Store, outDir: string): Promise<ExportedTable[]> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const tables = await store.all<{ table_name: string }>(
    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name",
  );
  const result: ExportedTable[] = [];
  for (const { table_name: table } of tables) {
    if (skipTables.has(table)) continue;
    const cols = await store.all<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1",
      [table],
    );
    const dated = new Map(cols.filter((c) => /^(DATE|TIMESTAMP)/.test(c.data_type)).map((c) => [c.column_name, c]));
    const monthFrom = monthColumns.find((m) => dated.has(m)) ?? null;
    const path = join(out, table);
    rmSync(path, { recursive: true, force: true });
    const count = await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${q(table)}`);
    // An empty table still gets a (schema-only) file, so readers find every table.
    if (monthFrom && Number(count?.n ?? 0) > 0) {
      const hasMonth = cols.some((c) => c.column_name === 'month');
      // The partition key is `month` (YYYY-MM); a table's own DATE month column keeps its value in `month_date`.
      const select = hasMonth
        ? `SELECT * EXCLUDE (month), month AS month_date, strftime(month, '%Y-%m') AS month FROM ${q(table)}`
        : `SELECT *, strftime(${q(monthFrom)}, '%Y-%m') AS month FROM ${q(table)}`;
      await store.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)`);
    } else {
      mkdirSync(path, { recursive: true });
      await store.run(`COPY ${q(table)} TO ${sqlString(join(path, 'data.parquet'))} (FORMAT parquet)`);
    }
    result.push({ table, rows: Number(count?.n ?? 0), path, month_from: monthFrom });
  }
  return result;
}
