/**
 * rma-intel library entry (CONTRACT §1): openStore, ingest, build, report, gate, createServer.
 */
export { openStore, Store, type OpenStoreOptions } from './pipeline/store.js';
export { RmaError, errorCatalogue, type ErrorCode } from './pipeline/errors.js';
export { tables } from './pipeline/schema/tables.js';
export { build, type BuildOptions, type BuildResult } from './pipeline/build.js';
export { loadConfig, parseConfig, defaultConfig, type RmaConfig } from './pipeline/config.js';
export { gate, gateJunit, type Gate, type GateOptions } from './pipeline/gate.js';
export { buildApp, type AppOptions } from './api/app.js';
/** createServer = serve(): builds the API app and listens (default 127.0.0.1:3000); returns { url, app, store, close }. */
export { serve as createServer, serve, type ServeOptions, type RunningServer } from './api/serve.js';
export { createApiKey, revokeApiKey, type CreatedKey, type Role } from './api/keys.js';
