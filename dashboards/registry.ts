import type { TopLevelSpec } from 'vega-lite';
import { batchQualitySpec } from './specs/batch-quality.js';
import { firmwareHeatmapSpec } from './specs/firmware-heatmap.js';
import { ntfByDealerSpec } from './specs/ntf-by-dealer.js';
import { nevadaSpec } from './specs/nevada.js';
import { paretoSpec } from './specs/pareto.js';
import { reserveBurnSpec } from './specs/reserve-burn.js';
import { slaAgingSpec } from './specs/sla-aging.js';
import { weibullSpec } from './specs/weibull.js';

/** API roles (CONTRACT §5) that may open a dashboard. */
export type Role = 'viewer' | 'finance' | 'product' | 'ingest' | 'admin';

/** Report rows by report name (CONTRACT §4), as `report(store, name)` returns them. */
export type DashboardData = Readonly<Record<string, readonly unknown[]>>;

export interface Dashboard {
  /** URL segment: /dashboards/<name>, /api/dashboards/<name>. */
  name: string;
  title: string;
  /** One line for the index page. */
  summary: string;
  /** The reports (CONTRACT §4 names) whose rows `build` reads. */
  report: readonly string[];
  roles: readonly Role[];
  /** What a click on a mark opens: the RMAs of a batch, or of a firmware build × failure code. */
  drilldown?: 'batch' | 'firmware';
  build(data: DashboardData): TopLevelSpec;
}

/** Quality data: every reading role (CONTRACT §5: viewer sees quality data; finance and product add to it). */
const quality: readonly Role[] = ['viewer', 'finance', 'product', 'admin'];
/** Money: finance and admin only. */
const money: readonly Role[] = ['finance', 'admin'];

const rows = (data: DashboardData, report: string): readonly unknown[] => data[report] ?? [];

export const dashboards: readonly Dashboard[] = [
  {
    name: 'batch-quality',
    title: 'Batch quality',
    summary: 'Defect rate per batch with Wilson intervals, projected rate and the 2% threshold.',
    report: ['batches'],
    roles: quality,
    drilldown: 'batch',
    build: (data) => batchQualitySpec(rows(data, 'batches')),
  },
  {
    name: 'firmware-heatmap',
    title: 'Firmware × failure code',
    summary: 'Relative risk of each build by failure code; significant cells marked.',
    report: ['firmware'],
    roles: quality,
    drilldown: 'firmware',
    build: (data) => firmwareHeatmapSpec(rows(data, 'firmware')),
  },
  {
    name: 'reserve-burn',
    title: 'Reserve burn',
    summary: 'Cumulative accrual vs warranty cost with the forecast liability band.',
    report: ['reserve'],
    roles: money,
    build: (data) => reserveBurnSpec(rows(data, 'reserve')),
  },
  {
    name: 'pareto',
    title: 'Failure Pareto',
    summary: 'Returns by failure code, stated vs verified, with the cumulative share.',
    report: ['pareto'],
    roles: quality,
    build: (data) => paretoSpec(rows(data, 'pareto')),
  },
  {
    name: 'nevada',
    title: 'Nevada chart',
    summary: 'Returns by ship month and return month.',
    report: ['nevada'],
    roles: quality,
    build: (data) => nevadaSpec(rows(data, 'nevada')),
  },
  {
    name: 'weibull',
    title: 'Weibull and Kaplan–Meier',
    summary: 'Time-to-return curves per batch: fitted Weibull CDF and Kaplan–Meier steps.',
    report: ['weibull', 'km_curves'],
    roles: quality,
    build: (data) => weibullSpec(rows(data, 'weibull'), rows(data, 'km_curves')),
  },
  {
    name: 'sla-aging',
    title: 'SLA aging',
    summary: 'Open and overdue RMAs by month raised, and the share of SLA promises kept.',
    report: ['sla'],
    roles: quality,
    build: (data) => slaAgingSpec(rows(data, 'sla')),
  },
  {
    name: 'ntf-by-dealer',
    title: 'No trouble found by dealer',
    summary: 'Share of returns with no fault found, per dealer.',
    report: ['ntf'],
    roles: quality,
    build: (data) => ntfByDealerSpec(rows(data, 'ntf')),
  },
];

export function findDashboard(name: string): Dashboard | undefined {
  return dashboards.find((d) => d.name === name);
}

/** The dashboards a role may open (admin: all). */
export function dashboardsFor(role: string | undefined): Dashboard[] {
  return dashboards.filter((d) => role === undefined || d.roles.includes(role as Role));
}
