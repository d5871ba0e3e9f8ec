import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../pipeline/config.js';
import { addRmas, addUnits, tempStore } from './fixtures.js';

const run = promisify(execFile);
const cli = join(process.cwd(), 'dist/bin/rma-intel.js');

async function rma(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', [cli, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('configuration', () => {
  it('fills every default from an empty object and keeps given values', () => {
    const c = parseConfig({ batches: { threshold: 0.03 }, firmware: { age_bands: [60, 365] } });
    expect(c.batches).toMatchObject({ threshold: 0.03, min_units: 100, sku_thresholds: {} });
    expect(c.firmware.age_bands).toEqual([60, 365]);
    expect(c.gate).toMatchObject({ q_threshold: 0.05, unacceptable_ratio: 2 });
  });
  it('names the file and the key of a bad value, and rejects unknown keys', () => {
    expect(() => parseConfig({ batches: { threshold: 2 } }, 'my.json')).toThrow(/my\.json: invalid configuration: batches\.threshold/);
    expect(() => parseConfig({ batches: { treshold: 0.02 } }, 'my.json')).toThrow(/treshold/);
  });
  it('loads a file, and says when a named file is missing or not JSON', async () => {
    const t = await tempStore();
    try {
      const good = join(t.dir, 'good.json');
      writeFileSync(good, JSON.stringify({ batches: { sku_thresholds: { X: 0.01 } } }));
      expect(loadConfig(good).batches.sku_thresholds).toEqual({ X: 0.01 });
      expect(() => loadConfig(join(t.dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'RMA_ERR_FILE_NOT_FOUND' }));
      const bad = join(t.dir, 'bad.json');
      writeFileSync(bad, '{ batches: ');
      expect(() => loadConfig(bad)).toThrow(/bad\.json: not valid JSON/);
    } finally {
      await t.cleanup();
    }
  });
});

describe('rma-intel build (CLI)', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('build first: npx tsc -p tsconfig.json');
    t = await tempStore();
    // a batch far over the 2 % threshold, so the batch alert opens
    await addUnits(t.store, { batch: 'HOT', sku: 'H', n: 500, shippedOn: '2024-01-01', firmware: '1.0' });
    await addRmas(t.store, { batch: 'HOT', n: 60, openedOn: '2024-04-01', inspectedOn: '2024-04-03' });
    await t.store.close();
  });
  afterAll(async () => t.cleanup());

  it('prints the CONTRACT §4 JSON and logs progress on stderr', async () => {
    const r = await rma(['build', '--db', t.path, '--as-of', '2024-12-31', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['alerts', 'as_of', 'models']);
    expect(out.as_of).toBe('2024-12-31');
    expect(out.models.find((m: { name: string }) => m.name === 'batches')).toMatchObject({ rows: 1 });
    for (const m of out.models) expect(Object.keys(m).sort()).toEqual(['ms', 'name', 'rows']);
    expect(Object.keys(out.alerts).sort()).toEqual(['open', 'opened', 'resolved']);
    expect(r.stderr).toMatch(/built batches: 1 rows/);
  });

  it('exits 1 with --fail-on-alert while alerts are open', async () => {
    const r = await rma(['build', '--db', t.path, '--as-of', '2024-12-31', '--json', '--fail-on-alert']);
    const out = JSON.parse(r.stdout);
    expect(out.alerts.open).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it('exits 2 on a bad date or a bad config file, naming it', async () => {
    const bad = await rma(['build', '--db', t.path, '--as-of', '2024-13-45']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/as-of date must be YYYY-MM-DD|2024-13-45/);
    const cfg = join(t.dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ gate: { sprt_alpha: 0.9 } }));
    const badCfg = await rma(['build', '--db', t.path, '--config', cfg]);
    expect(badCfg.code).toBe(2);
    expect(badCfg.stderr).toMatch(/cfg\.json: invalid configuration: gate\.sprt_alpha/);
  });
});
