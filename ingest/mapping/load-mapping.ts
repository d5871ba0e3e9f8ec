import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';

import { RmaError } from '../../pipeline/errors.js';
import { rmaTable } from '../../pipeline/schema/tables.js';
import { mappingSchema, type Mapping } from './mapping.schema.js';

/** One problem in a mapping, with its path in the file (e.g. `columns.opened_at.format`). */
export interface MappingProblem {
  path: string;
  message: string;
}

/** Canonical columns a mapping may fill (rma_key and lineage are ours). */
const mappable = new Map(rmaTable.columns.filter((c) => !c.internal).map((c) => [c.name, c]));

const pathText = (path: readonly PropertyKey[]): string => path.map(String).join('.') || '(root)';

/** Checks the schema cannot express: known target columns, known dictionaries, canonical dictionary values. */
function crossCheck(mapping: Mapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const [column, spec] of Object.entries(mapping.columns)) {
    const def = mappable.get(column);
    if (!def) {
      problems.push({ path: `columns.${column}`, message: `not a column of rma; expected one of ${[...mappable.keys()].join(', ')}` });
      continue;
    }
    if (typeof spec === 'string' || Array.isArray(spec)) continue;
    if (spec.dictionary !== undefined) {
      const dict = spec.dictionary === 'failure_codes' ? mapping.failure_codes : mapping.dictionaries[spec.dictionary];
      if (!dict) problems.push({ path: `columns.${column}.dictionary`, message: `no dictionary named "${spec.dictionary}" in dictionaries (or "failure_codes")` });
      else if (def.values) {
        for (const [raw, value] of Object.entries(dict)) {
          if (!def.values.includes(value)) problems.push({ path: `dictionaries.${spec.dictionary}.${raw}`, message: `"${value}" is not a ${column} value; expected one of ${def.values.join(', ')}` });
        }
      }
    }
    if (spec.position !== undefined && mapping.reader.kind === 'json') problems.push({ path: `columns.${column}.position`, message: 'position needs a csv reader' });
    if ((spec.path !== undefined || spec.item_path !== undefined) && mapping.reader.kind !== 'json') problems.push({ path: `columns.${column}.${spec.path !== undefined ? 'path' : 'item_path'}`, message: 'JSON paths need a json reader' });
    if (spec.item_path !== undefined && mapping.reader.kind === 'json' && !mapping.reader.items) problems.push({ path: `columns.${column}.item_path`, message: 'item_path needs reader.items' });
  }
  for (const required of ['rma_number', 'opened_at']) {
    if (!(required in mapping.columns)) problems.push({ path: `columns.${required}`, message: 'required: every rma row needs it' });
  }
  if (mapping.reader.kind === 'csv' && !mapping.reader.header) {
    for (const [column, spec] of Object.entries(mapping.columns)) {
      if (typeof spec === 'string' || Array.isArray(spec) || spec.column !== undefined) problems.push({ path: `columns.${column}`, message: 'a headerless file has no column names: use position' });
    }
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: mapping.locale.time_zone });
  } catch {
    problems.push({ path: 'locale.time_zone', message: `"${mapping.locale.time_zone}" is not an IANA time zone` });
  }
  return problems;
}

/** Validate a parsed mapping object; every problem is returned at once, none thrown. */
export function checkMapping(input: unknown): { mapping?: Mapping; problems: MappingProblem[] } {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })) };
  const problems = crossCheck(parsed.data);
  return problems.length ? { problems } : { mapping: parsed.data, problems };
}

/** Parse and validate a mapping; throws RMA_ERR_MAPPING listing every problem with its path. */
export function parseMapping(input: unknown, file = 'mapping'): Mapping {
  const { mapping, problems } = checkMapping(input);
  if (!mapping) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    throw new RmaError('RMA_ERR_MAPPING', `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines}`, { file, problems });
  }
  return mapping;
}

/** Read a mapping file (JSON, or YAML by extension .yaml/.yml). */
export function loadMapping(file: string): Mapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RmaError('RMA_ERR_FILE_NOT_FOUND', `mapping file ${file} cannot be read: ${(e as Error).message}`, { file });
  }
  let data: unknown;
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new RmaError('RMA_ERR_MAPPING', `${file}${where}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  return parseMapping(data, file);
}

