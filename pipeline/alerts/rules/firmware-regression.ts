import { queryRows } from '../../store.js';
import type { AlertRule, Observation } from '../types.js';
import { evidenceKeys, modelExists } from './support.js';

/**
 * A firmware build with at least one flagged failure-code cell (CONTRACT 7.2: significant after BH
 * and materially above the baseline). One alert per build and SKU; the flagged cells are the evidence.
 * The metric is the largest relative risk among its cells.
 */

interface Cell {
  firmware_version: string;
  sku: string;
  failure_code: string | null;
  returns: number | null;
  unit_days: number | null;
  rate_per_1000_unit_months: number | null;
  baseline_rate: number | null;
  relative_risk: number | null;
  p_value: number | null;
  q_value: number | null;
  flagged: boolean | null;
}

const materialEffect = (config: unknown): number =>
  (config as { settings?: { firmware?: { material_effect?: number } } }).settings?.firmware?.material_effect ?? 1.5;

export const firmwareRegressionRule: AlertRule = {
  name: 'firmware_regression',
  enabled: (s) => s.firmware_regression.enabled,
  async evaluate(ctx) {
    const { conn, build, settings } = ctx;
    if (!(await modelExists(ctx, 'firmware'))) return undefined;
    const cells = await queryRows<Cell>(conn, 'SELECT * FROM models.firmware ORDER BY firmware_version, sku, failure_code');
    const builds = new Map<string, Cell[]>();
    for (const c of cells) {
      const key = `${c.firmware_version}@${c.sku ?? ''}`;
      (builds.get(key) ?? builds.set(key, []).get(key)!).push(c);
    }
    const keys = (await modelExists(ctx, 'stg_rma'))
      ? await evidenceKeys(conn, `
          SELECT r.firmware_version || '@' || coalesce(r.sku, '') AS subject_id, r.rma_key
          FROM models.stg_rma AS r
          JOIN models.firmware AS f
            ON f.firmware_version = r.firmware_version AND f.sku = r.sku AND f.failure_code = r.failure_code AND f.flagged
          WHERE r.is_failure_claim`, [], settings.evidence_keys)
      : new Map();
    const threshold = materialEffect(build.config);
    const observations: Observation[] = [];
    for (const [subject, group] of builds) {
      const flagged = group.filter((c) => c.flagged);
      const pool = flagged.length ? flagged : group;
      const risks = pool.map((c) => c.relative_risk).filter((r): r is number => r !== null && Number.isFinite(r));
      observations.push({
        rule: 'firmware_regression',
        subject_type: 'firmware_build',
        subject_id: subject,
        severity: flagged.length > 1 ? 'critical' : 'high',
        metric: 'relative_risk',
        value: risks.length ? Math.max(...risks) : null,
        threshold,
        direction: 'above',
        firing: flagged.length > 0,
        evidence: {
          firmware_version: group[0].firmware_version,
          sku: group[0].sku,
          flagged_cells: flagged.map((c) => ({
            failure_code: c.failure_code, returns: c.returns, unit_days: c.unit_days, rate_per_1000_unit_months: c.rate_per_1000_unit_months,
            baseline_rate: c.baseline_rate, relative_risk: c.relative_risk, p_value: c.p_value, q_value: c.q_value,
          })),
          unit_days: Math.max(0, ...group.map((c) => c.unit_days ?? 0)),
          ...(keys.get(subject) ?? { rma_keys: [], rma_count: 0 }),
        },
      });
    }
    return observations;
  },
};
