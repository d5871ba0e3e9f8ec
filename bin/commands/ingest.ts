import { statSync } from 'node:fs';
import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { checkFile } from '../../ingest/engine.js';
import { ingest, type IngestProgress } from '../../ingest/index.js';
import { RmaError } from '../../pipeline/errors.js';
import { openStore } from '../../pipeline/store.js';

/** Files above this size get a progress display even when stderr is not a terminal. */
const largeFileBytes = 100 * 1024 * 1024;

/** A progress display on stderr: redrawn in place on a terminal, a line per 25 % otherwise. */
function progressPrinter(): (p: IngestProgress) => void {
  let last = '';
  return (p) => {
    const pct = Math.floor(p.percent);
    if (process.stderr.isTTY) {
      const width = 30;
      const bar = '#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '.');
      process.stderr.write(`\r${p.file} ${p.phase.padEnd(8)} [${bar}] ${String(pct).padStart(3)}%${p.phase === 'done' ? '\n' : ''}`);
      return;
    }
    const step = `${p.file} ${p.phase} ${Math.floor(pct / 25) * 25}%`;
    if (step !== last) process.stderr.write(`${step}\n`);
    last = step;
  };
}

const anyLarge = (files: string[]): boolean => files.some((f) => {
  try {
    return statSync(f).size > largeFileBytes;
  } catch {
    return false;
  }
});

export const command: Command = {
  name: 'ingest',
  summary: 'ingest files (CSV/JSON exports, reference data); bad rows are quarantined, the rest land',
  usage: 'rma-intel ingest FILE... [--format F] [--source NAME] [--company C] [--mapping FILE] [--db PATH] [--json]',
  options: {
    format: { type: 'string', default: 'auto' },
    source: { type: 'string' },
    company: { type: 'string' },
    mapping: { type: 'string' },
  },
  async run(ctx) {
    if (!ctx.positionals.length) throw new RmaError('RMA_ERR_USAGE', `no files given\nusage: ${this.usage}`);
    // A missing or empty file must not even create the database file.
    for (const f of ctx.positionals) checkFile(f);
    const store = await openStore(ctx.db);
    try {
      const result = await ingest(store, ctx.positionals, {
        format: stringOption(ctx, 'format'),
        source: typeof ctx.values.source === 'string' ? ctx.values.source : undefined,
        company: typeof ctx.values.company === 'string' ? ctx.values.company : undefined,
        mapping: stringOption(ctx, 'mapping'),
        onProgress: process.stderr.isTTY || anyLarge(ctx.positionals) ? progressPrinter() : undefined,
      });
      ctx.print(result, () => [
        `run ${result.run_id}`,
        ...result.files.map((f) => `  ${f.path} (${f.format}): ${f.rows_read} read, ${f.inserted} inserted, ${f.updated} updated, ${f.unchanged} unchanged, ${f.quarantined} quarantined`),
        `total: ${result.totals.rows_read} read, ${result.totals.inserted} inserted, ${result.totals.updated} updated, ${result.totals.unchanged} unchanged, ${result.totals.quarantined} quarantined`,
        ...(result.totals.quarantined ? [`see the rejected rows with: rma-intel quarantine --run ${result.run_id}`] : []),
      ].join('\n'));
      return 0;
    } finally {
      await store.close();
    }
  },
};
