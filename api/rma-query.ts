import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { sqlIdent } from '../pipeline/sql-text.js';
import { queryRows, type Row } from '../pipeline/store.js';
import type { AppContext } from './context.js';
import { decodeCursor, encodeCursor, type Page } from './pagination.js';
import { ReportCache } from './report-cache.js';
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
 *
 * Two steps in one statement (one snapshot): the filter and the keyset top-N read only the filter
 * columns and rma_key, then the page's rows are fetched by rowid. Reading every column of every
 * matching row before the top-N decompressed the whole table on each request (a batch's RMAs are
 * spread over all its row groups), so the drill-down slowed linearly with the table.
 */
export async function rmaPage(conn: DuckDBConnection, f: RmaFilters): Promise<Page<Record<string, unknown>>> {
  const where: string[] = [];
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // Plain equalities on bare columns: DuckDB pushes them into the scan (and can use an index on batch_id).
  if (f.batch_id !== undefined) where.push(`batch_id = ${bind(f.batch_id)}`);
  if (f.firmware_version !== undefined) where.push(`firmware_version = ${bind(f.firmware_version)}`);
  if (f.sku !== undefined) where.push(`sku = ${bind(f.sku)}`);
  // The verified code when there is one, else what the claim stated.
  if (f.failure_code !== undefined) where.push(`coalesce(failure_code_verified, failure_code_stated) = ${bind(f.failure_code)}`);
  const after = decodeCursor(f.cursor, 1);
  if (after) where.push(`rma_key > ${bind(String(after[0]))}`);
  const columns = (f.money ? rmaPublicColumns : rmaQualityColumns).map((c) => `r.${sqlIdent(c)}`);
  const sql = `
    WITH page AS (
      SELECT rowid AS row_id FROM rma
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY rma_key
      LIMIT ${bind(f.limit + 1)}
    )
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
    WHERE r.rowid IN (SELECT row_id FROM page)
    ORDER BY r.rma_key`;
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

/** Pages held per server; each page can be up to 1000 wide rows, so fewer entries than the report cache. */
const pageCacheEntries = 64;
const pageCaches = new WeakMap<AppContext, ReportCache>();

function pageCacheOf(context: AppContext): ReportCache {
  let cache = pageCaches.get(context);
  if (!cache) {
    const created = new ReportCache(pageCacheEntries);
    // The server is the only writer and every write passes through its queue: a cached page is never older than the data.
    context.writes.afterEach(() => created.clear());
    pageCaches.set(context, created);
    cache = created;
  }
  return cache;
}

/**
 * rmaPage through a per-server cache cleared after every write (like the report cache): the same
 * drill-down (a dashboard click, the next page) is answered from memory until the data changes.
 * Pages are shared between requests and never mutated.
 */
export async function cachedRmaPage(context: AppContext, f: RmaFilters): Promise<Page<Record<string, unknown>>> {
  const key = JSON.stringify([f.batch_id ?? null, f.firmware_version ?? null, f.failure_code ?? null, f.sku ?? null, f.cursor || null, f.limit, f.money]);
  const [{ page }] = await pageCacheOf(context).get(key, async (): Promise<Row[]> => [{ page: await context.store.withConnection((conn) => rmaPage(conn, f)) }]);
  return page as Page<Record<string, unknown>>;
}
