import { mkdtempSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../pipeline/store.js';
import { cli, fixture } from './helpers.js';

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rma-ingest-cli-'));
  db = join(dir, 'cli.duckdb');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function counts(): Promise<{ rma: number; landing: number; runs: number; quarantine: number }> {
  const store = await openStore(db, { readOnly: true });
  try {
    const row = await store.one<{ rma: number; landing: number; runs: number; quarantine: number }>(
      'SELECT (SELECT count(*) FROM rma) AS rma, (SELECT count(*) FROM landing) AS landing, (SELECT count(*) FROM ingest_runs) AS runs, (SELECT count(*) FROM quarantine) AS quarantine');
    return row!;
  } finally {
    await store.close();
  }
}

describe('rma-intel ingest / quarantine (CLI)', () => {
  it('ingests with --json exactly in the CONTRACT §4 shape; bad rows are exit 0 and listed by quarantine', async () => {
    const r = cli(['ingest', fixture('basic.csv'), fixture('bad-rows.csv'), '--db', db, '--json', '--source', 'dealer-portal']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['run_id', 'files', 'totals']);
    expect(out.files.map((f: Record<string, unknown>) => Object.keys(f))).toEqual([
      ['path', 'format', 'rows_read', 'inserted', 'updated', 'unchanged', 'quarantined'],
      ['path', 'format', 'rows_read', 'inserted', 'updated', 'unchanged', 'quarantined'],
    ]);
    expect(out.totals).toEqual({ rows_read: 9, inserted: 6, updated: 0, unchanged: 0, quarantined: 3 });
    const q = cli(['quarantine', '--run', out.run_id, '--db', db, '--json']);
    expect(q.status).toBe(0);
    const rows = JSON.parse(q.stdout);
    expect(rows.map((x: { row_number: number }) => x.row_number)).toEqual([2, 3, 4]);
    expect(rows[0]).toMatchObject({ run_id: out.run_id, source: 'dealer-portal', file_path: fixture('bad-rows.csv') });
    const text = cli(['quarantine', '--db', db]);
    expect(text.stdout).toContain(`${fixture('bad-rows.csv')}, row 2`);
    expect(text.stdout).toContain('opened_at: cannot parse "31/31/2024"');
  });

  it('files that cannot be read are exit 2 (each kind is covered in bad-input.test.ts) with a message naming the file (and column), and write nothing', async () => {
    const before = await counts();
    const unreadable = join(dir, 'unreadable.csv');
    writeFileSync(unreadable, 'rma_number,opened_at\nX,2024-01-01\n');
    chmodSync(unreadable, 0o000);
    const cases: [string[], RegExp][] = [
      [[join(dir, 'nope.csv')], /nope\.csv: file not found/],
      [[fixture('missing-columns.csv'), '--format', 'canonical-csv'], /missing-columns\.csv: missing required columns rma_number .*opened_at/],
      // one bad file among good ones: checked before anything is written
      [[fixture('basic-v2.csv'), fixture('binary.csv')], /binary\.csv/],
    ];
    // root can read mode-000 files: only expect the unreadable case when it really is unreadable
    if (process.getuid?.() !== 0) cases.push([[unreadable], /unreadable\.csv: cannot read/]);
    for (const [args, message] of cases) {
      const r = cli(['ingest', ...args, '--db', db, '--json']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(JSON.parse(r.stdout).error.code).toMatch(/^RMA_ERR_/);
    }
    const missing = cli(['ingest', fixture('missing-columns.csv'), '--format', 'canonical-csv', '--db', db, '--json']);
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'RMA_ERR_MISSING_COLUMNS', details: { file: fixture('missing-columns.csv'), column: 'rma_number' } });
    expect(await counts()).toEqual(before);
  });

  it('export writes the canonical and model tables as Parquet partitioned by month that reads back with identical counts, and no key hashes', async () => {
    expect(cli(['build', '--as-of', '2024-06-30', '--db', db]).status).toBe(0);
    expect(cli(['keys', 'create', '--role', 'viewer', '--name', 'exporter', '--db', db]).status).toBe(0);
    const out = join(dir, 'export');
    const r = cli(['export', '--out', out, '--db', db, '--json']);
    expect(r.status).toBe(0);
    const tables = JSON.parse(r.stdout) as { table: string; rows: number; path: string; month_from: string | null }[];
    const rma = tables.find((t) => t.table === 'rma')!;
    expect(rma).toMatchObject({ month_from: 'opened_at', rows: 6 });
    expect(existsSync(join(out, 'rma', 'month=2024-03'))).toBe(true);
    expect(tables.map((t) => t.table)).not.toContain('api_keys');
    expect(existsSync(join(out, 'api_keys'))).toBe(false);
    const reserve = tables.find((t) => t.table === 'models.reserve_monthly')!;
    expect(reserve).toMatchObject({ month_from: 'month', path: join(out, 'models', 'reserve_monthly') });
    expect(tables.find((t) => t.table === 'models.rpt_rma')?.rows).toBe(6);
    const store = await openStore(':memory:', { taxonomy: false });
    try {
      for (const t of tables) {
        const back = await store.one<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${t.path}/**/*.parquet', hive_partitioning = true)`);
        expect(back?.n ?? 0, t.table).toBe(t.rows);
      }
      const months = await store.all(`SELECT month, count(*) AS n FROM read_parquet('${rma.path}/**/*.parquet', hive_partitioning = true) GROUP BY month ORDER BY month`);
      expect(months).toEqual([{ month: '2024-03', n: 4 }, { month: '2024-05', n: 2 }]);
    } finally {
      await store.close();
    }
  });
});
