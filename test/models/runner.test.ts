import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverModels, orderModels, parseSqlModel, runModels, type Model } from '../../models/runner.js';
import { build } from '../../pipeline/build.js';
import { defaultConfig, toBuildConfig } from '../../pipeline/config.js';
import { addRmas, addUnits, tempStore } from './fixtures.js';

const header = (name: string, inputs: string, extra = '', grain = 'k'): string =>
  `/* model: ${name}\n   grain: ${grain}\n   inputs: ${inputs}\n${extra}   test model */\n`;

/** A folder of SQL models (and an empty TS folder) for discoverModels. */
function modelDir(files: Record<string, string>): { sql: string; ts: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'rma-runner-'));
  const sql = join(root, 'sql');
  const ts = join(root, 'ts');
  mkdirSync(sql);
  mkdirSync(ts);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(sql, name), text);
  return { sql, ts, remove: () => rmSync(root, { recursive: true, force: true }) };
}

describe('SQL model headers', () => {
  it('reads model, grain, inputs, audits and the description', () => {
    const m = parseSqlModel(
      `/* model: x\n   grain: a, b\n   inputs: rma, models.y\n   audits: unique(a), not_null(a, b), between(r, 0, 1)\n   What x is. */\nSELECT 1;`,
      '/m/x.sql',
    );
    expect(m).toMatchObject({ name: 'x', grain: ['a', 'b'], inputs: ['rma', 'models.y'], description: 'What x is.', materialized: 'table', sql: 'SELECT 1' });
    expect(m.audits).toEqual([
      { kind: 'unique', columns: ['a'] },
      { kind: 'not_null', columns: ['a'] },
      { kind: 'not_null', columns: ['b'] },
      { kind: 'between', columns: ['r'], low: 0, high: 1 },
    ]);
  });
  it('rejects a header that does not match the file, or lacks a field, or has an unknown audit', () => {
    expect(() => parseSqlModel('/* model: y\n grain: a\n inputs: */ SELECT 1', '/m/x.sql')).toThrow(/header names model 'y' but the file is x.sql/);
    expect(() => parseSqlModel('/* model: x\n inputs: */ SELECT 1', '/m/x.sql')).toThrow(/no 'grain:' line/);
    expect(() => parseSqlModel('/* model: x\n grain: a\n inputs:\n audits: positive(a) */ SELECT 1', '/m/x.sql')).toThrow(/unknown audit 'positive\(a\)'/);
    expect(() => parseSqlModel('SELECT 1', '/m/x.sql')).toThrow(/header/);
  });
});

describe('ordering', () => {
  const m = (name: string, inputs: string[]): Model => ({ kind: 'sql', name, grain: [], inputs, audits: [], description: '', materialized: 'table', sql: 'SELECT 1', file: `${name}.sql` });
  it('puts every model after the models it reads', () => {
    const order = orderModels([m('a', ['models.c']), m('b', ['rma']), m('c', ['models.b', 'units'])]).map((x) => x.name);
    expect(order).toEqual(['b', 'c', 'a']);
  });
  it('fails on a cycle and on an input that is no model', () => {
    expect(() => orderModels([m('a', ['models.b']), m('b', ['models.a'])])).toThrow(/cycle: a → b → a/);
    expect(() => orderModels([m('a', ['models.nope'])])).toThrow(/there is no model nope/);
  });
});

describe('runModels', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  const dirs: { remove: () => void }[] = [];
  const ctx = () => ({ asOf: '2024-06-30', store: t.store, config: toBuildConfig(defaultConfig()) });
  const load = async (files: Record<string, string>): Promise<Model[]> => {
    const d = modelDir(files);
    dirs.push(d);
    return discoverModels(d.sql, d.ts);
  };
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(async () => {
    await t.cleanup();
    for (const d of dirs) d.remove();
  });

  it('materialises models in dependency order with the as-of date and reports rows and time', async () => {
    const models = await load({
      'a_last.sql': `${header('a_last', 'models.z_first')}SELECT k, d + 1 AS d FROM models.z_first`,
      'z_first.sql': `${header('z_first', '')}SELECT range AS k, getvariable('as_of') AS d FROM range(3)`,
    });
    const runs = await runModels(t.store, ctx(), { models });
    expect(runs.map((r) => [r.name, r.rows])).toEqual([['z_first', 3], ['a_last', 3]]);
    expect(runs.every((r) => r.ms >= 0)).toBe(true);
    expect(await t.store.all('SELECT DISTINCT d FROM models.a_last')).toEqual([{ d: '2024-07-01' }]);
    expect(await t.store.all('SELECT name, as_of, rows FROM models.model_runs ORDER BY name')).toEqual([
      { name: 'a_last', as_of: '2024-06-30', rows: 3 },
      { name: 'z_first', as_of: '2024-06-30', rows: 3 },
    ]);
  });

  it('pins the build variables into a view, so it reads the same rows after the build', async () => {
    const models = await load({
      'dated.sql': `${header('dated', '', '   materialized: view\n')}SELECT range AS k, getvariable('as_of') AS d, getvariable('limit_days') AS n FROM range(2)`,
    });
    await runModels(t.store, ctx(), { models, variables: { limit_days: 30 } });
    // a fresh connection: no session variables set
    const rows = await t.store.withConnection(async (conn) => (await conn.runAndReadAll('SELECT k, d::VARCHAR AS d, n FROM models.dated ORDER BY k')).getRowObjectsJS());
    expect(rows).toEqual([{ k: 0n, d: '2024-06-30', n: 30 }, { k: 1n, d: '2024-06-30', n: 30 }]);
  });

  it('fails the build when an audit returns rows, naming model, audit and a sample, and keeps the previous build', async () => {
    const good = await load({ 'rated.sql': `${header('rated', '', '   audits: between(r, 0, 1)\n')}SELECT 1 AS k, 0.5 AS r` });
    await runModels(t.store, ctx(), { models: good });
    const bad = await load({
      'rated.sql': `${header('rated', '', '   audits: between(r, 0, 1)\n')}SELECT 1 AS k, 1.5 AS r`,
    });
    await expect(runModels(t.store, ctx(), { models: bad })).rejects.toMatchObject({
      code: 'RMA_ERR_AUDIT',
      message: expect.stringMatching(/model rated: audit between\(r, 0, 1\) failed, e\.g\. \{"k":1,"r":1\.5\}/),
      details: { model: 'rated', audit: 'between(r, 0, 1)' },
    });
    expect(await t.store.all('SELECT * FROM models.rated')).toEqual([{ k: 1, r: 0.5 }]);
  });

  it('audits the grain: duplicates and NULL keys fail', async () => {
    const dup = await load({ 'dup.sql': `${header('dup', '')}SELECT 1 AS k UNION ALL SELECT 1` });
    await expect(runModels(t.store, ctx(), { models: dup })).rejects.toMatchObject({ code: 'RMA_ERR_AUDIT', details: { audit: 'unique(k)' } });
    const nul = await load({ 'nul.sql': `${header('nul', '')}SELECT NULL::INTEGER AS k` });
    await expect(runModels(t.store, ctx(), { models: nul })).rejects.toMatchObject({ code: 'RMA_ERR_AUDIT', details: { audit: 'not_null(k)' } });
  });

  it('lets a grain column marked `?` be NULL, but still audits the grain unique', async () => {
    const cohorts = await load({ 'cohorts.sql': `${header('cohorts', '', '', 'k?, d')}SELECT NULL::INTEGER AS k, 1 AS d UNION ALL SELECT 1, 1` });
    await runModels(t.store, ctx(), { models: cohorts });
    expect(await t.store.all('SELECT * FROM models.cohorts ORDER BY k NULLS FIRST')).toEqual([{ k: null, d: 1 }, { k: 1, d: 1 }]);
    const twice = await load({ 'twice.sql': `${header('twice', '', '', 'k?, d')}SELECT NULL::INTEGER AS k, 1 AS d UNION ALL SELECT NULL, 1` });
    await expect(runModels(t.store, ctx(), { models: twice })).rejects.toMatchObject({ code: 'RMA_ERR_AUDIT', details: { audit: 'unique(k, d)' } });
    const noDay = await load({ 'noday.sql': `${header('noday', '', '', 'k?, d')}SELECT 1 AS k, NULL::INTEGER AS d` });
    await expect(runModels(t.store, ctx(), { models: noDay })).rejects.toMatchObject({ code: 'RMA_ERR_AUDIT', details: { audit: 'not_null(d)' } });
  });

  it('fails a model that reads a table it does not declare', async () => {
    const sneaky = await load({ 'sneaky.sql': `${header('sneaky', 'units')}SELECT count(*) AS k FROM rma` });
    await expect(runModels(t.store, ctx(), { models: sneaky })).rejects.toMatchObject({
      code: 'RMA_ERR_BUILD',
      message: expect.stringMatching(/reads rma but does not declare it/),
    });
  });

  it('reports a broken statement as a build error naming the model and file', async () => {
    const broken = await load({ 'broken.sql': `${header('broken', '')}SELECT k FROM range(3) AS r(j)` });
    await expect(runModels(t.store, ctx(), { models: broken })).rejects.toMatchObject({ code: 'RMA_ERR_BUILD', message: expect.stringMatching(/model broken \(.*broken\.sql\) failed/) });
  });

  it('rejects an as-of date that is not YYYY-MM-DD', async () => {
    await expect(runModels(t.store, { ...ctx(), asOf: '31/12/2024' }, { models: [] })).rejects.toMatchObject({ code: 'RMA_ERR_USAGE' });
  });
});

describe('build --as-of reproduces the past', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(async () => t.cleanup());

  it('gives identical model tables for the same date after later data arrived', async () => {
    const s = t.store;
    await addUnits(s, { batch: 'R1', sku: 'R', n: 500, shippedOn: '2024-01-01', firmware: '1.0' });
    await addRmas(s, { batch: 'R1', n: 6, openedOn: '2024-03-01', inspectedOn: '2024-03-05' });
    // opened before the date, inspected after it: pending on the earlier date
    await addRmas(s, { batch: 'R1', n: 4, openedOn: '2024-05-20', inspectedOn: '2024-07-15', from: 7 });
    const snapshot = async () => ({
      batches: await s.all('SELECT * EXCLUDE (as_of) FROM models.batches ORDER BY batch_id'),
      firmware: await s.all('SELECT * EXCLUDE (as_of) FROM models.firmware ORDER BY ALL'),
    });
    await build(s, { asOf: '2024-06-01', config: defaultConfig() });
    const before = await snapshot();
    expect(before.batches[0]).toMatchObject({ confirmed_defects: 6, pending: 4, returns: 10 });

    await addRmas(s, { batch: 'R1', n: 9, openedOn: '2024-08-01', inspectedOn: '2024-08-05', from: 11 });
    await addUnits(s, { batch: 'R2', sku: 'R', n: 300, shippedOn: '2024-07-01', firmware: '1.1' });
    const later = await build(s, { asOf: '2024-09-30', config: defaultConfig() });
    expect(later.as_of).toBe('2024-09-30');
    expect((await snapshot()).batches).not.toEqual(before.batches);

    await build(s, { asOf: '2024-06-01', config: defaultConfig() });
    expect(await snapshot()).toEqual(before);
  });
});
