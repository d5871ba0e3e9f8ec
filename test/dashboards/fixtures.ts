/**
 * Realistic report rows shaped as CONTRACT §7 and the report names of §4, for spec, page and bundle
 * tests. Deterministic; the values follow the demo world's story (two SKUs, one bad batch, one
 * firmware build that corrupts recordings, a dealer with a training gap).
 */

const batchList: [string, string, number, number, number, string, number | null][] = [
  // batch_id, sku, units_shipped, returns, confirmed_defects, status, projected_rate
  ['TH35-2401', 'TH35', 1200, 19, 11, 'ok', null],
  ['TH35-2402', 'TH35', 1150, 21, 14, 'ok', null],
  ['TH35-2403', 'TH35', 980, 44, 31, 'confirmed_breach', null],
  ['TH35-2404', 'TH35', 1320, 25, 19, 'watch', null],
  ['TH35-2405', 'TH35', 1400, 9, 4, 'watch', 0.0241],
  ['TH35-2406', 'TH35', 600, 1, 0, 'insufficient_exposure', 0.012],
  ['XP50-2401', 'XP50', 800, 13, 9, 'ok', null],
  ['XP50-2402', 'XP50', 760, 26, 18, 'breach', null],
  ['XP50-2403', 'XP50', 900, 7, 3, 'ok', 0.0145],
];

/** Wilson 95 % bounds, so ci_low/ci_high are consistent with the counts. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export const batchRows = batchList.map(([batch_id, sku, units_shipped, returns, confirmed_defects, status, projected_rate]) => {
  const [ci_low, ci_high] = wilson(confirmed_defects, units_shipped);
  return {
    batch_id,
    sku,
    units_shipped,
    unit_days: units_shipped * 300,
    returns,
    confirmed_defects,
    pending: Math.max(0, returns - confirmed_defects - 3),
    no_trouble_found: Math.min(3, returns - confirmed_defects),
    defect_rate: confirmed_defects / units_shipped,
    ci_low,
    ci_high,
    projected_rate,
    threshold: 0.02,
    status,
  };
});

const codes = ['PWR_BATTERY', 'BOOT_UI', 'ZERO_PROFILE', 'REC_STORAGE', 'WIFI_APP', 'IMG_NUC'];
const builds: [string, string][] = [['TH35', '2.3.0'], ['TH35', '2.3.4'], ['TH35', '2.4.1'], ['XP50', '1.8.2'], ['XP50', '1.9.0']];

export const firmwareRows = builds.flatMap(([sku, firmware_version], b) =>
  codes.map((failure_code, c) => {
    const bad = firmware_version === '2.4.1' && failure_code === 'REC_STORAGE';
    const returns = bad ? 23 : ((b * 7 + c * 5) % 9) + 1;
    const unit_days = 180_000 + b * 25_000;
    const rate = (returns / unit_days) * 30_000;
    const relative_risk = bad ? 4.6 : 0.55 + (((b * 3 + c * 2) % 7) * 0.2);
    const p_value = bad ? 0.00002 : 0.2 + ((b + c) % 5) * 0.15;
    return {
      firmware_version,
      sku,
      failure_code,
      returns,
      unit_days,
      rate_per_1000_unit_months: rate,
      baseline_rate: rate / relative_risk,
      relative_risk,
      p_value,
      q_value: Math.min(1, p_value * 6),
      adjusted_for: ['batch', 'age_band'],
      flagged: bad,
    };
  }),
);

const months = Array.from({ length: 15 }, (_, i) => `${2025 + Math.floor((i + 9) / 12)}-${String(((i + 9) % 12) + 1).padStart(2, '0')}-01`);

export const reserveRows = ['TH35', 'XP50'].flatMap((sku, s) => {
  let cumulative_accrual = 0;
  let cumulative_cost = 0;
  return months.map((month, i) => {
    const units_shipped = 400 + ((i * 37 + s * 11) % 150);
    const accrual = units_shipped * (s ? 22 : 18);
    const cost_paid = 900 + i * i * (s ? 95 : 60);
    cumulative_accrual += accrual;
    cumulative_cost += cost_paid;
    const forecast_liability = cumulative_accrual * 0.35 + i * 500;
    return {
      month,
      sku,
      units_shipped,
      accrual,
      cost_paid,
      cumulative_accrual,
      cumulative_cost,
      balance: cumulative_accrual - cumulative_cost,
      burn_ratio: cumulative_cost / cumulative_accrual,
      forecast_liability,
      forecast_low: forecast_liability * 0.8,
      forecast_high: forecast_liability * 1.25,
      runway_months: 10 - i * 0.4,
      currency: 'USD',
    };
  });
});

const paretoCounts: [string, string, number, number][] = [
  ['REC_STORAGE', 'recording/storage', 61, 74],
  ['ZERO_PROFILE', 'zeroing/profiles', 88, 21],
  ['PWR_BATTERY', 'power/battery', 47, 52],
  ['SEAL_FOG', 'sealing/fogging', 22, 39],
  ['BOOT_UI', 'boot/UI instability', 35, 28],
  ['WIFI_APP', 'Wi-Fi/app', 30, 12],
  ['IMG_NUC', 'image/NUC behaviour', 15, 14],
  ['MECH_MOUNT', 'mechanical/mount', 9, 11],
];
/** models/pareto.sql: per SKU plus the all-SKU rows (sku '*'). */
export const paretoRows = [
  ...paretoCounts.map(([failure_code, category, stated, verified]) => ({ sku: '*', failure_code, category, stated, verified })),
  ...paretoCounts.map(([failure_code, category, stated, verified]) => ({ sku: 'TH35', failure_code, category, stated: Math.round(stated * 0.7), verified: Math.round(verified * 0.7) })),
];

const shipMonths = months.slice(0, 10);
/** models/nevada.sql: every cell from the ship month to the analysis month, zeros included. */
export const nevadaRows = shipMonths.flatMap((ship_month, i) =>
  months.slice(i).map((return_month, j) => ({
    sku: 'TH35',
    ship_month,
    return_month,
    age_months: j,
    units_shipped: 500 + i * 20,
    returns: j === 0 ? 1 : Math.max(0, Math.round(9 * Math.exp(-j / 4)) + (i === 4 ? 4 : 0)),
  })),
);

const fitted: [string, number, number, number][] = [
  ['TH35-2401', 1.3, 4200, 11],
  ['TH35-2403', 0.8, 2100, 31],
  ['TH35-2404', 1.1, 3400, 19],
  ['XP50-2402', 1.6, 2600, 18],
];
/** models/weibull.model.ts: fits per SKU and per batch; unfitted batches have NULL beta/eta. */
export const weibullRows = [
  ...fitted.map(([subject_id, beta, eta_days, failures]) => ({
    level: 'batch', subject_id, sku: subject_id.slice(0, 4), units: 1000, failures, suspensions: 1000 - failures, status: 'fitted', beta, eta_days,
  })),
  { level: 'batch', subject_id: 'TH35-2406', sku: 'TH35', units: 600, failures: 1, suspensions: 599, status: 'insufficient_failures', beta: null, eta_days: null },
  { level: 'sku', subject_id: 'TH35', sku: 'TH35', units: 6650, failures: 79, suspensions: 6571, status: 'fitted', beta: 1.05, eta_days: 3100 },
];
/** km_curves (models/km-curves.ts): Kaplan–Meier steps per batch. */
export const kmRows = fitted.flatMap(([batch_id, beta, eta]) =>
  [30, 90, 150, 240, 330, 420, 510, 600].map((time_days, i) => {
    const survival = Math.exp(-Math.pow(time_days / eta, beta)) - i * 0.0008;
    return { batch_id, sku: batch_id.slice(0, 4), time_days, at_risk: 1000 - i * 3, events: 2, survival, low: survival - 0.01, high: Math.min(1, survival + 0.01) };
  }),
);

/** models/sla.sql: attainment per month raised, per SKU and over all SKUs ('*'). */
export const slaRows = months.flatMap((month, i) =>
  ['*', 'TH35'].map((sku) => {
    const rmas = sku === '*' ? 60 + i * 3 : 35 + i * 2;
    const open = Math.max(0, i - 7) * 4 + (i > 11 ? 9 : 0);
    return {
      month,
      sku,
      rmas,
      response_decided: rmas,
      response_met_rate: 0.97 - (i % 4) * 0.02,
      inspection_decided: rmas - open,
      inspection_met_rate: 0.9 - (i % 3) * 0.03,
      resolution_decided: rmas - open,
      resolution_met_rate: i > 12 ? null : 0.86 + (i % 5) * 0.02,
      open,
      open_overdue: i < 12 ? Math.floor(open / 2) : 0,
      oldest_open_working_days: open ? 20 * (15 - i) : null,
    };
  }),
);

/** models/ntf.model.ts: NTF share of inspected returns per dealer with Wilson bounds. */
export const ntfRows = (() => {
  const counts = Array.from({ length: 12 }, (_, i) => {
    const inspected = 40 + ((i * 29) % 70);
    const no_trouble_found = i === 3 ? Math.round(inspected * 0.48) : Math.round(inspected * (0.08 + (i % 4) * 0.03));
    return { dealer_id: `D-${String(101 + i)}`, inspected, no_trouble_found };
  });
  const overall_rate = counts.reduce((n, c) => n + c.no_trouble_found, 0) / counts.reduce((n, c) => n + c.inspected, 0);
  return counts.map((c) => {
    const [ci_low, ci_high] = wilson(c.no_trouble_found, c.inspected);
    return { ...c, ntf_rate: c.no_trouble_found / c.inspected, ci_low, ci_high, overall_rate, above_overall: ci_low > overall_rate, customer_damage: 1, top_ntf_stated_code: 'ZERO_PROFILE' };
  });
})();

export const alertRows = [
  {
    id: 7, rule: 'batch_defect_rate', subject_type: 'batch', subject_id: 'TH35-2403', state: 'open', severity: 'critical',
    metric: 'ci_low', value: 0.0222, threshold: 0.02, opened_at: '2026-03-02T00:00:00.000Z', updated_at: '2026-03-02T00:00:00.000Z', resolved_at: null,
    evidence: { confirmed_defects: 31, units_shipped: 980 },
  },
  {
    id: 9, rule: 'firmware_regression', subject_type: 'firmware', subject_id: '2.4.1 × REC_STORAGE', state: 'open', severity: 'warning',
    metric: 'relative_risk', value: 4.6, threshold: 2, opened_at: '2026-03-05T00:00:00.000Z', updated_at: '2026-03-05T00:00:00.000Z', resolved_at: null,
    evidence: { q_value: 0.0001 },
  },
  {
    id: 3, rule: 'reserve_runway', subject_type: 'sku', subject_id: 'XP50 <script>alert(1)</script>', state: 'acknowledged', severity: 'warning',
    metric: 'runway_months', value: 4.4, threshold: 6, opened_at: '2026-02-10T00:00:00.000Z', updated_at: '2026-02-12T00:00:00.000Z', resolved_at: null,
    evidence: {},
  },
];
