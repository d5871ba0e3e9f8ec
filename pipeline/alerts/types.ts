import type { DuckDBConnection } from '@duckdb/node-api';
import type { BuildContext } from '../../models/model.js';
import type { AlertsConfig } from './config.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** What a rule saw for one subject in this build. */
export interface Observation {
  rule: string;
  subject_type: string;
  subject_id: string;
  severity: Severity;
  metric: string;
  /** NULL when the metric has no value (e.g. no burn, so no runway): never firing, clear. */
  value: number | null;
  threshold: number;
  /** Which side of the threshold is bad. */
  direction: 'above' | 'below';
  /** The rule's condition holds now (the alert opens at the threshold). */
  firing: boolean;
  evidence: Record<string, unknown>;
}

export interface RuleContext {
  conn: DuckDBConnection;
  build: BuildContext;
  settings: AlertsConfig;
  /** Work shared by the rules of one evaluation (see rules/support.ts `shared`). */
  shared?: Map<string, Promise<unknown>>;
}

/**
 * An alert rule. `evaluate` returns an observation per subject it judged, or undefined when its input
 * is not there (model not built): then the rule's existing alerts are left exactly as they are.
 */
export interface AlertRule {
  name: string;
  enabled(settings: AlertsConfig): boolean;
  evaluate(ctx: RuleContext): Promise<Observation[] | undefined>;
}

/** A row of the alerts table. */
export interface AlertRow {
  id: string;
  rule: string;
  subject_type: string;
  subject_id: string;
  state: AlertState;
  severity: string | null;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  opened_at: string | null;
  updated_at: string | null;
  resolved_at: string | null;
  evidence: unknown;
  ack_note: string | null;
  acked_at: string | null;
  clean_builds: number | null;
}
