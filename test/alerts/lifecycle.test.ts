import { describe, expect, it } from 'vitest';
import { transition } from '../../pipeline/alerts/lifecycle.js';
import type { AlertRow, Observation } from '../../pipeline/alerts/types.js';

const settings = { margin: 0.1, cleanBuildsToResolve: 3 };

/** A batch defect rate judged against a 2 % line: fires at or above it. */
const seen = (value: number): Observation => ({
  rule: 'batch_status', subject_type: 'batch', subject_id: 'B1', severity: 'high', metric: 'defect_rate',
  value, threshold: 0.02, direction: 'above', firing: value >= 0.02, evidence: { value },
});

function run(values: (number | undefined)[], dates?: string[]): { states: string[]; changes: string[]; row: AlertRow | undefined } {
  let row: AlertRow | undefined;
  const states: string[] = [];
  const changes: string[] = [];
  values.forEach((v, i) => {
    const day = dates?.[i] ?? `2025-01-${String(i + 1).padStart(2, '0')}`;
    const next = transition(row, v === undefined ? undefined : seen(v), day, settings);
    row = next.row;
    changes.push(next.change);
    states.push(row?.state ?? '-');
  });
  return { states, changes, row };
}

describe('alert lifecycle with hysteresis', () => {
  it('opens at the threshold, not below it', () => {
    expect(run([0.019]).states).toEqual(['-']);
    const { states, row } = run([0.02]);
    expect(states).toEqual(['open']);
    expect(row!.opened_at).toBe('2025-01-01T00:00:00.000Z');
    expect(row!.id).toMatch(/^al_[0-9a-f]{12}$/);
  });

  it('does not flap while the metric hovers at the line', () => {
    const { states, changes } = run([0.021, 0.0195, 0.0205, 0.0199, 0.0201, 0.0198]);
    expect(states).toEqual(['open', 'open', 'open', 'open', 'open', 'open']);
    expect(changes.filter((c) => c === 'opened' || c === 'resolved')).toEqual(['opened']);
  });

  it('resolves at once only below threshold × (1 − margin)', () => {
    expect(run([0.03, 0.0181]).states).toEqual(['open', 'open']);
    const { states, row } = run([0.03, 0.0179]);
    expect(states).toEqual(['open', 'resolved']);
    expect(row!.resolved_at).toBe('2025-01-02T00:00:00.000Z');
  });

  it('resolves after N consecutive clean builds on distinct dates, and a re-run of the same date does not count', () => {
    expect(run([0.03, 0.019, 0.019, 0.019]).states).toEqual(['open', 'open', 'open', 'resolved']);
    const sameDay = run([0.03, 0.019, 0.019, 0.019], ['2025-01-01', '2025-01-02', '2025-01-02', '2025-01-02']);
    expect(sameDay.states).toEqual(['open', 'open', 'open', 'open']);
    expect(sameDay.row!.clean_builds).toBe(1);
    // A subject that disappears counts as clean too.
    expect(run([0.03, undefined, undefined, undefined]).states).toEqual(['open', 'open', 'open', 'resolved']);
  });

  it('keeps an acknowledged alert acknowledged while the condition holds, and reopens a resolved one as open', () => {
    let row = transition(undefined, seen(0.03), '2025-01-01', settings).row!;
    row = { ...row, state: 'acknowledged', ack_note: 'supplier contacted' };
    const held = transition(row, seen(0.04), '2025-01-02', settings);
    expect(held.row!.state).toBe('acknowledged');
    expect(held.row!.value).toBe(0.04);
    const resolved = transition(held.row, seen(0.01), '2025-01-03', settings).row!;
    expect(resolved.state).toBe('resolved');
    const again = transition(resolved, seen(0.05), '2025-01-04', settings);
    expect(again.change).toBe('reopened');
    expect(again.row!.state).toBe('open');
    expect(again.row!.ack_note).toBeNull();
    expect(again.row!.id).toBe(row.id);
  });

  it('treats a "below" metric symmetrically', () => {
    const runway = (value: number): Observation => ({ ...seen(0), metric: 'runway_months', value, threshold: 6, direction: 'below', firing: value < 6 });
    let r = transition(undefined, runway(5), '2025-01-01', settings).row;
    expect(r!.state).toBe('open');
    r = transition(r, runway(6.5), '2025-01-02', settings).row; // above the line but inside the margin
    expect(r!.state).toBe('open');
    r = transition(r, runway(6.7), '2025-01-03', settings).row;
    expect(r!.state).toBe('resolved');
  });
});
