import type { Store } from '../pipeline/store.js';
import type { DashboardData, Dashboard } from './registry.js';

/** Report rows by name (pipeline/report.ts `report(store, name, filters)` bound to a store). */
export type ReportFn = (name: string) => Promise<readonly unknown[]>;

/**
 * The Kaplan–Meier steps the weibull model writes beside its fits (models.km_curves). They are not a
 * CLI report of their own (CONTRACT §4), so the dashboards read the model table directly; an unbuilt
 * store has none.
 */
export async function kmCurves(store: Store): Promise<readonly unknown[]> {
  const exists = await store.all("SELECT 1 FROM information_schema.tables WHERE table_schema = 'models' AND table_name = 'km_curves'");
  if (!exists.length) return [];
  return store.all('SELECT batch_id, sku, time_days, survival, low, high FROM models.km_curves ORDER BY batch_id, time_days');
}

/** `report` for the dashboards: the named reports, plus km_curves from its model table. */
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
