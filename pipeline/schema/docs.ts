import { markdownTable } from './ddl.js';
import { tables } from './tables.js';

const begin = '<!-- schema:begin -->';
const end = '<!-- schema:end -->';

/** The README's schema section, rendered from the table definitions. */
export function renderSchemaSection(): string {
  return tables.map(markdownTable).join('\n\n');
}

/** Replace what stands between the schema markers of a README with a fresh rendering. */
export function withSchemaSection(readme: string): string {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README lacks the ${begin} … ${end} markers`);
  return `${readme.slice(0, from + begin.length)}\n${renderSchemaSection()}\n${readme.slice(to)}`;
}
