import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineFormat, ingest, registerFormat } from '../../ingest/index.js';
import type { Store } from '../../pipeline/store.js';
import { count, tempStore } from './helpers.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const seenMappings: unknown[] = [];
// Registered once per worker: names are global.
const headerless = defineFormat({
  name: 'test-headerless-pipe',
  description: 'headerless pipe-delimited export with a banner line',
  target: 'rma',
  reader: { kind: 'csv', delimiter: '|', header: false, skipRows: 1 },
  columns: {
    rma_number: { position: 1 },
    opened_at: { position: 2 },
    serial_number: { sql: `upper("column2")` },
    line: { value: '1' },
    channel: { position: 4 },
  },
  dictionaries: { channel: { h: 'dealer', d: 'direct' } },
  checks: [{ column: 'opened_at', problem: 'opened in the future of the export', failsWhen: "opened_at > TIMESTAMPTZ '2030-01-01'" }],
  defaultSource: 'legacy',
});
const custom = defineFormat({
  name: 'test-custom-reader',
  description: 'a custom reader that writes a normalised CSV',
  target: 'units',
  reader: {
    kind: 'custom',
    async read(file, ctx) {
      seenMappings.push(ctx.mapping);
      const out = join(ctx.tempDir, 'units.csv');
      const { readFileSync } = await import('node:fs');
      const serials = readFileSync(file, 'utf8').trim().split(/\s+/);
      writeFileSync(out, `serial_number,sku,shipped_at\n${serials.map((s) => `${s},TX-35,2024-01-01`).join('\n')}\n`);
      return { path: out, reader: { kind: 'csv' } };
    },
  },
  columns: {},
  inheritCanonicalNames: true,
});
registerFormat(headerless);
registerFormat(custom);

describe('a FormatDefinition is data the engine follows', () => {
  it('positions, SQL expressions, constants, dictionaries, row checks and skipped banner lines', async () => {
    const file = join(dir, 'legacy.txt');
    writeFileSync(file, 'EXPORT 2024-09-30 page 1\nL-1|2024-09-01|sn-9|h\nL-2|2031-01-01|sn-8|d\nL-3|2024-09-02|sn-7|x\n');
    const r = await ingest(store, [file], { format: 'test-headerless-pipe' });
    expect(r.totals).toEqual({ rows_read: 3, inserted: 1, updated: 0, unchanged: 0, quarantined: 2 });
    expect(await store.all('SELECT rma_key, serial_number, channel FROM rma')).toEqual([{ rma_key: 'legacy::L-1:1', serial_number: 'SN-9', channel: 'dealer' }]);
    const q = await store.all<{ row_number: number; reasons: unknown }>('SELECT row_number, reasons FROM quarantine ORDER BY row_number');
    expect(q).toEqual([
      { row_number: 2, reasons: [{ column: 'opened_at', problem: 'opened in the future of the export' }] },
      { row_number: 3, reasons: [{ column: 'channel', problem: 'unknown value "x" (expected one of direct, dealer, distributor, marketplace)' }] },
    ]);
  });

  it('a custom reader hands the engine a normalised file; lineage keeps the original file hash', async () => {
    const file = join(dir, 'serials.txt');
    writeFileSync(file, 'SN1 SN2\nSN3\n');
    const r = await ingest(store, [file], { format: 'test-custom-reader' });
    expect(r.files[0]).toMatchObject({ format: 'test-custom-reader', rows_read: 3, inserted: 3 });
    expect(await count(store, 'SELECT count(DISTINCT file_sha256) AS n FROM units')).toBe(1);
    const sha = await store.one<{ file_sha256: string }>('SELECT file_sha256 FROM ingest_runs');
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    expect(sha?.file_sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('passes --mapping to a custom reader as given (its mapping language is its own)', async () => {
    const file = join(dir, 'serials.txt');
    writeFileSync(file, 'SN1\n');
    seenMappings.length = 0;
    await ingest(store, [file], { format: 'test-custom-reader', mapping: join(dir, 'their-mapping.yaml') });
    await ingest(store, [file], { format: 'test-custom-reader', mapping: { locale: { decimal: ',' } } });
    expect(seenMappings).toEqual([join(dir, 'their-mapping.yaml'), { locale: { decimal: ',' } }]);
  });

  it('refuses a second format with a taken name', () => {
    expect(() => registerFormat({ ...headerless })).toThrow(/already registered/);
    expect(() => registerFormat({ ...headerless, name: 'canonical-csv' })).toThrow(/already registered/);
  });
});
