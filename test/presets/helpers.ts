import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapFile } from '../../ingest/mapping/map-file.js';
import type { Mapping } from '../../ingest/mapping/mapping.schema.js';
import { assetPath } from '../../pipeline/paths.js';
import { openStore, queryRows, type Store } from '../../pipeline/store.js';

/** A real DuckDB file in a temp dir, removed by close(). */
export async function tempStore(): Promise<{ store: Store; dir: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-presets-'));
  const store = await openStore(join(dir, 'test.duckdb'));
  return { store, dir, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export const fixture = (preset: string, file: string): string => assetPath('ingest', 'presets', preset, 'fixtures', file);

export interface Loaded {
  rows: number;
  problems: { row: number; item: number | null; problems: { column: string; problem: string; value: string | null }[] }[];
}

/** Map a file and upsert the rows without problems into rma (the last occurrence of a key wins). */
export async function loadMapped(store: Store, file: string, mapping: Mapping, source: string, company?: string): Promise<Loaded> {
  return store.withConnection(async (conn) => {
    const m = await mapFile(conn, file, mapping, { source, company });
    try {
      // Upsert by key without relying on a PRIMARY KEY constraint: replace the keys this file carries.
      await conn.run(`CREATE OR REPLACE TEMP TABLE load_rows AS
        SELECT * EXCLUDE (__row, __item, __raw, __problems, __flags) FROM ${m.table}
        WHERE len(__problems) = 0
        QUALIFY row_number() OVER (PARTITION BY rma_key ORDER BY __row DESC, __item DESC) = 1`);
      await conn.run('DELETE FROM rma WHERE rma_key IN (SELECT rma_key FROM load_rows)');
      await conn.run('INSERT INTO rma BY NAME SELECT * FROM load_rows');
      await conn.run('DROP TABLE load_rows');
      const problems = await queryRows<Loaded['problems'][number]>(conn,
        `SELECT __row AS row, __item AS item, __problems AS problems FROM ${m.table} WHERE len(__problems) > 0 ORDER BY __row, __item`);
      return { rows: m.rows, problems };
    } finally {
      await m.drop();
    }
  });
}

/** rma rows of a source, ordered by key, only the named columns. */
export async function rmaRows(store: Store, source: string, columns: string[]): Promise<Record<string, unknown>[]> {
  return store.all(`SELECT ${columns.join(', ')} FROM rma WHERE source = $1 ORDER BY rma_key`, [source]);
}
