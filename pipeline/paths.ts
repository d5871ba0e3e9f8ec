import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json), found the same way from sources and from dist/. */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`rma-intel: cannot find the package root above ${start}`);
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path to a non-TypeScript asset (SQL models, taxonomy, presets) shipped beside the sources. */
export function assetPath(...parts: string[]): string {
  return resolve(packageRoot, ...parts);
}

export const defaultDbPath = (): string => process.env.RMA_INTEL_DB ?? resolve('data', 'rma-intel.duckdb');
