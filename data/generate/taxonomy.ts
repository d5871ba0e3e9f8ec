import { readFileSync } from 'node:fs';
import { assetPath } from '../../pipeline/paths.js';

/** One row of a failure-codes-csv file (the default taxonomy or a user's replacement). */
export interface FailureCode {
  code: string;
  category: string;
  subcategory: string;
  disposition_class: 'no_return' | 'return_modular' | 'return_escalation';
  default_resolution: string;
  intake_fields: string[];
  synonyms: string[];
}

export const defaultTaxonomyPath = (): string => assetPath('data', 'taxonomy', 'failure-codes.csv');

/** Split one CSV line, honouring double-quoted fields ("" inside quotes is a quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Read a small failure-codes-csv (dozens of rows: configuration, not a bulk path). */
export function loadTaxonomy(path = defaultTaxonomyPath()): FailureCode[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const get = (name: string): string => cells[header.indexOf(name)] ?? '';
    const list = (name: string): string[] => get(name).split('|').map((s) => s.trim()).filter(Boolean);
    return {
      code: get('code'),
      category: get('category'),
      subcategory: get('subcategory'),
      disposition_class: get('disposition_class') as FailureCode['disposition_class'],
      default_resolution: get('default_resolution'),
      intake_fields: list('intake_fields'),
      synonyms: list('synonyms'),
    };
  });
}
