import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/config.js';
import { holidayClock, modelVariables } from '../../pipeline/model-variables.js';
import { report } from '../../pipeline/report.js';
import { insert, rmaLine, runModels, tempStore } from './helpers.js';

type Row = Record<string, unknown>;

describe('SLA in business time', () => {
  it('does not count the weekend against response, inspection or resolution', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'rma', [
        // Friday 16:00 → Monday 10:00: 66 h on the clock, 8 + 10 = 18 business hours.
        rmaLine(1, { sku: 'A', opened_at: '2025-01-03T16:00:00Z', approved_at: '2025-01-06T10:00:00Z',
          // received Friday 12:00, inspected Monday 11:00: 12 + 11 = 23 business hours.
          received_at: '2025-01-10T12:00:00Z', inspected_at: '2025-01-13T11:00:00Z',
          // resolved six weeks later at the same hour: exactly 30 working days.
          resolved_at: '2025-02-14T16:00:00Z' }),
        // Friday 09:00 → Tuesday 12:00: 15 + 24 + 12 = 51 business hours. Resolved Monday 2025-02-17 16:00:
        // 30 working days to Friday 2025-02-14 09:00, then 15 h that Friday + 16 h on Monday = 31 h → 31.29 days.
        rmaLine(2, { sku: 'A', opened_at: '2025-01-03T09:00:00Z', approved_at: '2025-01-07T12:00:00Z', resolved_at: '2025-02-17T16:00:00Z' }),
        // Still open on Monday 2025-03-31: 21 working days (March 3 – March 31), not yet overdue; never approved.
        rmaLine(3, { sku: 'A', opened_at: '2025-03-03T00:00:00Z' }),
      ]);
      await runModels(store, '2025-03-31', ['sla']);
      const items = await store.all<Row>('SELECT * FROM models.sla_items ORDER BY rma_key');
      expect(items.map((r) => [r.response_hours, r.response_met, r.inspection_hours, r.inspection_met, r.resolution_working_days, r.resolution_met, r.status])).toEqual([
        [18, true, 23, true, 30, true, 'resolved_in_time'],
        [51, false, null, null, 31.29, false, 'resolved_late'],
        [null, false, null, null, null, null, 'open'],
      ]);
      expect(items[2]).toMatchObject({ open: true, age_working_days: 21 });

      const jan = (await report(store, 'sla', { sku: 'A', from: '2025-01-01', to: '2025-01-31' }))[0];
      expect(jan).toMatchObject({ month: '2025-01-01', rmas: 2, response_decided: 2, response_met_rate: 0.5, inspection_decided: 1, inspection_met_rate: 1, resolution_met_rate: 0.5, open: 0 });
      const mar = (await report(store, 'sla', { sku: 'A', from: '2025-03-01' }))[0];
      expect(mar).toMatchObject({ rmas: 1, open: 1, open_overdue: 0, resolution_decided: 0, resolution_met_rate: null, oldest_open_working_days: 21 });

      // Two weeks later the same open line is past 30 working days: overdue, and the promise is broken.
      await runModels(store, '2025-04-14', ['sla']);
      expect(await store.one<Row>("SELECT status, resolution_met, age_working_days FROM models.sla_items WHERE rma_key = 't::R3:1'"))
        .toEqual({ status: 'open_overdue', resolution_met: false, age_working_days: 31 });
    } finally {
      await dispose();
    }
  });
});

describe('SLA groups (one pass for sla and dealers)', () => {
  it('counts lines with a SKU at the month levels and every line at the dealer level', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'rma', [
        // Monday 09:00, approved the same day at 11:00 (2 h), resolved after 2 working days
        rmaLine(1, { sku: 'A', dealer_id: 'D1', opened_at: '2025-01-06T09:00:00Z', approved_at: '2025-01-06T11:00:00Z', resolved_at: '2025-01-08T09:00:00Z' }),
        // approved after 72 business hours (late), resolved after 10 working days
        rmaLine(2, { sku: 'B', dealer_id: 'D1', opened_at: '2025-01-06T09:00:00Z', approved_at: '2025-01-09T09:00:00Z', resolved_at: '2025-01-20T09:00:00Z' }),
        // no SKU anywhere (not in the registry): left out of the month rows, counted for its dealer
        rmaLine(3, { dealer_id: null, opened_at: '2025-01-07T09:00:00Z', approved_at: '2025-01-07T10:00:00Z', resolved_at: '2025-01-13T09:00:00Z' }),
      ]);
      await runModels(store, '2025-01-31', ['sla', 'dealers']);
      const groups = await store.all<Row>(`SELECT level, month::VARCHAR AS month, sku, dealer_id, rmas, response_met_rate, median_resolution_working_days, p90_resolution_working_days
        FROM models.sla_groups ORDER BY level, sku, dealer_id`);
      expect(groups).toEqual([
        { level: 'dealer', month: null, sku: null, dealer_id: '(direct)', rmas: 1, response_met_rate: 1, median_resolution_working_days: 4, p90_resolution_working_days: 4 },
        { level: 'dealer', month: null, sku: null, dealer_id: 'D1', rmas: 2, response_met_rate: 0.5, median_resolution_working_days: 6, p90_resolution_working_days: 9.2 },
        { level: 'month', month: '2025-01-01', sku: '*', dealer_id: null, rmas: 2, response_met_rate: 0.5, median_resolution_working_days: 6, p90_resolution_working_days: 9.2 },
        { level: 'month_sku', month: '2025-01-01', sku: 'A', dealer_id: null, rmas: 1, response_met_rate: 1, median_resolution_working_days: 2, p90_resolution_working_days: 2 },
        { level: 'month_sku', month: '2025-01-01', sku: 'B', dealer_id: null, rmas: 1, response_met_rate: 0, median_resolution_working_days: 10, p90_resolution_working_days: 10 },
      ]);
      expect(await report(store, 'sla', {})).toHaveLength(3);
      expect(await store.all<Row>('SELECT dealer_id, response_met_rate, median_resolution_working_days FROM models.dealers ORDER BY dealer_id')).toEqual([
        { dealer_id: '(direct)', response_met_rate: 1, median_resolution_working_days: 4 },
        { dealer_id: 'D1', response_met_rate: 0.5, median_resolution_working_days: 6 },
      ]);
    } finally {
      await dispose();
    }
  });
});

describe('SLA holidays and limits (settings `sla`)', () => {
  it('indexes weekday holidays by day number; weekend holidays and duplicates change nothing', () => {
    // 2025-12-25 is a Thursday (day 20447), 2025-12-27 a Saturday.
    expect(holidayClock(['2025-12-26', '2025-12-25', '2025-12-27', '2025-12-25'])).toEqual({
      sla_holiday_from: 20447, sla_holiday_last: 2, sla_holidays_before: [0, 1, 2],
    });
    expect(holidayClock([])).toEqual({ sla_holiday_from: 0, sla_holiday_last: 0, sla_holidays_before: [0] });
    expect(() => parseConfig({ sla: { holidays: ['2025-02-30'] } })).toThrow(/sla\.holidays\.0: not a calendar date/);
  });

  it('stops the clock on holidays and judges against the configured limits', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'rma', [
        // Wednesday 24 Dec 09:00 → Monday 29 Dec 10:00 over Christmas (Thu 25, Fri 26 holidays):
        // 15 + 10 = 25 business hours (73 without the holidays). Received on the holiday at 12:00,
        // inspected Monday 11:00: the clock starts Monday 00:00 → 11 h (47 without).
        rmaLine(1, { sku: 'A', opened_at: '2025-12-24T09:00:00Z', approved_at: '2025-12-29T10:00:00Z',
          received_at: '2025-12-25T12:00:00Z', inspected_at: '2025-12-29T11:00:00Z',
          // Wed 24 → Wed 31 Dec 09:00: Wed, Mon, Tue = 3 working days (5 without).
          resolved_at: '2025-12-31T09:00:00Z' }),
      ]);
      const asOf = '2026-01-31';
      const read = (): Promise<Row | undefined> => store.one<Row>('SELECT response_hours, response_met, inspection_hours, inspection_met, resolution_working_days, resolution_met FROM models.sla_items');
      await runModels(store, asOf, ['sla']);
      expect(await read()).toEqual({ response_hours: 73, response_met: false, inspection_hours: 47, inspection_met: true, resolution_working_days: 5, resolution_met: true });

      const settings = parseConfig({ sla: { holidays: ['2025-12-25', '2025-12-26'], response_hours: 24, resolution_working_days: 2 } });
      await runModels(store, asOf, ['sla'], undefined, modelVariables(settings));
      expect(await read()).toEqual({ response_hours: 25, response_met: false, inspection_hours: 11, inspection_met: true, resolution_working_days: 3, resolution_met: false });
    } finally {
      await dispose();
    }
  });
});

describe('repeat returns', () => {
  it('follows replacement chains, counts replacements against the limit, and restarts warranty for DOA only', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'warranty_policies', [
        { sku: 'A', effective_from: '2020-01-01', warranty_months: 12, doa_days: 30, max_replacements: 1, restart_on_replacement: 'doa_only' },
        { sku: 'B', effective_from: '2020-01-01', warranty_months: 12, doa_days: 30, max_replacements: 1, restart_on_replacement: 'always' },
      ]);
      await insert(store, 'units', [
        { serial_number: 'X1', sku: 'A', shipped_at: '2025-01-01T00:00:00Z' },
        { serial_number: 'Y1', sku: 'A', shipped_at: '2025-01-01T00:00:00Z' },
        { serial_number: 'Z1', sku: 'B', shipped_at: '2025-01-01T00:00:00Z' },
        { serial_number: 'W1', sku: 'A', shipped_at: '2025-01-01T00:00:00Z' },
      ]);
      const d = { return_reason: 'defective' };
      await insert(store, 'rma', [
        // X1 dead on arrival (day 9) → X2; X2 fails in June → X3 (a second replacement); X3 repaired in August.
        rmaLine(1, { ...d, serial_number: 'X1', sku: 'A', opened_at: '2025-01-10T00:00:00Z', resolution: 'replace', replacement_serial: 'X2', resolved_at: '2025-01-12T00:00:00Z' }),
        rmaLine(2, { ...d, serial_number: 'X2', sku: 'A', opened_at: '2025-06-01T00:00:00Z', resolution: 'replace', replacement_serial: 'X3', resolved_at: '2025-06-05T00:00:00Z' }),
        rmaLine(3, { ...d, serial_number: 'X3', sku: 'A', opened_at: '2025-08-01T00:00:00Z', resolution: 'repair', resolved_at: '2025-08-03T00:00:00Z' }),
        // Y1 replaced after the DOA window: its warranty does not restart.
        rmaLine(4, { ...d, serial_number: 'Y1', sku: 'A', opened_at: '2025-03-01T00:00:00Z', resolution: 'replace', replacement_serial: 'Y2', resolved_at: '2025-03-03T00:00:00Z' }),
        // Z1's brand restarts warranty on every replacement.
        rmaLine(5, { ...d, serial_number: 'Z1', sku: 'B', opened_at: '2025-05-01T00:00:00Z', resolution: 'replace', replacement_serial: 'Z2', resolved_at: '2025-05-02T00:00:00Z' }),
        // W1: one repair, not a repeat.
        rmaLine(6, { ...d, serial_number: 'W1', sku: 'A', opened_at: '2025-05-01T00:00:00Z', resolution: 'repair', resolved_at: '2025-05-02T00:00:00Z' }),
      ]);
      await runModels(store, '2025-12-31', ['repeats']);
      const rows = await store.all<Row>('SELECT * FROM models.repeats ORDER BY serial_number');
      expect(rows.map((r) => [r.serial_number, r.chain_serials, r.returns, r.is_repeat, r.replacements, r.over_replacement_limit, r.doa_replacements, r.warranty_restarted_at, r.warranty_end, r.in_warranty])).toEqual([
        ['X1', ['X1', 'X2', 'X3'], 3, true, 2, true, 1, '2025-01-12T00:00:00.000Z', '2026-01-12T00:00:00.000Z', true],
        ['Y1', ['Y1'], 1, false, 1, false, 0, null, '2026-01-01T00:00:00.000Z', true],
        ['Z1', ['Z1'], 1, false, 1, false, 0, '2025-05-02T00:00:00.000Z', '2026-05-02T00:00:00.000Z', true],
      ]);
      expect(rows[0].rma_keys).toEqual(['t::R1:1', 't::R2:1', 't::R3:1']);
      expect((await report(store, 'repeats'))[0].serial_number).toBe('X1'); // most returns first
    } finally {
      await dispose();
    }
  });

  it('counts only the lines that were not cancelled, also for unregistered units, and follows a unit exchanged twice', async () => {
    const { store, dispose } = await tempStore();
    try {
      await insert(store, 'warranty_policies', [
        { sku: 'A', effective_from: '2020-01-01', warranty_months: 12, doa_days: 30, max_replacements: 1, restart_on_replacement: 'doa_only' },
      ]);
      const shipped = { sku: 'A', shipped_at: '2025-01-01T00:00:00Z' };
      await insert(store, 'units', ['C1', 'D1', 'M1', 'S1'].map((serial_number) => ({ serial_number, ...shipped })));
      const d = { return_reason: 'defective', sku: 'A' };
      await insert(store, 'rma', [
        // C1: its first return was cancelled, so one return is left: not a repeat.
        rmaLine(11, { ...d, serial_number: 'C1', opened_at: '2025-02-01T00:00:00Z', stage: 'cancelled' }),
        rmaLine(12, { ...d, serial_number: 'C1', opened_at: '2025-03-01T00:00:00Z', resolution: 'repair' }),
        // D1: a cancelled first return and two real ones.
        rmaLine(13, { ...d, serial_number: 'D1', opened_at: '2025-02-01T00:00:00Z', stage: 'cancelled' }),
        rmaLine(14, { ...d, serial_number: 'D1', opened_at: '2025-03-01T00:00:00Z', resolution: 'repair' }),
        rmaLine(15, { ...d, serial_number: 'D1', opened_at: '2025-04-01T00:00:00Z', resolution: 'repair' }),
        // U1 is not in the registry: two returns the same day, listed in opening order.
        rmaLine(16, { ...d, serial_number: 'U1', opened_at: '2025-05-01T10:00:00Z', resolution: 'repair' }),
        rmaLine(17, { ...d, serial_number: 'U1', opened_at: '2025-05-01T09:00:00Z', resolution: 'repair' }),
        // M1 dead on arrival → M2 (never returned); M1 again in June → M3, which came back in August.
        rmaLine(18, { ...d, serial_number: 'M1', opened_at: '2025-01-20T00:00:00Z', resolution: 'replace', replacement_serial: 'M2', resolved_at: '2025-01-21T00:00:00Z' }),
        rmaLine(19, { ...d, serial_number: 'M1', opened_at: '2025-06-01T00:00:00Z', resolution: 'replace', replacement_serial: 'M3', resolved_at: '2025-06-03T00:00:00Z' }),
        rmaLine(20, { ...d, serial_number: 'M3', opened_at: '2025-08-01T00:00:00Z', resolution: 'repair' }),
        // S1 replaced from stock without a recorded replacement serial.
        rmaLine(21, { ...d, serial_number: 'S1', opened_at: '2025-07-01T00:00:00Z', resolution: 'replace', resolved_at: '2025-07-02T00:00:00Z' }),
      ]);
      await runModels(store, '2025-12-31', ['repeats']);
      const rows = await store.all<Row>('SELECT * FROM models.repeats ORDER BY serial_number');
      expect(rows.map((r) => [r.serial_number, r.sku, r.chain_serials, r.returns, r.is_repeat, r.replacements, r.over_replacement_limit, r.doa_replacements, r.warranty_restarted_at, r.warranty_end, r.in_warranty, r.rma_keys])).toEqual([
        ['D1', 'A', ['D1'], 2, true, 0, false, 0, null, '2026-01-01T00:00:00.000Z', true, ['t::R14:1', 't::R15:1']],
        ['M1', 'A', ['M1', 'M3'], 3, true, 2, true, 1, '2025-01-21T00:00:00.000Z', '2026-01-21T00:00:00.000Z', true, ['t::R18:1', 't::R19:1', 't::R20:1']],
        ['S1', 'A', ['S1'], 1, false, 1, false, 0, null, '2026-01-01T00:00:00.000Z', true, ['t::R21:1']],
        ['U1', 'A', ['U1'], 2, true, 0, false, 0, null, null, null, ['t::R17:1', 't::R16:1']],
      ]);
    } finally {
      await dispose();
    }
  });
});
