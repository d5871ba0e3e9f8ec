import { ingest } from '../ingest/index.js';
import type { IngestOptions, IngestResult } from '../ingest/index.js';
import { acknowledgeAlert, listAlerts } from '../pipeline/alerts/index.js';
import { build, type BuildResult } from '../pipeline/build.js';
import { RmaError } from '../pipeline/errors.js';
import { gate, type Gate, type GateOptions } from '../pipeline/gate.js';
import { report, type ReportFilters } from '../pipeline/report.js';
import type { Row, Store } from '../pipeline/store.js';

export type { IngestOptions, IngestResult, BuildResult, Gate, GateOptions };

/**
 * The pipeline functions the server calls (CONTRACT §1). buildApp takes them as an option (an embedder
 * can wrap or leave some out) and defaults to the real modules; a route whose function is missing
 * answers 503 RMA_ERR_NOT_AVAILABLE.
 */
export interface Services {
  ingest?: (store: Store, files: string[], options?: IngestOptions) => Promise<IngestResult>;
  build?: (store: Store, options?: { asOf?: string }) => Promise<BuildResult>;
  gate?: (store: Store, options: GateOptions) => Promise<Gate>;
  report?: (store: Store, name: string, filters?: ReportFilters) => Promise<Row[]>;
  listAlerts?: (store: Store, options?: { state?: string }) => Promise<Row[]>;
  acknowledgeAlert?: (store: Store, id: string | number, note?: string) => Promise<unknown>;
}

export async function loadServices(): Promise<Services> {
  return { ingest, build, gate, report, listAlerts, acknowledgeAlert };
}

/** The function, or a 503 that says which part of the pipeline is not there yet. */
export function need<K extends keyof Services>(services: Services, name: K): NonNullable<Services[K]> {
  const fn = services[name];
  if (!fn) throw new RmaError('RMA_ERR_NOT_AVAILABLE', `${name} is not available in this build of rma-intel yet`, { function: name });
  return fn as NonNullable<Services[K]>;
}
