import { z } from 'zod';
import { csvReaderSchema, localeSchema } from '../../mapping/mapping.schema.js';

/**
 * What a user sets for an SAP source (in a --mapping file laid over the preset): how the export was written
 * (delimiter, encoding) and the locale of its values. Raw SE16 extracts are tab-separated, '.' decimals with
 * trailing minus and YYYYMMDD dates; GUI exports use the user's settings (e.g. ';', ',' decimals, DD.MM.YYYY).
 * SAP dates and times are the plant's local time: set time_zone to the plant's zone.
 */
export const sapConfigSchema = z.strictObject({
  reader: csvReaderSchema.pick({ delimiter: true, encoding: true, quote: true, skip_rows: true }).partial().optional(),
  locale: localeSchema.partial().optional(),
  /** Catalog/code group/code → canonical taxonomy code, added to (and overriding) the preset's map. */
  failure_codes: z.record(z.string().regex(/^[^/]+\/[^/]+\/[^/]+$/, 'key is catalog/codegroup/code'), z.string()).optional(),
});

export type SapConfig = z.infer<typeof sapConfigSchema>;
export type CsvReaderOptions = Partial<Pick<z.infer<typeof csvReaderSchema>, 'delimiter' | 'encoding' | 'quote' | 'skip_rows'>>;
