/**
 * An RMA as its source system would show it at a given instant: stages not yet reached are empty,
 * inspection results and costs appear only once they exist. Successive exports of the same RMA are
 * snapshots at successive dates, which is where "updated" versions come from.
 */
import type { Rma } from './world.js';

/** A canonical rma record (CONTRACT §3.1 names); timestamps as epoch ms, NULL as null. */
export type RmaRow = Record<string, string | number | boolean | null>;

const before = (t: number | null, at: number): number | null => (t !== null && t < at ? t : null);

const costColumns = [
  'cost_labor', 'cost_parts', 'cost_shipping', 'cost_replacement', 'cost_duties', 'credit_amount', 'deductible_collected', 'supplier_recovery',
] as const;

export function stageAt(rma: Rma, at: number): string {
  if (before(rma.closed_at, at) !== null) return rma.cancelled ? 'cancelled' : 'closed';
  if (before(rma.resolved_at, at) !== null) return 'execution';
  if (before(rma.inspected_at, at) !== null) return 'decision';
  if (before(rma.received_at, at) !== null) return 'triage';
  if (before(rma.approved_at, at) !== null) return 'qualification';
  return 'intake';
}

const statusText: Record<string, string> = {
  intake: 'New',
  qualification: 'Approved - awaiting unit',
  triage: 'Received - in triage',
  decision: 'Inspected',
  closed: 'Closed',
  cancelled: 'Cancelled - unit not returned',
};

export function snapshotRma(rma: Rma, at: number): RmaRow {
  const stage = stageAt(rma, at);
  const resolved = before(rma.resolved_at, at) !== null;
  const inspected = before(rma.inspected_at, at) !== null;
  const received = before(rma.received_at, at) !== null;
  // When each result becomes known to the source.
  const outcomeKnown = rma.remote || rma.kind === 'commercial' ? resolved : inspected;
  const decisionKnown = rma.remote ? resolved : rma.kind === 'commercial' ? received : inspected;
  const costsKnown = resolved || (rma.cancelled && stage === 'cancelled');
  const row: RmaRow = {
    source: rma.source,
    company: rma.company,
    rma_number: rma.rma_number,
    line: rma.line,
    opened_at: rma.opened_at,
    approved_at: before(rma.approved_at, at),
    received_at: before(rma.received_at, at),
    inspected_at: before(rma.inspected_at, at),
    resolved_at: before(rma.resolved_at, at),
    closed_at: before(rma.closed_at, at),
    stage,
    status_raw: stage === 'execution' ? executionText(rma) : rma.remote && stage === 'qualification' ? 'In remote support' : statusText[stage],
    serial_number: rma.serial_number,
    sku: rma.sku,
    batch_id: rma.batch_id,
    firmware_version: rma.firmware_version,
    quantity: rma.quantity,
    return_reason: rma.return_reason,
    failure_code_stated: rma.failure_code_stated,
    failure_code_verified: outcomeKnown ? rma.failure_code_verified : null,
    failure_code_raw: rma.failure_code_raw,
    description: rma.description,
    customer_id: rma.customer_id,
    dealer_id: rma.dealer_id,
    channel: rma.channel,
    country: rma.country,
    inspection_outcome: outcomeKnown ? rma.inspection_outcome : null,
    resolution: decisionKnown ? rma.resolution : null,
    warranty_status: rma.warranty_status,
    replacement_serial: resolved ? rma.replacement_serial : null,
    order_number: rma.order_number,
    currency: rma.currency,
    cross_border: rma.cross_border,
  };
  for (const c of costColumns) row[c] = costsKnown ? rma[c] : null;
  return row;
}

function executionText(rma: Rma): string {
  switch (rma.resolution) {
    case 'repair': return 'Repaired - shipping back';
    case 'replace':
    case 'advance_replacement': return 'Replacement shipped';
    case 'refund': return 'Refund issued';
    default: return 'Resolved';
  }
}
