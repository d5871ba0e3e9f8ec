import { z } from 'zod';
import { rowSchema } from '../../pipeline/schema/define.js';
import { ingestRunsTable, rmaTable } from '../../pipeline/schema/tables.js';

/** Columns that carry money: only finance and admin keys see them. */
export const moneyColumns = rmaTable.columns.filter((c) => c.kind === 'decimal').map((c) => c.name);

/** Public columns of an RMA line (the table definition's non-internal columns) plus its key. */
export const rmaPublicColumns = ['rma_key', ...rmaTable.columns.filter((c) => !c.internal).map((c) => c.name)];
export const rmaQualityColumns = rmaPublicColumns.filter((c) => !moneyColumns.includes(c));

/** Where this version of the record came from (CONTRACT §2: every number traceable to its records). */
export const lineage = z.object({
  run_id: z.string().nullable().optional(),
  file_sha256: z.string().nullable().optional(),
  source_row: z.number().int().nullable().optional(),
  file_path: ingestRunsTable.columns.find((c) => c.name === 'file_path')!.zod,
  format: z.string().nullable().optional(),
  ingested_at: z.string().nullable().optional(),
});

export const rmaRow = rowSchema(rmaTable).extend({ rma_key: z.string(), lineage: lineage.optional() });
export type RmaRow = z.infer<typeof rmaRow>;
