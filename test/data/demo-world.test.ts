import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWorld, type GeneratedDemo, type GroundTruth } from '../../data/generate/index.js';
import { splitCsvLine } from '../../data/generate/taxonomy.js';
import { referenceEmitter } from '../../data/generate/write-reference.js';
import { openStore, type Store } from '../../pipeline/store.js';
import { rmaTable, unitsTable } from '../../pipeline/schema/tables.js';
import { sqlStringList } from '../../pipeline/sql-text.js';

const root = mkdtempSync(join(tmpdir(), 'rma-demo-world-'));
let first: GeneratedDemo;
let gt: GroundTruth;
let store: Store;

/** sha256 of every file under dir (sub-folders included), by relative path. */
const digest = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
const rmaColumns = rmaTable.columns.filter((c) => !c.internal).map((c) => c.name);
const col = (name: string): number => rmaColumns.indexOf(name);
const fault = (id: string) => gt.planted.find((p) => p.id === id)!;
/** Wilson score interval, 95 %: written out here so the check does not lean on the code under test. */
function wilson(k: number, n: number): { low: number; high: number } {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: centre - half, high: centre + half };
}

beforeAll(async () => {
  first = await generateDemoWorld({ outDir: join(root, 'a'), seed: 42 });
  gt = first.groundTruth;
  store = await openStore(':memory:');
  const dir = join(root, 'a');
  const erpFiles = gt.files.filter((f) => f.format === 'canonical-csv').map((f) => f.path);
  const portal = gt.files.find((f) => f.format === 'canonical-json')!.path;
  const dirty = gt.dirty_rows.map((d) => d.rma_number).filter(Boolean);
  const crossSource = gt.duplicates.filter((d) => d.kind === 'cross_source').map((d) => d.rma_number);
  await store.run(`CREATE TABLE demo_units AS SELECT * FROM read_csv('${join(dir, 'units.csv')}', all_varchar = true, header = true)`);
  await store.run(`CREATE TABLE demo_installs AS SELECT * FROM read_csv('${join(dir, 'firmware-installs.csv')}', all_varchar = true, header = true)`);
  // The final state of every RMA: the latest export's version of each ERP record, plus the portal's records.
  await store.run(`
    CREATE TABLE demo_rma AS
    WITH erp AS (
      SELECT *, list_position(${sqlStringList(erpFiles.map((f) => join(dir, f)))}, filename) AS file_index
      FROM read_csv(${sqlStringList(erpFiles.map((f) => join(dir, f)))}, all_varchar = true, header = true, filename = true)
      WHERE coalesce(rma_number, '') <> '' AND rma_number NOT IN (SELECT unnest(${sqlStringList(dirty)}))
      QUALIFY row_number() OVER (PARTITION BY rma_number ORDER BY file_index DESC) = 1
    ), portal AS (
      SELECT json AS j FROM read_ndjson_objects('${join(dir, portal)}')
    )
    SELECT rma_number, batch_id, serial_number, sku, firmware_version, return_reason, inspection_outcome, failure_code_verified, dealer_id FROM erp
    UNION ALL
    SELECT json_extract_string(j, '$.rma_number'), json_extract_string(j, '$.batch_id'), json_extract_string(j, '$.serial_number'), json_extract_string(j, '$.sku'), json_extract_string(j, '$.firmware_version'), json_extract_string(j, '$.return_reason'),
           json_extract_string(j, '$.inspection_outcome'), json_extract_string(j, '$.failure_code_verified'), json_extract_string(j, '$.dealer_id')
    FROM portal
    WHERE json_extract_string(j, '$.rma_number') IS NOT NULL AND json_extract_string(j, '$.rma_number') NOT IN (SELECT unnest(${sqlStringList([...dirty, ...crossSource])}))`);
  await store.run(`CREATE VIEW demo_confirmed AS SELECT * FROM demo_rma WHERE return_reason = 'defective' AND inspection_outcome IN ('trouble_found_repair', 'trouble_found_replace')`);
}, 300_000);

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('demo world generation', () => {
  it('writes the reference files, half-year ERP exports, the portal NDJSON and the ground truth', () => {
    const names = readdirSync(join(root, 'a')).sort();
    expect(names).toEqual(expect.arrayContaining([
      'units.csv', 'batches.csv', 'firmware-builds.csv', 'firmware-installs.csv', 'policies.csv', 'reserve-plan.csv', 'cost-rates.csv',
      'rma-portal.ndjson', 'ground-truth.json',
    ]));
    expect(names.filter((n) => /^rma-erp-\d{4}h[12]\.csv$/.test(n)).length).toBeGreaterThanOrEqual(3);
    expect(gt.as_of).toBe('2026-06-30');
    expect(JSON.parse(readFileSync(first.groundTruthPath, 'utf8'))).toEqual(gt);
    // Export files carry their export instant as modification time.
    const last = gt.files.find((f) => f.path === 'rma-erp-2026h1.csv')!;
    expect(statSync(join(root, 'a', last.path)).mtimeMs).toBe(last.modifiedAt);
  });

  it('uses the canonical column names as headers', () => {
    const header = (f: string) => splitCsvLine(readFileSync(join(root, 'a', f), 'utf8').split('\n')[0]);
    expect(header('units.csv')).toEqual(unitsTable.columns.filter((c) => !c.internal).map((c) => c.name));
    expect(header('rma-erp-2025h1.csv')).toEqual(rmaTable.columns.filter((c) => !c.internal).map((c) => c.name));
  });

  it('has the volumes the statistics need', async () => {
    expect(gt.counts.units).toBeGreaterThan(2 * 24 * 1500);
    expect(gt.counts.batches).toBe(48);
    expect(gt.counts.rma_records).toBeGreaterThan(3000);
    const rmas = await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM demo_rma');
    // Other sources (ERP-format preset exports) hold the rest of the RMAs.
    expect(rmas!.n).toBe(gt.rma_sources.erp + gt.rma_sources['dealer-portal']);
    expect(Object.values(gt.rma_sources).reduce((a, b) => a + b, 0)).toBe(gt.counts.rma_records);
  });

  it('is byte-identical for the same seed and different for another seed', async () => {
    const again = await generateDemoWorld({ outDir: join(root, 'b'), seed: 42 });
    expect(digest(join(root, 'b'))).toEqual(digest(join(root, 'a')));
    expect(again.groundTruth).toEqual(gt);
    // Another seed: the reference writer is enough to see the world differ (keeps the suite quick).
    const other = await generateDemoWorld({ outDir: join(root, 'c'), seed: 43, emitters: [referenceEmitter] });
    expect(digest(join(root, 'c'))['units.csv']).not.toBe(digest(join(root, 'a'))['units.csv']);
    expect(other.groundTruth.planted.map((p) => p.observed)).not.toEqual(gt.planted.map((p) => p.observed));
  }, 300_000);
});

describe('ground truth agrees with the generated files', () => {
  it('bad batch: confirmed defect rate clearly above 2 % (Wilson lower bound too); clean batches below', async () => {
    const rows = await store.all<{ batch_id: string; n: number; k: number; fog: number }>(`
      SELECT u.batch_id, count(DISTINCT u.serial_number)::INTEGER AS n,
             (SELECT count(*) FROM demo_confirmed AS c WHERE c.batch_id = u.batch_id)::INTEGER AS k,
             (SELECT count(*) FROM demo_confirmed AS c WHERE c.batch_id = u.batch_id AND c.failure_code_verified = 'SEAL-FOG-INTERNAL')::INTEGER AS fog
      FROM demo_units AS u GROUP BY u.batch_id`);
    const byId = new Map(rows.map((r) => [r.batch_id, r]));
    const bad = fault('bad_batch');
    const b = byId.get(bad.subject_id)!;
    expect(b.k).toBe(bad.observed.confirmed_defects);
    expect(b.fog).toBe(bad.observed['confirmed_SEAL-FOG-INTERNAL']);
    expect(b.k / b.n).toBeGreaterThan(0.02);
    expect(wilson(b.k, b.n).low).toBeGreaterThan(0.02);
    expect(gt.clean.batches.length).toBeGreaterThan(30);
    for (const id of gt.clean.batches) {
      const r = byId.get(id)!;
      expect(wilson(r.k, r.n).high, `clean batch ${id}: ${r.k}/${r.n}`).toBeLessThan(0.02);
    }
    for (const id of gt.clean.young_batches) expect(byId.get(id)!.k / byId.get(id)!.n).toBeLessThan(0.02);
  });

  it('wear-out batch: raw rate still under 2 %, true in-warranty rate far above', async () => {
    const wear = fault('wear_out_batch');
    const r = await store.one<{ n: number; k: number }>(`
      SELECT (SELECT count(*) FROM demo_units WHERE batch_id = $1)::INTEGER AS n, (SELECT count(*) FROM demo_confirmed WHERE batch_id = $1)::INTEGER AS k`, [wear.subject_id]);
    expect(r!.k).toBe(wear.observed.confirmed_defects);
    expect(r!.k / r!.n).toBeLessThan(0.02);
    expect(r!.k).toBeGreaterThanOrEqual(15);
    expect(wear.parameters.true_in_warranty_rate as number).toBeGreaterThan(0.1);
    expect(wear.expected.status).toBe('watch');
  });

  it('NTF dealer: most of its returns come back working; no clean dealer comes close', async () => {
    const rows = await store.all<{ dealer_id: string; returns: number; ntf: number }>(`
      SELECT dealer_id, count(*)::INTEGER AS returns, count(*) FILTER (WHERE inspection_outcome = 'no_trouble_found')::INTEGER AS ntf
      FROM demo_rma WHERE dealer_id IS NOT NULL GROUP BY dealer_id`);
    const ntfDealer = fault('ntf_dealer');
    const d = rows.find((r) => r.dealer_id === ntfDealer.subject_id)!;
    expect(d.ntf).toBe(ntfDealer.observed.no_trouble_found);
    expect(d.ntf / d.returns).toBeGreaterThan(0.5);
    for (const r of rows.filter((x) => x.dealer_id !== ntfDealer.subject_id && x.returns >= 30)) expect(r.ntf / r.returns).toBeLessThan(0.45);
  });

  it('confounded build: crude rate ratio high, within-batch (Mantel–Haenszel) ratio about 1', async () => {
    const cf = fault('confounded_build');
    const strata = await store.all<{ a: number; n1: number; c: number; n0: number }>(`
      WITH units AS (SELECT serial_number, batch_id, firmware_version = $1 AS on_build FROM demo_units WHERE sku = $2),
           fails AS (SELECT DISTINCT serial_number FROM demo_confirmed WHERE failure_code_verified = $3)
      SELECT count(*) FILTER (WHERE on_build AND f.serial_number IS NOT NULL)::INTEGER AS a,
             count(*) FILTER (WHERE on_build)::INTEGER AS n1,
             count(*) FILTER (WHERE NOT on_build AND f.serial_number IS NOT NULL)::INTEGER AS c,
             count(*) FILTER (WHERE NOT on_build)::INTEGER AS n0
      FROM units LEFT JOIN fails AS f USING (serial_number) GROUP BY batch_id`, [cf.subject_id, cf.sku!, cf.failure_code!]);
    const sum = (k: 'a' | 'n1' | 'c' | 'n0') => strata.reduce((s, r) => s + r[k], 0);
    const crude = (sum('a') / sum('n1')) / (sum('c') / sum('n0'));
    let num = 0;
    let den = 0;
    for (const s of strata) if (s.n1 && s.n0) {
      num += (s.a * s.n0) / (s.n1 + s.n0);
      den += (s.c * s.n1) / (s.n1 + s.n0);
    }
    expect(crude).toBeGreaterThan(3);
    expect(num / den).toBeGreaterThan(0.5);
    expect(num / den).toBeLessThan(2);
    expect(crude).toBeCloseTo(cf.observed.crude_rate_ratio as number, 3);
    expect(num / den).toBeCloseTo(cf.observed.mantel_haenszel_rate_ratio as number, 3);
  });

  it('firmware regression: the build\'s rate per installed unit-day is several times the others\'', async () => {
    const reg = fault('firmware_regression');
    const r = await store.one<{ k1: number; t1: number; k0: number; t0: number }>(`
      WITH exposure AS (SELECT firmware_version, sum(active_units::INTEGER) * 7.0 AS unit_days FROM demo_installs GROUP BY 1),
           fails AS (SELECT firmware_version, count(*) AS k FROM demo_rma WHERE failure_code_verified = $2 GROUP BY 1)
      SELECT sum(k) FILTER (WHERE e.firmware_version = $1)::INTEGER AS k1, sum(unit_days) FILTER (WHERE e.firmware_version = $1) AS t1,
             sum(k) FILTER (WHERE e.firmware_version <> $1)::INTEGER AS k0, sum(unit_days) FILTER (WHERE e.firmware_version <> $1) AS t0
      FROM exposure AS e LEFT JOIN fails USING (firmware_version)`, [reg.subject_id, reg.failure_code!]);
    expect(r!.k1).toBe(reg.observed.returns);
    expect((r!.k1 / r!.t1) / (r!.k0 / r!.t0)).toBeGreaterThan(3);
  });

  it('gate scenarios: hold candidate regresses one code with all-cause flat, go has exposure, insufficient has almost none', () => {
    const hold = fault('gate_hold').observed as Record<string, number>;
    const rate = (k: number, t: number) => k / t;
    expect(rate(hold['candidate_PWR-BATT-DRAIN'], hold.candidate_unit_days) / rate(hold['baseline_PWR-BATT-DRAIN'], hold.baseline_unit_days)).toBeGreaterThan(3);
    const allCause = rate(hold.candidate_returns, hold.candidate_unit_days) / rate(hold.baseline_returns, hold.baseline_unit_days);
    expect(allCause).toBeGreaterThan(0.8);
    expect(allCause).toBeLessThan(1.3);
    const go = fault('gate_go').observed as Record<string, number>;
    expect(go.candidate_unit_days).toBeGreaterThan(1_000_000);
    expect(rate(go.candidate_returns, go.candidate_unit_days) / rate(go.baseline_returns, go.baseline_unit_days)).toBeLessThan(1.3);
    const few = fault('gate_insufficient').observed as Record<string, number>;
    expect(few.candidate_unit_days).toBeLessThan(5_000);
    expect(gt.planted.filter((p) => p.kind === 'release_gate').map((p) => p.expected.verdict)).toEqual(['hold', 'go', 'insufficient_evidence']);
  });
});

describe('dirty rows and duplicates are really in the files', () => {
  const lineOf = (file: string, row: number): string => readFileSync(join(root, 'a', file), 'utf8').split('\n')[file.endsWith('.csv') ? row : row - 1];

  it('each planted dirty row carries its broken value, and it does not cast', async () => {
    expect(gt.dirty_rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(gt.dirty_rows.map((d) => d.column))).toEqual(new Set(['opened_at', 'received_at', 'cost_labor', 'quantity', 'rma_number']));
    const header = splitCsvLine(lineOf('rma-erp-2025h1.csv', 0));
    for (const d of gt.dirty_rows) {
      const line = lineOf(d.file, d.row_number);
      const value = d.file.endsWith('.csv') ? splitCsvLine(line)[header.indexOf(d.column)] : (JSON.parse(line) as Record<string, unknown>)[d.column];
      if (d.column === 'rma_number') {
        expect(value ?? '').toBe('');
        continue;
      }
      expect(String(value)).toBe(d.value);
      const type = d.column === 'quantity' ? 'INTEGER' : d.column === 'cost_labor' ? 'DECIMAL(14,2)' : 'TIMESTAMPTZ';
      const cast = await store.one<{ v: unknown }>(`SELECT TRY_CAST($1 AS ${type}) AS v`, [String(value)]);
      expect(cast!.v, `${d.file} row ${d.row_number} ${d.column}='${String(value)}'`).toBeNull();
    }
  });

  it('exact repeats equal the earlier row; updated versions differ from it; cross-source copies share the serial, opened hours later', () => {
    const kinds = new Set(gt.duplicates.map((d) => d.kind));
    expect(kinds).toEqual(new Set(['exact', 'updated', 'cross_source']));
    const rowsOf = new Map<string, Map<string, string>>();
    const byNumber = (file: string) => {
      if (!rowsOf.has(file)) {
        const m = new Map<string, string>();
        for (const line of readFileSync(join(root, 'a', file), 'utf8').split('\n').slice(1)) if (line) m.set(splitCsvLine(line)[col('rma_number')], line);
        rowsOf.set(file, m);
      }
      return rowsOf.get(file)!;
    };
    for (const d of gt.duplicates.filter((x) => x.kind !== 'cross_source')) {
      const now = lineOf(d.file, d.row_number);
      const before = byNumber(d.first_seen).get(d.rma_number);
      expect(before, `${d.rma_number} in ${d.first_seen}`).toBeDefined();
      if (d.kind === 'exact') expect(now).toBe(before);
      else expect(now).not.toBe(before);
    }
    for (const d of gt.duplicates.filter((x) => x.kind === 'cross_source')) {
      const portalRecord = JSON.parse(lineOf(d.file, d.row_number)) as Record<string, string>;
      const erpNumber = d.first_seen.split(':')[2];
      const erpLine = [...gt.files.filter((f) => f.format === 'canonical-csv')].reverse().map((f) => byNumber(f.path).get(erpNumber)).find(Boolean)!;
      const cells = splitCsvLine(erpLine);
      expect(portalRecord.serial_number).toBe(cells[col('serial_number')]);
      const lagMs = Date.parse(portalRecord.opened_at) - Date.parse(cells[col('opened_at')]);
      expect(lagMs).toBeGreaterThan(0);
      expect(lagMs).toBeLessThan(86_400_000);
    }
  });

  it('per-file expected ingest counts add up to the rows in the file', () => {
    const mine = gt.files.filter((f) => f.expected);
    expect(mine.length).toBeGreaterThanOrEqual(11);
    for (const f of mine) {
      const e = f.expected!;
      expect(e.inserted + e.updated + e.unchanged + e.quarantined, f.path).toBe(e.rows_read);
      expect(e.rows_read).toBe(f.rows);
      const lines = readFileSync(join(root, 'a', f.path), 'utf8').split('\n').filter(Boolean).length;
      expect(lines - (f.path.endsWith('.csv') ? 1 : 0)).toBe(f.rows);
    }
  });
});
