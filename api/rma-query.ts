import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { quoteIdent } from '../pipeline/schema/ddl.js';
import { queryRows } from '../pipeline/store.js';
import { decodeCursor, encodeCursor, type Page } from './pagination.js';
import { rmaPublicColumns, rmaQualityColumns } from './schemas/rma-row.schema.js';

export interface RmaFilters {
  batch_id?: string;
  firmware_version?: string;
  failure_code?: string;
  sku?: string;
  cursor?: string;
  limit: number;
  /** Include cost columns (finance and admin only). */
  money: boolean;
}

/**
 * One page of RMA lines with their lineage, keyset-paged on rma_key in SQL (the table can hold tens of
 * millions of rows). Every filter value is a bound parameter.
 */
export async function rmaPage(conn: DuckDBConnection, f: RmaFilters): Promise<Page<Record<string, unknown>>> {
  const where: string[] = [];
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.batch_id !== undefined) where.push(`r.batch_id = ${bind(f.batch_id)}`);
  if (f.firmware_version !== undefined) where.push(`r.firmware_version = ${bind(f.firmware_version)}`);
  if (f.sku !== undefined) where.push(`r.sku = ${bind(f.sku)}`);
  // The verified code when there is one, else what the claim stated.
  if (f.failure_code !== undefined) where.push(`coalesce(r.failure_code_verified, r.failure_code_stated) = ${bind(f.failure_code)}`);
  const after = decodeCursor(f.cursor, 1);
  if (after) where.push(`r.rma_key > ${bind(String(after[0]))}`);
  const columns = (f.money ? rmaPublicColumns : rmaQualityColumns).map((c) => `r.${quoteIdent(c)}`);
  const sql = `
    SELECT ${columns.join(', ')},
           r.run_id AS lineage_run_id,
           r.file_sha256 AS lineage_file_sha256,
           r.source_row AS lineage_source_row,
           i.file_path AS lineage_file_path,
           i.format AS lineage_format,
           i.finished_at AS lineage_ingested_at
    FROM rma AS r
    -- One ingest call can read several files: the record's file is its run and file hash.
    LEFT JOIN (SELECT DISTINCT ON (run_id, file_sha256) run_id, file_sha256, file_path, format, finished_at FROM ingest_runs) AS i
      ON i.run_id = r.run_id AND i.file_sha256 = r.file_sha256
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY r.rma_key
    LIMIT ${bind(f.limit + 1)}`;
  const rows = await queryRows(conn, sql, params);
  const page = rows.slice(0, f.limit).map((row) => {
    const out: Record<string, unknown> = {};
    const lineage: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith('lineage_')) lineage[k.slice('lineage_'.length)] = v;
      else out[k] = v;
    }
    out.lineage = lineage;
    return out;
  });
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > f.limit && last ? encodeCursor([last.rma_key as string]) : undefined };
}
