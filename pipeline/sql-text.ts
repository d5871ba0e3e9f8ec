/**
 * Quoting for the values and names the code itself writes into SQL text (settings, file paths, column
 * and table names, canonical enums). Rows from sources never go through here: they are read and cast by
 * SQL, or bound as parameters.
 */

/** A string literal: 'it''s'. */
export const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** A quoted identifier: "my ""odd"" column". */
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A list of string literals: ['a', 'b']. */
export const sqlStringList = (values: readonly string[]): string => `[${values.map(sqlString).join(', ')}]`;
