import { createHash } from 'node:crypto';
import type { AlertRow, Observation } from './types.js';

/**
 * The alert state machine, pure: given the stored alert for a (rule, subject) (if any) and what this
 * build observed (if anything), the row to store and what changed.
 *
 *   (none | resolved) --firing--> open --ack--> acknowledged
 *   open | acknowledged --clear, or N consecutive clean builds--> resolved
 *
 * Hysteresis: an alert opens at the threshold, but resolves at once only when the metric is past
 * threshold × (1 ∓ margin); a metric that merely dips under the line has to stay under it for N
 * builds with distinct as-of dates. Re-running the same date never counts twice, so CI re-builds
 * cannot resolve anything. Acknowledged stays acknowledged while the condition holds.
 */

export interface HysteresisSettings {
  margin: number;
  cleanBuildsToResolve: number;
}

export type Change = 'opened' | 'reopened' | 'resolved' | 'updated' | 'unchanged';

export const alertId = (rule: string, subjectType: string, subjectId: string): string =>
  `al_${createHash('sha256').update(`${rule}\u0000${subjectType}\u0000${subjectId}`).digest('hex').slice(0, 12)}`;

/** The metric is far enough on the good side of the line to resolve at once. */
export function isClear(o: Observation, margin: number): boolean {
  if (o.value === null || !Number.isFinite(o.value)) return !o.firing;
  return o.direction === 'above' ? o.value < o.threshold * (1 - margin) : o.value > o.threshold * (1 + margin);
}

const stamp = (asOf: string): string => `${asOf}T00:00:00.000Z`;

export function transition(
  existing: AlertRow | undefined,
  observation: Observation | undefined,
  asOf: string,
  settings: HysteresisSettings,
): { row: AlertRow | undefined; change: Change } {
  const active = existing && existing.state !== 'resolved';
  const fields = observation && {
    severity: observation.severity,
    metric: observation.metric,
    value: observation.value,
    threshold: observation.threshold,
    evidence: observation.evidence,
  };
  if (!active) {
    if (!observation?.firing) return { row: existing, change: 'unchanged' };
    const row: AlertRow = {
      id: alertId(observation.rule, observation.subject_type, observation.subject_id),
      rule: observation.rule,
      subject_type: observation.subject_type,
      subject_id: observation.subject_id,
      state: 'open',
      ...fields!,
      opened_at: stamp(asOf),
      updated_at: stamp(asOf),
      resolved_at: null,
      ack_note: null,
      acked_at: null,
      clean_builds: 0,
    };
    return { row, change: existing ? 'reopened' : 'opened' };
  }
  const newDate = !existing.updated_at || stamp(asOf) > existing.updated_at;
  if (observation?.firing) {
    return { row: { ...existing, ...fields!, updated_at: stamp(asOf), clean_builds: 0 }, change: 'updated' };
  }
  const clean = (existing.clean_builds ?? 0) + (newDate ? 1 : 0);
  const base = { ...existing, ...(fields ?? {}), updated_at: newDate ? stamp(asOf) : existing.updated_at, clean_builds: clean };
  if ((observation && isClear(observation, settings.margin)) || clean >= settings.cleanBuildsToResolve) {
    return { row: { ...base, state: 'resolved', resolved_at: stamp(asOf) }, change: 'resolved' };
  }
  return { row: base, change: 'updated' };
}
