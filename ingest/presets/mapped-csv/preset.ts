import { RmaError } from '../../../pipeline/errors.js';
import { loadMapping, parseMapping } from '../../mapping/load-mapping.js';
import type { Mapping } from '../../mapping/mapping.schema.js';
import { mappingFormat } from '../mapping-format.js';

/**
 * Any CSV (or JSON) layout described by a user's mapping file (ingest/mapping/README.md): the mapping is the
 * whole format. `--mapping FILE` is required.
 */
export function userMapping(mapping: unknown): Mapping {
  if (mapping === undefined) throw new RmaError('RMA_ERR_USAGE', 'mapped-csv needs --mapping FILE (JSON or YAML; see ingest/mapping/README.md)');
  return typeof mapping === 'string' ? loadMapping(mapping) : parseMapping(mapping, 'mapping');
}

export const format = mappingFormat({
  name: 'mapped-csv',
  description: 'Any CSV described by a --mapping file (columns by name or position, locale, dictionaries, expressions)',
  mapping: (_file, ctx) => userMapping(ctx.mapping),
});
