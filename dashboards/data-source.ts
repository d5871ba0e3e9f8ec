import type { DashboardData, Dashboard } from './registry.js';

/** Report rows by name (pipeline/report.ts `report(store, name, filters)` bound to a store). */
export type ReportFn = (name: string) => Promise<readonly unknown[]>;

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
