import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { assetPath } from '../../pipeline/paths.js';
import type { ReaderContext } from '../format.js';
import { parseMapping } from '../mapping/load-mapping.js';
import type { Mapping } from '../mapping/mapping.schema.js';

/** A preset's value dictionaries (ingest/presets/<name>/dictionaries.json), read from sources or dist alike. */
export function presetDictionaries(name: string): { dictionaries: Record<string, Record<string, string>>; failure_codes?: Record<string, string> } {
  return JSON.parse(readFileSync(assetPath('ingest', 'presets', name, 'dictionaries.json'), 'utf8')) as {
    dictionaries: Record<string, Record<string, string>>;
    failure_codes?: Record<string, string>;
  };
}

/**
 * A user's overrides laid over a preset (from --mapping): locale, dictionaries and failure codes merge key
 * by key, columns replace per column, reader options merge. The result is validated like any mapping.
 */
export function overlayMapping(base: Mapping, override: unknown, file = 'mapping'): Mapping {
  if (!override || typeof override !== 'object') return base;
  const o = override as Partial<Record<keyof Mapping, unknown>>;
  const merged = {
    ...base,
    reader: { ...base.reader, ...(o.reader as object | undefined) },
    locale: { ...base.locale, ...(o.locale as object | undefined) },
    columns: { ...base.columns, ...(o.columns as object | undefined) },
    dictionaries: { ...base.dictionaries },
    failure_codes: { ...base.failure_codes, ...(o.failure_codes as object | undefined) },
  };
  for (const [k, v] of Object.entries((o.dictionaries as Record<string, Record<string, string>> | undefined) ?? {})) {
    merged.dictionaries[k] = { ...(base.dictionaries[k] ?? {}), ...v };
  }
  return parseMapping(merged, file);
}

/** The preset's mapping for one file, with the --mapping overrides when given. */
export function withOverrides(base: Mapping): (file: string, ctx: ReaderContext) => Mapping {
  return (_file, ctx) => (ctx.mapping ? overlayMapping(base, ctx.mapping) : base);
}

/** Whether a file holds JSON (first non-blank byte `{` or `[`), for presets that accept JSON and CSV exports. */
export function looksLikeJson(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, 512, 0);
    const text = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    return text.startsWith('{') || text.startsWith('[');
  } finally {
    closeSync(fd);
  }
}
