import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../pipeline/alerts/index.js';
import { openStore } from '../../pipeline/store.js';
import { insert, rmaLine, runModels, tempStore, testConfig } from './helpers.js';

/** The compiled CLI as a child process (build first: npx tsc -p tsconfig.json). */
const cli = resolve('dist/bin/rma-intel.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('rma-intel report and alerts', () => {
  let dir: string;
  let db: string;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const t = await tempStore();
    ({ dir, dispose } = t);
    db = join(dir, 'test.duckdb');
    const store = t.store;
    await insert(store, 'reserve_plan', [{ sku: '*', effective_from: '2024-01-01', reserve_per_unit: 100, currency: 'EUR' }]);
    await store.run(`INSERT INTO units (serial_number, sku, shipped_at) SELECT 'S' || i, CASE WHEN i < 5 THEN 'A' ELSE '=B' END, TIMESTAMPTZ '2025-01-10 00:00:00+00' FROM range(10) AS t(i)`);
    await insert(store, 'rma', [2, 3].map((m) => rmaLine(m, {
      serial_number: `S${m}`, return_reason: 'defective', resolution: 'repair', cost_labor: 200,
      opened_at: `2025-0${m}-05T00:00:00Z`, resolved_at: `2025-0${m}-07T00:00:00Z`,
    })));
    await runModels(store, '2025-03-31', ['reserve']);
    const config = testConfig({ settings: { alerts: { reserve_shortfall: { enabled: false } } } });
    await evaluateAlerts(store, { asOf: '2025-03-31', store, config });
    await store.close();
  });
  afterAll(async () => dispose());

  it('prints a report as JSON with filters', () => {
    const r = run(['report', 'reserve', '--sku', 'A', '--from', '2025-02-01', '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { month: string; balance: number }) => [x.month, x.balance])).toEqual([['2025-02-01', 300], ['2025-03-01', 100]]);
  });

  it('writes CSV with formula-looking cells neutralised', () => {
    const r = run(['report', 'reserve', '--db', db, '--csv', '--to', '2025-01-31']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\r\n');
    expect(lines[0].startsWith('month,sku,units_shipped,accrual,cost_paid,cumulative_accrual,cumulative_cost,balance,burn_ratio,forecast_liability,forecast_low,forecast_high,runway_months,currency')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(["2025-01-01,'=B,5,500", '2025-01-01,A,5,500']);
  });

  it('writes Arrow IPC and Parquet files', async () => {
    const arrow = join(dir, 'reserve.arrow');
    const written = run(['report', 'reserve', '--db', db, '--arrow', arrow]);
    expect(written.status, written.stderr).toBe(0);
    const table = tableFromIPC(readFileSync(arrow));
    expect(table.numRows).toBe(6);
    expect(table.getChild('balance')!.toArray()[5]).toBe(100);

    const parquet = join(dir, 'reserve.parquet');
    const r = run(['report', 'reserve', '--sku', 'A', '--db', db, '--parquet', parquet]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote 3 rows');
    const reader = await openStore(':memory:');
    try {
      const rows = await reader.all(`SELECT month, sku, balance FROM read_parquet('${parquet}') ORDER BY month`);
      expect(rows).toEqual([
        { month: '2025-01-01', sku: 'A', balance: 500 },
        { month: '2025-02-01', sku: 'A', balance: 300 },
        { month: '2025-03-01', sku: 'A', balance: 100 },
      ]);
    } finally {
      await reader.close();
    }
  });

  it('exits 2 with a clear message on a bad report name', () => {
    const bad = run(['report', 'nope', '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown report 'nope'");
  });

  it('lists alerts and acknowledges one', () => {
    const list = run(['alerts', '--db', db, '--json']);
    expect(list.status, list.stderr).toBe(0);
    const alerts = JSON.parse(list.stdout) as { id: string; rule: string; subject_id: string; state: string }[];
    // A: balance 100 burning 400 / 3 a month; =B: 500 and no burn (no runway to judge).
    expect(alerts.map((a) => [a.rule, a.subject_id, a.state])).toEqual([['reserve_runway', 'A', 'open']]);
    const ack = run(['alerts', 'ack', alerts[0].id, '--note', 'plan raised', '--db', db, '--json']);
    expect(ack.status, ack.stderr).toBe(0);
    expect(JSON.parse(ack.stdout)).toMatchObject({ id: alerts[0].id, state: 'acknowledged', ack_note: 'plan raised' });
    expect(JSON.parse(run(['alerts', '--db', db, '--json']).stdout)).toEqual([]);
    expect(JSON.parse(run(['alerts', '--state', 'all', '--db', db, '--json']).stdout)).toHaveLength(1);
  });
});
