/**
 * The ERP's RMAs as canonical-csv, one incremental export per half-year, the way ERP exports really
 * arrive: each file holds the RMAs opened in its half, the older RMAs that changed since the last
 * export (newer versions → "updated"), and a two-week overlap of unchanged records (exact repeats →
 * "unchanged"). A few dirty rows are planted in each file; all of it is listed for the ground truth.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmaTable } from '../../pipeline/schema/tables.js';
import type { DirtyRow, DuplicateRow, EmitResult, EmittedFile, Emitter } from './emitter.js';
import { canonicalText, csvLine, fileColumns } from './format.js';
import { rmaSources } from './scenario.js';
import { snapshotRma } from './snapshot.js';
import { DAY, type Rma, type World } from './world.js';

const overlapDays = 14;

/** Export instants: every 1 Jan / 1 Jul at least 90 days after the first RMA, then the analysis date. */
export function halfYearExports(first: number, horizon: number): { name: string; start: number; end: number }[] {
  const ends: number[] = [];
  const y0 = new Date(first).getUTCFullYear();
  for (let y = y0; y <= new Date(horizon).getUTCFullYear(); y++) {
    for (const m of [0, 6]) {
      const t = Date.UTC(y, m, 1);
      if (t > first + 90 * DAY && t < horizon) ends.push(t);
    }
  }
  ends.push(horizon);
  return ends.map((end, i) => {
    const d = new Date(end - 1);
    return { name: `${d.getUTCFullYear()}h${d.getUTCMonth() < 6 ? 1 : 2}`, start: i === 0 ? -Infinity : ends[i - 1], end };
  });
}

interface Corruption {
  column: string;
  problem: string;
  value: (row: Record<string, string>) => string;
}

/** One of each kind of damage per file: unparseable dates, bad numbers, a missing key. */
const corruptions: Corruption[] = [
  { column: 'opened_at', problem: 'invalid date (day 30 of February)', value: (r) => `${r.opened_at.slice(0, 4)}-02-30T09:15:00Z` },
  { column: 'opened_at', problem: 'date not in ISO 8601 (DD/MM/YYYY)', value: (r) => r.opened_at.slice(0, 10).split('-').reverse().join('/') },
  { column: 'received_at', problem: 'unparseable date', value: () => 'yesterday' },
  { column: 'cost_labor', problem: 'not a number (letter O for zero)', value: () => '1O5.00' },
  { column: 'quantity', problem: 'not an integer', value: () => 'two' },
  { column: 'rma_number', problem: 'missing required value', value: () => '' },
];

export const erpExportsEmitter: Emitter = {
  name: 'erp-canonical-csv',
  write(world: World, outDir: string): EmitResult {
    const columns = fileColumns(rmaTable);
    const erp = world.rmas.filter((r) => r.source === rmaSources.erp);
    const files: EmittedFile[] = [];
    const dirtyRows: DirtyRow[] = [];
    const duplicates: DuplicateRow[] = [];
    const lastText = new Map<string, { text: string; file: string }>();
    let dirtySeq = 0;
    if (!erp.length) return { files };

    for (const exp of halfYearExports(erp[0].opened_at, world.horizon)) {
      const file = `rma-erp-${exp.name}.csv`;
      type Out = { rma: Rma; cells: string[]; kind: 'new' | 'exact' | 'updated'; previous?: string };
      const out: Out[] = [];
      for (const rma of erp) {
        if (rma.opened_at >= exp.end) break;
        const row = snapshotRma(rma, exp.end);
        const cells = columns.map((c) => canonicalText(c, row[c.name]));
        const text = csvLine(cells);
        const prev = lastText.get(rma.rma_number);
        if (rma.opened_at >= exp.start) out.push({ rma, cells, kind: 'new' });
        else if (prev && prev.text !== text) out.push({ rma, cells, kind: 'updated', previous: prev.file });
        else if (prev && rma.opened_at >= exp.start - overlapDays * DAY) out.push({ rma, cells, kind: 'exact', previous: prev.file });
        else continue;
        lastText.set(rma.rma_number, { text, file });
      }
      out.sort((a, b) => (a.rma.rma_number < b.rma.rma_number ? -1 : 1));

      // Plant the dirty rows after evenly spaced real rows: copies of a real row under a fresh number, one field broken.
      const lines: string[] = [csvLine(columns.map((c) => c.name))];
      const dirtyAfter = new Map<number, Corruption>();
      corruptions.forEach((c, j) => dirtyAfter.set(Math.floor(((j + 1) * out.length) / (corruptions.length + 1)), c));
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      out.forEach((o, i) => {
        lines.push(csvLine(o.cells));
        const rowNumber = lines.length - 1;
        if (o.kind === 'new') inserted++;
        else {
          if (o.kind === 'updated') updated++;
          else unchanged++;
          duplicates.push({ file, row_number: rowNumber, source: o.rma.source, rma_number: o.rma.rma_number, kind: o.kind, first_seen: o.previous! });
        }
        const corruption = dirtyAfter.get(i);
        if (!corruption) return;
        const named: Record<string, string> = {};
        columns.forEach((c, k) => (named[c.name] = o.cells[k]));
        const rmaNumber = `9${String(++dirtySeq).padStart(6, '0')}`;
        named.rma_number = rmaNumber;
        const value = corruption.value(named);
        named[corruption.column] = value;
        lines.push(csvLine(columns.map((c) => named[c.name])));
        dirtyRows.push({ file, row_number: lines.length - 1, rma_number: corruption.column === 'rma_number' ? '' : rmaNumber, column: corruption.column, value, problem: corruption.problem });
      });
      writeFileSync(join(outDir, file), `${lines.join('\n')}\n`);
      const quarantined = dirtyRows.filter((d) => d.file === file).length;
      files.push({
        path: file, format: 'canonical-csv', rows: lines.length - 1, modifiedAt: exp.end,
        expected: { rows_read: lines.length - 1, inserted, updated, unchanged, quarantined },
      });
    }
    return { files, dirtyRows, duplicates };
  },
};
