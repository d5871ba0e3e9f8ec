import type { BuildContext } from '../models/model.js';
import { runModels, type ModelRun } from '../models/runner.js';
import { loadConfig, toBuildConfig, type RmaConfig } from './config.js';
import { modelVariables, slaCalendar } from './model-variables.js';
import { RmaError } from './errors.js';
import type { Store } from './store.js';
import { evaluateAlerts } from './alerts/index.js';
import { normaliseRma } from '../ingest/normalise/index.js';

/** `build --json` (CONTRACT §4). */
export interface BuildResult {
  as_of: string;
  models: ModelRun[];
  alerts: { opened: number; resolved: number; open: number };
}

export interface BuildOptions {
  /** Analysis date 'YYYY-MM-DD'; default today (UTC). Models never read the clock themselves. */
  asOf?: string;
  /** Validated configuration; default: loadConfig() (rma-intel.config.json or the defaults). */
  config?: RmaConfig;
  /** Progress per model (the CLI logs it to stderr). */
  onModel?: (run: ModelRun) => void;
  /** Wall time of each phase ('normalise': duplicates and code suggestions over rma; 'models'; 'alerts'), for benchmarks and logs. */
  onPhase?: (phase: 'normalise' | 'models' | 'alerts', ms: number) => void;
}

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/**
 * Rebuild every model as of a date and evaluate alerts (CONTRACT §4 `build`). The models land in one
 * transaction: a failed model or audit throws RMA_ERR_BUILD / RMA_ERR_AUDIT and leaves the previous
 * build in place.
 */
export async function build(store: Store, options: BuildOptions = {}): Promise<BuildResult> {
  if (store.readOnly) throw new RmaError('RMA_ERR_USAGE', `database ${store.path} is open read-only; build needs to write`);
  const asOf = options.asOf ?? todayUtc();
  const settings = options.config ?? loadConfig();
  const ctx: BuildContext = { asOf, store, config: toBuildConfig(settings) };
  let started = performance.now();
  // Cross-source duplicates and code suggestions are set-wide facts: settle them once before the models read rma
  // (and read any line not yet on this build's SLA calendar on it).
  await store.withConnection((conn) => normaliseRma(conn, { calendar: slaCalendar(settings.sla.holidays) }));
  options.onPhase?.('normalise', performance.now() - started);
  started = performance.now();
  const models = await runModels(store, ctx, {
    onModel: options.onModel,
    variables: modelVariables(settings),
  });
  options.onPhase?.('models', performance.now() - started);
  started = performance.now();
  const evaluated = await evaluateAlerts(store, ctx);
  options.onPhase?.('alerts', performance.now() - started);
  // exactly the CONTRACT §4 shape, whatever else the evaluation reports
  const alerts = { opened: evaluated.opened, resolved: evaluated.resolved, open: evaluated.open };
  return { as_of: asOf, models, alerts };
}
