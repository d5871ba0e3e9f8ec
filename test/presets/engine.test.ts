import { afterEach, beforeEach, expect, test } from 'vitest';
import { ingest } from '../../ingest/index.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; });
afterEach(async () => ctx.close());

test('presets run through the ingest engine: landed, upserted, re-ingest unchanged', async () => {
  const file = fixture('netsuite-ra', 'ra-lines.csv');
  const first = await ingest(store, [file], { format: 'netsuite-ra', source: 'ns' });
  expect(first.totals).toMatchObject({ rows_read: 3, inserted: 3, quarantined: 0 });
  const rows = await store.all('SELECT rma_key, sku, quantity, stage, opened_at FROM rma WHERE source = $1 ORDER BY rma_key', ['ns']);
  expect(rows).toEqual([
    { rma_key: 'ns:Optics US:RMA00050:1', sku: 'TS-35', quantity: 1, stage: 'execution', opened_at: '2025-03-04T09:15:00.000Z' },
    { rma_key: 'ns:Optics US:RMA00050:2', sku: 'TS-50', quantity: 1, stage: 'execution', opened_at: '2025-03-04T09:15:00.000Z' },
    { rma_key: 'ns:Optics US:RMA00051:1', sku: 'TS-35', quantity: 2, stage: 'cancelled', opened_at: '2025-03-18T16:40:00.000Z' },
  ]);
  const again = await ingest(store, [file], { format: 'netsuite-ra', source: 'ns' });
  expect(again.totals).toMatchObject({ rows_read: 3, inserted: 0, unchanged: 3 });
});

test('--format auto recognises a Shopify webhook payload', async () => {
  const r = await ingest(store, [fixture('shopify-returns', 'returns-request-webhook.json')], { source: 'shop' });
  expect(r.files[0].format).toBe('shopify-returns');
  expect(r.totals.inserted).toBe(2);
});
