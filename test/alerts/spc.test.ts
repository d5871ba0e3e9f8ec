import { describe, expect, it } from 'vitest';
import { evaluateAlerts, listAlerts } from '../../pipeline/alerts/index.js';
import { laneyPChart } from '../../models/stats/index.js';
import { runModels, tempStore, testConfig } from '../reports/helpers.js';

describe('spc_outlier rule', () => {
  it('opens on a weekly claim rate above the Laney p′ upper limit, with the chart as evidence', async () => {
    const { store, dispose } = await tempStore();
    try {
      // 1,000 units in the field; 2 defect claims every week for 25 weeks, then 25 in the last complete
      // week before Monday 2025-03-31 (the week of 2025-03-24).
      await store.run(`INSERT INTO units (serial_number, sku, shipped_at) SELECT 'U' || i, 'S', TIMESTAMPTZ '2024-01-01 00:00:00+00' FROM range(1000) AS t(i)`);
      await store.run(`INSERT INTO rma (rma_key, source, rma_number, sku, opened_at, return_reason)
        SELECT 'k:' || w || ':' || n, 't', w || '-' || n, 'S', TIMESTAMPTZ '2024-09-30 10:00:00+00' + to_days(7 * w), 'defective'
        FROM range(26) AS a(w), range(25) AS b(n)
        WHERE n < CASE WHEN w = 25 THEN 25 ELSE 2 END`);
      await runModels(store, '2025-03-31', ['rpt_rma', 'rpt_warranty_terms']);
      const config = testConfig({ settings: { alerts: { reserve_runway: { enabled: false }, reserve_shortfall: { enabled: false } } } });
      const result = await evaluateAlerts(store, { asOf: '2025-03-31', store, config });
      expect(result).toMatchObject({ opened: 1, open: 1 });

      const expected = laneyPChart([...Array(25).fill(2), 25], Array(26).fill(1000)).at(-1)!;
      const [alert] = (await listAlerts(store, 'open')) as Record<string, any>[];
      expect(alert).toMatchObject({ rule: 'spc_outlier', subject_type: 'sku', subject_id: 'S', metric: 'weekly_claim_rate', value: 0.025 });
      expect(alert.threshold).toBeCloseTo(expected.ucl, 12);
      expect(alert.evidence).toMatchObject({ chart: 'laney_p_prime', week: '2025-03-24', claims: 25, units_in_field: 1000, rma_count: 25 });
      expect(alert.evidence.series).toHaveLength(26);
      expect(alert.evidence.rma_keys).toHaveLength(20); // capped list, complete count
    } finally {
      await dispose();
    }
  });

  it('counts units in the field from the registry\'s ship-day counts, midnight shipments a day less', async () => {
    const { store, dispose } = await tempStore();
    try {
      // Besides 1,000 long-shipped units: 100 shipped at midnight and 100 at noon on 2023-03-24, whose
      // 24-month warranty ends on the chart's last Monday (the midnight ones no longer count that week),
      // and 50 shipped after the analysis date (never in the field).
      await store.run(`INSERT INTO units (serial_number, sku, shipped_at)
        SELECT 'U' || i, 'S', CASE WHEN i < 1000 THEN TIMESTAMPTZ '2024-01-01 00:00:00+00'
                                   WHEN i < 1100 THEN TIMESTAMPTZ '2023-03-24 00:00:00+00'
                                   WHEN i < 1200 THEN TIMESTAMPTZ '2023-03-24 12:00:00+00'
                                   ELSE TIMESTAMPTZ '2025-04-02 09:00:00+00' END
        FROM range(1250) AS t(i)`);
      await store.run(`INSERT INTO rma (rma_key, source, rma_number, sku, opened_at, return_reason)
        SELECT 'k:' || w || ':' || n, 't', w || '-' || n, 'S', TIMESTAMPTZ '2024-09-30 10:00:00+00' + to_days(7 * w), 'defective'
        FROM range(26) AS a(w), range(25) AS b(n)
        WHERE n < CASE WHEN w = 25 THEN 25 ELSE 2 END`);
      await runModels(store, '2025-03-31', ['rpt_rma', 'rpt_warranty_terms']);
      const config = testConfig({ settings: { alerts: { reserve_runway: { enabled: false }, reserve_shortfall: { enabled: false } } } });
      const read = async () => ((await listAlerts(store, 'all')) as Record<string, any>[]).map(({ id, value, threshold, evidence }) => ({ id, value, threshold, evidence }));

      await evaluateAlerts(store, { asOf: '2025-03-31', store, config });
      const counted = await read();
      expect(counted).toHaveLength(1);
      const series = counted[0].evidence.series as { week: string; units_in_field: number }[];
      expect(series.at(-1)).toMatchObject({ week: '2025-03-24', units_in_field: 1100 });
      expect(series.at(-2)).toMatchObject({ week: '2025-03-17', units_in_field: 1200 });

      // Counts left behind by units written around ingest are redone before the rule reads them: the same alert.
      await store.run(`INSERT INTO units (serial_number, sku, shipped_at) VALUES ('late', 'S', TIMESTAMPTZ '2025-04-03 00:00:00+00')`);
      await store.run('DELETE FROM alerts');
      await evaluateAlerts(store, { asOf: '2025-03-31', store, config });
      expect(await read()).toEqual(counted);
      expect(await store.all(`SELECT sum(units)::INTEGER AS units, sum(midnight_units)::INTEGER AS midnight FROM unit_ship_days`)).toEqual([{ units: 1251, midnight: 1101 }]);
    } finally {
      await dispose();
    }
  });
});
