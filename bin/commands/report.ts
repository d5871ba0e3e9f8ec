import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { RmaError } from '../../pipeline/errors.js';
import { columnsOf, toArrowIpc, toCsv } from '../../pipeline/export-formats.js';
import { report, reportDefinitions, reportNames, reportToParquet, type ReportFilters } from '../../pipeline/report.js';
import { openStore, type Row } from '../../pipeline/store.js';

/** Filter options on the command line (kebab-case) and the report columns they match (snake_case). */
const filterOptions = ['sku', 'batch-id', 'firmware-version', 'failure-code', 'dealer-id', 'status', 'supplier', 'level', 'from', 'to'] as const;

function textTable(rows: Row[]): string {
  if (!rows.length) return '(no rows)';
  const columns = columnsOf(rows);
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' && !Number.isInteger(v) ? String(Math.round(v * 10000) / 10000) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((r) => r[i].length))));
  const line = (values: string[]): string => values.map((v, i) => (v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export const command: Command = {
  name: 'report',
  summary: `print a report (${reportNames.join(', ')}) as text, JSON or CSV, or write Arrow / Parquet`,
  usage: `rma-intel report NAME [--sku S] [--batch-id B] [--firmware-version V] [--failure-code C] [--dealer-id D] [--status S] [--supplier S] [--level sku|batch] [--from DATE] [--to DATE] [--csv|--json|--arrow FILE|--parquet FILE] [--db PATH]\n  NAME: ${reportNames.map((n) => `${n} — ${reportDefinitions[n].description}`).join('\n        ')}`,
  options: {
    ...Object.fromEntries(filterOptions.map((f) => [f, { type: 'string' as const }])),
    csv: { type: 'boolean', default: false },
    arrow: { type: 'string' },
    parquet: { type: 'string' },
  },
  async run(ctx) {
    const [name, ...extra] = ctx.positionals;
    if (!name) throw new RmaError('RMA_ERR_USAGE', `report needs a NAME: ${reportNames.join(', ')}`);
    if (extra.length) throw new RmaError('RMA_ERR_USAGE', `unexpected argument '${extra[0]}'; usage: rma-intel report NAME [filters]`);
    const outputs = [ctx.values.csv === true, ctx.json, !!stringOption(ctx, 'arrow'), !!stringOption(ctx, 'parquet')].filter(Boolean).length;
    if (outputs > 1) throw new RmaError('RMA_ERR_USAGE', 'choose one output: --csv, --json, --arrow FILE or --parquet FILE');
    const filters: ReportFilters = {};
    for (const f of filterOptions) {
      const v = stringOption(ctx, f);
      if (v !== undefined) filters[f.replaceAll('-', '_')] = v;
    }
    const store = await openStore(ctx.db, { readOnly: true });
    try {
      const parquet = stringOption(ctx, 'parquet');
      if (parquet) {
        const file = resolve(parquet);
        const rows = await reportToParquet(store, name, filters, file);
        ctx.log(`wrote ${rows} rows of ${name} to ${file}`);
        return 0;
      }
      const rows = await report(store, name, filters);
      const arrow = stringOption(ctx, 'arrow');
      if (arrow) {
        const file = resolve(arrow);
        writeFileSync(file, toArrowIpc(rows));
        ctx.log(`wrote ${rows.length} rows of ${name} to ${file}`);
      } else if (ctx.values.csv === true) {
        process.stdout.write(toCsv(rows));
      } else {
        ctx.print(rows, () => textTable(rows));
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
