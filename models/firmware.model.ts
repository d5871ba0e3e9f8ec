import { readFileSync } from 'node:fs';
import type { DuckDBConnection, DuckDBListVector, DuckDBVector } from '@duckdb/node-api';
import { assetPath } from '../pipeline/paths.js';
import { queryRows } from '../pipeline/store.js';
import type { ModelConfig } from '../pipeline/config.js';
import type { BuildContext, TsModel } from './model.js';
import { writeModelTable, type ColumnType } from './runner.js';
import { benjaminiHochberg, mantelHaenszelColumns, poissonRateRatioTest, type MantelHaenszelResult } from './stats/index.js';

/**
 * models.firmware — CONTRACT 7.2: per firmware build × failure code × SKU, the claim rate against
 * every other build of the SKU. The effect is stratified by production batch and unit-age band
 * (Mantel–Haenszel rate ratio over the strata of firmware/strata.sql), so a bad batch that happened to ship
 * with a build, or young units that happen to run it, do not read as a firmware effect.
 *
 * p-value: exact conditional test. Given the claims M_s in each stratum, the build's claims are
 * Σ Binomial(M_s, T1_s/T_s) under no effect; it is tested as one binomial with the same mean
 * (poissonRateRatioTest with exposures E and M − E, E = Σ M_s·T1_s/T_s), which is exact for a single
 * stratum and conservative otherwise — unlike the asymptotic score test, it does not call one claim
 * in a thinly exposed stratum significant. q-values: Benjamini–Hochberg across every cell.
 * flagged = q below the threshold and a stratified rate ratio of at least the material effect.
 */

/** Exact conditional p-value (two-sided) of the build's claims across its informative strata (a Mantel–Haenszel result's totals); 1 without information. */
export function exactPValueOf(mh: Pick<MantelHaenszelResult, 'observed' | 'expected' | 'cases'>): number {
  const { observed, expected, cases } = mh;
  if (cases === 0 || expected <= 0 || expected >= cases) return 1;
  return poissonRateRatioTest(observed, expected, cases - observed, cases - expected).pValue;
}

const DAYS_PER_MONTH = 365.25 / 12;
export const ADJUSTED_FOR = 'batch_id, age_band';

interface CellRow {
  firmware_version: string;
  sku: string;
  failure_code: string;
  returns: number;
  unit_days: number;
  baseline_returns: number;
  baseline_unit_days: number;
}

/** A cell's stratified comparison: the Mantel–Haenszel rate ratio and the exact conditional p-value. */
interface StratifiedTest {
  mh: MantelHaenszelResult;
  pValue: number;
}

/**
 * Each cell's stratified test, from its strata (firmware/strata.sql: one row per cell with the strata as
 * lists; five million strata rows at 10 M RMAs would cost seconds of row decoding). Each chunk's list
 * elements are copied into four arrays and every cell is tested on its slice of them, as it is read: an
 * object per stratum (five million) was most of the model's JavaScript time, in building and collecting them.
 */
async function stratifiedTests(conn: DuckDBConnection): Promise<Map<string, StratifiedTest>> {
  const byCell = new Map<string, StratifiedTest>();
  const result = await conn.run(
    `SELECT firmware_version, sku, failure_code, cases1, time1, cases0, time0 FROM (${readFileSync(assetPath('models', 'firmware', 'strata.sql'), 'utf8')})`,
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const [version, sku, code] = [0, 1, 2].map((i) => chunk!.getColumnVector(i) as DuckDBVector<string>);
    const lists = [3, 4, 5, 6].map((i) => chunk!.getColumnVector(i) as DuckDBListVector);
    const [cases1, time1, cases0, time0] = lists.map((l) => {
      const child = l.childVector as DuckDBVector<number>;
      const values = new Float64Array(child.itemCount);
      for (let k = 0; k < values.length; k++) values[k] = child.getItem(k)!;
      return values;
    });
    for (let r = 0; r < chunk.rowCount; r++) {
      const from = lists[0].getEntryOffset(r);
      const n = lists[0].getEntryLength(r);
      if (n === 0) continue;
      // the four lists of a row come from one group: the same offsets and lengths
      if (lists.some((l) => l.getEntryOffset(r) !== from || l.getEntryLength(r) !== n)) throw new Error('firmware strata: the lists of a cell differ in layout');
      const mh = mantelHaenszelColumns({ cases1, time1, cases0, time0 }, from, from + n);
      byCell.set(key({ firmware_version: version.getItem(r)!, sku: sku.getItem(r)!, failure_code: code.getItem(r)! }), { mh, pValue: exactPValueOf(mh) });
    }
  }
  return byCell;
}

/** Claims per 1,000 unit-months. */
export const ratePer1000UnitMonths = (returns: number, unitDays: number): number | null =>
  unitDays > 0 ? (returns / (unitDays / DAYS_PER_MONTH)) * 1000 : null;

export const firmwareColumns: readonly (readonly [string, ColumnType])[] = [
  ['firmware_version', 'VARCHAR'],
  ['sku', 'VARCHAR'],
  ['failure_code', 'VARCHAR'],
  ['returns', 'BIGINT'],
  ['unit_days', 'DOUBLE'],
  ['rate_per_1000_unit_months', 'DOUBLE'],
  ['baseline_rate', 'DOUBLE'],
  ['relative_risk', 'DOUBLE'],
  ['p_value', 'DOUBLE'],
  ['q_value', 'DOUBLE'],
  ['adjusted_for', 'VARCHAR'],
  ['flagged', 'BOOLEAN'],
  // beyond the contract: the evidence behind the verdict
  ['baseline_returns', 'BIGINT'],
  ['baseline_unit_days', 'DOUBLE'],
  ['crude_relative_risk', 'DOUBLE'],
  ['rr_low', 'DOUBLE'],
  ['rr_high', 'DOUBLE'],
  ['informative_strata', 'BIGINT'],
  ['as_of', 'DATE'],
];

const key = (r: { firmware_version: string; sku: string; failure_code: string }): string => `${r.sku}\u0000${r.firmware_version}\u0000${r.failure_code}`;

export const model: TsModel = {
  name: 'firmware',
  grain: ['firmware_version', 'sku', 'failure_code'],
  inputs: ['models.firmware_cells', 'models.firmware_exposure', 'models.firmware_returns', 'firmware_builds'],
  audits: [
    { kind: 'between', columns: ['p_value'], low: 0, high: 1 },
    { kind: 'between', columns: ['q_value'], low: 0, high: 1 },
    { kind: 'not_null', columns: ['flagged'] },
  ],
  description: 'Firmware build × failure code × SKU claim rates, stratified by batch and age band (CONTRACT 7.2).',
  async run(conn, ctx: BuildContext) {
    const settings = (ctx.config as ModelConfig).settings.firmware;
    const cells = await queryRows<CellRow>(conn, 'SELECT * FROM models.firmware_cells ORDER BY sku, firmware_version, failure_code');
    const testsByCell = await stratifiedTests(conn);
    const tested = cells.map((c) => {
      const stratified = testsByCell.get(key(c));
      const rate = ratePer1000UnitMonths(c.returns, c.unit_days);
      const baselineRate = ratePer1000UnitMonths(c.baseline_returns, c.baseline_unit_days);
      return {
        cell: c,
        rate,
        baselineRate,
        crude: rate !== null && baselineRate !== null && baselineRate > 0 ? rate / baselineRate : null,
        mh: stratified?.mh,
        // no stratum: nothing to compare within batch and age band
        pValue: stratified?.pValue ?? 1,
      };
    });
    const qValues = tested.length ? benjaminiHochberg(tested.map((t) => t.pValue)) : [];
    const rows = tested.map((t, i) => {
      const rr = t.mh?.rateRatio ?? null;
      return {
        firmware_version: t.cell.firmware_version,
        sku: t.cell.sku,
        failure_code: t.cell.failure_code,
        returns: t.cell.returns,
        unit_days: t.cell.unit_days,
        rate_per_1000_unit_months: t.rate,
        baseline_rate: t.baselineRate,
        relative_risk: rr,
        p_value: t.pValue,
        q_value: qValues[i],
        adjusted_for: ADJUSTED_FOR,
        flagged: qValues[i] < settings.q_threshold && rr !== null && rr >= settings.material_effect,
        baseline_returns: t.cell.baseline_returns,
        baseline_unit_days: t.cell.baseline_unit_days,
        crude_relative_risk: t.crude,
        rr_low: t.mh ? t.mh.low : null,
        rr_high: t.mh ? t.mh.high : null,
        informative_strata: t.mh?.informativeStrata ?? 0,
        as_of: ctx.asOf,
      };
    });
    await writeModelTable(conn, 'firmware', firmwareColumns, rows);
  },
};
