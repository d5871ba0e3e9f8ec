import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mapping } from '../../ingest/presets/netsuite-ra/preset.js';
import { fixture, loadMapped, rmaRows, tempStore } from './helpers.js';
import type { Store } from '../../pipeline/store.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; });
afterEach(async () => ctx.close());

describe('netsuite-ra', () => {
  test('header-level saved search: M/D/YYYY inferred from the file, three spellings of one status, display text', async () => {
    const r = await loadMapped(store, fixture('netsuite-ra', 'ra-header.csv'), mapping, 'ns');
    expect(r.rows).toBe(5);
    expect(r.problems).toEqual([]);
    const rows = await rmaRows(store, 'ns', ['rma_key', 'opened_at', 'stage', 'status_raw', 'order_number', 'return_reason', 'description', 'credit_amount', 'line', 'unmapped_values']);
    expect(rows).toEqual([
      { rma_key: 'ns::RMA00042:1', opened_at: '2025-01-15T00:00:00.000Z', stage: 'qualification', status_raw: 'Pending Receipt', order_number: 'SO10452', return_reason: 'defective', description: "Unit fogs after rain & won't clear", credit_amount: 1299, line: 1, unmapped_values: null },
      { rma_key: 'ns::RMA00043:1', opened_at: '2025-01-22T00:00:00.000Z', stage: 'qualification', status_raw: 'Return Authorization : Pending Receipt', order_number: 'SO10460', return_reason: 'shipping_damage', description: 'Box crushed on arrival', credit_amount: 649.5, line: 1, unmapped_values: null },
      { rma_key: 'ns::RMA00044:1', opened_at: '2025-02-03T00:00:00.000Z', stage: 'qualification', status_raw: 'RtnAuth:B', order_number: 'SO10471', return_reason: 'ordered_wrong_quantity', description: 'Customer ordered the 50mm', credit_amount: 1899, line: 1, unmapped_values: null },
      { rma_key: 'ns::RMA00045:1', opened_at: '2025-02-14T00:00:00.000Z', stage: 'closed', status_raw: 'Refunded', order_number: 'SO10480', return_reason: 'changed_mind', description: null, credit_amount: 1299, line: 1, unmapped_values: null },
      // Unknown status and reason: the row lands, canonical columns NULL, raw values kept and flagged.
      { rma_key: 'ns::RMA00046:1', opened_at: '2025-02-20T00:00:00.000Z', stage: null, status_raw: 'Pending Inspection', order_number: 'SO10488', return_reason: null, description: 'Status not in the dictionary', credit_amount: 99, line: 1, unmapped_values: 'stage=Pending Inspection; return_reason=Too Heavy' },
    ]);
  });

  test('line-level search: negative quantities, item display names, 12-hour times, subsidiary as company', async () => {
    const r = await loadMapped(store, fixture('netsuite-ra', 'ra-lines.csv'), mapping, 'ns');
    expect(r.problems).toEqual([]);
    const rows = await rmaRows(store, 'ns', ['rma_key', 'line', 'opened_at', 'sku', 'serial_number', 'quantity', 'return_reason', 'stage']);
    expect(rows).toEqual([
      { rma_key: 'ns:Optics US:RMA00050:1', line: 1, opened_at: '2025-03-04T09:15:00.000Z', sku: 'TS-35', serial_number: 'SN0001234', quantity: 1, return_reason: 'defective', stage: 'execution' },
      { rma_key: 'ns:Optics US:RMA00050:2', line: 2, opened_at: '2025-03-04T09:15:00.000Z', sku: 'TS-50', serial_number: 'SN0005678', quantity: 1, return_reason: 'wrong_item', stage: 'execution' },
      { rma_key: 'ns:Optics US:RMA00051:1', line: 1, opened_at: '2025-03-18T16:40:00.000Z', sku: 'TS-35', serial_number: 'SN0009999', quantity: 2, return_reason: 'duplicate_order', stage: 'cancelled' },
    ]);
  });

  test('a file whose dates never show the day/month order quarantines the ambiguous ones, with the reason', async () => {
    const r = await loadMapped(store, fixture('netsuite-ra', 'ra-ambiguous-dates.csv'), mapping, 'ns');
    // 5/5/2025 reads the same either way; 3/4 and 6/7 cannot be decided from this file.
    expect(r.problems.map((p) => [p.row, p.problems[0].column, p.problems[0].value])).toEqual([[1, 'opened_at', '3/4/2025'], [3, 'opened_at', '6/7/2025']]);
    expect(r.problems[0].problems[0].problem).toMatch(/ambiguous date.*locale\.date_order/);
    expect(await rmaRows(store, 'ns', ['rma_number', 'opened_at'])).toEqual([{ rma_number: 'RMA00061', opened_at: '2025-05-05T00:00:00.000Z' }]);
  });

  test('configuring the order per source resolves the same file, day-first', async () => {
    const r = await loadMapped(store, fixture('netsuite-ra', 'ra-ambiguous-dates.csv'), { ...mapping, locale: { ...mapping.locale, date_order: 'DMY' } }, 'ns');
    expect(r.problems).toEqual([]);
    expect((await rmaRows(store, 'ns', ['opened_at'])).map((x) => x.opened_at)).toEqual(['2025-04-03T00:00:00.000Z', '2025-05-05T00:00:00.000Z', '2025-07-06T00:00:00.000Z']);
  });
});
