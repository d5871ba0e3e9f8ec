import { randomBytes } from 'node:crypto';
import type { Store } from '../pipeline/store.js';
import { detectFormat } from './detect.js';
import { ingestFile, preflight } from './engine.js';
import type { FileResult, FormatDefinition, IngestOptions, IngestResult, MappingFile } from './format.js';
import { applyMapping, loadMapping, parseMappingFile } from './mapping.js';
import { getFormat, listFormats } from './registry.js';

export type { FileResult, FormatDefinition, IngestOptions, IngestProgress, IngestResult, MappingFile } from './format.js';
export { defineFormat } from './format.js';
export { listFormats, registerFormat, getFormat } from './registry.js';

/** A sortable, unique run id: r<UTC yyyymmddHHMMSS>-<random>. */
export function newRunId(now = new Date()): string {
  return `r${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Ingest files into the store (CONTRACT §4). Every file is checked (exists, readable, text, format known)
 * before any is written; then each file is one transaction. Bad rows are quarantined, not fatal; a file that
 * cannot be read at all throws an RmaError (exit 2) naming it.
 */
export async function ingest(store: Store, files: string[], options: IngestOptions = {}): Promise<IngestResult> {
  // One ingest at a time per store: concurrent transactions upserting the same table would conflict.
  const previous = running.get(store) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(() => ingestNow(store, files, options));
  running.set(store, mine.catch(() => undefined));
  return mine;
}

const running = new WeakMap<Store, Promise<unknown>>();

async function ingestNow(store: Store, files: string[], options: IngestOptions): Promise<IngestResult> {
  // A custom-reader format (presets, mapped-csv, xlsx) reads --mapping in its own language: pass it through as
  // given. For declarative formats the mapping is a MappingFile laid over the format here.
  const explicit = options.format && options.format !== 'auto' ? await getFormat(options.format) : undefined;
  const passThrough = explicit?.reader.kind === 'custom';
  const mapping: MappingFile | undefined = passThrough || options.mapping === undefined
    ? undefined
    : typeof options.mapping === 'string' ? loadMapping(options.mapping) : parseMappingFile(options.mapping);
  const named = explicit ?? (mapping?.format ? await getFormat(mapping.format) : undefined);
  const all = await listFormats();
  const plan: { path: string; format: FormatDefinition; scan: Awaited<ReturnType<typeof preflight>> }[] = [];
  for (const path of files) {
    const scan = await preflight(path);
    const format = passThrough ? named! : applyMapping(named ?? detectFormat(path, scan, all), mapping);
    plan.push({ path, format, scan });
  }
  const runId = newRunId();
  const results: FileResult[] = [];
  const restoreMemory = await capMemory(store);
  try {
    for (const [fileIndex, item] of plan.entries()) {
      results.push(await ingestFile(store, {
        path: item.path,
        format: item.format,
        scan: item.scan,
        runId,
        fileIndex,
        source: options.source ?? mapping?.source,
        company: options.company ?? mapping?.company,
        mapping: passThrough ? options.mapping : mapping,
        onProgress: options.onProgress,
      }));
    }
  } finally {
    await restoreMemory();
  }
  const totals = { rows_read: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0 };
  for (const r of results) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
  return { run_id: runId, files: results, totals };
}

/**
 * Keep a bulk ingest's memory bounded (default 1 GB, RMA_INTEL_INGEST_MEMORY to change): DuckDB's default is
 * 80 % of RAM, and staging a large file would otherwise sit in memory rather than spill to <db>.tmp.
 * Lowers the limit only; restores the previous one afterwards.
 */
async function capMemory(store: Store): Promise<() => Promise<void>> {
  const cap = process.env.RMA_INTEL_INGEST_MEMORY ?? '1GB';
  const previous = (await store.one<{ setting: string }>("SELECT current_setting('memory_limit') AS setting"))?.setting;
  if (!previous || parseSize(cap) >= parseSize(previous)) return async () => undefined;
  await store.run(`SET memory_limit = '${cap.replaceAll("'", '')}'`);
  return async () => {
    await store.run(`SET memory_limit = '${previous.replaceAll("'", '')}'`).catch(() => undefined);
  };
}

/** '1GB', '18.6 GiB', '512 MiB' → bytes. */
function parseSize(text: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)?$/i.exec(text.trim());
  if (!m) return Number.POSITIVE_INFINITY;
  const unit = (m[2] ?? 'B').toUpperCase();
  const pow = { B: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 }[unit] ?? 0;
  return Number(m[1]) * (unit.includes('I') ? 1024 : 1000) ** pow;
}
