import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { RmaError } from '../pipeline/errors.js';
import type { ColumnSource, FormatDefinition, MappingFile, Reader } from './format.js';

const columnSource = z.union([
  z.string(),
  z.array(z.string()),
  z.object({ position: z.number().int().positive() }).strict(),
  z.object({ sql: z.string() }).strict(),
  z.object({ value: z.string().nullable() }).strict(),
]);

const targets = ['rma', 'units', 'batches', 'firmware_builds', 'firmware_installs', 'failure_codes', 'warranty_policies', 'reserve_plan', 'cost_rates'] as const;

const mappingSchema = z.object({
  format: z.string().optional(),
  target: z.enum(targets).optional(),
  reader: z.record(z.string(), z.unknown()).optional(),
  columns: z.record(z.string(), columnSource).optional(),
  dictionaries: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  parse: z.object({
    dateFormats: z.array(z.string()).optional(),
    timeZone: z.string().optional(),
    decimalComma: z.boolean().optional(),
    thousandsSeparator: z.string().optional(),
    trailingMinus: z.boolean().optional(),
    nullValues: z.array(z.string()).optional(),
    excelSerialDates: z.boolean().optional(),
    trueValues: z.array(z.string()).optional(),
    falseValues: z.array(z.string()).optional(),
    listSeparator: z.string().optional(),
  }).strict().optional(),
  checks: z.array(z.object({ column: z.string(), problem: z.string(), failsWhen: z.string() })).optional(),
  source: z.string().optional(),
  company: z.string().optional(),
}).strict();

/** Read and validate a --mapping file (JSON or YAML); errors name the file and the offending keys. */
export function loadMapping(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RmaError('RMA_ERR_FILE_NOT_FOUND', `mapping file ${path} cannot be read`, { file: path });
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new RmaError('RMA_ERR_MAPPING', `${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { file: path });
  }
  return parseMappingFile(data, path);
}

/** Validate a mapping given as data (API callers); `label` names it in errors. */
export function parseMappingFile(data: unknown, label = 'mapping'): MappingFile {
  const parsed = mappingSchema.safeParse(data);
  if (!parsed.success) throw new RmaError('RMA_ERR_MAPPING', `${label}: ${z.prettifyError(parsed.error)}`, { file: label, issues: z.flattenError(parsed.error) });
  return parsed.data as MappingFile;
}

/** The format with a mapping laid over it: columns, dictionaries and parse merge key by key; reader and target replace. */
export function applyMapping(format: FormatDefinition, mapping: MappingFile | undefined): FormatDefinition {
  if (!mapping) return format;
  const dictionaries: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(format.dictionaries ?? {})) dictionaries[k] = { ...v };
  for (const [k, v] of Object.entries(mapping.dictionaries ?? {})) dictionaries[k] = { ...(dictionaries[k] ?? {}), ...v };
  const reader = mapping.reader && (mapping.reader as { kind?: string }).kind !== 'xlsx'
    ? ({ ...(format.reader.kind === 'custom' ? { kind: 'csv' } : format.reader), ...mapping.reader } as Reader)
    : format.reader;
  return {
    ...format,
    target: mapping.target ?? format.target,
    reader,
    columns: { ...format.columns, ...(mapping.columns as Record<string, ColumnSource> | undefined) },
    dictionaries,
    parse: { ...format.parse, ...mapping.parse },
    checks: [...(format.checks ?? []), ...(mapping.checks ?? [])],
    defaultSource: mapping.source ?? format.defaultSource,
  };
}
