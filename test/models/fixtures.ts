import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../pipeline/store.js';

/** A fresh store in a temp folder; `cleanup` closes it and removes the folder. */
export async function tempStore(): Promise<{ store: Store; dir: string; path: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rma-models-'));
  const path = join(dir, 'test.duckdb');
  const store = await openStore(path);
  return {
    store,
    dir,
    path,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `n` units of one batch shipped on `shippedOn` (serials <batch>-0001…), inserted in SQL.
 */
export async function addUnits(store: Store, u: { batch: string; sku: string; n: number; shippedOn: string; firmware?: string; prefix?: string }): Promise<void> {
  await store.run(
    `INSERT INTO units (serial_number, sku, batch_id, shipped_at, firmware_version)
     SELECT $prefix || lpad(CAST(i AS VARCHAR), 6, '0'), $sku, $batch, CAST($shipped AS TIMESTAMPTZ), $fw
     FROM range(1, $n + 1) AS r(i)`,
    { prefix: u.prefix ?? `${u.batch}-`, sku: u.sku, batch: u.batch, shipped: u.shippedOn, fw: u.firmware ?? null, n: u.n },
  );
}

export interface RmaSpec {
  /** serials '<batch>-000001'.. get returns from the start */
  batch: string;
  n: number;
  openedOn: string;
  reason?: string;
  outcome?: string | null;
  code?: string | null;
  firmware?: string | null;
  inspectedOn?: string | null;
  /** first serial number used (1-based) */
  from?: number;
  source?: string;
  prefix?: string;
}

let rmaCounter = 0;

/** `n` RMA lines against consecutive units of a batch. */
export async function addRmas(store: Store, r: RmaSpec): Promise<void> {
  const start = rmaCounter;
  rmaCounter += r.n;
  await store.run(
    `INSERT INTO rma (rma_key, source, company, rma_number, line, opened_at, serial_number, batch_id, return_reason,
                      inspection_outcome, failure_code_verified, firmware_version, inspected_at, quantity)
     SELECT $source || '::' || ($start + i), $source, '', CAST($start + i AS VARCHAR), 1, CAST($opened AS TIMESTAMPTZ),
            $prefix || lpad(CAST($from + i - 1 AS VARCHAR), 6, '0'), NULL, $reason, $outcome, $code, $fw,
            CAST($inspected AS TIMESTAMPTZ), 1
     FROM range(1, $n + 1) AS r(i)`,
    {
      source: r.source ?? 'test',
      start,
      opened: r.openedOn,
      prefix: r.prefix ?? `${r.batch}-`,
      from: r.from ?? 1,
      reason: r.reason ?? 'defective',
      outcome: r.outcome === undefined ? 'trouble_found_repair' : r.outcome,
      code: r.code === undefined ? 'PWR-BATT' : r.code,
      fw: r.firmware ?? null,
      inspected: r.inspectedOn ?? null,
      n: r.n,
    },
  );
}
