/**
 * `rma-intel/stats` — the statistics core: pure functions on plain numbers, no I/O.
 * See README.md in this folder and CONTRACT.md §6.
 */
export {
  wilsonInterval,
  clopperPearsonInterval,
  poissonInterval,
  exactPoissonUpperRate,
  relativeRisk,
  type ProportionInterval,
  type CountInterval,
  type RelativeRiskResult,
} from './intervals.js';
export { fisherExact, type FisherExactResult } from './fisher-exact.js';
export { binomialTest, binomialCdf, binomialSurvival, type BinomialTestResult } from './binomial-test.js';
export { chiSquareIndependence, type ChiSquareResult } from './contingency.js';
export { benjaminiHochberg } from './multiple-testing.js';
export {
  poissonRateRatioTest,
  mantelHaenszelRateRatio,
  mantelHaenszelColumns,
  type RateRatioTestResult,
  type RateStratum,
  type RateStrataColumns,
  type MantelHaenszelResult,
} from './rate-ratio.js';
export {
  weibullCdf,
  weibullFit,
  weibullFitColumns,
  weibullForecast,
  WeibullFitError,
  type WeibullFit,
  type WeibullFitInput,
  type WeibullFitErrorCode,
  type WeibullForecast,
  type LifeData,
  type LifeGroup,
} from './weibull.js';
export {
  kaplanMeier,
  kaplanMeierCounts,
  kaplanMeierColumns,
  type KaplanMeierGroup,
  type KaplanMeierRow,
  type KaplanMeierColumns,
} from './kaplan-meier.js';
export { nevadaToLifeData, type NevadaLifeData } from './nevada.js';
export {
  pChart,
  laneyPChart,
  cusum,
  type PChartPoint,
  type LaneyPChartPoint,
  type CusumOptions,
  type CusumResult,
} from './control-charts.js';
export { bernoulliSprt, type SprtPlan, type SprtResult } from './sprt.js';
export { annualizedFailureRate } from './rates.js';
export {
  logGamma,
  logBeta,
  regularizedGamma,
  regularizedBeta,
  inverseRegularizedGamma,
  inverseRegularizedBeta,
  normalCdf,
  normalQuantile,
  chiSquareQuantile,
  chiSquareSurvival,
  type Tails,
} from './special-functions.js';
export type { Alternative } from './validate.js';
