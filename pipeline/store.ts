import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBResultReader, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { RmaError } from './errors.js';
import { migrate } from './migrate.js';

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

export interface OpenStoreOptions {
  /** Open without writing (no migration). Another process may still hold the write lock. */
  readOnly?: boolean;
  /** DuckDB memory_limit, e.g. '2GB'. Defaults to RMA_INTEL_MEMORY_LIMIT or DuckDB's default. */
  memoryLimit?: string;
  threads?: number;
  /** Load the default failure-code taxonomy when failure_codes is empty (default true). */
  taxonomy?: boolean;
}

/**
 * A new store gets the default taxonomy (data/taxonomy/failure-codes.csv) through the ingest engine, imported
 * lazily so the store module does not depend on ingest at load time. A broken taxonomy file must not stop the
 * store from opening: it is reported on stderr.
 */
async function loadDefaultTaxonomy(store: Store): Promise<void> {
  try {
    const { ensureTaxonomy } = await import('../ingest/taxonomy.js');
    await ensureTaxonomy(store);
  } catch (e) {
    process.stderr.write(`rma-intel: default failure-code taxonomy not loaded: ${(e as Error).message}\n`);
  }
}

/** What a running server leaves beside the database so a second process can say who holds it. */
export interface ServerMarker {
  pid: number;
  url: string;
  started_at: string;
}

export const serverMarkerPath = (dbPath: string): string => `${dbPath}.server.json`;

function readServerMarker(dbPath: string): ServerMarker | undefined {
  try {
    return JSON.parse(readFileSync(serverMarkerPath(dbPath), 'utf8')) as ServerMarker;
  } catch {
    return undefined;
  }
}

function lockError(path: string, cause: Error): RmaError {
  const pid = /PID (\d+)/.exec(cause.message)?.[1];
  const server = readServerMarker(path);
  const holder = server && String(server.pid) === pid
    ? `the rma-intel server (pid ${pid}) at ${server.url}; send the work through its API (POST /api/ingest, /api/build) or stop it first`
    : pid ? `process ${pid}${/held in (\S+)/.exec(cause.message)?.[1] ? ` (${/held in (\S+)/.exec(cause.message)![1]})` : ''}` : 'another process';
  return new RmaError('RMA_ERR_DB_LOCKED', `database ${path} is held by ${holder}`, { file: path, pid: pid ? Number(pid) : undefined, server });
}

/** Turn DuckDB values into plain JSON-safe values: BIGINT → number (string beyond 2^53), DATE → 'YYYY-MM-DD', TIMESTAMPTZ → ISO string. */
function plain(value: unknown, type: DuckDBType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT: {
      const big = value as bigint;
      return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big.toString();
    }
    case DuckDBTypeId.DATE:
      return (value as Date).toISOString().slice(0, 10);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return value instanceof Date ? value.toISOString() : String(value);
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? JSON.parse(value as string) : value;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = (type as unknown as { valueType: DuckDBType }).valueType;
      return (value as unknown[]).map((v) => plain(v, child));
    }
    case DuckDBTypeId.STRUCT: {
      const entries = (type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] });
      const out: Row = {};
      entries.entryNames.forEach((name, i) => (out[name] = plain((value as Row)[name], entries.entryTypes[i])));
      return out;
    }
    default:
      return typeof value === 'bigint' ? Number(value) : value;
  }
}

export function readerRows<T = Row>(reader: DuckDBResultReader): T[] {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  // Read column by column, then assembled: an array per row cost 15–20 µs a row on the alerts'
  // tens of thousands of batch rows.
  const columns = reader.getColumnsJS().map((values, i) => values.map((v) => plain(v, types[i])));
  const rows = new Array<T>(reader.currentRowCount);
  for (let r = 0; r < rows.length; r++) {
    const o: Row = {};
    for (let c = 0; c < names.length; c++) o[names[c]] = columns[c][r];
    rows[r] = o as T;
  }
  return rows;
}

/**
 * The one door to DuckDB: owns the instance, sets the session, hands out connections.
 * One query at a time per connection: concurrent work takes its own connection (withConnection).
 */
export class Store {
  private closed = false;
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    readonly instance: DuckDBInstance,
    private readonly main: DuckDBConnection,
  ) {}

  static async open(path: string, options: OpenStoreOptions = {}): Promise<Store> {
    const full = path === ':memory:' ? path : resolve(path);
    if (full !== ':memory:') {
      if (options.readOnly && !existsSync(full)) throw new RmaError('RMA_ERR_FILE_NOT_FOUND', `database ${full} does not exist`, { file: full });
      mkdirSync(dirname(full), { recursive: true });
    }
    // TimeZone cannot go in the instance config: ICU is only loaded once the instance exists.
    const config: Record<string, string> = {};
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    const memoryLimit = options.memoryLimit ?? process.env.RMA_INTEL_MEMORY_LIMIT;
    if (memoryLimit) config.memory_limit = memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(full, config);
    } catch (e) {
      const err = e as Error;
      if (/lock/i.test(err.message)) throw lockError(full, err);
      throw new RmaError('RMA_ERR_INPUT', `cannot open database ${full}: ${err.message}`, { file: full });
    }
    const main = await instance.connect();
    await main.run("SET GLOBAL TimeZone = 'UTC'");
    const store = new Store(full, !!options.readOnly, instance, main);
    if (!options.readOnly) {
      await migrate(store);
      if (options.taxonomy !== false) await loadDefaultTaxonomy(store);
    }
    return store;
  }

  /** A new connection; the caller closes it (prefer withConnection). */
  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    return conn;
  }

  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /** Run statements on the store's main connection (serialised by DuckDB per connection). */
  async run(sql: string, params?: Params): Promise<void> {
    await this.main.run(sql, params);
  }

  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return readerRows<T>(await this.main.runAndReadAll(sql, params));
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Run fn inside one transaction on its own connection: all of it lands, or none of it. */
  async transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async (conn) => {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(conn);
        await conn.run('COMMIT');
        return result;
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.main.closeSync();
    this.instance.closeSync();
  }
}

/** Rows of a query on a given connection, as plain JSON-safe objects. */
export async function queryRows<T = Row>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  return readerRows<T>(await conn.runAndReadAll(sql, params));
}

/** Open the store (CONTRACT §2): the file from --db, RMA_INTEL_DB, or data/rma-intel.duckdb. */
export function openStore(path: string, options?: OpenStoreOptions): Promise<Store> {
  return Store.open(path, options);
}
