import { describe, expect, it } from 'vitest';
import { evaluateAlerts, listAlerts } from '../../pipeline/alerts/index.js';
import { tempStore, testConfig } from '../reports/helpers.js';

/** The batch and firmware rules read the batches / firmware reports (CONTRACT 7.1, 7.2): given those rows, these alerts. */
describe('batch_status and firmware_regression rules', () => {
  it('open one alert per bad batch and per build with flagged cells, with the evidence behind them', async () => {
    const { store, dispose } = await tempStore();
    try {
      await store.run('CREATE SCHEMA models');
      await store.run(`CREATE TABLE models.batches AS SELECT * FROM (VALUES
        ('B1', 'A', 'confirmed_breach', 0.05, 0.035, 0.068, 0.06, 0.02, 1000, 300000.0, 50, 2, 4),
        ('B2', 'A', 'watch', 0.015, 0.008, 0.027, 0.024, 0.02, 1000, 300000.0, 15, 0, 1),
        ('B3', 'A', 'ok', 0.004, 0.001, 0.01, 0.006, 0.02, 1000, 300000.0, 4, 0, 0))
        AS t(batch_id, sku, status, defect_rate, ci_low, ci_high, projected_rate, threshold, units_shipped, unit_days, confirmed_defects, pending, no_trouble_found)`);
      await store.run(`CREATE TABLE models.firmware AS SELECT * FROM (VALUES
        ('2.4.1', 'A', 'REC-01', 12, 90000.0, 4.0, 1.0, 4.1, 0.0001, 0.002, true),
        ('2.4.1', 'A', 'PWR-01', 3, 90000.0, 1.0, 0.9, 1.1, 0.6, 0.8, false),
        ('2.3.0', 'A', 'REC-01', 3, 80000.0, 1.1, 1.0, 1.1, 0.7, 0.8, false))
        AS t(firmware_version, sku, failure_code, returns, unit_days, rate_per_1000_unit_months, baseline_rate, relative_risk, p_value, q_value, flagged)`);
      await store.run(`CREATE TABLE models.stg_rma AS SELECT * FROM (VALUES
        ('r1', 'B1', '2.4.1', 'A', 'REC-01', true, true), ('r2', 'B1', '2.4.1', 'A', 'PWR-01', true, true), ('r3', 'B2', '2.3.0', 'A', 'REC-01', false, true))
        AS t(rma_key, batch_id, firmware_version, sku, failure_code, is_confirmed_defect, is_failure_claim)`);
      const config = testConfig({ settings: { alerts: { reserve_runway: { enabled: false }, reserve_shortfall: { enabled: false }, spc_outlier: { enabled: false } } } });
      expect(await evaluateAlerts(store, { asOf: '2025-06-30', store, config })).toMatchObject({ opened: 2, open: 2 });
      const alerts = (await listAlerts(store, 'open')) as Record<string, any>[];
      const batch = alerts.find((a) => a.rule === 'batch_status')!;
      expect(batch).toMatchObject({ subject_type: 'batch', subject_id: 'B1', severity: 'critical', metric: 'defect_rate', value: 0.05, threshold: 0.02 });
      expect(batch.evidence).toMatchObject({ ci_low: 0.035, ci_high: 0.068, units_shipped: 1000, unit_days: 300000, confirmed_defects: 50, rma_keys: ['r1', 'r2'], rma_count: 2 });
      const fw = alerts.find((a) => a.rule === 'firmware_regression')!;
      expect(fw).toMatchObject({ subject_type: 'firmware_build', subject_id: '2.4.1@A', metric: 'relative_risk', value: 4.1, threshold: 1.5 });
      expect(fw.evidence.flagged_cells).toEqual([expect.objectContaining({ failure_code: 'REC-01', returns: 12, relative_risk: 4.1, q_value: 0.002 })]);
      expect(fw.evidence).toMatchObject({ rma_keys: ['r1'], rma_count: 1 });

      // Watch counts when configured.
      const watching = testConfig({ settings: { alerts: { batch_status: { statuses: ['watch', 'breach', 'confirmed_breach'] }, firmware_regression: { enabled: false }, reserve_runway: { enabled: false }, reserve_shortfall: { enabled: false }, spc_outlier: { enabled: false } } } });
      expect(await evaluateAlerts(store, { asOf: '2025-07-01', store, config: watching })).toMatchObject({ opened: 1, open: 3 });

      // B1 dips just under the line: no longer firing, not yet resolved (hysteresis), and its stored
      // evidence still names the RMAs behind it (keys are read for open alerts, not only firing batches).
      await store.run(`UPDATE models.batches SET status = 'ok', defect_rate = 0.019 WHERE batch_id = 'B1'`);
      await evaluateAlerts(store, { asOf: '2025-07-02', store, config: watching });
      const dipped = ((await listAlerts(store, 'open')) as Record<string, any>[]).find((a) => a.subject_id === 'B1')!;
      expect(dipped.evidence).toMatchObject({ status: 'ok', defect_rate: 0.019, rma_keys: ['r1', 'r2'], rma_count: 2 });

      // B2 leaves the report: its open alert is not observed, stays open (hysteresis) and keeps the
      // evidence it had (read back for unobserved alerts only).
      await store.run(`DELETE FROM models.batches WHERE batch_id = 'B2'`);
      await evaluateAlerts(store, { asOf: '2025-07-03', store, config: watching });
      const gone = ((await listAlerts(store, 'open')) as Record<string, any>[]).find((a) => a.subject_id === 'B2')!;
      expect(gone).toMatchObject({ state: 'open', value: 0.015, updated_at: '2025-07-03T00:00:00.000Z' });
      expect(gone.evidence).toMatchObject({ status: 'watch', defect_rate: 0.015, units_shipped: 1000, rma_keys: [], rma_count: 0 });
    } finally {
      await dispose();
    }
  });
});
