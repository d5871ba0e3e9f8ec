import { DuckDBInstance } from '@duckdb/node-api';
import { readSource } from '../../mapping/read-source.js';
import { ident, lit, numberText } from '../../mapping/sql-values.js';

/**
 * SAP warranty claims arrive as a joined extract of PNWTYH (claim header), PNWTYV (the active incoming-customer
 * version, KATEG = IC) and PVWTY (items), one row per item. One claim is one returned unit: items are summed in
 * SQL by controlling item type (POSKT: MAT = parts, FR / SUBL = labour), amounts parsed with SAP's trailing
 * minus, and the damage-causing item (CAUSP = X, else the first) gives the defect code and text.
 */
export async function aggregateSapWty(file: string, outPath: string, reader: { delimiter?: string; encoding?: 'utf-8' | 'utf-16' | 'latin-1' | 'windows-1252' }, decimal: '.' | ','): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const stg = await readSource(conn, file, { kind: 'csv', header: true, line_ending: 'auto', skip_rows: 0, encoding: reader.encoding ?? 'utf-8', delimiter: reader.delimiter });
  try {
    const upper = new Map(stg.columns.map((c) => [c.toUpperCase(), c]));
    const c = (name: string): string => (upper.has(name) ? `s.${ident(upper.get(name)!)}` : 'NULL::VARCHAR');
    const amount = (name: string): string => `coalesce(try_cast(${numberText(`nullif(trim(${c(name)}), '')`, decimal)} AS DECIMAL(14,2)), 0)`;
    const head = ['CLMNO', 'CLMTY', 'REFNO', 'REFDT', 'ERDAT', 'PARNR', 'RELOB_EXT', 'SERNO', 'WERKS', 'V_CRNCY', 'V_REJCD', 'KATEG'];
    await conn.run(`COPY (
      WITH items AS (
        SELECT ${stg.rowSql} AS __row, ${head.map((h) => `${c(h)} AS ${h}`).join(', ')},
          ${c('POSNR')} AS POSNR, upper(${c('POSKT')}) AS POSKT, ${c('DEFCT')} AS DEFCT, ${c('PVTXT')} AS PVTXT, ${c('CAUSP')} AS CAUSP,
          ${c('MATNR')} AS MATNR, ${amount('VALOC')} AS VALOC, ${amount('VALIC')} AS VALIC
        FROM ${stg.table} AS s
        WHERE ${upper.has('KATEG') ? `coalesce(${c('KATEG')}, 'IC') = 'IC'` : 'TRUE'}
      ),
      causal AS (
        SELECT CLMNO, DEFCT, PVTXT, MATNR FROM items
        QUALIFY row_number() OVER (PARTITION BY CLMNO ORDER BY (CAUSP = 'X') DESC NULLS LAST, try_cast(POSNR AS INTEGER)) = 1
      )
      SELECT i.CLMNO, any_value(i.CLMTY) AS CLMTY, any_value(i.REFNO) AS REFNO, any_value(i.REFDT) AS REFDT, any_value(i.ERDAT) AS ERDAT,
        any_value(i.PARNR) AS PARNR, any_value(i.RELOB_EXT) AS RELOB_EXT, any_value(i.SERNO) AS SERNO, any_value(i.V_CRNCY) AS V_CRNCY,
        any_value(i.V_REJCD) AS V_REJCD, any_value(k.DEFCT) AS DEFCT, any_value(k.PVTXT) AS PVTXT, any_value(k.MATNR) AS CAUSAL_MATNR,
        CAST(sum(i.VALOC) FILTER (WHERE i.POSKT = 'MAT') AS VARCHAR) AS COST_PARTS,
        CAST(sum(i.VALOC) FILTER (WHERE i.POSKT IN ('FR', 'SUBL')) AS VARCHAR) AS COST_LABOR,
        CAST(sum(i.VALIC) AS VARCHAR) AS CLAIMED,
        count(*) AS ITEMS
      FROM items AS i LEFT JOIN causal AS k USING (CLMNO)
      GROUP BY i.CLMNO
      ORDER BY min(i.__row)
    ) TO ${lit(outPath)} (FORMAT csv, HEADER true)`);
  } finally {
    await stg.cleanup();
    conn.closeSync();
    db.closeSync();
  }
}
