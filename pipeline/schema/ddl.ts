import { sqlIdent } from '../sql-text.js';
import type { TableDef } from './define.js';


/**
 * Bulk-loaded tables whose key uniqueness the ingest engine keeps with set operations (anti-joins) instead of
 * a PRIMARY KEY: index maintenance dominated a 2-million-row load. Write to them through ingest() only.
 */
export const bulkLoadedTables: ReadonlySet<string> = new Set(['rma', 'units']);

/** CREATE TABLE derived from a table definition; the natural key is the primary key where there is one. */
export function createTableSql(def: TableDef): string {
  const cols = def.columns.map((c) => `  ${sqlIdent(c.name)} ${c.duckType}${c.key ? ' NOT NULL' : ''}`);
  if (def.key.length && !bulkLoadedTables.has(def.name)) cols.push(`  PRIMARY KEY (${def.key.map(sqlIdent).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${sqlIdent(def.name)} (\n${cols.join(',\n')}\n)`;
}

/** A Markdown table of the columns, for the README and docs. */
export function markdownTable(def: TableDef): string {
  const rows = def.columns.map((c) => `| ${c.name} | ${c.duckType} | ${c.key ? 'key' : c.required ? 'required' : ''} | ${c.description}${c.values ? ` (${c.values.join(', ')})` : ''} |`);
  return [`### \`${def.name}\``, '', def.description, '', '| column | type | | description |', '|---|---|---|---|', ...rows].join('\n');
}

