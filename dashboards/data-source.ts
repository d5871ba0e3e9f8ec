import { kaplanMeierCurves } from '../models/km-curves.js';
import { lastBuildAsOf } from '../models/runner.js';
import type { Store } from '../pipeline/store.js';
import type { DashboardData, Dashboard } from './registry.js';
import { shownBatchFits } from './specs/weibull.js';

/** Report rows by name (pipeline/report.ts `report(store, name, filters)` bound to a store). */
export type ReportFn = (name: string) => Promise<readonly unknown[]>;

/**
 * Kaplan–Meier steps of the batches the weibull dashboard draws (its fitted batches with the most
 * failures), worked out from the last build's life data (models/km-curves.ts). They are not a CLI report
 * of their own (CONTRACT §4); an unbuilt store has none.
 */
export async function kmCurves(store: Store): Promise<readonly unknown[]> {
  const asOf = await lastBuildAsOf(store);
  const exists = await store.all("SELECT 1 FROM information_schema.tables WHERE table_schema = 'models' AND table_name = 'weibull'");
  if (!asOf || !exists.length) return [];
  const shown = shownBatchFits(await store.all("SELECT level, subject_id, sku, failures, beta, eta_days FROM models.weibull WHERE level = 'batch' AND beta > 0"));
  return store.withConnection((conn) => kaplanMeierCurves(conn, shown, asOf));
}

/** `report` for the dashboards: the named reports, plus km_curves worked out for the batches shown. */
export function dashboardReports(store: Store, report: (store: Store, name: string) => Promise<readonly unknown[]>): ReportFn {
  return (name) => (name === 'km_curves' ? kmCurves(store) : report(store, name));
}

/**
 * Load every report the given dashboards read, once each, one after the other (they share one
 * DuckDB connection; the reports are small aggregated tables).
 */
export async function loadDashboardData(report: ReportFn, dashboards: readonly Dashboard[]): Promise<DashboardData> {
  const names = [...new Set(dashboards.flatMap((d) => d.report))];
  const data: Record<string, readonly unknown[]> = {};
  for (const name of names) data[name] = await report(name);
  return data;
}

/** The alerts the banner shows (open and acknowledged); resolved history is never loaded. */
export async function activeAlerts(listAlerts: ((store: Store, options: { state: string }) => Promise<readonly unknown[]>) | undefined, store: Store): Promise<unknown[]> {
  if (!listAlerts) return [];
  return [...(await listAlerts(store, { state: 'open' })), ...(await listAlerts(store, { state: 'acknowledged' }))];
}
