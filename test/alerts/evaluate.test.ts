import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeAlert, evaluateAlerts, listAlerts } from '../../pipeline/alerts/index.js';
import type { Store } from '../../pipeline/store.js';
import { insert, rmaLine, runModels, tempStore, testConfig } from '../reports/helpers.js';

type Alert = Record<string, unknown> & { evidence: Record<string, unknown> };

/** Alerts settings for one evaluation: only the runway rule, with the given line. */
const config = (minMonths: number, extra: Record<string, unknown> = {}) =>
  testConfig({
    settings: {
      alerts: {
        batch_status: { enabled: false }, firmware_regression: { enabled: false }, spc_outlier: { enabled: false },
        reserve_shortfall: { enabled: false },
        reserve_runway: { min_months: minMonths },
        ...extra,
      },
    },
  });

describe('evaluateAlerts on a built reserve', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const evaluate = (asOf: string, minMonths: number, extra?: Record<string, unknown>) =>
    evaluateAlerts(store, { asOf, store, config: config(minMonths, extra) });

  beforeAll(async () => {
    ({ store, dispose } = await tempStore());
    // 10 units × 100 accrued in January; 100 paid in each of February, March and April:
    // on 2025-04-30 the balance is 700 and the trailing burn 100 a month, a runway of 7 months.
    await insert(store, 'reserve_plan', [{ sku: '*', effective_from: '2024-01-01', reserve_per_unit: 100, currency: 'EUR' }]);
    await store.run(`INSERT INTO units (serial_number, sku, shipped_at) SELECT 'S' || i, 'A', TIMESTAMPTZ '2025-01-10 00:00:00+00' FROM range(10) AS t(i)`);
    await insert(store, 'rma', [2, 3, 4].map((m) => rmaLine(m, {
      serial_number: `S${m}`, return_reason: 'defective', resolution: 'repair', cost_labor: 100,
      opened_at: `2025-0${m}-05T00:00:00Z`, resolved_at: `2025-0${m}-07T00:00:00Z`,
    })));
    await runModels(store, '2025-04-30', ['reserve']);
  });
  afterAll(async () => dispose());

  it('opens, holds through hovering, stays acknowledged, resolves past the margin and reopens', async () => {
    const r1 = await evaluate('2025-04-30', 7.5);
    expect(r1).toMatchObject({ opened: 1, resolved: 0, open: 1 });
    const [alert] = (await listAlerts(store, 'open')) as Alert[];
    expect(alert).toMatchObject({ rule: 'reserve_runway', subject_type: 'sku', subject_id: 'A', metric: 'runway_months', value: 7, threshold: 7.5, state: 'open', opened_at: '2025-04-30T00:00:00.000Z' });
    expect(alert.evidence).toMatchObject({ balance: 700, trailing_burn: 100, cumulative_accrual: 1000, cumulative_cost: 300, rma_count: 3, rma_keys: ['t::R2:1', 't::R3:1', 't::R4:1'] });

    // Just under the line (7 > 6.9) but inside the 10 % margin, then over it again: no flapping.
    expect(await evaluate('2025-05-01', 6.9)).toMatchObject({ opened: 0, resolved: 0, open: 1 });
    expect(await evaluate('2025-05-02', 7.5)).toMatchObject({ opened: 0, resolved: 0, open: 1 });

    const acked = await acknowledgeAlert(store, alert.id as string, 'finance reviewing the plan');
    expect(acked).toMatchObject({ state: 'acknowledged', ack_note: 'finance reviewing the plan' });
    expect(await evaluate('2025-05-03', 7.5)).toMatchObject({ opened: 0, resolved: 0, open: 0, acknowledged: 1 });
    expect((await listAlerts(store, { state: 'acknowledged' })).map((a) => a.id)).toEqual([alert.id]);

    // Well clear of the line (7 > 6 × 1.1): resolved at once, stamped with the as-of date.
    expect(await evaluate('2025-05-04', 6)).toMatchObject({ opened: 0, resolved: 1, open: 0, acknowledged: 0 });
    const [resolved] = await listAlerts(store, 'resolved');
    expect(resolved).toMatchObject({ id: alert.id, state: 'resolved', resolved_at: '2025-05-04T00:00:00.000Z' });
    await expect(acknowledgeAlert(store, alert.id as string)).rejects.toMatchObject({ code: 'RMA_ERR_CONFLICT' });

    const again = await evaluate('2025-05-05', 7.5);
    expect(again).toMatchObject({ opened: 1, open: 1 });
    expect((await listAlerts(store, 'all')).length).toBe(1); // one identity per (rule, subject)
  });

  it('rejects an unknown id or state', async () => {
    await expect(acknowledgeAlert(store, 'al_nope')).rejects.toMatchObject({ code: 'RMA_ERR_NOT_FOUND' });
    await expect(listAlerts(store, 'snoozed')).rejects.toMatchObject({ code: 'RMA_ERR_USAGE' });
  });

  it('posts opened and resolved alerts to the webhook with a verifiable HMAC signature', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
    process.env.RMA_TEST_ALERT_SECRET = 'shh-test-secret';
    try {
      const webhook = { url, secret_env: 'RMA_TEST_ALERT_SECRET' };
      const resolvedRun = await evaluate('2025-05-06', 5, { webhook });
      expect(resolvedRun.resolved).toBe(1);
      expect(resolvedRun.webhook).toMatchObject({ status: 204 });
      const quiet = await evaluate('2025-05-07', 5, { webhook }); // nothing changed: nothing sent
      expect(quiet.webhook).toBeUndefined();
      expect(received).toHaveLength(1);

      const { headers, body } = received[0];
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-rma-signature']));
      expect(match).not.toBeNull();
      const expected = createHmac('sha256', 'shh-test-secret').update(`${match![1]}.${body}`).digest('hex');
      expect(match![2]).toBe(expected);
      expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(300);
      const payload = JSON.parse(body);
      expect(payload).toMatchObject({ event: 'rma-intel.alerts', as_of: '2025-05-06' });
      expect(payload.changes).toHaveLength(1);
      expect(payload.changes[0]).toMatchObject({ change: 'resolved', alert: { rule: 'reserve_runway', subject_id: 'A', state: 'resolved' } });
      expect(payload.changes[0].alert).not.toHaveProperty('clean_builds');
    } finally {
      delete process.env.RMA_TEST_ALERT_SECRET;
      await new Promise((ok) => server.close(ok));
    }
  });
});
