/**
 * The dealer portal's RMAs as canonical-json (NDJSON), as of the analysis date. The portal never sees
 * costs (they stay NULL, to be estimated from cost rates), some descriptions carry the portal's HTML,
 * a few dealers filed an RMA the ERP also has, hours later (cross-source duplicates), and a few lines are dirty.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmaTable } from '../../pipeline/schema/tables.js';
import type { DirtyRow, DuplicateRow, EmitResult, Emitter } from './emitter.js';
import { canonicalJson, fileColumns, isoSeconds } from './format.js';
import { batchIdOf, planted, rmaSources } from './scenario.js';
import { snapshotRma, type RmaRow } from './snapshot.js';
import type { Rma, World } from './world.js';

const file = 'rma-portal.ndjson';
const crossSourceCount = 20;
const costColumns = ['cost_labor', 'cost_parts', 'cost_shipping', 'cost_replacement', 'cost_duties', 'credit_amount', 'deductible_collected', 'supplier_recovery'];

interface Damage {
  column: string;
  problem: string;
  apply: (record: Record<string, unknown>) => unknown;
}

const damages: Damage[] = [
  { column: 'opened_at', problem: 'unparseable date', apply: (r) => (r.opened_at = 'not a date') },
  { column: 'quantity', problem: 'not an integer', apply: (r) => (r.quantity = 'two') },
  { column: 'cost_labor', problem: 'not a number', apply: (r) => (r.cost_labor = 'abc') },
  { column: 'rma_number', problem: 'missing required value', apply: (r) => delete r.rma_number },
];

function portalRecord(row: RmaRow, withHtml: boolean): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const c of fileColumns(rmaTable)) record[c.name] = canonicalJson(c, row[c.name]);
  for (const c of costColumns) record[c] = null;
  if (withHtml && typeof record.description === 'string') record.description = `<p>${record.description}</p>`;
  return record;
}

/** ERP RMAs a dealer also filed on the portal: clean subjects only, so no planted verdict depends on deduplication. */
function crossSourcePicks(world: World): Rma[] {
  const plantedBatches = new Set([planted.badBatch, planted.wearOut].map((p) => batchIdOf(p.sku, p.month)));
  const eligible = world.rmas.filter((r) => r.source === rmaSources.erp && r.channel === 'dealer' && r.kind === 'defect'
    && r.dealer_id !== planted.ntfDealer.dealerId && !plantedBatches.has(r.batch_id) && r.firmware_version !== planted.regression.version);
  const step = Math.max(1, Math.floor(eligible.length / crossSourceCount));
  return eligible.filter((_, i) => i % step === 0).slice(0, crossSourceCount);
}

export const portalEmitter: Emitter = {
  name: 'dealer-portal-ndjson',
  write(world: World, outDir: string): EmitResult {
    const portal = world.rmas.filter((r) => r.source === rmaSources.portal);
    const records = portal.map((r, i) => portalRecord(snapshotRma(r, world.horizon), i % 5 === 0));
    let seq = portal.length;
    const duplicateKeys = new Map<Record<string, unknown>, string>();
    for (const [k, r] of crossSourcePicks(world).entries()) {
      const record = portalRecord(snapshotRma(r, world.horizon), false);
      // The dealer files on the portal a few hours after the ERP case was opened.
      record.opened_at = isoSeconds(r.opened_at + (1 + (k % 12)) * 37 * 60_000);
      record.source = rmaSources.portal;
      record.rma_number = `DP-${String(++seq).padStart(6, '0')}`;
      duplicateKeys.set(record, `${r.source}:${r.company}:${r.rma_number}:${r.line}`);
      records.push(record);
    }
    const lines: string[] = [];
    const dirtyRows: DirtyRow[] = [];
    const duplicates: DuplicateRow[] = [];
    const dirtyAfter = new Map(damages.map((d, j) => [Math.floor(((j + 1) * records.length) / (damages.length + 1)), d]));
    records.forEach((record, i) => {
      lines.push(JSON.stringify(record));
      const key = duplicateKeys.get(record);
      if (key) duplicates.push({ file, row_number: lines.length, source: rmaSources.portal, rma_number: String(record.rma_number), kind: 'cross_source', first_seen: key });
      const damage = dirtyAfter.get(i);
      if (!damage) return;
      const copy: Record<string, unknown> = { ...record, rma_number: `DP-${String(++seq).padStart(6, '0')}` };
      damage.apply(copy);
      lines.push(JSON.stringify(copy));
      dirtyRows.push({ file, row_number: lines.length, rma_number: damage.column === 'rma_number' ? '' : String(copy.rma_number), column: damage.column, value: String(copy[damage.column] ?? ''), problem: damage.problem });
    });
    writeFileSync(join(outDir, file), `${lines.join('\n')}\n`);
    return {
      files: [{
        path: file, format: 'canonical-json', rows: lines.length, modifiedAt: world.horizon,
        expected: { rows_read: lines.length, inserted: records.length, updated: 0, unchanged: 0, quarantined: dirtyRows.length },
      }],
      dirtyRows,
      duplicates,
    };
  },
};
