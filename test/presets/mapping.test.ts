import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkMapping, loadMapping, parseMapping } from '../../ingest/mapping/load-mapping.js';
import { assetPath } from '../../pipeline/paths.js';
import { RmaError } from '../../pipeline/errors.js';
import type { Store } from '../../pipeline/store.js';
import { loadMapped, rmaRows, tempStore } from './helpers.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let dir: string;
beforeEach(async () => { ctx = await tempStore(); store = ctx.store; dir = ctx.dir; });
afterEach(async () => ctx.close());

const example = (f: string): string => assetPath('ingest', 'mapping', 'examples', f);
const write = (name: string, text: string | Buffer): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('mapping files', () => {
  test('the README example (YAML) ingests its CSV: 1252, DMY, Berlin time, decimal comma, trailing minus, split codes, null values', async () => {
    const m = loadMapping(example('dealer-portal.yaml'));
    const r = await loadMapped(store, example('dealer-portal.csv'), m, 'dealer-portal');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'dealer-portal', ['rma_number', 'opened_at', 'stage', 'status_raw', 'serial_number', 'sku', 'return_reason', 'failure_code_raw', 'failure_code_stated', 'cost_shipping', 'dealer_id', 'channel', 'description'])).toEqual([
      { rma_number: '000815', opened_at: '2025-04-03T12:30:00.000Z', stage: 'triage', status_raw: 'In Prüfung', serial_number: 'SN-0042', sku: 'TS-35', return_reason: 'defective', failure_code_raw: 'OPTICS:FOGGING', failure_code_stated: 'SEAL-FOG-INTERNAL', cost_shipping: 1234.5, dealer_id: 'D-0042', channel: 'dealer', description: 'Beschlagen & nass' },
      { rma_number: '000816', opened_at: '2025-04-15T07:00:00.000Z', stage: 'closed', status_raw: 'Erledigt', serial_number: null, sku: 'TS-50', return_reason: 'shipping_damage', failure_code_raw: 'POWER:NO POWER', failure_code_stated: 'PWR-NO-POWER', cost_shipping: -12, dealer_id: 'D-0042', channel: 'dealer', description: 'Karton zerdrückt' },
    ]);
  });

  test('every problem in a mapping file is reported at once, each with its path', () => {
    const file = write('bad.json', JSON.stringify({
      reader: { kind: 'csv', delimiter: ';', encoding: 'ebcdic' },
      locale: { time_zone: 'Europe/Atlantis', date_order: 'DDMM' },
      columns: { rma_number: 'No', opened_at: { column: 'D', format: 'iso', constant: 'x' }, colour: 'Farbe', stage: { column: 'S', dictionary: 'nope' }, return_reason: { column: 'R', dictionary: 'rr' } },
      dictionaries: { rr: { kaputt: 'broken' } },
    }));
    let error: RmaError | undefined;
    try { loadMapping(file); } catch (e) { error = e as RmaError; }
    expect(error?.code).toBe('RMA_ERR_MAPPING');
    const paths = (error?.details.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['reader.encoding', 'locale.date_order', 'columns.opened_at']));
    expect(error?.message).toContain(file);
    // Schema-valid but wrong in meaning: unknown target column, unknown dictionary, non-canonical value, bad zone.
    const { problems } = checkMapping({
      locale: { time_zone: 'Europe/Atlantis' },
      columns: { rma_number: 'No', opened_at: 'D', colour: 'Farbe', stage: { column: 'S', dictionary: 'nope' }, return_reason: { column: 'R', dictionary: 'rr' } },
      dictionaries: { rr: { kaputt: 'broken' } },
    });
    expect(problems.map((p) => p.path).sort()).toEqual(['columns.colour', 'columns.stage.dictionary', 'dictionaries.rr.kaputt', 'locale.time_zone']);
  });

  test('YAML syntax errors name the line', () => {
    const file = write('broken.yaml', 'columns:\n  rma_number: [a, b\n');
    expect(() => loadMapping(file)).toThrow(/broken\.yaml \(line \d+, column \d+\): not valid YAML/);
  });

  test('headerless file by position, explicit delimiter, quote and CRLF line endings', async () => {
    const file = write('nohead.csv', "'R-001'|'2025-01-02'|'a|b'\r\n'R-002'|'2025-01-03'|'c'\r\n");
    const m = parseMapping({ reader: { kind: 'csv', header: false, delimiter: '|', quote: "'", line_ending: 'crlf' }, columns: { rma_number: { position: 1 }, opened_at: { position: 2 }, description: { position: 3 } } });
    const r = await loadMapped(store, file, m, 'x');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'x', ['rma_number', 'opened_at', 'description'])).toEqual([
      { rma_number: 'R-001', opened_at: '2025-01-02T00:00:00.000Z', description: 'a|b' },
      { rma_number: 'R-002', opened_at: '2025-01-03T00:00:00.000Z', description: 'c' },
    ]);
  });

  test('UTF-8 BOM, Excel serial dates, explicit offsets, naive site-local times, sentinel dates, ISO alpha-3', async () => {
    const file = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,opened,closed,country\nA1,45658.5,1900-01-01,DEU\nA2,2025-01-02T10:00:00-05:00,,USA\nA3,2025-07-01 12:00:00,9999-12-31,FR\n')]));
    const m = parseMapping({ locale: { time_zone: 'Europe/Paris' }, columns: { rma_number: 'id', opened_at: 'opened', closed_at: 'closed', country: { column: 'country', transforms: ['alpha3_to_alpha2'] } } });
    const r = await loadMapped(store, file, m, 'x');
    expect(r.problems).toEqual([]);
    expect(await rmaRows(store, 'x', ['rma_number', 'opened_at', 'closed_at', 'country'])).toEqual([
      // 45658.5 = 2025-01-01 12:00 local Paris (CET, UTC+1)
      { rma_number: 'A1', opened_at: '2025-01-01T11:00:00.000Z', closed_at: null, country: 'DE' },
      { rma_number: 'A2', opened_at: '2025-01-02T15:00:00.000Z', closed_at: null, country: 'US' },
      // summer time: UTC+2
      { rma_number: 'A3', opened_at: '2025-07-01T10:00:00.000Z', closed_at: null, country: 'FR' },
    ]);
  });

  test('bad values are named per row and column, good rows still land; a missing named column stops the file', async () => {
    const file = write('bad.csv', 'id,opened,qty,cost\nB1,2025-02-30,1,10.5\nB2,2025-02-01,two,1O5.00\nB3,2025-02-02,1,3\n');
    const m = parseMapping({ columns: { rma_number: 'id', opened_at: 'opened', quantity: 'qty', cost_labor: 'cost' } });
    const r = await loadMapped(store, file, m, 'x');
    expect(r.problems.map((p) => [p.row, p.problems.map((q) => `${q.column}=${q.value}`)])).toEqual([
      [1, ['opened_at=2025-02-30']],
      [2, ['quantity=two', 'cost_labor=1O5.00']],
    ]);
    expect((await rmaRows(store, 'x', ['rma_number'])).map((x) => x.rma_number)).toEqual(['B3']);
    const wrong = parseMapping({ columns: { rma_number: 'ID number', opened_at: 'opened', sku: 'Article' } });
    await expect(loadMapped(store, file, wrong, 'x')).rejects.toThrow(/bad\.csv: mapped columns not in the file: rma_number ← ID number; sku ← Article/);
  });

  test('a file that shows both day-first and month-first dates is inconsistent: those dates are quarantined, never guessed', async () => {
    const file = write('mixed.csv', 'id,opened\nM1,25/03/2025\nM2,03/25/2025\nM3,2025-03-01\n');
    const m = parseMapping({ columns: { rma_number: 'id', opened_at: 'opened' } });
    const r = await loadMapped(store, file, m, 'x');
    expect(r.problems.map((p) => [p.row, p.problems[0].problem])).toEqual([
      [1, expect.stringMatching(/inconsistent date order in this file \(1 values only valid day-first, 1 only month-first\)/)],
      [2, expect.stringMatching(/inconsistent date order/)],
    ]);
    expect(await rmaRows(store, 'x', ['rma_number'])).toEqual([{ rma_number: 'M3' }]);
  });
});
