import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/index.js';
import type { Store } from '../../pipeline/store.js';
import { count, fixture, tempStore } from './helpers.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, cleanup } = await tempStore()));
afterEach(async () => cleanup());

describe('ingest canonical-csv', () => {
  it('lands every row with lineage and returns the CONTRACT §4 shape', async () => {
    const result = await ingest(store, [fixture('basic.csv')]);
    expect(result.run_id).toMatch(/^r\d{14}-[0-9a-f]{6}$/);
    expect(result.files).toEqual([{ path: fixture('basic.csv'), format: 'canonical-csv', rows_read: 4, inserted: 4, updated: 0, unchanged: 0, quarantined: 0 }]);
    expect(result.totals).toEqual({ rows_read: 4, inserted: 4, updated: 0, unchanged: 0, quarantined: 0 });
    const landing = await store.all<{ row_number: number; raw: Record<string, string>; accepted: boolean; file_sha256: string }>('SELECT row_number, raw, accepted, file_sha256 FROM landing ORDER BY row_number');
    expect(landing.map((r) => r.row_number)).toEqual([1, 2, 3, 4]);
    expect(landing[2].raw.description).toBe('<p>Fogging <b>inside</b> the eyepiece &amp; lens</p>');
    expect(landing[0].file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const run = await store.one<{ rows_read: number; inserted: number; status: string; file_sha256: string }>('SELECT rows_read, inserted, status, file_sha256 FROM ingest_runs');
    expect(run).toMatchObject({ rows_read: 4, inserted: 4, status: 'succeeded', file_sha256: landing[0].file_sha256 });
  });

  it('types, normalises and derives: rma_key, leading zeros, HTML stripped, enums normalised, naive times as UTC', async () => {
    await ingest(store, [fixture('basic.csv')], { source: 'sap-eu', company: 'acme' });
    const rows = await store.all<Record<string, unknown>>('SELECT * FROM rma ORDER BY source_row');
    expect(rows.map((r) => r.rma_key)).toEqual(['sap-eu:acme:R-0001:1', 'sap-eu:acme:R-0001:2', 'sap-eu:acme:R-0002:1', 'sap-eu:acme:00042:1']);
    expect(rows[3].rma_number).toBe('00042');
    expect(rows[2].description).toBe('Fogging inside the eyepiece & lens');
    expect(rows[2].opened_at).toBe('2024-03-05T08:30:00.000Z');
    expect(rows[3]).toMatchObject({ return_reason: 'shipping_damage', inspection_outcome: 'trouble_found_replace', cost_labor: null, warranty_status: 'unknown' });
    expect(rows[0]).toMatchObject({ cost_labor: 12.5, currency: 'EUR', source: 'sap-eu', company: 'acme', line: 1 });
  });

  it('re-ingesting the same file changes nothing; a newer version updates changed rows only', async () => {
    await ingest(store, [fixture('basic.csv')]);
    const before = await store.all('SELECT * FROM rma ORDER BY rma_key');
    const landed = await count(store, 'SELECT count(*) AS n FROM landing');
    const again = await ingest(store, [fixture('basic.csv')]);
    expect(again.totals).toEqual({ rows_read: 4, inserted: 0, updated: 0, unchanged: 4, quarantined: 0 });
    expect(await store.all('SELECT * FROM rma ORDER BY rma_key')).toEqual(before);
    expect(await count(store, 'SELECT count(*) AS n FROM landing')).toBe(landed);

    const v2 = await ingest(store, [fixture('basic-v2.csv')]);
    expect(v2.totals).toEqual({ rows_read: 3, inserted: 1, updated: 1, unchanged: 1, quarantined: 0 });
    expect(await count(store, 'SELECT count(*) AS n FROM rma')).toBe(5);
    const changed = await store.one<{ cost_labor: number; source_row: number; run_id: string }>("SELECT cost_labor, source_row, run_id FROM rma WHERE rma_key = 'canonical-csv::R-0001:2'");
    expect(changed).toEqual({ cost_labor: 5, source_row: 2, run_id: v2.run_id });
  });

  it('duplicates within a file: the last occurrence wins, earlier ones count as unchanged/updated; across files too', async () => {
    const first = await ingest(store, [fixture('dups.csv')]);
    // D-1 #1 inserted, D-1 #2 identical → unchanged, D-2 inserted, D-1 #3 differs → updated.
    expect(first.totals).toEqual({ rows_read: 4, inserted: 2, updated: 1, unchanged: 1, quarantined: 0 });
    expect(await store.all("SELECT description, source_row FROM rma WHERE rma_number = 'D-1'")).toEqual([{ description: 'changed', source_row: 4 }]);
    const second = await ingest(store, [fixture('dups-other-file.csv')]);
    expect(second.totals).toEqual({ rows_read: 2, inserted: 1, updated: 0, unchanged: 1, quarantined: 0 });
    expect(await count(store, "SELECT count(*) AS n FROM rma WHERE rma_number = 'D-1'")).toBe(1);
    expect(await count(store, 'SELECT count(*) AS n FROM (SELECT rma_key FROM rma GROUP BY rma_key HAVING count(*) > 1)')).toBe(0);
  });

  it('quarantines bad rows with every problem listed and lands the rest', async () => {
    const result = await ingest(store, [fixture('bad-rows.csv')]);
    expect(result.totals).toMatchObject({ rows_read: 5, inserted: 2, quarantined: 3 });
    const q = await store.all<{ row_number: number; reasons: { column: string; problem: string }[]; raw: Record<string, string>; file_path: string }>('SELECT row_number, reasons, raw, file_path FROM quarantine ORDER BY row_number');
    expect(q.map((r) => r.row_number)).toEqual([2, 3, 4]);
    expect(q[0].file_path).toBe(fixture('bad-rows.csv'));
    expect(q[0].reasons).toEqual([
      { column: 'opened_at', problem: 'cannot parse "31/31/2024" (expected a date/time)' },
      { column: 'cost_labor', problem: 'cannot parse "abc" (expected a number)' },
    ]);
    expect(q[1].reasons).toEqual([{ column: 'rma_number', problem: 'required value missing' }]);
    expect(q[2].reasons.map((r) => r.column)).toEqual(['line', 'return_reason']);
    expect(q[2].reasons[1].problem).toContain('unknown value "broken glass"');
    expect(q[2].raw.return_reason).toBe('broken glass');
    const landing = await store.all<{ row_number: number; accepted: boolean }>('SELECT row_number, accepted FROM landing ORDER BY row_number');
    expect(landing.map((r) => r.accepted)).toEqual([true, false, false, false, true]);
    expect(await store.all('SELECT rma_number FROM rma ORDER BY 1')).toEqual([{ rma_number: 'B-1' }, { rma_number: 'B-5' }]);
  });

  it('derives batch_id from the unit registry and warranty_status from the policy when absent', async () => {
    await ingest(store, [fixture('units.csv'), fixture('policies.csv')]);
    await ingest(store, [fixture('rma-no-batch.csv')]);
    const rows = await store.all<{ rma_number: string; batch_id: string | null; warranty_status: string }>('SELECT rma_number, batch_id, warranty_status FROM rma ORDER BY rma_number');
    expect(rows).toEqual([
      // shipped 2024-02-20, opened 2024-03-01: within the '*' policy's 30-day DOA window
      { rma_number: 'W-1', batch_id: 'B-100', warranty_status: 'doa' },
      // shipped 2022-01-10, opened 2024-03-01: past 24 months
      { rma_number: 'W-2', batch_id: 'B-100', warranty_status: 'out_of_warranty' },
      // TX-50 policy (36 months, 14-day DOA): shipped 2023-12-01, opened 2024-03-20
      { rma_number: 'W-3', batch_id: 'B-200', warranty_status: 'in_warranty' },
      { rma_number: 'W-4', batch_id: 'B-200', warranty_status: 'out_of_warranty' },
      // unknown serial: no unit, no policy start
      { rma_number: 'W-5', batch_id: null, warranty_status: 'unknown' },
    ]);
  });
});

describe('ingest calls on one store', () => {
  it('run one after another when called concurrently (no transaction conflicts), each with its own run id', async () => {
    const [a, b] = await Promise.all([ingest(store, [fixture('basic.csv')]), ingest(store, [fixture('basic-v2.csv')])]);
    expect(a.run_id).not.toBe(b.run_id);
    expect(a.totals.inserted).toBe(4);
    expect(b.totals).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    expect(await count(store, 'SELECT count(*) AS n FROM ingest_runs')).toBe(2);
  });
});

describe('ingest canonical-json and detection', () => {
  it('reads a JSON array and the same records as NDJSON (identical, so unchanged the second time)', async () => {
    const a = await ingest(store, [fixture('records.json')]);
    expect(a.files[0]).toMatchObject({ format: 'canonical-json', rows_read: 2, inserted: 2 });
    const b = await ingest(store, [fixture('records.ndjson')]);
    expect(b.files[0]).toMatchObject({ format: 'canonical-json', rows_read: 2, unchanged: 2 });
    const rows = await store.all<Record<string, unknown>>('SELECT rma_number, cost_parts, cross_border, line FROM rma ORDER BY rma_number');
    expect(rows).toEqual([
      { rma_number: 'J-1', cost_parts: 10.25, cross_border: true, line: 1 },
      { rma_number: 'J-2', cost_parts: null, cross_border: false, line: 1 },
    ]);
    const raw = await store.one<{ raw: Record<string, string> }>("SELECT raw FROM landing WHERE format = 'canonical-json' AND row_number = 2");
    expect(raw?.raw.extra).toBe('{"a":1}');
  });

  it('detects reference formats from the header', async () => {
    const r = await ingest(store, [fixture('units.csv'), fixture('policies.csv'), fixture('taxonomy-standin.csv')]);
    expect(r.files.map((f) => f.format)).toEqual(['units-csv', 'policies-csv', 'failure-codes-csv']);
    const code = await store.one<{ intake_fields: string[]; synonyms: string[]; disposition_class: string }>("SELECT intake_fields, synonyms, disposition_class FROM failure_codes WHERE code = 'PWR-01'");
    expect(code).toEqual({ intake_fields: ['serial_number', 'battery_type'], synonyms: ['dead', 'no power', "won't turn on"], disposition_class: 'return_modular' });
  });
});
