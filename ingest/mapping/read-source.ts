import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RmaError } from '../../pipeline/errors.js';
import { queryRows } from '../../pipeline/store.js';
import type { Reader } from './mapping.schema.js';
import { lit } from './sql-values.js';

/** A source file read verbatim into a temporary table: VARCHAR columns (csv) or JSON records and items. */
export interface Staging {
  table: string;
  /** Source column names in file order (csv); empty for json. */
  columns: string[];
  /** One row per line item (json reader with `items`). */
  hasItems: boolean;
  /** SQL (over alias s) of the data row number (1 = first record / first row after the header). */
  rowSql: string;
  /** SQL (over alias s) of the row as read, for lineage and quarantine. */
  rawSql: string;
  rows: number;
  /** Removes temporary files (transcoded copies). */
  cleanup(): Promise<void>;
}

const newLine: Record<string, string | undefined> = { auto: undefined, lf: '\\n', crlf: '\\r\\n', cr: '\\r' };

/** Windows-1252 has no DuckDB reader: transcode the byte stream to UTF-8 (no row parsing in JS). */
async function transcode(file: string, encoding: string): Promise<{ path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rma-intel-'));
  const out = join(dir, 'utf8.csv');
  const decoder = new TextDecoder(encoding);
  await pipeline(
    createReadStream(file),
    new Transform({
      transform(chunk: Buffer, _enc, done) { done(null, decoder.decode(chunk, { stream: true })); },
      flush(done) { done(null, decoder.decode()); },
    }),
    createWriteStream(out),
  );
  return { path: out, dir };
}

let counter = 0;

/** The first candidate path that holds a non-empty list of items (a path ending in [*] is used as given). */
function itemLists(paths: string | string[]): string {
  const list = (p: string): string => `json_extract(__rec, ${lit(p.includes('[*]') ? p : `${p}[*]`)})`;
  const all = (Array.isArray(paths) ? paths : [paths]).map((p) => `CASE WHEN len(${list(p)}) > 0 THEN ${list(p)} END`);
  return all.length === 1 ? all[0] : `coalesce(${all.join(', ')})`;
}

/** Read a file into a temp table on this connection as the reader describes. */
export async function readSource(conn: DuckDBConnection, file: string, reader: Reader): Promise<Staging> {
  const table = `stg_${process.pid}_${++counter}`;
  let tmpDir: string | undefined;
  const cleanup = async (): Promise<void> => {
    await conn.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
  };
  try {
    if (reader.kind === 'csv') {
      let path = file;
      if (reader.encoding === 'windows-1252') {
        const t = await transcode(file, 'windows-1252');
        tmpDir = t.dir;
        path = t.path;
      }
      const opts = [
        'all_varchar = true',
        `header = ${reader.header}`,
        'null_padding = true',
        `skip = ${reader.skip_rows}`,
      ];
      if (reader.delimiter) opts.push(`delim = ${lit(reader.delimiter)}`);
      if (reader.quote) opts.push(`quote = ${lit(reader.quote)}`);
      if (reader.escape) opts.push(`escape = ${lit(reader.escape)}`);
      if (reader.encoding === 'utf-16' || reader.encoding === 'latin-1') opts.push(`encoding = ${lit(reader.encoding)}`);
      const nl = newLine[reader.line_ending];
      if (nl) opts.push(`new_line = '${nl}'`);
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_csv(${lit(path)}, ${opts.join(', ')})`);
      const cols = await queryRows<{ column_name: string }>(conn, `SELECT column_name FROM (DESCRIBE ${table})`);
      const columns = cols.map((c) => c.column_name);
      const [{ n }] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${table}`);
      // Row numbers from insertion order: 1 = first data row after the header.
      return { table, columns, hasItems: false, rowSql: 'CAST(s.rowid + 1 AS INTEGER)', rawSql: `json_object(${columns.map((c) => `${lit(c)}, s."${c.replaceAll('"', '""')}"`).join(', ')})`, rows: n, cleanup };
    }
    const recordPaths = reader.records.map((p) => (p === '$' ? 'doc' : `json_extract(doc, ${lit(p)})`));
    const record = recordPaths.length === 1 ? recordPaths[0] : `coalesce(${recordPaths.join(', ')})`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${table}_rec AS
      WITH docs AS (SELECT json AS doc FROM read_json_objects(${lit(file)}, format = 'auto')),
      picked AS (SELECT ${record} AS r FROM docs)
      SELECT unnest(CASE WHEN json_type(r) = 'ARRAY' THEN json_extract(r, '$[*]') ELSE [r] END) AS __rec FROM picked WHERE r IS NOT NULL`);
    if (reader.items) {
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS
        WITH recs AS (SELECT CAST(rowid + 1 AS INTEGER) AS __row, __rec, ${itemLists(reader.items)} AS items FROM ${table}_rec),
        padded AS (SELECT __row, __rec, CASE WHEN items IS NULL OR len(items) = 0 THEN [NULL::JSON] ELSE items END AS items FROM recs)
        SELECT __row, __rec, unnest(items) AS __itm, CAST(unnest(range(1, len(items) + 1)) AS INTEGER) AS __item FROM padded`);
    } else {
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT CAST(rowid + 1 AS INTEGER) AS __row, __rec FROM ${table}_rec`);
    }
    await conn.run(`DROP TABLE ${table}_rec`);
    const [{ n }] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${table}`);
    return {
      table,
      columns: [],
      hasItems: !!reader.items,
      rowSql: 's.__row',
      rawSql: reader.items ? `json_object('record', s.__rec, 'item', s.__itm)` : 's.__rec',
      rows: n,
      cleanup,
    };
  } catch (e) {
    await cleanup();
    if (e instanceof RmaError) throw e;
    throw new RmaError('RMA_ERR_FORMAT', `${file}: cannot be read as ${reader.kind.toUpperCase()}: ${(e as Error).message.split('\n')[0]}`, { file });
  }
}
