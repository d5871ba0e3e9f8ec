// Writes a synthetic canonical CSV of N rows (DuckDB COPY from range()).
import { DuckDBInstance } from '@duckdb/node-api';
import { syntheticCanonicalCsvSql } from '../../../dist/ingest/synthetic.js';
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run(syntheticCanonicalCsvSql(process.argv[2], Number(process.argv[3])));
conn.closeSync();
instance.closeSync();
