/**
 * rma-intel library entry (CONTRACT §1): openStore, ingest, build, report, gate, createServer.
 */
export { openStore, Store, type OpenStoreOptions } from './pipeline/store.js';
export { RmaError, errorCatalogue, type ErrorCode } from './pipeline/errors.js';
export { tables } from './pipeline/schema/tables.js';
export {
  ingest, defineFormat, listFormats, registerFormat, getFormat,
  type IngestOptions, type IngestResult, type IngestProgress, type FileResult, type FormatDefinition, type MappingFile,
} from './ingest/index.js';
export { exportParquet, type ExportedTable } from './ingest/export.js';
export { loadMapping as loadMappingFile, parseMapping, checkMapping, type MappingProblem } from './ingest/mapping/load-mapping.js';
export { mappingSchema, type Mapping } from './ingest/mapping/mapping.schema.js';
export { normaliseRma, suggestFailureCodes, linkDuplicates, duplicateWindowDays } from './ingest/normalise/index.js';
export { build, type BuildOptions, type BuildResult } from './pipeline/build.js';
export { loadConfig, parseConfig, defaultConfig, type RmaConfig } from './pipeline/config.js';
export { report, reportToParquet, reportNames, reportDefinitions, moneyColumns, type ReportName, type ReportFilters, type ReportDefinition } from './pipeline/report.js';
export { toCsv, toArrowIpc, csvCell } from './pipeline/export-formats.js';
export { evaluateAlerts, listAlerts, acknowledgeAlert, verifySignature, signPayload, type EvaluateResult, type AlertsConfig } from './pipeline/alerts/index.js';
export { gate, gateJunit, type Gate, type GateOptions } from './pipeline/gate.js';
export { buildApp, type AppOptions } from './api/app.js';
/** createServer = serve(): builds the API app and listens (default 127.0.0.1:3000); returns { url, app, store, close }. */
export { serve as createServer, serve, type ServeOptions, type RunningServer } from './api/serve.js';
export { createApiKey, revokeApiKey, type CreatedKey, type Role } from './api/keys.js';
export { dashboards, findDashboard, type Dashboard, type DashboardData } from './dashboards/registry.js';
export { writeStaticBundle, type BundleInput, type BundleResult } from './dashboards/static-bundle.js';
export { renderSvg, compileSpec } from './dashboards/render-svg.js';
export {
  generateDemoWorld, defaultEmitters, defaultDemoSeed, simulateWorld, fillBulkStore, writeBulkCanonicalCsv,
  type GenerateOptions, type GeneratedDemo, type GroundTruth, type Emitter, type EmitResult, type EmittedFile, type RmaRoute, type BulkStoreCounts,
} from './data/generate/index.js';
export { loadTaxonomy, defaultTaxonomyPath, type FailureCode } from './data/generate/taxonomy.js';
