import { join } from 'node:path';
import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat } from '../mapping-format.js';
import { userMapping } from '../mapped-csv/preset.js';
import { xlsxToCsv } from './read-xlsx.js';

/** The user's mapping applied to the CSV written from the sheet (always ',' and UTF-8). */
export const sheetMapping = (m: Mapping): Mapping => ({ ...m, reader: { kind: 'csv', delimiter: ',', header: m.reader.kind === 'csv' ? m.reader.header : true, encoding: 'utf-8', line_ending: 'auto', skip_rows: m.reader.kind === 'csv' ? m.reader.skip_rows : 0 } });

export async function prepareXlsx(file: string, dir: string, sheet?: string): Promise<string> {
  const out = join(dir, 'sheet.csv');
  await xlsxToCsv(file, out, sheet);
  return out;
}

export const format = mappingFormat({
  name: 'xlsx',
  description: 'An Excel workbook (first sheet, or `sheet` in the mapping) described by a --mapping file',
  mapping: (_file, ctx) => sheetMapping(userMapping(ctx.mapping)),
  prepare: (file, ctx) => prepareXlsx(file, ctx.tempDir, (ctx.mapping as { sheet?: string } | undefined)?.sheet),
  detect: { signature: [], extensions: ['xlsx'] },
});
