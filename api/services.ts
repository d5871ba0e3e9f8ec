import { ingest } from '../ingest/index.js';
import type { IngestOptions, IngestResult } from '../ingest/index.js';
import { build, type BuildResult } from '../pipeline/build.js';
import { RmaError } from '../pipeline/errors.js';
import { gate, type Gate, type GateOptions } from '../pipeline/gate.js';
import { report, type ReportFilters } from '../pipeline/report.js';
import type { Row, Store } from '../pipeline/store.js';

export type { IngestOptions, IngestResult, BuildResult, Gate, GateOptions };

/**
 * The pipeline functions the server calls (CONTRACT §1). buildApp takes them as an option (an embedder
 * can wrap them) and defaults to the real modules. Alerts are loaded by path while that module is
 * being written: a route whose function is missing answers 503 RMA_ERR_NOT_AVAILABLE.
 */
export interface Services {
  ingest?: (store: Store, files: string[], options?: IngestOptions) => Promise<IngestResult>;
  build?: (store: Store, options?: { asOf?: string }) => Promise<BuildResult>;
  gate?: (store: Store, options: GateOptions) => Promise<Gate>;
  report?: (store: Store, name: string, filters?: ReportFilters) => Promise<Row[]>;
  listAlerts?: (store: Store, options?: { state?: string }) => Promise<Row[]>;
  acknowledgeAlert?: (store: Store, id: string | number, note?: string) => Promise<unknown>;
}

async function optionalModule(specifier: string): Promise<Record<string, unknown>> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/i.test((e as Error).message)) return {};
    throw e;
  }
}

export async function loadServices(): Promise<Services> {
  const alerts = await optionalModule('../pipeline/alerts/index.js');
  return {
    ingest,
    build,
    gate,
    report,
    listAlerts: typeof alerts.listAlerts === 'function' ? (alerts.listAlerts as Services['listAlerts']) : undefined,
    acknowledgeAlert: typeof alerts.acknowledgeAlert === 'function' ? (alerts.acknowledgeAlert as Services['acknowledgeAlert']) : undefined,
  };
}

/** The function, or a 503 that says which part of the pipeline is not there yet. */
export function need<K extends keyof Services>(services: Services, name: K): NonNullable<Services[K]> {
  const fn = services[name];
  if (!fn) throw new RmaError('RMA_ERR_NOT_AVAILABLE', `${name} is not available in this build of rma-intel yet`, { function: name });
  return fn as NonNullable<Services[K]>;
}
