import { readdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { RmaError } from '../../../pipeline/errors.js';
import type { CsvReaderOptions } from './config.schema.js';
import { readSource, type Staging } from '../../mapping/read-source.js';
import { ident, lit } from '../../mapping/sql-values.js';
import { presetDictionaries } from '../preset-kit.js';

/**
 * SAP QM arrives as up to three tables: QMEL (notification headers), QMFE (defect items), QMUR (causes),
 * as raw table extracts (technical names) or GUI exports (labels in the user's language). They are told
 * apart by their headers and joined in SQL into one row per notification.
 */
export type SapQmTable = 'QMEL' | 'QMFE' | 'QMUR';

const labels = (presetDictionaries('sap-qm') as unknown as { labels: Record<string, string[]> }).labels;
const norm = (s: string): string => s.trim().toLowerCase();
/** Header text (technical name or label) → technical name. */
const technical = new Map<string, string>();
for (const [field, names] of Object.entries(labels)) {
  technical.set(norm(field), field);
  for (const n of names) if (!technical.has(norm(n))) technical.set(norm(n), field);
}

/** Which SAP table a header belongs to; undefined when it is none of them. */
export function classifyHeader(columns: readonly string[]): SapQmTable | undefined {
  const fields = new Set(columns.map((c) => technical.get(norm(c)) ?? c.toUpperCase()));
  if (!fields.has('QMNUM')) return undefined;
  if (fields.has('URCOD') || fields.has('URNUM')) return 'QMUR';
  if (fields.has('FECOD')) return 'QMFE';
  return 'QMEL';
}

/** A view over a staged file with technical column names. */
async function technicalView(conn: DuckDBConnection, stg: Staging, name: string): Promise<string[]> {
  const cols = stg.columns.map((c) => ({ from: c, to: technical.get(norm(c)) ?? c }));
  const seen = new Set<string>();
  const select = cols.filter((c) => !seen.has(c.to) && seen.add(c.to)).map((c) => `s.${ident(c.from)} AS ${ident(c.to)}`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT ${stg.rowSql} AS __row, ${select.join(', ')} FROM ${stg.table} AS s`);
  return [...seen];
}

/** The QMFE / QMUR files that belong with a QMEL file: those given with it in the same command, else its folder's. */
export function companionCandidates(file: string, files?: readonly string[]): string[] {
  if (files?.length) return files.map((f) => resolve(f)).filter((f) => f !== resolve(file));
  const dir = dirname(resolve(file));
  return readdirSync(dir).filter((f) => ['.csv', '.txt', '.tsv'].includes(extname(f).toLowerCase())).map((f) => join(dir, f)).filter((f) => f !== resolve(file));
}

const key = (col: string): string => `ltrim(${col}, '0')`;
const has = (cols: string[], c: string): string => (cols.includes(c) ? ident(c) : 'NULL');

/**
 * Write one CSV (technical names) per notification, with its first defect item, all its defect codes and its
 * first cause. A file that is itself a QMFE/QMUR table yields a header-only CSV: it is consumed with its QMEL.
 */
export async function combineSapQm(file: string, companions: readonly string[], outPath: string, reader: CsvReaderOptions): Promise<{ table: SapQmTable; joined: SapQmTable[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const staged: Staging[] = [];
  try {
    const csv = { kind: 'csv' as const, header: true, line_ending: 'auto' as const, skip_rows: reader.skip_rows ?? 0, encoding: reader.encoding ?? 'utf-8', delimiter: reader.delimiter, quote: reader.quote };
    const main = await readSource(conn, file, csv);
    staged.push(main);
    const table = classifyHeader(main.columns);
    if (!table) throw new RmaError('RMA_ERR_FORMAT', `${file}: not an SAP QM table (no notification number column QMNUM / Notification / Meldung)`, { file });
    const qmelCols = await technicalView(conn, main, 'qmel');
    if (table !== 'QMEL') {
      await conn.run(`COPY (SELECT * EXCLUDE (__row) FROM qmel LIMIT 0) TO ${lit(outPath)} (FORMAT csv, HEADER true)`);
      return { table, joined: [] };
    }
    const joined: SapQmTable[] = [];
    let feCols: string[] = [];
    let urCols: string[] = [];
    for (const c of companions) {
      const stg = await readSource(conn, c, csv).catch(() => undefined);
      if (!stg) continue;
      staged.push(stg);
      const kind = classifyHeader(stg.columns);
      if (kind === 'QMFE' && !joined.includes('QMFE')) { feCols = await technicalView(conn, stg, 'qmfe'); joined.push('QMFE'); }
      if (kind === 'QMUR' && !joined.includes('QMUR')) { urCols = await technicalView(conn, stg, 'qmur'); joined.push('QMUR'); }
    }
    if (!joined.includes('QMFE')) await conn.run(`CREATE OR REPLACE TEMP VIEW qmfe AS SELECT NULL::VARCHAR AS QMNUM WHERE false`);
    if (!joined.includes('QMUR')) await conn.run(`CREATE OR REPLACE TEMP VIEW qmur AS SELECT NULL::VARCHAR AS QMNUM WHERE false`);
    // Columns the mapping's expressions read are always present (NULL when the export left them out).
    const absent = ['QMKAT', 'QMGRP', 'QMCOD'].filter((c) => !qmelCols.includes(c)).map((c) => `, NULL::VARCHAR AS ${c}`).join('');
    const fe = (c: string): string => has(feCols, c);
    const ur = (c: string): string => has(urCols, c);
    // Items ordered by their number; the first defect item and cause describe the unit, all codes are kept raw.
    await conn.run(`COPY (
      WITH fe AS (
        SELECT ${key('QMNUM')} AS k, ${fe('FENUM')} AS FENUM, ${fe('FEKAT')} AS FEKAT, ${fe('FEGRP')} AS FEGRP, ${fe('FECOD')} AS FECOD, ${fe('FETXT')} AS FETXT
        FROM qmfe
      ),
      fe_first AS (SELECT * FROM fe QUALIFY row_number() OVER (PARTITION BY k ORDER BY try_cast(FENUM AS INTEGER), FENUM) = 1),
      fe_all AS (SELECT k, string_agg(concat_ws('/', FEKAT, FEGRP, FECOD), ' ' ORDER BY try_cast(FENUM AS INTEGER), FENUM) AS DEFECT_CODES FROM fe GROUP BY k),
      ur AS (
        SELECT ${key('QMNUM')} AS k, ${ur('FENUM')} AS FENUM, ${ur('URNUM')} AS URNUM, ${ur('URKAT')} AS URKAT, ${ur('URGRP')} AS URGRP, ${ur('URCOD')} AS URCOD, ${ur('URTXT')} AS URTXT
        FROM qmur
      ),
      ur_first AS (SELECT * FROM ur QUALIFY row_number() OVER (PARTITION BY k ORDER BY try_cast(FENUM AS INTEGER), try_cast(URNUM AS INTEGER)) = 1)
      SELECT q.* EXCLUDE (__row)${absent}, f.FEKAT, f.FEGRP, f.FECOD, f.FETXT, a.DEFECT_CODES, u.URKAT, u.URGRP, u.URCOD, u.URTXT
      FROM qmel AS q
      LEFT JOIN fe_first AS f ON f.k = ${key('q.QMNUM')}
      LEFT JOIN fe_all AS a ON a.k = ${key('q.QMNUM')}
      LEFT JOIN ur_first AS u ON u.k = ${key('q.QMNUM')}
      ORDER BY q.__row
    ) TO ${lit(outPath)} (FORMAT csv, HEADER true)`);
    return { table, joined };
  } finally {
    for (const s of staged) await s.cleanup();
    conn.closeSync();
    db.closeSync();
  }
}

