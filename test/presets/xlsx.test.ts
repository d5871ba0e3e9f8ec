import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseMapping } from '../../ingest/mapping/load-mapping.js';
import { xlsxToCsv } from '../../ingest/presets/xlsx/read-xlsx.js';
import { prepareXlsx, sheetMapping } from '../../ingest/presets/xlsx/preset.js';
import type { Store } from '../../pipeline/store.js';
import { fixture, loadMapped, rmaRows, tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let dir: string;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; dir = mkdtempSync(join(tmpdir(), 'xlsx-')); });
afterEach(async () => { await ctx.close(); rmSync(dir, { recursive: true, force: true }); });

test('a sheet becomes CSV: shared and inline strings, entities, quotes, gaps, serial dates as numbers', async () => {
  const out = join(dir, 'out.csv');
  expect(await xlsxToCsv(fixture('xlsx', 'returns.xlsx'), out)).toBe(3);
  expect(readFileSync(out, 'utf8')).toBe('RMA,Opened,Serial,Cost,Notes\n00451,45658.75,SN-77 & co,1234.5,"Fogging, ""inside"""\nR-2,45700,,0,\n');
  await expect(xlsxToCsv(fixture('xlsx', 'returns.xlsx'), out, 'Nope')).rejects.toThrow(/no sheet named "Nope" \(sheets: Returns\)/);
});

test('xlsx with a mapping: leading zeros kept, Excel serial dates read', async () => {
  const m = sheetMapping(parseMapping({ sheet: 'Returns', columns: { rma_number: 'RMA', opened_at: 'Opened', serial_number: 'Serial', cost_parts: 'Cost', description: 'Notes' } }));
  const csv = await prepareXlsx(fixture('xlsx', 'returns.xlsx'), dir, 'Returns');
  const r = await loadMapped(store, csv, m, 'xl');
  expect(r.problems).toEqual([]);
  expect(await rmaRows(store, 'xl', ['rma_number', 'opened_at', 'serial_number', 'cost_parts', 'description'])).toEqual([
    { rma_number: '00451', opened_at: '2025-01-01T18:00:00.000Z', serial_number: 'SN-77 & co', cost_parts: 1234.5, description: 'Fogging, "inside"' },
    { rma_number: 'R-2', opened_at: '2025-02-12T00:00:00.000Z', serial_number: null, cost_parts: 0, description: null },
  ]);
});
