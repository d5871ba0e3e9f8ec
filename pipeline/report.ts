import { RmaError } from './errors.js';
import { sqlIdent, sqlString } from './sql-text.js';
import { queryRows, type Row, type Store } from './store.js';

/**
 * The named reports of CONTRACT §4, read from the model tables the last build wrote. Filters are
 * bound parameters, never spliced into SQL: equality on a column the report has (sku, batch_id,
 * firmware_version, failure_code, dealer_id, status, supplier, level, …) and a date range (from, to)
 * on the report's own date column.
 */

export const reportNames = ['batches', 'firmware', 'reserve', 'pareto', 'nevada', 'weibull', 'sla', 'ntf', 'repeats', 'dealers', 'recovery'] as const;
export type ReportName = (typeof reportNames)[number];

export interface ReportDefinition {
  /** Model table (schema `models`). */
  table: string;
  /** Leading columns: the grain, in the order rows are sorted by default. */
  grain: readonly string[];
  orderBy: string;
  /** Column the from / to filters apply to (inclusive, 'YYYY-MM-DD'). */
  dateColumn?: string;
  /** Columns holding money: hidden from roles without finance access. */
  moneyColumns: readonly string[];
  /** Least role that may read the report at all (money-only reports need finance). */
  role: 'viewer' | 'finance';
  description: string;
}

export const reportDefinitions: Record<ReportName, ReportDefinition> = {
  batches: {
    table: 'batches', grain: ['batch_id'], orderBy: 'batch_id', moneyColumns: [], role: 'viewer',
    description: 'Batch quality (7.1): confirmed defects, exposure, Wilson interval, projected rate and status.',
  },
  firmware: {
    table: 'firmware', grain: ['firmware_version', 'sku', 'failure_code'], orderBy: 'sku, firmware_version, failure_code', moneyColumns: [], role: 'viewer',
    description: 'Firmware build × failure code rates against the baseline (7.2).',
  },
  reserve: {
    table: 'reserve', grain: ['month', 'sku'], orderBy: 'sku, month', dateColumn: 'month', role: 'finance',
    moneyColumns: ['accrual', 'cost_paid', 'cumulative_accrual', 'cumulative_cost', 'balance', 'forecast_liability', 'forecast_low', 'forecast_high', 'trailing_burn', 'cost_per_claim'],
    description: 'Service reserve per month and SKU (7.4).',
  },
  pareto: {
    table: 'pareto', grain: ['sku', 'failure_code'], orderBy: 'sku, rank', moneyColumns: [], role: 'viewer',
    description: "Verified failure codes ranked per SKU (sku '*' = all), stated codes beside them, NTF excluded.",
  },
  nevada: {
    table: 'nevada', grain: ['sku', 'ship_month', 'return_month'], orderBy: 'sku, ship_month, return_month', dateColumn: 'ship_month', moneyColumns: [], role: 'viewer',
    description: 'Ship month × return month matrix of first warranty claims per SKU.',
  },
  weibull: {
    table: 'weibull', grain: ['level', 'subject_id'], orderBy: 'level DESC, subject_id', moneyColumns: [], role: 'viewer',
    description: 'Weibull time-to-failure fits per SKU and per batch.',
  },
  sla: {
    table: 'sla', grain: ['month', 'sku'], orderBy: 'month, sku', dateColumn: 'month', moneyColumns: [], role: 'viewer',
    description: 'Response, inspection and resolution SLA attainment per month and SKU (business days).',
  },
  ntf: {
    table: 'ntf', grain: ['dealer_id'], orderBy: 'ntf_rate DESC, dealer_id', moneyColumns: [], role: 'viewer',
    description: 'No-trouble-found rate per dealer with Wilson intervals.',
  },
  repeats: {
    table: 'repeats', grain: ['serial_number'], orderBy: 'returns DESC, serial_number', dateColumn: 'last_opened_at', moneyColumns: [], role: 'viewer',
    description: 'Repeat returns per unit chain, replacements against the limit, warranty restarts.',
  },
  dealers: {
    table: 'dealers', grain: ['dealer_id'], orderBy: 'dealer_id', role: 'viewer',
    moneyColumns: ['cost_paid', 'cost_per_claim', 'deductibles_collected'],
    description: 'Dealer scorecards: returns, NTF share, SLA and cost.',
  },
  recovery: {
    table: 'recovery', grain: ['batch_id'], orderBy: 'opportunity DESC, batch_id', role: 'finance',
    moneyColumns: ['attributable_cost', 'recovered', 'opportunity'],
    description: 'Supplier-recovery opportunity per supplied batch.',
  },
};

export type ReportFilters = Record<string, string | number | boolean | null | undefined>;

export function isReportName(name: string): name is ReportName {
  return (reportNames as readonly string[]).includes(name);
}

function definitionOf(name: string): ReportDefinition {
  if (!isReportName(name)) {
    throw new RmaError('RMA_ERR_USAGE', `unknown report '${name}'; reports: ${reportNames.join(', ')}`, { report: name });
  }
  return reportDefinitions[name];
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The SELECT of a report with its filters as positional parameters. */
async function reportQuery(store: Store, name: string, filters: ReportFilters = {}): Promise<{ sql: string; params: (string | number | boolean)[] }> {
  const def = definitionOf(name);
  const cols = await store.all<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'models' AND table_name = $1",
    [def.table],
  );
  if (!cols.length) {
    throw new RmaError('RMA_ERR_NOT_FOUND', `report '${name}' has not been built yet; run rma-intel build first`, { report: name });
  }
  const have = new Set(cols.map((c) => c.column_name));
  const where: string[] = [];
  const params: (string | number | boolean)[] = [];
  for (const [key, raw] of Object.entries(filters)) {
    if (raw === undefined || raw === null || raw === '') continue;
    const value = String(raw);
    if (key === 'from' || key === 'to') {
      if (!def.dateColumn) throw new RmaError('RMA_ERR_USAGE', `report '${name}' has no date to filter by --${key}`, { report: name, column: key });
      if (!isoDate.test(value)) throw new RmaError('RMA_ERR_USAGE', `--${key} must be a date YYYY-MM-DD, got '${value}'`, { column: key });
      params.push(value);
      where.push(`CAST(${sqlIdent(def.dateColumn)} AS DATE) ${key === 'from' ? '>=' : '<='} CAST($${params.length} AS DATE)`);
      continue;
    }
    if (!have.has(key)) {
      const usable = ['sku', 'batch_id', 'firmware_version', 'failure_code', 'dealer_id', 'status', 'supplier', 'level', 'subject_id', 'state'].filter((c) => have.has(c));
      throw new RmaError('RMA_ERR_USAGE', `report '${name}' cannot be filtered by '${key}'; filters: ${[...usable, ...(def.dateColumn ? ['from', 'to'] : [])].join(', ')}`, { report: name, column: key });
    }
    params.push(value);
    where.push(`CAST(${sqlIdent(key)} AS VARCHAR) = $${params.length}`);
  }
  const sql = `SELECT * FROM models.${sqlIdent(def.table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${def.orderBy}`;
  return { sql, params };
}

/**
 * Rows of a named report (CONTRACT §4 / §7) with optional filters, as plain JSON-safe objects.
 * @throws RmaError RMA_ERR_USAGE for an unknown report or filter, RMA_ERR_NOT_FOUND before the first build.
 */
export async function report(store: Store, name: string, filters: ReportFilters = {}): Promise<Row[]> {
  const { sql, params } = await reportQuery(store, name, filters);
  return store.all(sql, params);
}

/** Write a report straight from DuckDB to a Parquet file (no rows pass through JavaScript). */
export async function reportToParquet(store: Store, name: string, filters: ReportFilters, file: string): Promise<number> {
  const { sql, params } = await reportQuery(store, name, filters);
  return store.withConnection(async (conn) => {
    // COPY takes no parameters: materialise the filtered rows first, then copy the temp table.
    await conn.run(`CREATE OR REPLACE TEMP TABLE report_export AS ${sql}`, params);
    await conn.run(`COPY report_export TO ${sqlString(file)} (FORMAT parquet)`);
    const [{ n }] = await queryRows<{ n: number }>(conn, 'SELECT count(*) AS n FROM report_export');
    await conn.run('DROP TABLE report_export');
    return n;
  });
}

/** Columns of a report that carry money (the API hides them from roles without finance access). */
export function moneyColumns(name: string): readonly string[] {
  return definitionOf(name).moneyColumns;
}
