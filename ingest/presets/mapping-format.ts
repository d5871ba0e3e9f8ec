import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CustomReader, Detection, FormatDefinition, ReaderContext } from '../format.js';
import { mappedColumns } from '../mapping/compile-mapping.js';
import { parseMapping } from '../mapping/load-mapping.js';
import { canonicalTextSelect, mapFile } from '../mapping/map-file.js';
import type { Mapping, MappingInput } from '../mapping/mapping.schema.js';
import { lit } from '../mapping/sql-values.js';

/**
 * Presets, `mapped-csv` and `xlsx` are mappings (ingest/mapping). To the engine they are custom readers: the
 * mapping runs in a private in-memory DuckDB (read, map, type — all SQL) and writes one canonical CSV,
 * which the engine then lands, checks and upserts like canonical-csv.
 */
export interface MappingFormatOptions {
  name: string;
  description: string;
  /** The mapping, or how to get it for a file (e.g. from --mapping, or by the file's header). */
  mapping: Mapping | ((file: string, ctx: ReaderContext) => Promise<Mapping> | Mapping);
  detect?: Detection;
  defaultSource?: string;
  /** Rewrites the file first (XLSX → CSV, several SAP tables → one), into tempDir. */
  prepare?: (file: string, ctx: ReaderContext) => Promise<string>;
}

/** Columns of the canonical CSV a mapping reader writes: every mapped rma column under its own name. */
const identityColumns = Object.fromEntries(mappedColumns.filter((c) => c.name !== 'source').map((c) => [c.name, c.name]));

/** Run a mapping over a file into a canonical CSV at outPath (one private DuckDB, closed afterwards). */
export async function writeCanonicalCsv(file: string, mapping: Mapping, outPath: string, source = 'mapped'): Promise<{ rows: number; problemRows: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const mapped = await mapFile(conn, file, mapping, { source });
    await conn.run(`COPY (SELECT ${canonicalTextSelect()} FROM ${mapped.table} ORDER BY __row, __item) TO ${lit(outPath)} (FORMAT csv, HEADER true, DELIMITER ',')`);
    return { rows: mapped.rows, problemRows: mapped.problemRows };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export function mappingReader(options: Pick<MappingFormatOptions, 'mapping' | 'prepare'>): CustomReader {
  return {
    kind: 'custom',
    async read(file, ctx) {
      const dir = ctx.tempDir ?? (await mkdtemp(join(tmpdir(), 'rma-intel-map-')));
      const input = options.prepare ? await options.prepare(file, { ...ctx, tempDir: dir }) : file;
      const mapping = typeof options.mapping === 'function' ? await options.mapping(input, ctx) : options.mapping;
      const out = join(dir, 'canonical.csv');
      await writeCanonicalCsv(input, mapping, out);
      return {
        path: out,
        reader: { kind: 'csv', delimiter: ',', header: true, encoding: 'utf-8' },
        cleanup: ctx.tempDir ? undefined : () => rm(dir, { recursive: true, force: true }),
      };
    },
  };
}

/** A FormatDefinition for the engine from a mapping. */
export function mappingFormat(options: MappingFormatOptions): FormatDefinition {
  return {
    name: options.name,
    description: options.description,
    target: 'rma',
    reader: mappingReader(options),
    columns: identityColumns,
    detect: options.detect,
    defaultSource: options.defaultSource ?? options.name,
  };
}

/** Validate a preset's built-in mapping at load time (a broken preset fails loudly, with paths). */
export function presetMapping(input: MappingInput, name: string): Mapping {
  return parseMapping(input, `preset ${name}`);
}
