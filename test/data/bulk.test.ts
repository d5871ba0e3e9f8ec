import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillBulkStore, writeBulkCanonicalCsv } from '../../data/generate/bulk.js';
import { splitCsvLine } from '../../data/generate/taxonomy.js';
import { rmaTable } from '../../pipeline/schema/tables.js';
import { openStore } from '../../pipeline/store.js';

const dir = mkdtempSync(join(tmpdir(), 'rma-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBulkCanonicalCsv', () => {
  it('writes the requested rows under the canonical header, deterministically per seed, with some NULLs', async () => {
    const a = await writeBulkCanonicalCsv(join(dir, 'a.csv'), 3000, 5);
    const b = await writeBulkCanonicalCsv(join(dir, 'b.csv'), 3000, 5);
    const c = await writeBulkCanonicalCsv(join(dir, 'c.csv'), 3000, 6);
    const text = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(text);
    expect(readFileSync(c, 'utf8')).not.toBe(text);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(3001);
    expect(splitCsvLine(lines[0])).toEqual(rmaTable.columns.filter((col) => !col.internal).map((col) => col.name));

    const store = await openStore(':memory:');
    try {
      const stats = await store.one<Record<string, number>>(`
        SELECT count(*)::INTEGER AS n,
               count(DISTINCT rma_number)::INTEGER AS numbers,
               count(*) FILTER (WHERE TRY_CAST(opened_at AS TIMESTAMPTZ) IS NULL)::INTEGER AS bad_opened,
               count(*) FILTER (WHERE closed_at IS NULL)::INTEGER AS open_rmas,
               count(*) FILTER (WHERE TRY_CAST(cost_shipping AS DECIMAL(14,2)) IS NULL)::INTEGER AS unknown_shipping,
               count(*) FILTER (WHERE closed_at IS NOT NULL AND TRY_CAST(closed_at AS TIMESTAMPTZ) < TRY_CAST(opened_at AS TIMESTAMPTZ))::INTEGER AS out_of_order,
               count(DISTINCT return_reason)::INTEGER AS reasons,
               count(DISTINCT failure_code_stated)::INTEGER AS codes,
               count(*) FILTER (WHERE rma_number LIKE '0%')::INTEGER AS leading_zeros
        FROM read_csv('${a}', all_varchar = true, header = true)`);
      expect(stats!.n).toBe(3000);
      expect(stats!.numbers).toBe(3000);
      expect(stats!.bad_opened).toBe(0);
      expect(stats!.out_of_order).toBe(0);
      expect(stats!.open_rmas).toBeGreaterThan(0);
      expect(stats!.unknown_shipping).toBeGreaterThan(0);
      expect(stats!.reasons).toBeGreaterThan(5);
      expect(stats!.codes).toBeGreaterThan(25);
      expect(stats!.leading_zeros).toBe(3000);
    } finally {
      await store.close();
    }
  });
});

describe('fillBulkStore', () => {
  it('fills every reference table and rma with the requested counts, consistent with each other', async () => {
    const store = await openStore(join(dir, 'bulk.duckdb'));
    try {
      const counts = await fillBulkStore(store, { units: 20_000, rmas: 4_000, batches: 12, skus: 3, seed: 9 });
      expect(counts.units).toBe(20_000);
      expect(counts.rma).toBe(4_000);
      expect(counts.batches).toBe(12);
      expect(counts.firmware_builds).toBe(3 * 6);
      expect(counts.warranty_policies).toBe(3);
      expect(counts.reserve_plan).toBe(3);
      expect(counts.firmware_installs).toBeGreaterThan(100);
      const check = await store.one<Record<string, number>>(`
        SELECT
          (SELECT count(*) FROM rma LEFT JOIN units USING (serial_number) WHERE units.serial_number IS NULL)::INTEGER AS orphan_rmas,
          (SELECT count(*) FROM rma JOIN units USING (serial_number) WHERE rma.sku <> units.sku OR rma.opened_at < units.shipped_at)::INTEGER AS inconsistent,
          (SELECT count(*) FROM units LEFT JOIN batches USING (batch_id) WHERE batches.batch_id IS NULL)::INTEGER AS orphan_units,
          (SELECT sum(units_shipped) FROM batches)::INTEGER AS shipped,
          (SELECT count(DISTINCT sku) FROM units)::INTEGER AS skus,
          (SELECT max(opened_at) < TIMESTAMPTZ '2026-06-30 00:00:00+00' FROM rma)::INTEGER AS before_as_of`);
      expect(check).toEqual({ orphan_rmas: 0, inconsistent: 0, orphan_units: 0, shipped: 20_000, skus: 3, before_as_of: 1 });
      // Keys are back after the load: a duplicate serial is refused.
      await expect(store.run("INSERT INTO units (serial_number, sku, shipped_at) SELECT serial_number, sku, shipped_at FROM units LIMIT 1")).rejects.toThrow(/[Cc]onstraint|[Dd]uplicate/);
    } finally {
      await store.close();
    }
  });
});
