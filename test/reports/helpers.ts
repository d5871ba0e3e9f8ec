import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../pipeline/store.js';
import type { BuildConfig } from '../../models/model.js';
import { discoverModels, runModels as runRunner } from '../../models/runner.js';
import { resolveUnits } from '../../ingest/normalise/index.js';
import { ensureShipDays } from '../../ingest/normalise/ship-days.js';
import { clockLines } from '../../ingest/normalise/business-clock.js';
import { defaultConfig } from '../../pipeline/config.js';
import { modelVariables, type SlaCalendar } from '../../pipeline/model-variables.js';

/** A fresh store in its own temp folder; `dispose` closes it and removes the folder. */
export async function tempStore(): Promise<{ store: Store; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-reports-'));
  const store = await openStore(join(dir, 'test.duckdb'));
  return {
    store,
    dir,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const testConfig = (overrides: Record<string, unknown> = {}): BuildConfig => ({
  batchThreshold: () => 0.02,
  warrantyMonthsDefault: 24,
  ...overrides,
});

/**
 * Build the named models (and the models they read) as of a date with the real runner, so the
 * header, input declarations and audits are exercised exactly as `rma-intel build` does. The literal
 * lines are first resolved against the unit registry, and the registry counted per ship day, as ingest
 * (and build) leave them.
 */
export async function runModels(store: Store, asOf: string, names: string[], config: BuildConfig = testConfig(), variables: Record<string, number | string | number[]> = {}): Promise<void> {
  const all = await discoverModels();
  const byName = new Map(all.map((m) => [m.name, m]));
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    const m = byName.get(name);
    if (!m) throw new Error(`no model ${name}`);
    wanted.add(name);
    for (const input of m.inputs) if (input.startsWith('models.')) visit(input.slice(7));
  };
  names.forEach(visit);
  // the stage times read on the calendar the models will be given, as a build's normalise phase does
  const calendar = { ...modelVariables(defaultConfig()), ...variables } as unknown as SlaCalendar;
  await store.withConnection(async (conn) => {
    await resolveUnits(conn);
    await ensureShipDays(conn);
    await clockLines(conn, calendar);
  });
  await runRunner(store, { asOf, store, config }, { models: all.filter((m) => wanted.has(m.name)), variables });
}

/** Insert literal rows into a table: only the columns given, the rest NULL. */
export async function insert(store: Store, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    await store.run(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => row[c] as never),
    );
  }
}

/** A minimal RMA line: the caller adds what the test is about. */
export function rmaLine(n: number, fields: Record<string, unknown>): Record<string, unknown> {
  return { rma_key: `t::R${n}:1`, source: 't', company: '', rma_number: `R${n}`, line: 1, quantity: 1, ...fields };
}
