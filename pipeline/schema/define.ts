import { z } from 'zod';

/**
 * How a column's text is parsed and checked at ingest (in SQL) and which DuckDB and zod types it has.
 * Every canonical table is declared once with these; DDL, validators, OpenAPI and docs derive from it.
 */
export type ColumnKind = 'text' | 'int' | 'decimal' | 'double' | 'timestamp' | 'date' | 'bool' | 'enum' | 'list' | 'json';

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly duckType: string;
  readonly zod: z.ZodType;
  readonly description: string;
  /** Part of the table's natural key. */
  readonly key: boolean;
  /** A row without it is quarantined. */
  readonly required: boolean;
  /** Allowed values for `enum` columns. */
  readonly values?: readonly string[];
  /** Set by rma-intel, not read from files (lineage, derived values). */
  readonly internal: boolean;
}

export interface TableDef {
  readonly name: string;
  readonly description: string;
  readonly key: readonly string[];
  readonly columns: readonly ColumnDef[];
}

interface ColumnOptions {
  key?: boolean;
  required?: boolean;
  values?: readonly string[];
  internal?: boolean;
}

const duckTypes: Record<ColumnKind, string> = {
  text: 'VARCHAR',
  int: 'INTEGER',
  decimal: 'DECIMAL(14,2)',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMPTZ',
  date: 'DATE',
  bool: 'BOOLEAN',
  enum: 'VARCHAR',
  list: 'VARCHAR[]',
  json: 'JSON',
};

function zodFor(kind: ColumnKind, values?: readonly string[]): z.ZodType {
  switch (kind) {
    case 'text':
      return z.string();
    case 'int':
      return z.number().int();
    case 'decimal':
    case 'double':
      return z.number();
    case 'timestamp':
      return z.iso.datetime({ offset: true });
    case 'date':
      return z.iso.date();
    case 'bool':
      return z.boolean();
    case 'enum':
      return values && values.length ? z.enum(values as [string, ...string[]]) : z.string();
    case 'list':
      return z.array(z.string());
    case 'json':
      return z.unknown();
  }
}

export function col(name: string, kind: ColumnKind, description: string, options: ColumnOptions = {}): ColumnDef {
  const key = options.key ?? false;
  const required = options.required ?? key;
  const base = zodFor(kind, options.values);
  return {
    name,
    kind,
    duckType: duckTypes[kind],
    zod: required ? base : base.nullable().optional(),
    description,
    key,
    required,
    values: options.values,
    internal: options.internal ?? false,
  };
}

export function table(name: string, description: string, columns: readonly ColumnDef[]): TableDef {
  return { name, description, key: columns.filter((c) => c.key).map((c) => c.name), columns };
}

/** A zod object schema for one row of a table (webhooks, configuration, API responses). */
export function rowSchema(def: TableDef, options: { includeInternal?: boolean } = {}): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const c of def.columns) if (options.includeInternal || !c.internal) shape[c.name] = c.zod;
  return z.object(shape);
}
