import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../pipeline/store.js';
import { compileMapping, mappedColumns, rmaKeySql, type CompileOptions, type DateOrderEvidence } from './compile-mapping.js';
import type { Mapping } from './mapping.schema.js';
import { readSource } from './read-source.js';
import { ident, lit } from './sql-values.js';

export interface MappedFile {
  /** Temp table: __row, __item, __raw, rma_key, the canonical columns (typed), __problems, __flags. */
  table: string;
  rows: number;
  problemRows: number;
  dateOrder: DateOrderEvidence;
  missing: string[];
  drop(): Promise<void>;
}

let counter = 0;

/** Read a file and map it to typed canonical rows in a temp table on this connection (all in SQL). */
export async function mapFile(conn: DuckDBConnection, file: string, mapping: Mapping, options: Omit<CompileOptions, 'file'> & { file?: string }): Promise<MappedFile> {
  const stg = await readSource(conn, file, mapping.reader);
  const table = `mapped_${process.pid}_${++counter}`;
  try {
    const compiled = await compileMapping(conn, mapping, stg, { ...options, file: options.file ?? file });
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${rmaKeySql} AS rma_key, * FROM (${compiled.sql})`);
    const [counts] = await queryRows<{ rows: number; problem_rows: number }>(conn,
      `SELECT count(*)::INTEGER AS rows, count(*) FILTER (WHERE len(__problems) > 0)::INTEGER AS problem_rows FROM ${table}`);
    return {
      table, rows: counts.rows, problemRows: counts.problem_rows, dateOrder: compiled.dateOrder, missing: compiled.missing,
      drop: async () => { await conn.run(`DROP TABLE IF EXISTS ${table}`); },
    };
  } finally {
    await stg.cleanup();
  }
}

/** Canonical text of a typed value, as canonical-csv reads it (ISO-8601 UTC timestamps, '.' decimals). */
function canonicalText(name: string, duckType: string): string {
  const c = ident(name);
  // make_timestamp(epoch_us(...)) is UTC by arithmetic, without an ICU time-zone conversion per value.
  if (duckType === 'TIMESTAMPTZ') return `strftime(make_timestamp(epoch_us(${c})), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (duckType === 'BOOLEAN') return `CASE WHEN ${c} THEN 'true' WHEN NOT ${c} THEN 'false' END`;
  return `CAST(${c} AS VARCHAR)`;
}

/** The SELECT list that turns a mapped table into canonical text columns (plus the flags and the source row as read). */
export function canonicalTextSelect(): string {
  return [
    // A value that did not parse keeps its source text, so the engine quarantines the row naming it.
    ...mappedColumns.map((c) => `CASE WHEN len(__problems) = 0 THEN ${canonicalText(c.name, c.duckType)}
      ELSE coalesce(${canonicalText(c.name, c.duckType)}, list_filter(__problems, p -> p.column = ${lit(c.name)})[1].value) END AS ${ident(c.name)}`),
    `CASE WHEN len(__problems) > 0 THEN CAST(to_json(__problems) AS VARCHAR) END AS ingest_problems`,
    `CAST(__raw AS VARCHAR) AS source_raw`,
  ].join(', ');
}
