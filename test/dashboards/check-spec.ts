import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';
import { packageDir } from '../../dashboards/vendor.js';

const schema = JSON.parse(readFileSync(join(packageDir('vega-lite'), 'build', 'vega-lite-schema.json'), 'utf8'));

// strict off: the Vega-Lite schema carries annotations ajv's strict mode rejects in the schema
// itself; every spec is still checked against all of it.
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its plugin is the default export under ESM interop.
const addFormats = (ajvFormats as unknown as { default: (a: Ajv) => Ajv }).default;
addFormats(ajv);
// The one format the Vega-Lite schema defines itself (HexColor).
ajv.addFormat('color-hex', /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i);
const validateSchema = ajv.compile(schema);

export interface SpecCheck {
  schemaErrors: string[];
  warnings: string[];
  vega: VegaSpec;
}

/** Problems with a spec against the Vega-Lite JSON schema (empty when valid). */
export function schemaErrorsOf(spec: unknown): string[] {
  return validateSchema(spec) ? [] : (validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Validate a spec against the Vega-Lite JSON schema and compile it, collecting every warning. */
export function checkSpec(spec: TopLevelSpec): SpecCheck {
  const schemaErrors = schemaErrorsOf(spec);
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info(...args: unknown[]) {
      warnings.push(`info: ${args.map(String).join(' ')}`);
      return logger;
    },
    debug() {
      return logger;
    },
    error(...args: unknown[]): never {
      throw new Error(args.map(String).join(' '));
    },
  };
  const { spec: vega } = compile(spec, { logger: logger as never });
  return { schemaErrors, warnings, vega };
}
