import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RmaError } from '../pipeline/errors.js';
import type { FormatDefinition } from './format.js';
import { canonicalCsv, canonicalJson } from './formats/canonical.js';
import { referenceFormats } from './formats/reference.js';

const builtIn: FormatDefinition[] = [canonicalCsv, canonicalJson, ...referenceFormats];
const extra: FormatDefinition[] = [];
let presets: FormatDefinition[] | undefined;

/** Presets live in ingest/presets/index.ts (another owner); loaded when present, so the engine never names them. */
async function loadPresets(): Promise<FormatDefinition[]> {
  if (presets) return presets;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'presets', 'index.js'), join(here, 'presets', 'index.ts')];
  const file = candidates.find((f) => existsSync(f));
  presets = [];
  if (file) {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { presets?: FormatDefinition[] };
      presets = mod.presets ?? [];
    } catch (e) {
      // A broken preset must not take the built-in formats down with it; say so loudly instead.
      process.stderr.write(`rma-intel: presets not loaded (${file}): ${(e as Error).message}\n`);
    }
  }
  return presets;
}

/** Register a format at run time (tests, embedding applications). A clash with an existing name is an error. */
export function registerFormat(def: FormatDefinition): void {
  if (builtIn.some((f) => f.name === def.name) || extra.some((f) => f.name === def.name)) {
    throw new RmaError('RMA_ERR_USAGE', `format ${def.name} is already registered`);
  }
  extra.push(def);
}

/** Every known format: built-in first (detection ties go to them), then presets, then registered ones. */
export async function listFormats(): Promise<FormatDefinition[]> {
  return [...builtIn, ...(await loadPresets()), ...extra];
}

export async function getFormat(name: string): Promise<FormatDefinition> {
  const all = await listFormats();
  const found = all.find((f) => f.name === name);
  if (!found) throw new RmaError('RMA_ERR_USAGE', `unknown format '${name}'; known: auto, ${all.map((f) => f.name).join(', ')}`);
  return found;
}
