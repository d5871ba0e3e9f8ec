import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mapping as dynamics } from '../../ingest/presets/dynamics-returns/preset.js';
import { erpnextMapping } from '../../ingest/presets/erpnext-warranty-claim/preset.js';
import { odooMapping } from '../../ingest/presets/odoo-rma/preset.js';
import { claimsMapping, prepareSapWty, sapWtyMapping } from '../../ingest/presets/sap-wty/preset.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, loadMapped, rmaRows, tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; });
afterEach(async () => ctx.close());

describe('odoo-rma', () => {
  test('search_read JSON: many2one pairs, false as empty, [code] product names, UTC-naive datetimes', async () => {
    const file = fixture('odoo-rma', 'search_read.json');
    const r = await loadMapped(store, file, odooMapping(file), 'odoo');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'odoo', ['rma_key', 'opened_at', 'stage', 'sku', 'serial_number', 'quantity', 'resolution', 'description', 'customer_id', 'order_number'])).toEqual([
      { rma_key: 'odoo:Optics BV:RMA0012:1', opened_at: '2025-06-02T08:30:00.000Z', stage: 'triage', sku: 'TS-35', serial_number: 'SN0001234', quantity: 1, resolution: 'replace', description: 'Reticle drifts after recoil', customer_id: '42', order_number: 'S00042' },
      { rma_key: 'odoo:Optics BV:RMA0013:1', opened_at: '2025-06-03T17:05:10.000Z', stage: 'intake', sku: 'TS-50', serial_number: null, quantity: 1, resolution: null, description: null, customer_id: '43', order_number: 'S00050' },
    ]);
  });

  test('UI CSV export: labels, display names, state labels', async () => {
    const file = fixture('odoo-rma', 'rma-export.csv');
    const r = await loadMapped(store, file, odooMapping(file), 'odoo');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'odoo', ['rma_number', 'stage', 'status_raw', 'sku', 'quantity', 'resolution', 'serial_number'])).toEqual([
      { rma_number: 'RMA0014', stage: 'qualification', status_raw: 'Waiting for return', sku: 'TS-35', quantity: 1, resolution: 'refund', serial_number: 'SN0004444' },
      { rma_number: 'RMA0015', stage: 'closed', status_raw: 'Replaced', sku: 'ACC-MOUNT', quantity: 2, resolution: 'replace', serial_number: null },
    ]);
  });
});

describe('erpnext-warranty-claim', () => {
  test('REST single document and list; sentinel 1900-01-01 means no date; AMC counts as covered', async () => {
    for (const name of ['warranty-claim.json', 'warranty-claims-list.json']) {
      const file = fixture('erpnext-warranty-claim', name);
      const r = await loadMapped(store, file, erpnextMapping(file), 'erp');
      expect(r.problems).toEqual([]);
    }
    expect(await rmaRows(store, 'erp', ['rma_number', 'company', 'opened_at', 'resolved_at', 'stage', 'serial_number', 'sku', 'warranty_status', 'description'])).toEqual([
      { rma_number: 'SER-WRN-2025-00007', company: 'Optics GmbH', opened_at: '2025-07-01T00:00:00.000Z', resolved_at: null, stage: 'triage', serial_number: 'SN0007007', sku: 'TS-35', warranty_status: 'in_warranty', description: 'Battery drains overnight' },
      { rma_number: 'SER-WRN-2025-00008', company: 'Optics GmbH', opened_at: '2025-07-02T00:00:00.000Z', resolved_at: '2025-07-09T15:30:00.000Z', stage: 'closed', serial_number: 'SN0007008', sku: 'TS-50', warranty_status: 'out_of_warranty', description: 'Cracked housing' },
      { rma_number: 'SER-WRN-2025-00009', company: 'Optics GmbH', opened_at: '2025-07-03T00:00:00.000Z', resolved_at: null, stage: 'intake', serial_number: 'SN0007009', sku: 'TS-35', warranty_status: 'in_warranty', description: 'No power' },
    ]);
  });

  test('list-view CSV with dd-mm-yyyy dates: order inferred from the whole file', async () => {
    const file = fixture('erpnext-warranty-claim', 'warranty-claim-report.csv');
    const r = await loadMapped(store, file, erpnextMapping(file), 'erp');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'erp', ['rma_number', 'opened_at', 'resolved_at', 'stage', 'warranty_status'])).toEqual([
      { rma_number: 'SER-WRN-2025-00010', opened_at: '2025-07-14T00:00:00.000Z', resolved_at: null, stage: 'intake', warranty_status: 'in_warranty' },
      { rma_number: 'SER-WRN-2025-00011', opened_at: '2025-07-03T00:00:00.000Z', resolved_at: '2025-07-05T11:00:00.000Z', stage: 'cancelled', warranty_status: 'out_of_warranty' },
    ]);
  });
});

describe('dynamics-returns', () => {
  test('enums as names or integers, negative ExpectedRetQty, LineNum 1.0000, legal entity, alpha-3 countries', async () => {
    const r = await loadMapped(store, fixture('dynamics-returns', 'return-orders.csv'), dynamics, 'd365');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'd365', ['rma_key', 'stage', 'status_raw', 'return_reason', 'resolution', 'quantity', 'credit_amount', 'country', 'received_at', 'closed_at', 'order_number'])).toEqual([
      { rma_key: 'd365:DEMF:RMA-000121:1', stage: 'closed', status_raw: '3', return_reason: 'wrong_item', resolution: 'credit', quantity: 1, credit_amount: 1899, country: 'DE', received_at: '2025-08-13T00:00:00.000Z', closed_at: '2025-08-20T00:00:00.000Z', order_number: 'SO-004420' },
      { rma_key: 'd365:DEMF:RMA-000122:1', stage: 'cancelled', status_raw: 'Canceled', return_reason: 'changed_mind', resolution: null, quantity: 1, credit_amount: 1899, country: 'AT', received_at: null, closed_at: null, order_number: 'SO-004421' },
      { rma_key: 'd365:USMF:RMA-000120:1', stage: 'qualification', status_raw: 'Open', return_reason: 'defective', resolution: 'replace', quantity: 1, credit_amount: 1299, country: 'US', received_at: null, closed_at: null, order_number: 'SO-004410' },
      { rma_key: 'd365:USMF:RMA-000120:2', stage: 'qualification', status_raw: '2', return_reason: 'shipping_damage', resolution: 'credit', quantity: 2, credit_amount: 178, country: 'US', received_at: '2025-08-12T00:00:00.000Z', closed_at: null, order_number: 'SO-004410' },
    ]);
  });
});

describe('sap-wty', () => {
  test('item extract summed per claim: trailing minus, IC version only, causal item gives the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapwty-'));
    try {
      const m = sapWtyMapping({ reader: { delimiter: '\t' } });
      const claims = await prepareSapWty(fixture('sap-wty', 'claims-items.txt'), dir, m);
      const r = await loadMapped(store, claims, claimsMapping(m), 'wty');
      expect(r.problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await rmaRows(store, 'wty', ['rma_number', 'opened_at', 'stage', 'resolution', 'serial_number', 'dealer_id', 'order_number', 'failure_code_raw', 'failure_code_verified', 'cost_parts', 'cost_labor', 'currency', 'channel'])).toEqual([
      { rma_number: '000010004711', opened_at: '2025-08-15T00:00:00.000Z', stage: 'closed', resolution: 'credit', serial_number: '770100', dealer_id: '200100', order_number: 'DLR-2025-0815', failure_code_raw: 'SEAL-01', failure_code_verified: 'SEAL-FOG-INTERNAL', cost_parts: 118.5, cost_labor: 45, currency: 'EUR', channel: 'dealer' },
      { rma_number: '000010004712', opened_at: '2025-08-20T00:00:00.000Z', stage: 'closed', resolution: 'rejected', serial_number: '770101', dealer_id: '200101', order_number: 'DLR-2025-0820', failure_code_raw: 'PWR-01', failure_code_verified: 'PWR-NO-POWER', cost_parts: -302.35, cost_labor: null, currency: 'EUR', channel: 'dealer' },
    ]);
  });
});
