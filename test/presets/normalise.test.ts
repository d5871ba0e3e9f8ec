import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { linkDuplicates, suggestFailureCodes } from '../../ingest/normalise/index.js';
import type { Store } from '../../pipeline/store.js';
import { tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => {
  ctx = await tempStore();
  store = ctx.store;
  await store.run('DELETE FROM failure_codes');
  await store.run(`INSERT INTO failure_codes (code, category, synonyms) VALUES
    ('SEAL-FOG-INTERNAL', 'sealing_fogging', ['fogs up', 'condensation inside', 'fog']),
    ('PWR-NO-POWER', 'power_battery', ['won''t turn on', 'no power', 'dead on arrival']),
    ('PWR-BATT-DRAIN', 'power_battery', ['battery drains', 'drains overnight'])`);
});
afterEach(async () => ctx.close());

async function addRma(rows: { key: string; source?: string; desc?: string; stated?: string; verified?: string; serial?: string; order?: string; sku?: string; opened?: string }[]): Promise<void> {
  for (const r of rows) {
    await store.run(`INSERT INTO rma (rma_key, source, company, rma_number, line, opened_at, description, failure_code_stated, failure_code_verified, serial_number, order_number, sku)
      VALUES ($1, $2, '', $1, 1, $3::TIMESTAMPTZ, $4, $5, $6, $7, $8, $9)`,
      [r.key, r.source ?? 's', r.opened ?? '2025-01-01T00:00:00Z', r.desc ?? null, r.stated ?? null, r.verified ?? null, r.serial ?? null, r.order ?? null, r.sku ?? null]);
  }
}

describe('failure-code suggestions', () => {
  test('free text matched against synonyms in SQL, with a transparent confidence; stated and verified codes untouched', async () => {
    await addRma([
      { key: 'a', desc: 'Unit <b>fogs up</b> after rain; condensation inside the lens' },
      { key: 'b', desc: "It won't turn on at all" },
      { key: 'c', desc: 'No power, and the battery drains overnight' },
      { key: 'd', desc: 'Fog everywhere', stated: 'PWR-NO-POWER' },
      { key: 'e', desc: 'Scratched housing' },
    ]);
    expect(await suggestFailureCodes(await store.connect())).toBe(3);
    const rows = await store.all('SELECT rma_key, failure_code_suggested, failure_code_suggestion_confidence, failure_code_stated FROM rma ORDER BY rma_key');
    expect(rows).toEqual([
      // 'fogs up' (2 words) + 'condensation inside' (2): score 4, nothing else → 1 × (1 − 0.5^4)
      { rma_key: 'a', failure_code_suggested: 'SEAL-FOG-INTERNAL', failure_code_suggestion_confidence: 0.938, failure_code_stated: null },
      // "won't turn on": 3 words → 0.875
      { rma_key: 'b', failure_code_suggested: 'PWR-NO-POWER', failure_code_suggestion_confidence: 0.875, failure_code_stated: null },
      // 'no power' (2) vs 'battery drains' + 'drains overnight' (4): drain wins with 4/6 × (1 − 1/16)
      { rma_key: 'c', failure_code_suggested: 'PWR-BATT-DRAIN', failure_code_suggestion_confidence: 0.625, failure_code_stated: null },
      { rma_key: 'd', failure_code_suggested: null, failure_code_suggestion_confidence: null, failure_code_stated: 'PWR-NO-POWER' },
      { rma_key: 'e', failure_code_suggested: null, failure_code_suggestion_confidence: null, failure_code_stated: null },
    ]);
  });

  test('a line that later gets a verified code loses its suggestion', async () => {
    await addRma([{ key: 'a', desc: 'fogs up' }]);
    const conn = await store.connect();
    await suggestFailureCodes(conn);
    await store.run("UPDATE rma SET failure_code_verified = 'SEAL-WATER-INGRESS'");
    await suggestFailureCodes(conn);
    expect(await store.all('SELECT failure_code_suggested, failure_code_verified FROM rma')).toEqual([{ failure_code_suggested: null, failure_code_verified: 'SEAL-WATER-INGRESS' }]);
  });
});

describe('cross-source duplicates', () => {
  // With `filler` more lines of the main source (the ERP), the lines of the other sources are few enough for the
  // join to be restricted to the keys they name: the links must be the same either way.
  test.each([0, 30])('same serial within 14 days, or same order and SKU when a serial is missing: the later record points at the first (%i more ERP lines)', async (filler) => {
    await addRma([
      { key: 'erp:1', source: 'erp', serial: 'SN1', order: 'SO-1', sku: 'TS-35', opened: '2025-03-05T00:00:00Z' },
      { key: 'shop:1', source: 'shop', serial: 'sn1', order: '#SO-1', sku: 'TS-35', opened: '2025-03-02T00:00:00Z' },
      { key: 'loop:9', source: 'loop', order: '#so-1', sku: 'TS-35', opened: '2025-03-03T00:00:00Z' },
      { key: 'erp:2', source: 'erp', serial: 'SN1', opened: '2025-06-01T00:00:00Z' }, // same unit, a new return months later
      { key: 'shop:2', source: 'shop', serial: 'SN2', opened: '2025-03-02T00:00:00Z' },
      { key: 'erp:3', source: 'erp', serial: 'SN3', opened: '2025-03-02T00:00:00Z' },
      { key: 'erp:4', source: 'erp', serial: 'SN3', opened: '2025-03-03T00:00:00Z' }, // same source: never linked
      { key: 'erp:5', source: 'erp', serial: 'SN5', order: 'SO-1', sku: 'TS-50', opened: '2025-03-03T00:00:00Z' },
      ...Array.from({ length: filler }, (_, i) => ({ key: `erp:f${i}`, source: 'erp', serial: `F${i}`, order: `SO-F${i}`, sku: 'TS-35', opened: '2025-03-02T00:00:00Z' })),
    ]);
    expect(await linkDuplicates(await store.connect())).toBe(2);
    expect(await store.all('SELECT rma_key, duplicate_of FROM rma WHERE duplicate_of IS NOT NULL ORDER BY rma_key')).toEqual([
      { rma_key: 'erp:1', duplicate_of: 'shop:1' },
      { rma_key: 'loop:9', duplicate_of: 'shop:1' },
    ]);
    expect(await store.one('SELECT count(*)::INTEGER AS n FROM rma WHERE duplicate_of IS NULL')).toEqual({ n: 6 + filler });
  });

  test('a store left with one source has nothing to pair: earlier links are undone', async () => {
    await addRma([
      { key: 'erp:1', source: 'erp', serial: 'SN1', opened: '2025-03-05T00:00:00Z' },
      { key: 'erp:2', source: 'erp', serial: 'SN1', opened: '2025-03-06T00:00:00Z' },
    ]);
    await store.run("UPDATE rma SET duplicate_of = 'erp:1' WHERE rma_key = 'erp:2'");
    expect(await linkDuplicates(await store.connect())).toBe(0);
    expect(await store.one('SELECT count(*)::INTEGER AS n FROM rma WHERE duplicate_of IS NOT NULL')).toEqual({ n: 0 });
  });
});
