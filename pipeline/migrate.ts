import { createHash } from 'node:crypto';
import { sqlIdent } from './sql-text.js';
import type { Store } from './store.js';
import { RmaError } from './errors.js';
import { createTableSql } from './schema/ddl.js';
import { tables } from './schema/tables.js';

/** Bumped whenever the table definitions change; older stores are migrated forward on open. */
export const schemaVersion = 1;

/**
 * Steps that the additive sync below cannot do by itself (renames, type changes, backfills), keyed by
 * the version they lead to. Each runs once, in order, inside the migration transaction.
 */
const steps: Record<number, string[]> = {};

export async function migrate(store: Store): Promise<void> {
  await store.run('CREATE TABLE IF NOT EXISTS rma_intel_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  const row = await store.one<{ value: string }>("SELECT value FROM rma_intel_meta WHERE key = 'schema_version'");
  const current = row ? Number(row.value) : 0;
  if (current > schemaVersion) {
    throw new RmaError('RMA_ERR_DB_SCHEMA', `database ${store.path} has schema version ${current}, newer than this rma-intel (${schemaVersion}); upgrade rma-intel`, { file: store.path });
  }
  // The fingerprint catches a definition that changed without a version bump, so the sync never silently skips.
  const fingerprint = createHash('sha256').update(tables.map(createTableSql).join(';')).digest('hex');
  const stored = await store.one<{ value: string }>("SELECT value FROM rma_intel_meta WHERE key = 'schema_fingerprint'");
  if (current === schemaVersion && stored?.value === fingerprint) return;
  await store.transaction(async (conn) => {
    for (let v = current + 1; v <= schemaVersion; v++) for (const sql of steps[v] ?? []) await conn.run(sql);
    for (const def of tables) {
      await conn.run(createTableSql(def));
      // Additive sync: a column added to a definition appears in older stores as NULLs.
      const existing = await conn.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1", [def.name]);
      const have = new Set(existing.getRowsJS().map((r) => String(r[0])));
      for (const c of def.columns) if (!have.has(c.name)) await conn.run(`ALTER TABLE ${sqlIdent(def.name)} ADD COLUMN ${sqlIdent(c.name)} ${c.duckType}`);
    }
    await conn.run("INSERT OR REPLACE INTO rma_intel_meta VALUES ('schema_version', $1), ('schema_fingerprint', $2)", [String(schemaVersion), fingerprint]);
  });
}
