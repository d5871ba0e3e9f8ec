/**
 * The writer protocol: an emitter turns the in-memory world into files under outDir and says what
 * it wrote (and, for RMA files, which rows are dirty or duplicates, so the ground truth can list them).
 * The presets engineer adds ERP-format emitters (SAP, NetSuite, Shopify…) by appending to the list
 * passed to generateDemoWorld; route RMAs to their source with `routes` (see routes.ts) so each RMA
 * is written by exactly one emitter.
 */
import type { World } from './world.js';

/** What ingesting a file should report (CONTRACT §4 `ingest --json` per-file counts). */
export interface ExpectedCounts {
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
}

export interface EmittedFile {
  /** Relative to outDir, '/'-separated. */
  path: string;
  /** The --format to ingest it with. */
  format: string;
  /** The --source to ingest it with, when the format does not carry one per row. */
  source?: string;
  /** Data rows (lines after the header, or NDJSON lines). */
  rows: number;
  /** The file's modification time is set to this (the export instant), epoch ms. */
  modifiedAt?: number;
  expected?: ExpectedCounts;
}

/** A row planted to fail validation. */
export interface DirtyRow {
  file: string;
  /** 1 = first data row. */
  row_number: number;
  rma_number: string;
  column: string;
  value: string;
  problem: string;
}

/** A row that repeats a record already written: exactly, as a newer version, or from another source. */
export interface DuplicateRow {
  file: string;
  row_number: number;
  source: string;
  rma_number: string;
  kind: 'exact' | 'updated' | 'cross_source';
  /** For exact/updated: the file holding the previous version; for cross_source: the other record's key. */
  first_seen: string;
}

export interface EmitResult {
  files: EmittedFile[];
  dirtyRows?: DirtyRow[];
  duplicates?: DuplicateRow[];
}

export interface Emitter {
  name: string;
  write(world: World, outDir: string): EmitResult;
}
