import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWorld, type GeneratedDemo, type PlantedFault } from '../../data/generate/index.js';
import { ingest } from '../../ingest/index.js';
import { build } from '../../pipeline/build.js';
import { defaultConfig } from '../../pipeline/config.js';
import { gate, gateExitCode } from '../../pipeline/gate.js';
import { openStore, type Store } from '../../pipeline/store.js';

/**
 * The generator plants faults in a seeded world and writes what an analysis must conclude to
 * ground-truth.json. Ingest every file, build as of the world's date, and check each planted fault is
 * found — and that nothing clean is flagged.
 */
describe('demo world: every planted fault found, nothing clean flagged', () => {
  let dir: string;
  let demo: GeneratedDemo;
  let store: Store;
  const planted = (kind: string): PlantedFault[] => demo.groundTruth.planted.filter((p) => p.kind === kind);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rma-demo-world-'));
    demo = await generateDemoWorld({ outDir: join(dir, 'world') });
    store = await openStore(join(dir, 'demo.duckdb'));
    await ingest(store, demo.files.map((f) => join(demo.outDir, f.path)));
    await build(store, { asOf: demo.groundTruth.as_of, config: defaultConfig() });
    // generate + ingest + build of ~110k units: seconds on an idle machine, minutes on a shared one
  }, 600_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives planted batch faults their expected status', async () => {
    const faults = [...planted('batch_defect'), ...planted('batch_wear_out')];
    expect(faults.length).toBeGreaterThanOrEqual(2);
    for (const f of faults) {
      const row = await store.one<{ status: string; defect_rate: number; projected_rate: number }>('SELECT * FROM models.batches WHERE batch_id = $1', [f.subject_id]);
      expect(row, f.subject_id).toBeDefined();
      expect(row!.status, `${f.id} ${f.subject_id}`).toBe(f.expected.status);
      if (typeof f.expected.defect_rate_above === 'number') expect(row!.defect_rate).toBeGreaterThan(f.expected.defect_rate_above);
      if (typeof f.expected.defect_rate_below === 'number') expect(row!.defect_rate).toBeLessThan(f.expected.defect_rate_below);
      if (typeof f.expected.projected_rate_above === 'number') expect(row!.projected_rate).toBeGreaterThan(f.expected.projected_rate_above);
    }
  });

  it('opens a batch alert for each breaching planted batch, its evidence the first keys of its confirmed defects', async () => {
    const alerts = await store.all<{ subject_id: string; evidence: { rma_keys: string[]; rma_count: number } }>("SELECT subject_id, evidence FROM alerts WHERE rule = 'batch_status'");
    const breaching = planted('batch_defect').filter((f) => ['breach', 'confirmed_breach'].includes(String(f.expected.status)));
    expect(breaching.length).toBeGreaterThanOrEqual(1);
    for (const f of breaching) {
      const alert = alerts.find((a) => a.subject_id === f.subject_id);
      expect(alert, f.subject_id).toBeDefined();
      const evidence = alert!.evidence;
      // counted from the lines independently of the batch_quality pass that stored them
      const keys = (await store.all<{ rma_key: string }>('SELECT rma_key FROM models.stg_rma WHERE batch_id = $1 AND is_confirmed_defect ORDER BY rma_key', [f.subject_id])).map((r) => r.rma_key);
      expect(evidence.rma_count).toBe(keys.length);
      expect(evidence.rma_keys).toEqual(keys.slice(0, 20));
    }
  });

  it('keeps clean batches ok and young batches out of breach', async () => {
    const rows = new Map((await store.all<{ batch_id: string; status: string }>('SELECT batch_id, status FROM models.batches')).map((r) => [r.batch_id, r.status]));
    const clean = demo.groundTruth.clean.batches;
    expect(clean.length).toBeGreaterThan(10);
    expect(Object.fromEntries(clean.map((b) => [b, rows.get(b)]))).toEqual(Object.fromEntries(clean.map((b) => [b, 'ok'])));
    for (const b of demo.groundTruth.clean.young_batches) expect(['breach', 'confirmed_breach'], b).not.toContain(rows.get(b));
  });

  it('flags the firmware regression on every SKU it hit', async () => {
    for (const f of planted('firmware_effect')) {
      const skus = (f.expected.skus as string[] | undefined) ?? [f.sku!];
      for (const sku of skus) {
        const cell = await store.one<{ flagged: boolean; relative_risk: number }>(
          'SELECT * FROM models.firmware WHERE firmware_version = $1 AND sku = $2 AND failure_code = $3',
          [f.subject_id, sku, f.failure_code!],
        );
        expect(cell?.flagged, `${f.subject_id} ${sku} ${f.failure_code}`).toBe(f.expected.flagged);
      }
    }
  });

  it('does not flag the build × code pair confounded by the bad batch', async () => {
    const [f] = planted('firmware_confounder');
    const cell = await store.one<{ flagged: boolean; relative_risk: number; crude_relative_risk: number }>(
      'SELECT * FROM models.firmware WHERE firmware_version = $1 AND sku = $2 AND failure_code = $3',
      [f.subject_id, f.sku!, f.failure_code!],
    );
    expect(cell!.flagged).toBe(false);
    expect(cell!.crude_relative_risk).toBeGreaterThan(f.expected.crude_rate_ratio_above as number);
    const [low, high] = f.expected.stratified_rate_ratio_between as [number, number];
    expect(cell!.relative_risk).toBeGreaterThan(low);
    expect(cell!.relative_risk).toBeLessThan(high);
  });

  it('flags nothing on clean builds beyond their planted codes', async () => {
    const flagged = await store.all<{ firmware_version: string; sku: string; failure_code: string }>(
      'SELECT firmware_version, sku, failure_code FROM models.firmware WHERE flagged ORDER BY ALL',
    );
    const allowed = new Map(demo.groundTruth.clean.builds.map((b) => [`${b.sku}@${b.firmware_version}`, b.except_codes]));
    const unexpected = flagged.filter((c) => !(allowed.get(`${c.sku}@${c.firmware_version}`) ?? []).includes(c.failure_code));
    expect(unexpected).toEqual([]);
    expect(flagged.length).toBeGreaterThan(0);
  });

  it('reaches every planted gate verdict against the expected baseline', async () => {
    const gates = planted('release_gate');
    expect(gates.map((g) => g.expected.verdict).sort()).toEqual(['go', 'hold', 'insufficient_evidence']);
    for (const g of gates) {
      const result = await gate(store, { candidate: g.subject_id, sku: g.sku, config: defaultConfig() });
      expect(result.verdict, `${g.id}: ${result.reasons.join(' | ')}`).toBe(g.expected.verdict);
      expect(gateExitCode(result.verdict)).toBe(g.expected.exit_code);
      expect(result.baseline).toBe(g.expected.baseline);
      if (g.failure_code) {
        expect(result.failure_codes.filter((c) => c.regression).map((c) => c.failure_code)).toEqual([g.failure_code]);
      }
    }
  });
});
