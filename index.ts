/**
 * rma-intel library entry (CONTRACT §1): openStore, ingest, build, report, gate, createServer.
 */
export { openStore, Store, type OpenStoreOptions } from './pipeline/store.js';
export { RmaError, errorCatalogue, type ErrorCode } from './pipeline/errors.js';
export { tables } from './pipeline/schema/tables.js';
