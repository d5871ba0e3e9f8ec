import { laneyPChart, pChart } from '../../../models/stats/index.js';
import { queryRows } from '../../store.js';
import type { AlertRule, Observation } from '../types.js';
import { evidenceKeys, modelExists } from './support.js';

/**
 * SPC outlier: weekly warranty claims per SKU as a share of the units in the field and in warranty
 * that week, on a Laney p′ chart (or a plain p chart). The latest complete week above its upper
 * control limit opens an alert. Counting is SQL; the chart is the statistics core.
 */

interface WeekRow {
  sku: string;
  week: string;
  claims: number;
  in_field: number;
}

/**
 * Units per SKU, UTC ship day and whether shipped at midnight exactly, from the registry's counts per ship day
 * (ingest/normalise/ship-days.ts; evaluateAlerts settles them first). Units shipped after the date never count
 * in a week up to it.
 */
const shipped = `
  SELECT sku, shipped_on, false AS at_midnight, sum(units - midnight_units) AS units
  FROM unit_ship_days WHERE shipped_on <= getvariable('as_of') GROUP BY ALL
  UNION ALL
  SELECT sku, shipped_on, true AS at_midnight, sum(midnight_units) AS units
  FROM unit_ship_days WHERE shipped_on <= getvariable('as_of') GROUP BY ALL`;

export const spcOutlierRule: AlertRule = {
  name: 'spc_outlier',
  enabled: (s) => s.spc_outlier.enabled,
  async evaluate(ctx) {
    const { conn, settings } = ctx;
    if (!(await modelExists(ctx, 'rpt_rma')) || !(await modelExists(ctx, 'rpt_warranty_terms'))) return undefined;
    const { weeks, min_units: minUnits, chart } = settings.spc_outlier;
    // The last complete ISO week ends on or before the analysis date.
    const [{ first_week: firstWeek, last_week: lastChartWeek }] = await queryRows<{ first_week: string; last_week: string }>(conn, `
      SELECT (last_week - INTERVAL (7 * ($1 - 1)) DAY)::DATE AS first_week, last_week
      FROM (SELECT (date_trunc('week', getvariable('as_of')::DATE + 1) - INTERVAL 7 DAY)::DATE AS last_week)`, [weeks]);
    const rows = await queryRows<WeekRow>(conn, `
      WITH weeks AS (
        SELECT unnest(generate_series(CAST($1 AS DATE), CAST($2 AS DATE), INTERVAL 7 DAY))::DATE AS week
      ),
      shipped AS (${shipped}
      ),
      cohorts AS (
        -- Units collapse to (sku, ship date, last day in warranty) cohorts before meeting the weeks:
        -- a week counts a unit when it starts after the ship date and before the warranty end,
        -- i.e. week <= the last date whose midnight is before shipped_at + warranty: the day the
        -- warranty ends on, or the day before when it ends at midnight.
        SELECT s.sku, s.shipped_on,
               (s.shipped_on + to_months(t.warranty_months))::DATE - CASE WHEN s.at_midnight THEN 1 ELSE 0 END AS last_day,
               sum(s.units)::BIGINT AS units
        FROM shipped AS s
        JOIN models.rpt_warranty_terms AS t ON t.sku = s.sku
        WHERE s.units > 0
        GROUP BY ALL
      ),
      in_field AS (
        SELECT c.sku, w.week, sum(c.units)::BIGINT AS in_field
        FROM weeks AS w
        JOIN cohorts AS c ON c.shipped_on < w.week AND w.week <= c.last_day
        GROUP BY ALL
      ),
      claims AS (
        -- the Monday of the claim's ISO week from its UTC day number (1970-01-01, day 0, was a Thursday);
        -- claims outside the chart's weeks are left out before grouping
        SELECT sku, DATE '1970-01-01' + (day - (day + 3) % 7)::INTEGER AS week, count(*) AS claims
        FROM (
          SELECT sku, floor(epoch_us(opened_at) / 86400000000)::BIGINT AS day
          FROM models.rpt_rma
          WHERE warranty_claim AND return_reason = 'defective' AND sku IS NOT NULL
            AND opened_at >= CAST(CAST($1 AS DATE) AS TIMESTAMPTZ) AND opened_at < CAST(CAST($2 AS DATE) + 7 AS TIMESTAMPTZ)
        )
        GROUP BY ALL
      )
      SELECT f.sku, f.week, coalesce(c.claims, 0) AS claims, f.in_field
      FROM in_field AS f
      LEFT JOIN claims AS c USING (sku, week)
      WHERE f.in_field >= $3
      ORDER BY f.sku, f.week`, [firstWeek, lastChartWeek, minUnits]);
    const bySku = new Map<string, WeekRow[]>();
    for (const r of rows) (bySku.get(r.sku) ?? bySku.set(r.sku, []).get(r.sku)!).push(r);
    const lastWeek = rows.reduce((m, r) => (r.week > m ? r.week : m), '');
    const keys = await evidenceKeys(conn, `
      SELECT sku AS subject_id, rma_key FROM models.rpt_rma
      WHERE warranty_claim AND return_reason = 'defective'
        AND opened_at >= CAST(CAST($1 AS DATE) AS TIMESTAMPTZ) AND opened_at < CAST(CAST($1 AS DATE) + 7 AS TIMESTAMPTZ)`,
      [lastWeek || '1970-01-05'], settings.evidence_keys);
    const observations: Observation[] = [];
    for (const [sku, series] of bySku) {
      if (series.length < 4 || series[series.length - 1].week !== lastWeek) continue; // too short a chart to judge
      const claims = series.map((s) => Math.min(s.claims, s.in_field));
      const sizes = series.map((s) => s.in_field);
      const points = chart === 'laney' ? laneyPChart(claims, sizes) : pChart(claims, sizes);
      const last = points[points.length - 1];
      const week = series[series.length - 1];
      observations.push({
        rule: 'spc_outlier',
        subject_type: 'sku',
        subject_id: sku,
        severity: last.p > last.ucl * 1.5 ? 'high' : 'medium',
        metric: 'weekly_claim_rate',
        value: last.p,
        threshold: last.ucl,
        direction: 'above',
        firing: last.p > last.ucl,
        evidence: {
          chart: chart === 'laney' ? 'laney_p_prime' : 'p',
          week: week.week,
          claims: week.claims,
          units_in_field: week.in_field,
          center: last.center,
          lcl: last.lcl,
          ucl: last.ucl,
          sigma_z: 'sigmaZ' in last ? last.sigmaZ : null,
          series: series.map((s, i) => ({ week: s.week, claims: s.claims, units_in_field: s.in_field, p: points[i].p, ucl: points[i].ucl })),
          ...(keys.get(sku) ?? { rma_keys: [], rma_count: 0 }),
        },
      });
    }
    return observations;
  },
};
