import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/index.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, tempStore } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, cleanup } = await tempStore()));
afterEach(async () => cleanup());

describe('messy real-world files', () => {
  it('BOM, CRLF, quoted delimiters and newlines, blank lines, trailing delimiters, offsets and Excel serials', async () => {
    const bytes = readFileSync(fixture('messy-bom-crlf.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes('\r\n\r\n')).toBe(true);
    const result = await ingest(store, [fixture('messy-bom-crlf.csv')]);
    expect(result.files[0]).toMatchObject({ format: 'canonical-csv', rows_read: 3, inserted: 3, quarantined: 0 });
    const rows = await store.all<{ rma_number: string; opened_at: string; description: string; cost_labor: number }>('SELECT rma_number, opened_at, description, cost_labor FROM rma ORDER BY rma_number');
    expect(rows).toEqual([
      // +02:00 offset kept: 12:00 local = 10:00 UTC; quoted comma and doubled quotes
      { rma_number: 'M-1', opened_at: '2024-06-01T10:00:00.000Z', description: 'Screen flickers, then "dies"', cost_labor: 1.5 },
      // -05:00 crosses midnight; a quoted CRLF stays inside the field
      { rma_number: 'M-2', opened_at: '2024-06-03T04:30:00.000Z', description: 'line one\r\nline two', cost_labor: 2 },
      // Excel serial 45444 = 2024-06-01
      { rma_number: 'M-3', opened_at: '2024-06-01T00:00:00.000Z', description: 'excel serial date', cost_labor: 3 },
    ]);
    // The BOM does not leak into the first column name of the verbatim row.
    const raw = await store.one<{ raw: Record<string, string> }>('SELECT raw FROM landing WHERE row_number = 1');
    expect(Object.keys(raw!.raw)[0]).toBe('rma_number');
  });

  it('Windows-1252 bytes are transcoded to UTF-8, not mangled', async () => {
    const bytes = readFileSync(fixture('cp1252.csv'));
    expect(bytes.includes(0x80)).toBe(true); // € in Windows-1252
    await ingest(store, [fixture('cp1252.csv')]);
    const row = await store.one<{ description: string }>('SELECT description FROM rma');
    expect(row?.description).toBe('Caméra ne démarre pas – “ÉCRAN” noir 5€');
    const raw = await store.one<{ raw: Record<string, string> }>('SELECT raw FROM landing');
    expect(raw?.raw.description).toContain('5€');
  });

  it('per-source parse options: date formats, time zone, decimal comma, trailing minus, sentinels, dictionaries (via a mapping)', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'rma-map-'));
    const file = join(dir, 'erp.csv');
    writeFileSync(file, 'RMA;Opened;Cost;Reason;Status\n000123;03.04.2024 10:15;1.234,50-;kaputt;n/a\n000124;20240405;7,5;Falscher Artikel;offen\n');
    const mapping = join(dir, 'mapping.yaml');
    writeFileSync(mapping, [
      'format: canonical-csv',
      'reader: { kind: csv, delimiter: ";" }',
      'columns: { rma_number: RMA, opened_at: Opened, cost_labor: Cost, return_reason: Reason, status_raw: Status }',
      'dictionaries: { return_reason: { kaputt: defective, falscher artikel: wrong_item } }',
      'parse: { dateFormats: ["%d.%m.%Y %H:%M", "%Y%m%d"], timeZone: Europe/Berlin, decimalComma: true, thousandsSeparator: ".", trailingMinus: true, nullValues: ["n/a"] }',
      'source: erp-de',
    ].join('\n'));
    const r = await ingest(store, [file], { mapping });
    expect(r.totals).toMatchObject({ inserted: 2, quarantined: 0 });
    const rows = await store.all('SELECT rma_key, opened_at, cost_labor, return_reason, status_raw FROM rma ORDER BY rma_key');
    expect(rows).toEqual([
      { rma_key: 'erp-de::000123:1', opened_at: '2024-04-03T08:15:00.000Z', cost_labor: -1234.5, return_reason: 'defective', status_raw: null },
      { rma_key: 'erp-de::000124:1', opened_at: '2024-04-04T22:00:00.000Z', cost_labor: 7.5, return_reason: 'wrong_item', status_raw: 'offen' },
    ]);
  });
});
