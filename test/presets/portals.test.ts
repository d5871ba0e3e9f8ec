import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mapping as aftership } from '../../ingest/presets/aftership-returns/preset.js';
import { mapping as loop } from '../../ingest/presets/loop-returns/preset.js';
import { mapping as shopify } from '../../ingest/presets/shopify-returns/preset.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, loadMapped, rmaRows, tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; });
afterEach(async () => ctx.close());

describe('shopify-returns', () => {
  test('webhook payload: one row per return line item, id beyond 2^53 exact, offsets kept, HTML stripped', async () => {
    const r = await loadMapped(store, fixture('shopify-returns', 'returns-request-webhook.json'), shopify, 'shop');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'shop', ['rma_key', 'opened_at', 'stage', 'status_raw', 'order_number', 'sku', 'quantity', 'return_reason', 'description'])).toEqual([
      { rma_key: 'shop::9007199254740993:1', opened_at: '2025-03-02T15:15:00.000Z', stage: 'intake', status_raw: 'requested', order_number: '#1001', sku: 'TS-35', quantity: 1, return_reason: 'defective', description: 'Image freezes after 5 min' },
      { rma_key: 'shop::9007199254740993:2', opened_at: '2025-03-02T15:15:00.000Z', stage: 'intake', status_raw: 'requested', order_number: '#1001', sku: 'ACC-MOUNT', quantity: 1, return_reason: 'changed_mind', description: null },
    ]);
  });

  test('GraphQL objects: gid ids, upper-case enums, edges and nodes; unknown reason kept raw', async () => {
    const r = await loadMapped(store, fixture('shopify-returns', 'graphql-returns.json'), shopify, 'shop');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'shop', ['rma_key', 'stage', 'status_raw', 'sku', 'quantity', 'return_reason', 'unmapped_values'])).toEqual([
      { rma_key: 'shop::945000954:1', stage: 'qualification', status_raw: 'OPEN', sku: 'TS-50', quantity: 1, return_reason: 'not_as_described', unmapped_values: null },
      { rma_key: 'shop::945000954:2', stage: 'qualification', status_raw: 'OPEN', sku: 'ACC-EYECUP', quantity: 2, return_reason: 'changed_mind', unmapped_values: null },
      { rma_key: 'shop::945000955:1', stage: 'cancelled', status_raw: 'DECLINED', sku: 'TS-35', quantity: 1, return_reason: null, unmapped_values: 'return_reason=fell_in_lake' },
    ]);
  });
});

describe('loop-returns', () => {
  test('NDJSON webhooks: parent reason vs specific reason, outcomes, states', async () => {
    const r = await loadMapped(store, fixture('loop-returns', 'return-webhooks.ndjson'), loop, 'loop');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'loop', ['rma_key', 'opened_at', 'closed_at', 'stage', 'resolution', 'order_number', 'sku', 'return_reason', 'credit_amount', 'unmapped_values'])).toEqual([
      { rma_key: 'loop::48213377:1', opened_at: '2025-04-01T13:30:00.000Z', closed_at: null, stage: 'qualification', resolution: 'replace', order_number: '#1401', sku: 'TS-35', return_reason: 'shipping_damage', credit_amount: 1299, unmapped_values: null },
      { rma_key: 'loop::48213377:2', opened_at: '2025-04-01T13:30:00.000Z', closed_at: null, stage: 'qualification', resolution: 'replace', order_number: '#1401', sku: 'TS-50', return_reason: 'defective', credit_amount: 1899, unmapped_values: null },
      { rma_key: 'loop::48213390:1', opened_at: '2025-04-03T14:00:00.000Z', closed_at: '2025-04-12T10:00:00.000Z', stage: 'closed', resolution: 'refund', order_number: '#1402', sku: 'ACC-MOUNT', return_reason: 'changed_mind', credit_amount: 89, unmapped_values: null },
      { rma_key: 'loop::48213391:1', opened_at: '2025-04-04T14:00:00.000Z', closed_at: null, stage: 'intake', resolution: 'credit', order_number: '#1403', sku: 'TS-35', return_reason: null, credit_amount: 1299, unmapped_values: 'return_reason=Too heavy' },
    ]);
  });
});

describe('aftership-returns', () => {
  test('webhook: alpha-3 country to alpha-2, reasons and resolution mapped', async () => {
    const r = await loadMapped(store, fixture('aftership-returns', 'return-approved-webhook.json'), aftership, 'as');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'as', ['rma_key', 'opened_at', 'stage', 'resolution', 'order_number', 'sku', 'return_reason', 'country', 'customer_id', 'description'])).toEqual([
      { rma_key: 'as::RMA-AS-001042:1', opened_at: '2025-05-10T14:45:00.000Z', stage: 'qualification', resolution: 'refund', order_number: '#1500', sku: 'TS-35', return_reason: 'defective', country: 'DE', customer_id: 'mia@example.de', description: 'Dead on arrival &mdash; no LED' },
      { rma_key: 'as::RMA-AS-001042:2', opened_at: '2025-05-10T14:45:00.000Z', stage: 'qualification', resolution: 'refund', order_number: '#1500', sku: 'ACC-CASE', return_reason: 'shipping_damage', country: 'DE', customer_id: 'mia@example.de', description: null },
    ]);
  });
});
