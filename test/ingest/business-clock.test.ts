import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockLines } from '../../ingest/normalise/business-clock.js';
import { normaliseRma } from '../../ingest/normalise/index.js';
import { discoverModels, runModels } from '../../models/runner.js';
import { slaCalendar } from '../../pipeline/model-variables.js';
import type { Store } from '../../pipeline/store.js';
import { testConfig } from '../reports/helpers.js';
import { ingestLines, tempStore } from './helpers.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const header = 'rma_number,opened_at,approved_at,resolved_at,serial_number,sku,return_reason';
type Clocked = { rma_key: string; clock_calendar: string | null; opened_clock: number | null; approved_clock: number | null; resolved_clock: number | null };
const clocks = (): Promise<Clocked[]> =>
  store.all<Clocked>('SELECT rma_key, clock_calendar, opened_clock, approved_clock, resolved_clock FROM rma ORDER BY rma_key');
const hours = (a: number | null, b: number | null): number => ((b ?? NaN) - (a ?? NaN)) / 3600;
const christmas = slaCalendar(['2025-12-25', '2025-12-26']);

describe('stage times on the SLA business clock, read as lines land', () => {
  it('reads new lines on landing, again when a line changes, and every line again on a build\'s other calendar', async () => {
    // R1: Friday 2025-12-19 17:00 → Monday 22 Dec 09:00: 7 h of Friday + 9 h of Monday; resolved Wednesday
    // 24 Dec 09:00 → Monday 29 Dec 09:00 across Christmas. R2: opened on a Saturday, approved Monday 08:00.
    await ingestLines(store, dir, [header,
      'R1,2025-12-19T17:00:00Z,2025-12-22T09:00:00Z,2025-12-29T09:00:00Z,SN1,A,defective',
      'R2,2025-12-20T10:00:00Z,2025-12-22T08:00:00Z,,SN2,A,defective']);
    let [r1, r2] = await clocks();
    expect([r1.clock_calendar, r2.clock_calendar]).toEqual(['weekdays', 'weekdays']);
    expect(hours(r1.opened_clock, r1.approved_clock)).toBe(16);
    expect(hours(r2.opened_clock, r2.approved_clock)).toBe(8);                   // the weekend adds nothing
    expect(r2.resolved_clock).toBeNull();
    expect(hours(r1.approved_clock, r1.resolved_clock)).toBe(5 * 24);              // Mon 22 → Mon 29: five business days
    // Monday 2025-12-22 00:00 is business day 14,600 since Monday 1970-01-05 (2,920 weeks)
    expect(r1.approved_clock).toBe(14_600 * 86_400 + 9 * 3600);

    // nothing left to read; a corrected line lands unread and is read again
    await store.withConnection(async (conn) => expect(await clockLines(conn, slaCalendar([]))).toBe(0));
    await ingestLines(store, dir, [header, 'R2,2025-12-20T10:00:00Z,2025-12-23T08:00:00Z,,SN2,A,defective']);
    [, r2] = await clocks();
    expect(hours(r2.opened_clock, r2.approved_clock)).toBe(32);

    // a build on a calendar with Christmas holidays reads every line on it: the holidays add nothing either
    await store.withConnection(async (conn) => expect(await normaliseRma(conn, { calendar: christmas })).toMatchObject({ clocked: 2 }));
    [r1] = await clocks();
    expect(r1.clock_calendar).toBe(christmas.sla_calendar);
    expect(hours(r1.approved_clock, r1.resolved_clock)).toBe(3 * 24);              // Mon 22, Tue 23, Wed 24

    // a line landing later is read on the configuration file's calendar; the lines the build read on its own
    // stay as they are (the next build reads the new one on its calendar)
    await ingestLines(store, dir, [header, 'R3,2025-12-22T09:00:00Z,,,SN3,A,defective']);
    expect((await clocks()).map((r) => r.clock_calendar)).toEqual([christmas.sla_calendar, christmas.sla_calendar, 'weekdays']);
    await store.withConnection(async (conn) => expect(await clockLines(conn, christmas)).toBe(1));
  });

  it('the SLA view stops on a line read on another calendar instead of timing it wrongly', async () => {
    await ingestLines(store, dir, [header, 'R1,2025-12-19T17:00:00Z,2025-12-22T09:00:00Z,,SN1,A,defective']);
    const models = (await discoverModels()).filter((m) => ['rpt_rma', 'sla_items', 'sla_groups'].includes(m.name));
    const ctx = { asOf: '2026-01-31', store, config: testConfig() };
    // the lines carry the weekday calendar; the build is given the Christmas one without reading them on it
    await expect(runModels(store, ctx, { models, variables: { ...christmas } })).rejects.toMatchObject({
      code: 'RMA_ERR_BUILD',
      message: expect.stringMatching(/RMA line .*R1.* was not read on the SLA calendar of this build/),
    });
    await store.withConnection((conn) => clockLines(conn, christmas));
    await expect(runModels(store, ctx, { models, variables: { ...christmas } })).resolves.toHaveLength(3);
  });
});
