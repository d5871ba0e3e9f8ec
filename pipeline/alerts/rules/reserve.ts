import { queryRows } from '../../store.js';
import type { AlertRule, Observation } from '../types.js';
import { evidenceKeys, modelExists, shared } from './support.js';

/**
 * Reserve shortfall, two rules on the analysis month of the reserve report (CONTRACT 7.4):
 *  - reserve_shortfall: the balance covers less than min_coverage × the forecast liability;
 *  - reserve_runway: the runway at the trailing three-month burn is under min_months.
 */

interface ReserveRow {
  month: string;
  sku: string;
  balance: number;
  forecast_liability: number | null;
  forecast_low: number | null;
  forecast_high: number | null;
  runway_months: number | null;
  trailing_burn: number | null;
  cumulative_accrual: number;
  cumulative_cost: number;
  units_in_warranty: number | null;
  expected_claims: number | null;
  currency: string | null;
}

async function latest(conn: Parameters<AlertRule['evaluate']>[0]['conn']): Promise<ReserveRow[]> {
  return queryRows<ReserveRow>(conn, `
    SELECT * FROM models.reserve
    QUALIFY month = max(month) OVER (PARTITION BY sku)
    ORDER BY sku`);
}

/** Paid claim keys per SKU: the same for both rules, read once per evaluation. */
const claimKeys = (ctx: Parameters<AlertRule['evaluate']>[0]) => shared(ctx, 'reserve claim keys', () =>
  evidenceKeys(ctx.conn, 'SELECT sku AS subject_id, rma_key FROM models.rpt_rma WHERE warranty_claim AND paid_at IS NOT NULL AND sku IS NOT NULL', [], ctx.settings.evidence_keys));

const evidenceOf = (r: ReserveRow): Record<string, unknown> => ({
  month: r.month,
  currency: r.currency,
  balance: r.balance,
  forecast_liability: r.forecast_liability,
  forecast_low: r.forecast_low,
  forecast_high: r.forecast_high,
  runway_months: r.runway_months,
  trailing_burn: r.trailing_burn,
  cumulative_accrual: r.cumulative_accrual,
  cumulative_cost: r.cumulative_cost,
  units_in_warranty: r.units_in_warranty,
  expected_claims: r.expected_claims,
});

export const reserveShortfallRule: AlertRule = {
  name: 'reserve_shortfall',
  enabled: (s) => s.reserve_shortfall.enabled,
  async evaluate(ctx) {
    const { conn, settings } = ctx;
    if (!(await modelExists(ctx, 'reserve'))) return undefined;
    const keys = await claimKeys(ctx);
    const line = settings.reserve_shortfall.min_coverage;
    return (await shared(ctx, 'reserve latest', () => latest(conn))).map((r): Observation => {
      // Coverage = balance / liability; no liability forecast means nothing to cover.
      const coverage = r.forecast_liability && r.forecast_liability > 0 ? r.balance / r.forecast_liability : null;
      return {
        rule: 'reserve_shortfall',
        subject_type: 'sku',
        subject_id: r.sku,
        severity: coverage !== null && coverage < 0 ? 'critical' : 'high',
        metric: 'coverage_ratio',
        value: coverage,
        threshold: line,
        direction: 'below',
        firing: coverage !== null && coverage < line,
        evidence: { ...evidenceOf(r), coverage_ratio: coverage, ...(keys.get(r.sku) ?? { rma_keys: [], rma_count: 0 }) },
      };
    });
  },
};

export const reserveRunwayRule: AlertRule = {
  name: 'reserve_runway',
  enabled: (s) => s.reserve_runway.enabled,
  async evaluate(ctx) {
    const { conn, settings } = ctx;
    if (!(await modelExists(ctx, 'reserve'))) return undefined;
    const keys = await claimKeys(ctx);
    const line = settings.reserve_runway.min_months;
    return (await shared(ctx, 'reserve latest', () => latest(conn))).map((r): Observation => ({
      rule: 'reserve_runway',
      subject_type: 'sku',
      subject_id: r.sku,
      severity: r.runway_months !== null && r.runway_months <= 0 ? 'critical' : 'medium',
      metric: 'runway_months',
      value: r.runway_months,
      threshold: line,
      direction: 'below',
      firing: r.runway_months !== null && r.runway_months < line,
      evidence: { ...evidenceOf(r), ...(keys.get(r.sku) ?? { rma_keys: [], rma_count: 0 }) },
    }));
  },
};
