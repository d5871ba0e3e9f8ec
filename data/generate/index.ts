/**
 * generateDemoWorld: simulate the seeded demo world (world.ts), write it with the emitters
 * (write-*.ts) and the ground truth (ground-truth.json) under outDir. Same seed → byte-identical files.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmitResult, EmittedFile, Emitter } from './emitter.js';
import { presetEmitters, presetRoutes } from './emit-presets.js';
import { buildGroundTruth, type GroundTruth } from './ground-truth.js';
import { routeRmas, type RmaRoute } from './routes.js';
import { simulateWorld } from './world.js';
import { erpExportsEmitter } from './write-erp-exports.js';
import { portalEmitter } from './write-portal.js';
import { referenceEmitter } from './write-reference.js';

export type { DirtyRow, DuplicateRow, EmitResult, EmittedFile, Emitter, ExpectedCounts } from './emitter.js';
export type { GroundTruth, PlantedFault } from './ground-truth.js';
export type { RmaRoute } from './routes.js';
export type { Rma, Unit, World } from './world.js';
export { simulateWorld } from './world.js';
export { snapshotRma } from './snapshot.js';
export { fillBulkStore, writeBulkCanonicalCsv, type BulkStoreCounts } from './bulk.js';

export const defaultDemoSeed = 42;

/** The built-in writers, in ingest order: reference data first, then RMAs oldest export first. */
export const defaultEmitters: readonly Emitter[] = [referenceEmitter, erpExportsEmitter, portalEmitter, ...presetEmitters];

export interface GenerateOptions {
  outDir: string;
  seed?: number;
  /** Writers to run (default defaultEmitters); add ERP-format emitters here. */
  emitters?: readonly Emitter[];
  /** Move shares of RMAs to other sources before writing (pair each with an emitter for that source). */
  routes?: readonly RmaRoute[];
}

export interface GeneratedDemo {
  outDir: string;
  seed: number;
  asOf: string;
  /** Files in ingest order, paths relative to outDir. */
  files: EmittedFile[];
  groundTruth: GroundTruth;
  groundTruthPath: string;
  ms: number;
}

export async function generateDemoWorld(options: GenerateOptions): Promise<GeneratedDemo> {
  const started = performance.now();
  const seed = options.seed ?? defaultDemoSeed;
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const world = simulateWorld(seed);
  // The default writers include the preset exports, which take their share of ERP RMAs (emit-presets.ts).
  const routes = options.routes ?? (options.emitters ? [] : presetRoutes);
  if (routes.length) routeRmas(world, routes);
  const emitted: EmitResult[] = (options.emitters ?? defaultEmitters).map((e) => e.write(world, outDir));
  const groundTruth = buildGroundTruth(world, emitted);
  const groundTruthPath = join(outDir, 'ground-truth.json');
  writeFileSync(groundTruthPath, `${JSON.stringify(groundTruth, null, 2)}\n`);
  // Modification times say when each export was taken, for ingest's "newer version wins".
  for (const f of groundTruth.files) if (f.modifiedAt !== undefined) utimesSync(join(outDir, f.path), new Date(f.modifiedAt), new Date(f.modifiedAt));
  return { outDir, seed, asOf: world.asOf, files: groundTruth.files, groundTruth, groundTruthPath, ms: Math.round(performance.now() - started) };
}
