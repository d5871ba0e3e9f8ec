import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../pipeline/store.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { nevadaToLifeData, poissonInterval, weibullFit, weibullForecast, type WeibullFit } from './stats/index.js';

/**
 * The service-reserve report (CONTRACT 7.4) per month and SKU: running totals of accrual and cost,
 * balance, burn ratio, runway at the trailing three-month burn, and the forecast liability for units
 * still in warranty at the end of each month.
 *
 * Forecast: the SKU's Nevada triangle as it stood at the month's end becomes life data
 * (nevadaToLifeData; ages in months from the middle of the ship month: a claim raised in month j of a
 * unit shipped in month i is a failure at age j − i, at a quarter month when j = i; units not yet
 * returned are suspensions at T − i + ½). A Weibull fit of that (the pooled fit over all SKUs when
 * the SKU has too few failures) gives each cohort's probability of a claim before its warranty ends;
 * expected claims × the SKU's net cost per paid claim so far is the liability. Bands: the lowest and
 * highest expected count over the corners of the fit's parameter bounds, widened to the exact
 * Poisson interval of that count.
 */

interface LedgerRow {
  month: string;
  sku: string;
  units_shipped: number;
  accrual: number;
  cost_paid: number;
  cumulative_accrual: number;
  cumulative_cost: number;
  balance: number;
  burn_ratio: number | null;
  trailing_burn: number;
  runway_months: number | null;
  cumulative_claims_paid: number;
  currency: string | null;
  month_index: number;
}

interface NevadaCell {
  sku: string;
  ship_index: number;
  return_index: number;
  units_shipped: number;
  returns: number;
}

interface Forecast {
  expected: number;
  expectedLow: number;
  expectedHigh: number;
  unitsInWarranty: number;
  basis: 'sku' | 'pooled';
  fit: WeibullFit;
}

/** Months are indexed from January of year 0, so month arithmetic is subtraction. */
const monthIndexSql = (col: string): string => `(year(${col}) * 12 + month(${col}) - 1)`;

/** Failures with fewer than this many claims give no SKU fit of their own; below 2 no fit at all. */
const minFailuresForFit = (ctx: BuildContext): number => {
  const settings = (ctx.config as { settings?: { batches?: { min_failures_for_sku_fit?: number } } }).settings;
  return Math.max(2, settings?.batches?.min_failures_for_sku_fit ?? 5);
};

function lifeDataAt(cells: NevadaCell[], firstIndex: number, T: number): ReturnType<typeof nevadaToLifeData> {
  const periods = T - firstIndex + 1;
  const shipped = new Array<number>(periods).fill(0);
  const returns: number[][] = Array.from({ length: periods }, () => new Array<number>(periods).fill(0));
  const counted = new Set<string>(); // every cell repeats its cohort's size: count each (sku, cohort) once
  for (const c of cells) {
    if (c.ship_index > T || c.return_index > T) continue;
    const i = c.ship_index - firstIndex;
    const cohort = `${c.sku}\u0000${c.ship_index}`;
    if (!counted.has(cohort)) {
      counted.add(cohort);
      shipped[i] += c.units_shipped;
    }
    returns[i][c.return_index - firstIndex] += c.returns;
  }
  const life = nevadaToLifeData(shipped, returns, { asOfPeriod: periods - 1 });
  return {
    failures: life.failures.map((f) => ({ age: f.age === 0 ? 0.25 : f.age, count: f.count })),
    suspensions: life.suspensions.map((s) => ({ age: s.age + 0.5, count: s.count })),
  };
}

function tryFit(life: ReturnType<typeof nevadaToLifeData>, minFailures: number): WeibullFit | undefined {
  const failures = life.failures.reduce((n, f) => n + f.count, 0);
  if (failures < minFailures) return undefined;
  try {
    return weibullFit({ failures: life.failures, suspensions: life.suspensions });
  } catch {
    return undefined; // no finite MLE (e.g. every failure at one age): no forecast rather than a wrong one
  }
}

/** Units of each cohort not yet returned and still in warranty at the end of month T, with their ages. */
function atRiskAt(cells: NevadaCell[], T: number, warrantyMonths: number): { age: number; count: number }[] {
  const byCohort = new Map<number, { shipped: number; returned: number }>();
  for (const c of cells) {
    if (c.ship_index > T) continue;
    const g = byCohort.get(c.ship_index) ?? { shipped: c.units_shipped, returned: 0 }; // one SKU: one size per cohort
    if (c.return_index <= T) g.returned += c.returns;
    byCohort.set(c.ship_index, g);
  }
  const groups: { age: number; count: number }[] = [];
  for (const [i, g] of byCohort) {
    const age = T - i + 0.5;
    const count = g.shipped - g.returned;
    if (age < warrantyMonths && count > 0) groups.push({ age, count });
  }
  return groups;
}

function forecastWith(fit: WeibullFit, atRisk: { age: number; count: number }[], warrantyMonths: number): Omit<Forecast, 'basis' | 'fit'> {
  const expected = weibullForecast(fit, atRisk, warrantyMonths, warrantyMonths).total;
  const corners = [
    [fit.betaLow, fit.etaLow], [fit.betaLow, fit.etaHigh], [fit.betaHigh, fit.etaLow], [fit.betaHigh, fit.etaHigh],
  ].filter(([b, e]) => Number.isFinite(b) && Number.isFinite(e) && b > 0 && e > 0);
  const totals = corners.map(([beta, eta]) => weibullForecast({ beta, eta }, atRisk, warrantyMonths, warrantyMonths).total);
  const lowCount = Math.min(expected, ...totals);
  const highCount = Math.max(expected, ...totals);
  return {
    expected,
    expectedLow: poissonInterval(Math.round(lowCount)).low,
    expectedHigh: poissonInterval(Math.round(highCount)).high,
    unitsInWarranty: atRisk.reduce((n, g) => n + g.count, 0),
  };
}

const columns: (readonly [string, ColumnType])[] = [
  ['month', 'DATE'],
  ['sku', 'VARCHAR'],
  ['units_shipped', 'BIGINT'],
  ['accrual', 'DOUBLE'],
  ['cost_paid', 'DOUBLE'],
  ['cumulative_accrual', 'DOUBLE'],
  ['cumulative_cost', 'DOUBLE'],
  ['balance', 'DOUBLE'],
  ['burn_ratio', 'DOUBLE'],
  ['forecast_liability', 'DOUBLE'],
  ['forecast_low', 'DOUBLE'],
  ['forecast_high', 'DOUBLE'],
  ['runway_months', 'DOUBLE'],
  ['currency', 'VARCHAR'],
  // Beyond 7.4: what the forecast and the runway were computed from.
  ['trailing_burn', 'DOUBLE'],
  ['units_in_warranty', 'BIGINT'],
  ['expected_claims', 'DOUBLE'],
  ['expected_claims_low', 'DOUBLE'],
  ['expected_claims_high', 'DOUBLE'],
  ['cost_per_claim', 'DOUBLE'],
  ['forecast_basis', 'VARCHAR'],
  ['weibull_beta', 'DOUBLE'],
  ['weibull_eta_months', 'DOUBLE'],
];

const round2 = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);

export const model: TsModel = {
  name: 'reserve',
  grain: ['month', 'sku'],
  inputs: ['models.reserve_monthly', 'models.nevada', 'models.rpt_warranty_terms'],
  audits: [
    { kind: 'not_null', columns: ['balance'] },
    { kind: 'between', columns: ['runway_months'], low: 0, high: 1e9 },
  ],
  description: 'Service reserve per month and SKU (CONTRACT 7.4): accrual, cost, balance, burn, runway and forecast liability with bands.',
  async run(conn: DuckDBConnection, ctx: BuildContext): Promise<void> {
    // Running totals and the trailing burn are aggregation: SQL.
    const ledger = await queryRows<LedgerRow>(conn, `
      WITH running AS (
        SELECT
          month,
          sku,
          units_shipped,
          accrual::DOUBLE AS accrual,
          cost_paid::DOUBLE AS cost_paid,
          sum(accrual) OVER w::DOUBLE AS cumulative_accrual,
          sum(cost_paid) OVER w::DOUBLE AS cumulative_cost,
          sum(claims_paid) OVER w AS cumulative_claims_paid,
          avg(cost_paid) OVER (PARTITION BY sku ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)::DOUBLE AS trailing_burn,
          currency,
          ${monthIndexSql('month')} AS month_index
        FROM models.reserve_monthly
        WINDOW w AS (PARTITION BY sku ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
      )
      SELECT
        *,
        cumulative_accrual - cumulative_cost AS balance,
        CASE WHEN cumulative_accrual > 0 THEN cumulative_cost / cumulative_accrual END AS burn_ratio,
        CASE
          WHEN cumulative_accrual - cumulative_cost <= 0 THEN 0
          WHEN trailing_burn > 0 THEN (cumulative_accrual - cumulative_cost) / trailing_burn
        END AS runway_months                                   -- NULL: nothing is being burnt
      FROM running
      ORDER BY sku, month`);
    const cells = await queryRows<NevadaCell>(conn, `
      SELECT sku, ${monthIndexSql('ship_month')} AS ship_index, ${monthIndexSql('return_month')} AS return_index, units_shipped, returns
      FROM models.nevada`);
    const terms = new Map(
      (await queryRows<{ sku: string; warranty_months: number }>(conn, 'SELECT sku, warranty_months FROM models.rpt_warranty_terms'))
        .map((t) => [t.sku, t.warranty_months]),
    );
    const defaultMonths = (ctx.config as { warrantyMonthsDefault?: number }).warrantyMonthsDefault ?? 24;
    const minFailures = minFailuresForFit(ctx);

    const cellsBySku = new Map<string, NevadaCell[]>();
    for (const c of cells) (cellsBySku.get(c.sku) ?? cellsBySku.set(c.sku, []).get(c.sku)!).push(c);
    const firstIndex = Math.min(...cells.map((c) => c.ship_index));

    // Pooled fits per month end, made only when some SKU needs one.
    const pooled = new Map<number, WeibullFit | undefined>();
    const pooledFit = (T: number): WeibullFit | undefined => {
      if (!pooled.has(T)) pooled.set(T, cells.length ? tryFit(lifeDataAt(cells, firstIndex, T), 2) : undefined);
      return pooled.get(T);
    };
    // Net cost per paid claim so far over every SKU: the fallback for a SKU with no paid claim yet.
    const allCost = new Map<number, { cost: number; claims: number }>();
    for (const r of ledger) {
      const g = allCost.get(r.month_index) ?? { cost: 0, claims: 0 };
      g.cost += r.cumulative_cost;
      g.claims += r.cumulative_claims_paid;
      allCost.set(r.month_index, g);
    }

    const rows = ledger.map((r) => {
      const skuCells = cellsBySku.get(r.sku) ?? [];
      const warrantyMonths = terms.get(r.sku) ?? defaultMonths;
      let forecast: Forecast | undefined;
      if (skuCells.length) {
        const skuFirst = Math.min(...skuCells.map((c) => c.ship_index));
        if (r.month_index >= skuFirst) {
          const own = tryFit(lifeDataAt(skuCells, skuFirst, r.month_index), minFailures);
          const fit = own ?? pooledFit(r.month_index);
          const atRisk = atRiskAt(skuCells, r.month_index, warrantyMonths);
          if (fit) forecast = { ...forecastWith(fit, atRisk, warrantyMonths), basis: own ? 'sku' : 'pooled', fit };
        }
      }
      const everyone = allCost.get(r.month_index);
      const costPerClaim = r.cumulative_claims_paid > 0
        ? r.cumulative_cost / r.cumulative_claims_paid
        : everyone && everyone.claims > 0 ? everyone.cost / everyone.claims : undefined;
      const priced = forecast && costPerClaim !== undefined;
      return {
        month: r.month,
        sku: r.sku,
        units_shipped: r.units_shipped,
        accrual: round2(r.accrual),
        cost_paid: round2(r.cost_paid),
        cumulative_accrual: round2(r.cumulative_accrual),
        cumulative_cost: round2(r.cumulative_cost),
        balance: round2(r.balance),
        burn_ratio: r.burn_ratio,
        forecast_liability: priced ? round2(forecast!.expected * costPerClaim!) : null,
        forecast_low: priced ? round2(forecast!.expectedLow * costPerClaim!) : null,
        forecast_high: priced ? round2(forecast!.expectedHigh * costPerClaim!) : null,
        runway_months: r.runway_months,
        currency: r.currency,
        trailing_burn: round2(r.trailing_burn),
        units_in_warranty: forecast?.unitsInWarranty ?? null,
        expected_claims: forecast?.expected ?? null,
        expected_claims_low: forecast?.expectedLow ?? null,
        expected_claims_high: forecast?.expectedHigh ?? null,
        cost_per_claim: round2(costPerClaim),
        forecast_basis: forecast?.basis ?? null,
        weibull_beta: forecast?.fit.beta ?? null,
        weibull_eta_months: forecast?.fit.eta ?? null,
      };
    });
    await writeModelTable(conn, 'reserve', columns, rows);
  },
};
