import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { classifyHeader } from '../../ingest/presets/sap-qm/combine.js';
import { combinedMapping, prepareSapQm, sapQmMapping } from '../../ingest/presets/sap-qm/preset.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, loadMapped, rmaRows, tempStore, type Loaded } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; });
afterEach(async () => ctx.close());

async function loadSap(files: string[], config?: unknown): Promise<Loaded> {
  const dir = mkdtempSync(join(tmpdir(), 'sapqm-'));
  try {
    const m = sapQmMapping(config);
    const combined = await prepareSapQm(files[0], dir, m, files);
    return await loadMapped(store, combined, combinedMapping(m), 'sap-eu');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (name: string): string => fixture('sap-qm', name);

describe('sap-qm', () => {
  test('tables are told apart by their headers, technical or translated', () => {
    expect(classifyHeader(['MANDT', 'QMNUM', 'QMART', 'ERDAT'])).toBe('QMEL');
    expect(classifyHeader(['QMNUM', 'FENUM', 'FEKAT', 'FEGRP', 'FECOD'])).toBe('QMFE');
    expect(classifyHeader(['QMNUM', 'FENUM', 'URNUM', 'URCOD'])).toBe('QMUR');
    expect(classifyHeader(['Meldung', 'Meldungsart', 'Beschreibung'])).toBe('QMEL');
    expect(classifyHeader(['Notification', 'Defect code', 'Item'])).toBe('QMFE');
    expect(classifyHeader(['Order', 'Material'])).toBeUndefined();
  });

  test('raw extracts QMEL + QMFE + QMUR in one go: zeros kept, YYYYMMDD/HHMMSS, 00000000 empty, codes by catalog/group/code', async () => {
    const r = await loadSap([f('qmel.txt'), f('qmur.txt'), f('qmfe.txt')], { locale: { time_zone: 'Europe/Berlin' } });
    expect(r.rows).toBe(3);
    expect(r.problems).toEqual([]);
    const rows = await rmaRows(store, 'sap-eu', ['rma_number', 'opened_at', 'closed_at', 'sku', 'serial_number', 'batch_id', 'customer_id', 'quantity', 'return_reason', 'country', 'failure_code_raw', 'failure_code_stated', 'failure_code_verified']);
    expect(rows).toEqual([
      // 08:15 in Berlin (CET) is 07:15 UTC; QMDAB 00000000 means not completed.
      { rma_number: '000300001234', opened_at: '2025-01-14T07:15:00.000Z', closed_at: null, sku: '12345', serial_number: '770001', batch_id: 'B2024-07', customer_id: '100042', quantity: 1, return_reason: 'defective', country: 'DE', failure_code_raw: '9/SEAL/0010 9/SEAL/0020', failure_code_stated: 'SEAL-FOG-INTERNAL', failure_code_verified: 'SEAL-FOG-INTERNAL' },
      // code 0010 means "no power" in group PWR and "fogging" in group SEAL: the triple decides.
      { rma_number: '000300001235', opened_at: '2025-01-20T13:30:00.000Z', closed_at: '2025-02-03T09:15:00.000Z', sku: '12345', serial_number: '770002', batch_id: 'B2024-07', customer_id: '100043', quantity: 1, return_reason: 'defective', country: 'AT', failure_code_raw: '9/PWR/0010', failure_code_stated: 'PWR-NO-POWER', failure_code_verified: 'PWR-NO-POWER' },
      { rma_number: '000300001236', opened_at: '2025-02-01T08:00:00.000Z', closed_at: null, sku: 'TS-50', serial_number: 'SN-A-0001', batch_id: 'B2024-09', customer_id: '100042', quantity: 2, return_reason: 'other', country: 'CH', failure_code_raw: '9/IMG/0020', failure_code_stated: null, failure_code_verified: 'IMG-DEAD-PIXELS' },
    ]);
  });

  test('QMEL alone: no defect codes, nothing invented', async () => {
    const r = await loadSap([f('qmel.txt')], {});
    expect(r.problems).toEqual([]);
    const rows = await rmaRows(store, 'sap-eu', ['rma_number', 'failure_code_raw', 'failure_code_stated', 'failure_code_verified']);
    expect(rows[0]).toEqual({ rma_number: '000300001234', failure_code_raw: 'D/Q-COMPL/0010', failure_code_stated: 'SEAL-FOG-INTERNAL', failure_code_verified: null });
  });

  test('German GUI export: translated labels, Windows-1252, semicolons, DD.MM.YYYY, decimal comma, status by first token', async () => {
    const r = await loadSap([f('qmel-gui-de.csv')], { reader: { delimiter: ';', encoding: 'windows-1252' }, locale: { decimal: ',', date_order: 'DMY', time_zone: 'Europe/Berlin' } });
    expect(r.problems).toEqual([]);
    const rows = await rmaRows(store, 'sap-eu', ['rma_number', 'description', 'opened_at', 'closed_at', 'quantity', 'stage', 'status_raw', 'unmapped_values']);
    expect(rows).toEqual([
      { rma_number: '300001240', description: 'Gehäuse gerissen – Montage', opened_at: '2025-02-03T06:45:00.000Z', closed_at: null, quantity: 1, stage: 'intake', status_raw: 'MOFN', unmapped_values: null },
      { rma_number: '300001241', description: 'Akku entlädt über Nacht', opened_at: '2025-02-04T15:20:00.000Z', closed_at: '2025-02-09T23:00:00.000Z', quantity: 1, stage: 'closed', status_raw: 'MAAB ORAS', unmapped_values: null },
      { rma_number: '300001242', description: 'Display flackert', opened_at: '2025-02-12T08:00:00.000Z', closed_at: null, quantity: 1, stage: null, status_raw: 'XYZZ', unmapped_values: 'stage=XYZZ' },
    ]);
  });

  test('a bad setting in the SAP configuration is reported with its path', () => {
    expect(() => sapQmMapping({ locale: { decimal: ';', time_zone: 'Mars/Olympus' } })).toThrow(/locale\.decimal[\s\S]*|locale\.time_zone/);
  });
});
