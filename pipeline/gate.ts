import { lastBuildAsOf } from '../models/runner.js';
import { benjaminiHochberg, bernoulliSprt, poissonRateRatioTest, type SprtResult } from '../models/stats/index.js';
import { build, todayUtc } from './build.js';
import { loadConfig, type RmaConfig } from './config.js';
import { RmaError } from './errors.js';
import type { Store } from './store.js';

/**
 * The firmware release gate (CONTRACT 7.3): is the candidate build safe to roll out wider, compared
 * with the baseline build(s) of the same SKU?
 *
 * - Matched exposure: both builds are compared within the same production batch × unit-age band
 *   strata (models.firmware_exposure / models.firmware_returns); the baseline's rate is standardised
 *   to the candidate's mix of strata, so a young candidate is not judged against old units or a bad
 *   batch.
 * - Per failure code and all-cause: exact conditional Poisson test, one-sided (regression), with
 *   Benjamini–Hochberg across the family — so a regression in one mode is not hidden by an all-cause
 *   rate that looks fine. Any significant regression → `hold`.
 * - SPRT (Wald, per unit-month) between an acceptable and an unacceptable all-cause rate: `reject`
 *   (the unacceptable rate fits better) → `hold`; `continue` → `insufficient_evidence`; `accept` → `go`.
 */

const DAYS_PER_MONTH = 365.25 / 12;

export interface GateOptions {
  candidate: string;
  /** Baseline build(s); default: the current stable line of the SKU (latest stable build and its x.y siblings). */
  baseline?: string | string[];
  sku?: string;
  /** Analysis date; default: the last build's date (or today when nothing is built yet). */
  asOf?: string;
  config?: RmaConfig;
}

export interface GateStats {
  returns: number;
  unit_days: number;
  /** Claims per 1,000 unit-months (the baseline's standardised to the candidate's strata). */
  rate: number | null;
}

export interface GateCode {
  failure_code: string;
  candidate_returns: number;
  candidate_rate: number | null;
  baseline_returns: number;
  baseline_rate: number | null;
  rate_ratio: number | null;
  p_value: number;
  q_value: number;
  regression: boolean;
}

export interface Gate {
  candidate: string;
  /** Baseline build(s), comma-separated. */
  baseline: string;
  sku: string;
  verdict: 'go' | 'hold' | 'insufficient_evidence';
  candidate_stats: GateStats;
  baseline_stats: GateStats;
  /** All-cause rate ratio, candidate / standardised baseline. */
  rate_ratio: number | null;
  /** All-cause one-sided p-value (regression). */
  p_value: number;
  /** All-cause q-value (BH across all-cause and every failure code) and whether it is a regression. */
  q_value: number;
  all_cause_regression: boolean;
  sprt: {
    decision: SprtResult['decision'] | 'not_run';
    llr: number | null;
    lower_bound: number | null;
    upper_bound: number | null;
    acceptable_rate: number | null;
    unacceptable_rate: number | null;
    unit_months: number;
    failures: number;
  };
  reasons: string[];
  failure_codes: GateCode[];
  baseline_builds: string[];
  as_of: string;
  /** Candidate claims whose unit age or batch is unknown (not in any matched stratum). */
  unmatched_candidate_returns: number;
}

const fmtRate = (r: number | null): string => (r === null ? 'n/a' : r < 10 ? r.toFixed(2) : r.toFixed(1));
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtP = (p: number): string => (p < 0.0001 ? '< 0.0001' : p.toFixed(4));
const per1000 = (returns: number, unitDays: number): number | null => (unitDays > 0 ? (returns / (unitDays / DAYS_PER_MONTH)) * 1000 : null);

async function modelsExist(store: Store): Promise<boolean> {
  const row = await store.one<{ n: number }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'models' AND table_name IN ('firmware_exposure', 'firmware_returns')",
  );
  return row?.n === 2;
}

/** The SKU the candidate runs on, when not given: the only SKU with exposure or a build row for it. */
async function resolveSku(store: Store, candidate: string, sku?: string): Promise<string> {
  if (sku) return sku;
  const rows = await store.all<{ sku: string }>(
    `SELECT DISTINCT sku FROM (
       SELECT sku FROM models.firmware_exposure WHERE firmware_version = $1
       UNION SELECT sku FROM firmware_builds WHERE firmware_version = $1 AND sku <> ''
     ) ORDER BY sku`,
    [candidate],
  );
  if (rows.length === 1) return rows[0].sku;
  if (rows.length === 0) throw new RmaError('RMA_ERR_NOT_FOUND', `firmware build ${candidate} is unknown: no exposure and no row in firmware_builds`, { candidate });
  throw new RmaError('RMA_ERR_USAGE', `firmware build ${candidate} runs on several SKUs (${rows.map((r) => r.sku).join(', ')}); pass --sku`, { candidate });
}

/** Current stable line of a SKU: the latest stable build released by the date, and its x.y siblings. */
async function defaultBaseline(store: Store, candidate: string, sku: string, asOf: string): Promise<string[]> {
  const stable = await store.all<{ firmware_version: string; released_at: string | null }>(
    `SELECT firmware_version, released_at FROM firmware_builds
     WHERE channel = 'stable' AND (sku = $1 OR sku = '') AND firmware_version <> $2
       AND (released_at IS NULL OR CAST(released_at AS DATE) <= CAST($3 AS DATE))
       AND coalesce(lower(status), '') NOT IN ('withdrawn', 'retired', 'deprecated', 'recalled')
     ORDER BY released_at DESC NULLS LAST, firmware_version DESC`,
    [sku, candidate, asOf],
  );
  if (!stable.length) {
    throw new RmaError('RMA_ERR_USAGE', `SKU ${sku} has no stable firmware build released by ${asOf} to compare with; pass --baseline`, { sku });
  }
  const line = stable[0].firmware_version.split('.').slice(0, 2).join('.');
  return [...new Set(stable.filter((b) => b.firmware_version.split('.').slice(0, 2).join('.') === line).map((b) => b.firmware_version))].sort();
}

interface StratumCounts {
  failure_code: string;
  cand_returns: number;
  base_returns: number;
  /** Σ over strata of the baseline rate × candidate unit-days: claims expected at the baseline's rates. */
  expected: number;
}

/**
 * Evaluate the release gate for a candidate build. Reads the models of the last build (building first
 * when they are missing or were built for another date).
 */
export async function gate(store: Store, options: GateOptions): Promise<Gate> {
  const config = options.config ?? loadConfig();
  const settings = config.gate;
  const built = (await modelsExist(store)) ? await lastBuildAsOf(store) : undefined;
  const asOf = options.asOf ?? built ?? todayUtc();
  if (built !== asOf) await build(store, { asOf, config });

  const candidate = options.candidate;
  const sku = await resolveSku(store, candidate, options.sku);
  const baselineBuilds = options.baseline === undefined
    ? await defaultBaseline(store, candidate, sku, asOf)
    : (Array.isArray(options.baseline) ? options.baseline : options.baseline.split(',')).map((b) => b.trim()).filter(Boolean);
  if (!baselineBuilds.length) throw new RmaError('RMA_ERR_USAGE', '--baseline names no build');
  if (baselineBuilds.includes(candidate)) throw new RmaError('RMA_ERR_USAGE', `the candidate ${candidate} cannot also be its own baseline`);

  // Matched strata: batch × age band where both sides have exposure (aggregation in SQL).
  const params = { sku, candidate, baseline: baselineBuilds.join('\u0001') };
  const strataSql = `
    WITH base AS (SELECT unnest(string_split($baseline, '\u0001')) AS v),
    exposure AS (
      SELECT batch_id, age_band,
        coalesce(sum(unit_days) FILTER (WHERE firmware_version = $candidate), 0) AS cand_days,
        coalesce(sum(unit_days) FILTER (WHERE firmware_version IN (SELECT v FROM base)), 0) AS base_days
      FROM models.firmware_exposure
      WHERE sku = $sku
      GROUP BY ALL
    ),
    matched AS (SELECT * FROM exposure WHERE cand_days > 0 AND base_days > 0)`;
  const [totals] = await store.all<{ cand_days: number; base_days: number; all_cand_days: number; strata: number }>(
    `${strataSql}
     SELECT coalesce((SELECT sum(cand_days) FROM matched), 0) AS cand_days,
            coalesce((SELECT sum(base_days) FROM matched), 0) AS base_days,
            coalesce((SELECT sum(cand_days) FROM exposure), 0) AS all_cand_days,
            (SELECT count(*) FROM matched) AS strata`,
    params,
  );
  const codes = await store.all<StratumCounts>(
    `${strataSql},
     claims AS (
       SELECT r.failure_code, r.batch_id, r.age_band,
         coalesce(sum(r.returns) FILTER (WHERE r.firmware_version = $candidate), 0) AS cand_returns,
         coalesce(sum(r.returns) FILTER (WHERE r.firmware_version IN (SELECT v FROM base)), 0) AS base_returns
       FROM models.firmware_returns AS r
       WHERE r.sku = $sku
       GROUP BY ALL
     )
     SELECT c.failure_code,
       CAST(sum(c.cand_returns) AS BIGINT) AS cand_returns,
       CAST(sum(c.base_returns) AS BIGINT) AS base_returns,
       sum(c.base_returns / m.base_days * m.cand_days) AS expected
     FROM claims AS c
     JOIN matched AS m ON m.batch_id = c.batch_id AND m.age_band = c.age_band
     GROUP BY ALL
     ORDER BY c.failure_code`,
    params,
  );
  const [unmatched] = await store.all<{ n: number }>(
    `${strataSql}
     SELECT coalesce(sum(r.returns), 0) AS n
     FROM models.firmware_returns AS r
     ANTI JOIN matched AS m ON m.batch_id = r.batch_id AND m.age_band = r.age_band
     WHERE r.sku = $sku AND r.firmware_version = $candidate`,
    params,
  );

  const tc = totals.cand_days;
  const tb = totals.base_days;
  const reasons: string[] = [];

  // One test per failure code plus all-cause; the baseline exposure is rescaled so that its rate is the
  // standardised one (its claim count, and so its weight in the test, stays what was observed).
  const test = (kc: number, kb: number, expected: number) => {
    if (!(tc > 0) || !(tb > 0)) return { rateRatio: null as number | null, pValue: 1, baselineRate: null as number | null };
    const tbEff = kb > 0 && expected > 0 ? (kb * tc) / expected : tb;
    const r = poissonRateRatioTest(kc, tc, kb, tbEff, 'greater');
    return { rateRatio: r.rateRatio, pValue: r.pValue, baselineRate: per1000(kb, tbEff) };
  };
  const allCause = codes.reduce((a, c) => ({ kc: a.kc + c.cand_returns, kb: a.kb + c.base_returns, e: a.e + c.expected }), { kc: 0, kb: 0, e: 0 });
  const allTest = test(allCause.kc, allCause.kb, allCause.e);
  const codeTests = codes.map((c) => ({ c, t: test(c.cand_returns, c.base_returns, c.expected) }));
  const qValues = benjaminiHochberg([allTest.pValue, ...codeTests.map((x) => x.t.pValue)]);
  const isRegression = (rr: number | null, q: number): boolean => q < settings.q_threshold && rr !== null && rr > 1;
  const failureCodes: GateCode[] = codeTests.map(({ c, t }, i) => ({
    failure_code: c.failure_code,
    candidate_returns: c.cand_returns,
    candidate_rate: per1000(c.cand_returns, tc),
    baseline_returns: c.base_returns,
    baseline_rate: t.baselineRate,
    rate_ratio: t.rateRatio,
    p_value: t.pValue,
    q_value: qValues[i + 1],
    regression: isRegression(t.rateRatio, qValues[i + 1]),
  }));
  const allRegression = isRegression(allTest.rateRatio, qValues[0]);

  if (!(tc > 0)) {
    reasons.push(`${candidate} has no exposure on ${sku} in any batch and unit-age band where ${baselineBuilds.join(', ')} also runs`);
  }
  for (const f of failureCodes.filter((f) => f.regression)) {
    reasons.push(
      `${f.failure_code} regresses: ${candidate} has ${f.candidate_returns} claims (${fmtRate(f.candidate_rate)} per 1,000 unit-months) against ` +
        `${fmtRate(f.baseline_rate)} for ${baselineBuilds.join(', ')} on units of the same batches and ages — ` +
        `${f.rate_ratio === Infinity ? 'none on the baseline' : `${(f.rate_ratio ?? 0).toFixed(2)}×`}, q = ${fmtP(f.q_value)}`,
    );
  }
  if (allRegression) {
    reasons.push(`all-cause claims regress: ${fmtRate(per1000(allCause.kc, tc))} vs ${fmtRate(allTest.baselineRate)} per 1,000 unit-months, q = ${fmtP(qValues[0])}`);
  }

  // SPRT on the all-cause rate, one unit-month = one trial.
  const unitMonths = Math.floor(tc / DAYS_PER_MONTH);
  const baseRatePerMonth = allTest.baselineRate !== null ? allTest.baselineRate / 1000 : null;
  const p0 = settings.acceptable_rate[sku] !== undefined ? settings.acceptable_rate[sku] / 1000 : baseRatePerMonth !== null ? baseRatePerMonth * settings.acceptable_ratio : null;
  const p1 = settings.unacceptable_rate[sku] !== undefined ? settings.unacceptable_rate[sku] / 1000 : baseRatePerMonth !== null ? baseRatePerMonth * settings.unacceptable_ratio : null;
  let sprt: Gate['sprt'] = {
    decision: 'not_run', llr: null, lower_bound: null, upper_bound: null,
    acceptable_rate: p0 === null ? null : p0 * 1000, unacceptable_rate: p1 === null ? null : p1 * 1000,
    unit_months: unitMonths, failures: allCause.kc,
  };
  if (p0 !== null && p1 !== null && p0 > 0 && p1 > p0 && p1 < 1 && unitMonths > 0) {
    const s = bernoulliSprt({ p0, p1, alpha: settings.sprt_alpha, beta: settings.sprt_beta }, Math.min(allCause.kc, unitMonths), unitMonths);
    sprt = { ...sprt, decision: s.decision, llr: s.llr, lower_bound: s.lowerBound, upper_bound: s.upperBound };
  }

  const anyRegression = allRegression || failureCodes.some((f) => f.regression);
  let verdict: Gate['verdict'];
  if (anyRegression) verdict = 'hold';
  else if (sprt.decision === 'reject') {
    verdict = 'hold';
    reasons.push(
      `the all-cause rate of ${candidate} (${fmtRate(per1000(allCause.kc, tc))} per 1,000 unit-months over ${fmtInt(unitMonths)} unit-months) ` +
        `is closer to the unacceptable ${fmtRate(sprt.unacceptable_rate)} than to the acceptable ${fmtRate(sprt.acceptable_rate)} (SPRT)`,
    );
  } else if (sprt.decision === 'accept') {
    verdict = 'go';
    reasons.push(
      `no failure mode regresses against ${baselineBuilds.join(', ')} (${codes.length} codes tested, Benjamini–Hochberg), and ` +
        `${fmtInt(unitMonths)} unit-months with ${allCause.kc} claims rule out the unacceptable rate of ${fmtRate(sprt.unacceptable_rate)} per 1,000 unit-months (SPRT)`,
    );
  } else {
    verdict = 'insufficient_evidence';
    if (sprt.decision === 'continue') {
      // Each claim-free unit-month moves the log-likelihood ratio down by −ln((1 − p1)/(1 − p0)).
      const step = -(Math.log1p(-p1!) - Math.log1p(-p0!));
      const more = Math.max(0, Math.ceil((sprt.llr! - sprt.lower_bound!) / step));
      reasons.push(
        `${fmtInt(unitMonths)} unit-months with ${allCause.kc} claims cannot yet rule out the unacceptable rate of ` +
          `${fmtRate(sprt.unacceptable_rate)} per 1,000 unit-months (SPRT continues; at least ${fmtInt(more)} more claim-free unit-months needed)`,
      );
    } else if (p0 === null || p1 === null || !(p0 > 0)) {
      reasons.push(`the baseline ${baselineBuilds.join(', ')} has no claims on matched units, so there is no acceptable rate to test against; set gate.acceptable_rate for ${sku}`);
    } else if (unitMonths === 0) {
      reasons.push(`${candidate} has less than one unit-month of matched exposure`);
    } else {
      reasons.push(`the SPRT rates are not usable (acceptable ${fmtRate(p0 * 1000)}, unacceptable ${fmtRate(p1 * 1000)} per 1,000 unit-months)`);
    }
  }
  const unmatchedReturns = Number(unmatched?.n ?? 0);
  if (unmatchedReturns > 0) reasons.push(`${unmatchedReturns} claims on ${candidate} are outside the matched batches and ages and are not in the comparison`);
  if (totals.all_cand_days > tc * 1.0001) {
    reasons.push(`${fmtInt((totals.all_cand_days - tc) / DAYS_PER_MONTH)} unit-months of ${candidate} have no baseline counterpart and are not in the comparison`);
  }

  return {
    candidate,
    baseline: baselineBuilds.join(','),
    sku,
    verdict,
    candidate_stats: { returns: allCause.kc, unit_days: tc, rate: per1000(allCause.kc, tc) },
    baseline_stats: { returns: allCause.kb, unit_days: tb, rate: allTest.baselineRate },
    rate_ratio: allTest.rateRatio,
    p_value: allTest.pValue,
    q_value: qValues[0],
    all_cause_regression: allRegression,
    sprt,
    reasons,
    failure_codes: failureCodes,
    baseline_builds: baselineBuilds,
    as_of: asOf,
    unmatched_candidate_returns: unmatchedReturns,
  };
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for CI systems: one testcase per failure code, plus all-cause and the SPRT. */
export function gateJunit(g: Gate): string {
  const suite = `firmware gate ${g.candidate} vs ${g.baseline} (${g.sku})`;
  const cases: string[] = [];
  for (const f of g.failure_codes) {
    const name = `failure code ${f.failure_code}`;
    const detail = `candidate ${f.candidate_returns} claims (${fmtRate(f.candidate_rate)} per 1,000 unit-months), baseline ${fmtRate(f.baseline_rate)}; rate ratio ${f.rate_ratio === null ? 'n/a' : f.rate_ratio.toFixed(3)}, p = ${fmtP(f.p_value)}, q = ${fmtP(f.q_value)}`;
    cases.push(
      f.regression
        ? `    <testcase classname="${xml(suite)}" name="${xml(name)}"><failure message="${xml(`${f.failure_code} regresses`)}">${xml(detail)}</failure></testcase>`
        : `    <testcase classname="${xml(suite)}" name="${xml(name)}"><system-out>${xml(detail)}</system-out></testcase>`,
    );
  }
  const allDetail = `candidate ${fmtRate(g.candidate_stats.rate)} vs baseline ${fmtRate(g.baseline_stats.rate)} per 1,000 unit-months; p = ${fmtP(g.p_value)}`;
  const allFails = g.all_cause_regression;
  cases.push(
    allFails
      ? `    <testcase classname="${xml(suite)}" name="all-cause"><failure message="all-cause claims regress">${xml(allDetail)}</failure></testcase>`
      : `    <testcase classname="${xml(suite)}" name="all-cause"><system-out>${xml(allDetail)}</system-out></testcase>`,
  );
  const sprtText = `SPRT ${g.sprt.decision}: ${g.sprt.failures} claims in ${g.sprt.unit_months} unit-months; acceptable ${fmtRate(g.sprt.acceptable_rate)}, unacceptable ${fmtRate(g.sprt.unacceptable_rate)} per 1,000 unit-months`;
  const sprtCase =
    g.sprt.decision === 'reject'
      ? `<failure message="rate at the unacceptable level">${xml(sprtText)}</failure>`
      : g.sprt.decision === 'accept'
        ? `<system-out>${xml(sprtText)}</system-out>`
        : `<skipped message="${xml(`SPRT ${g.sprt.decision === 'continue' ? 'continues: not enough exposure yet' : 'not run'}`)}">${xml(sprtText)}</skipped>`;
  cases.push(`    <testcase classname="${xml(suite)}" name="exposure (SPRT)">${sprtCase}</testcase>`);
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rma-intel gate" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
    `    <properties><property name="verdict" value="${g.verdict}"/><property name="as_of" value="${g.as_of}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** CLI / CI exit code of a verdict (CONTRACT §4): 0 go, 1 hold, 3 insufficient evidence. */
export const gateExitCode = (verdict: Gate['verdict']): number => (verdict === 'go' ? 0 : verdict === 'hold' ? 1 : 3);
