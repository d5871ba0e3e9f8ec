import { col, table, type ColumnDef, type TableDef } from './define.js';
import {
  channels, dispositionClasses, firmwareChannels, inspectionOutcomes, resolutions, restartOnReplacement,
  returnReasons, stages, warrantyStatuses, apiRoles,
} from './enums.js';

/** Lineage of the version of a record that is current: which run, file and row it came from. */
const lineage = (): ColumnDef[] => [
  col('run_id', 'text', 'ingest run that wrote this version of the record', { internal: true }),
  col('file_sha256', 'text', 'SHA-256 of the file this version came from', { internal: true }),
  col('source_row', 'int', 'data row number in that file (1 = first row after the header)', { internal: true }),
  col('record_hash', 'text', 'hash of the canonical values; an identical re-ingest is "unchanged"', { internal: true }),
];

const money = (name: string, description: string): ColumnDef => col(name, 'decimal', `${description}; in currency, NULL = unknown, 0 = none`);

export const rmaTable = table('rma', 'One row per returned unit (an RMA line).', [
  col('rma_key', 'text', 'stable id <source>:<company>:<rma_number>:<line>', { key: true, internal: true }),
  col('source', 'text', 'configured source name (e.g. sap-eu, dealer-portal)', { required: true }),
  col('company', 'text', "tenant / legal entity / client; '' when the source has one"),
  col('rma_number', 'text', 'as the source shows it, leading zeros kept', { required: true }),
  col('line', 'int', 'RMA line; 1 when the source has no lines'),
  col('opened_at', 'timestamp', 'claim raised', { required: true }),
  col('approved_at', 'timestamp', 'claim approved'),
  col('received_at', 'timestamp', 'unit received'),
  col('inspected_at', 'timestamp', 'unit inspected'),
  col('resolved_at', 'timestamp', 'resolution executed'),
  col('closed_at', 'timestamp', 'RMA closed'),
  col('stage', 'enum', 'lifecycle stage', { values: stages }),
  col('status_raw', 'text', "the source's own status text"),
  col('serial_number', 'text', 'serial number of the returned unit'),
  col('sku', 'text', 'product SKU'),
  col('batch_id', 'text', 'production batch, from the record or the unit registry'),
  col('firmware_version', 'text', 'firmware on the unit at intake'),
  col('quantity', 'int', 'units on the line (normally 1)'),
  col('return_reason', 'enum', 'why the unit came back', { values: returnReasons }),
  col('failure_code_stated', 'text', 'canonical failure code from the claim / customer'),
  col('failure_code_verified', 'text', 'canonical failure code after inspection'),
  col('failure_code_raw', 'text', "the source's own failure code(s)"),
  col('description', 'text', 'free text, HTML stripped'),
  col('customer_id', 'text', 'customer'),
  col('dealer_id', 'text', 'dealer'),
  col('channel', 'enum', 'sales channel', { values: channels }),
  col('country', 'text', 'ISO 3166-1 alpha-2'),
  col('inspection_outcome', 'enum', 'result of inspection', { values: inspectionOutcomes }),
  col('resolution', 'enum', 'what was done', { values: resolutions }),
  col('warranty_status', 'enum', 'derived from the policy when absent', { values: warrantyStatuses }),
  col('replacement_serial', 'text', 'serial of the unit sent in exchange'),
  col('order_number', 'text', 'sales / web order the unit was bought on, as the source shows it (links ERP and portal records of one return)'),
  money('cost_labor', 'labour cost'),
  money('cost_parts', 'parts cost'),
  money('cost_shipping', 'shipping cost'),
  money('cost_replacement', 'replacement unit cost'),
  money('cost_duties', 'duties and cross-border fees'),
  money('credit_amount', 'credit given'),
  money('deductible_collected', 'deductible collected from the customer'),
  money('supplier_recovery', 'amount recovered from the supplier'),
  col('currency', 'text', 'ISO 4217'),
  col('cross_border', 'bool', 'return crossed a customs border'),
  col('failure_code_suggested', 'text', 'code suggested from free text (never overwrites stated or verified)', { internal: true }),
  col('failure_code_suggestion_confidence', 'double', 'confidence of the suggestion, 0..1', { internal: true }),
  col('duplicate_of', 'text', 'rma_key of the same RMA seen first in another source (not counted twice)', { internal: true }),
  // The line resolved against the unit registry (ingest/normalise/resolve-units.sql), kept with the line so
  // the reports read it without joining 10 M lines to 50 M units on every build. NULL is_first_return: not resolved yet.
  col('unit_sku', 'text', "the registry's SKU for the line's serial (NULL: serial not registered)", { internal: true }),
  col('unit_batch_id', 'text', "the registry's batch for the line's serial", { internal: true }),
  col('unit_firmware_version', 'text', "the registry's firmware (as shipped) for the line's serial", { internal: true }),
  col('unit_shipped_at', 'timestamp', "the registry's ship time for the line's serial", { internal: true }),
  col('unit_dealer_id', 'text', "the registry's dealer for the line's serial", { internal: true }),
  col('is_first_return', 'bool', "the registered unit's first return (earliest day, then key, among lines not duplicates); NULL: to be resolved", { internal: true }),
  col('is_first_claim', 'bool', "the registered unit's first warranty claim (as is_first_return, among warranty claims: not a commercial return, not out of warranty, not cancelled)", { internal: true }),
  // The stage times on the SLA business clock (ingest/normalise/business-clock.ts): they depend on the holiday
  // calendar, not on the analysis date, so they are counted as lines land, not over 10 M lines in every build.
  col('clock_calendar', 'text', 'the SLA holiday calendar the stage clocks below were counted on; NULL: to be counted', { internal: true }),
  col('opened_clock', 'double', 'opened_at in business seconds since Monday 1970-01-05 (weekdays less holidays)', { internal: true }),
  col('approved_clock', 'double', 'approved_at in business seconds', { internal: true }),
  col('received_clock', 'double', 'received_at in business seconds', { internal: true }),
  col('inspected_clock', 'double', 'inspected_at in business seconds', { internal: true }),
  col('resolved_clock', 'double', 'resolved_at in business seconds', { internal: true }),
  col('closed_clock', 'double', 'closed_at in business seconds', { internal: true }),
  col('unmapped_values', 'text', 'source values no dictionary knew, kept raw ("column=value; …"); their canonical column is NULL'),
  ...lineage(),
]);

export const unitsTable = table('units', 'Per-serial unit registry: what shipped, when, to whom.', [
  col('serial_number', 'text', 'unit serial number', { key: true }),
  col('sku', 'text', 'product SKU', { required: true }),
  col('batch_id', 'text', 'production batch'),
  col('shipped_at', 'timestamp', 'shipped / delivered to the customer; exposure starts here', { required: true }),
  col('customer_id', 'text', 'customer'),
  col('dealer_id', 'text', 'dealer'),
  col('country', 'text', 'ISO 3166-1 alpha-2'),
  col('firmware_version', 'text', 'firmware as shipped'),
  money('unit_price', 'selling price'),
  col('currency', 'text', 'ISO 4217'),
  ...lineage(),
]);

export const batchesTable = table('batches', 'Production batches.', [
  col('batch_id', 'text', 'production batch', { key: true }),
  col('sku', 'text', 'product SKU', { required: true }),
  col('units_shipped', 'int', 'units shipped, used when there is no per-serial registry'),
  col('produced_at', 'date', 'production date'),
  col('shipped_from', 'date', 'first shipment'),
  col('shipped_to', 'date', 'last shipment'),
  col('supplier', 'text', 'supplier / contract manufacturer'),
  col('factory_line', 'text', 'factory line'),
  ...lineage(),
]);

export const firmwareBuildsTable = table('firmware_builds', 'Firmware builds per SKU.', [
  col('firmware_version', 'text', 'build version', { key: true }),
  col('sku', 'text', "SKU the build is for ('' = all)", { key: true }),
  col('released_at', 'timestamp', 'release date'),
  col('channel', 'enum', 'release channel', { values: firmwareChannels }),
  col('status', 'text', 'e.g. released, withdrawn, candidate'),
  ...lineage(),
]);

export const firmwareInstallsTable = table('firmware_installs', 'Installed-base snapshots: active units per build.', [
  col('firmware_version', 'text', 'build version', { key: true }),
  col('sku', 'text', 'product SKU', { key: true }),
  col('as_of', 'date', 'snapshot date', { key: true }),
  col('active_units', 'int', 'units running the build on that date', { required: true }),
  ...lineage(),
]);

export const failureCodesTable = table('failure_codes', 'Failure-code taxonomy.', [
  col('code', 'text', 'canonical failure code', { key: true }),
  col('category', 'text', 'category', { required: true }),
  col('subcategory', 'text', 'subcategory'),
  col('disposition_class', 'enum', 'no_return, return_modular or return_escalation', { values: dispositionClasses }),
  col('default_resolution', 'enum', 'default resolution path', { values: resolutions }),
  col('intake_fields', 'list', 'fields intake must capture (| separated in CSV)'),
  col('synonyms', 'list', 'words and phrases that suggest this code (| separated in CSV)'),
  ...lineage(),
]);

export const warrantyPoliciesTable = table('warranty_policies', "Warranty terms per SKU ('*' = every SKU of the brand).", [
  col('sku', 'text', "product SKU or '*'", { key: true }),
  col('effective_from', 'date', 'first day the terms apply', { key: true }),
  col('warranty_months', 'int', 'warranty length from delivery', { required: true }),
  col('doa_days', 'int', 'dead-on-arrival window'),
  money('deductible', 'deductible per unit after the DOA window'),
  col('max_replacements', 'int', 'replacements allowed per unit'),
  col('restart_on_replacement', 'enum', 'does warranty restart on replacement', { values: restartOnReplacement }),
  col('currency', 'text', 'ISO 4217'),
  ...lineage(),
]);

export const reservePlanTable = table('reserve_plan', 'Service-reserve accrual terms.', [
  col('sku', 'text', "product SKU or '*'", { key: true }),
  col('effective_from', 'date', 'first day the terms apply', { key: true }),
  money('reserve_per_unit', 'accrual per unit shipped'),
  col('reserve_pct_of_revenue', 'double', 'accrual as a share of revenue (0.03 = 3 %)'),
  col('currency', 'text', 'ISO 4217'),
  ...lineage(),
]);

export const costRatesTable = table('cost_rates', 'Standard costs that fill unknown costs (flagged as estimated).', [
  col('resolution', 'enum', 'resolution', { key: true, values: resolutions }),
  col('sku', 'text', "product SKU or '*'", { key: true }),
  money('standard_cost', 'standard cost of the resolution'),
  col('currency', 'text', 'ISO 4217'),
  ...lineage(),
]);

export const ingestRunsTable = table('ingest_runs', 'One row per ingested file.', [
  col('run_id', 'text', 'run id (one per ingest call)', { key: true }),
  col('file_index', 'int', 'position of the file in that call (0-based)', { key: true }),
  col('started_at', 'timestamp', 'start'),
  col('finished_at', 'timestamp', 'end'),
  col('source', 'text', 'source name'),
  col('format', 'text', 'format'),
  col('file_path', 'text', 'file as given'),
  col('file_sha256', 'text', 'SHA-256 of the file'),
  col('rows_read', 'int', 'data rows read'),
  col('accepted', 'int', 'rows that passed validation'),
  col('inserted', 'int', 'new records'),
  col('updated', 'int', 'changed records'),
  col('unchanged', 'int', 'exact repeats'),
  col('quarantined', 'int', 'rows rejected'),
  col('status', 'text', 'running, succeeded, failed'),
  col('message', 'text', 'error message of a failed run'),
]);

export const quarantineTable = table('quarantine', 'Rejected rows with every problem found.', [
  col('run_id', 'text', 'run id', { required: true }),
  col('source', 'text', 'source name'),
  col('file_path', 'text', 'file as given'),
  col('row_number', 'int', 'data row number in the file'),
  col('raw', 'json', 'the row as read (column -> text)'),
  col('reasons', 'json', 'list of {column, problem}'),
  col('quarantined_at', 'timestamp', 'when'),
]);

export const landingTable = table('landing', 'Every source row verbatim, accepted or quarantined, with its lineage.', [
  col('run_id', 'text', 'run id', { required: true }),
  col('source', 'text', 'source name'),
  col('format', 'text', 'format'),
  col('file_sha256', 'text', 'SHA-256 of the file'),
  col('row_number', 'int', 'data row number in the file'),
  col('raw', 'json', 'the row as read (column -> text)'),
  col('accepted', 'bool', 'passed validation'),
]);

export const apiKeysTable = table('api_keys', 'HTTP API keys: the secret is shown once at creation and stored only as a scrypt hash.', [
  col('name', 'text', 'key name, unique', { key: true }),
  col('key_id', 'text', 'non-secret lookup id embedded in the key (rma_<key_id>_<secret>)', { required: true }),
  col('role', 'enum', 'viewer, finance, product, ingest or admin', { required: true, values: apiRoles }),
  col('salt', 'text', 'scrypt salt (hex)', { required: true, internal: true }),
  col('hash', 'text', 'scrypt hash of the secret (hex)', { required: true, internal: true }),
  col('created_at', 'timestamp', 'when the key was created'),
  col('revoked_at', 'timestamp', 'when the key was revoked; NULL while it is valid'),
]);

export const intakeEventsTable = table('intake_events', 'Verified returns-portal webhooks, so a replayed payload is ingested once.', [
  col('format', 'text', 'intake format (shopify-returns, loop-returns, aftership-returns, canonical-json)', { key: true }),
  col('payload_id', 'text', "the payload's own id", { key: true }),
  col('received_at', 'timestamp', 'when it was first received'),
  col('run_id', 'text', 'ingest run that stored it'),
]);

export const alertStates = ['open', 'acknowledged', 'resolved'] as const;

export const alertsTable = table('alerts', 'Alerts (CONTRACT 7.5): one row per (rule, subject), kept across builds so states and history survive.', [
  col('id', 'text', 'stable id derived from rule, subject_type and subject_id', { key: true }),
  col('rule', 'text', 'rule that raised it (batch_status, firmware_regression, reserve_shortfall, reserve_runway, spc_outlier)', { required: true }),
  col('subject_type', 'text', 'what it is about: batch, firmware_build, sku', { required: true }),
  col('subject_id', 'text', 'which one', { required: true }),
  col('state', 'enum', 'open, acknowledged or resolved', { required: true, values: alertStates }),
  col('severity', 'text', 'low, medium, high or critical'),
  col('metric', 'text', 'the measured quantity'),
  col('value', 'double', 'its value at the last evaluation'),
  col('threshold', 'double', 'the line it is judged against'),
  col('opened_at', 'timestamp', 'as-of date of the build that opened it'),
  col('updated_at', 'timestamp', 'as-of date of the last build that evaluated it'),
  col('resolved_at', 'timestamp', 'as-of date of the build that resolved it'),
  col('evidence', 'json', 'numbers, bounds, exposure and the record keys behind it'),
  col('ack_note', 'text', 'note left when acknowledged'),
  col('acked_at', 'timestamp', 'when it was acknowledged'),
  col('clean_builds', 'int', 'consecutive builds (distinct as-of dates) without the condition', { internal: true }),
]);

/** Canonical and lineage tables, in creation order. */
export const tables: readonly TableDef[] = [
  rmaTable, unitsTable, batchesTable, firmwareBuildsTable, firmwareInstallsTable, failureCodesTable,
  warrantyPoliciesTable, reservePlanTable, costRatesTable, ingestRunsTable, quarantineTable, landingTable,
  apiKeysTable, intakeEventsTable, alertsTable,
];

export function tableDef(name: string): TableDef {
  const def = tables.find((t) => t.name === name);
  if (!def) throw new Error(`unknown table ${name}`);
  return def;
}
