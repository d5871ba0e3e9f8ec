import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RmaError } from '../pipeline/errors.js';
import { assetPath } from '../pipeline/paths.js';

const require = createRequire(import.meta.url);

/** A package's folder, found from its resolved entry (the vega packages do not export package.json). */
export function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new RmaError('RMA_ERR_INTERNAL', `cannot find the folder of package ${name}`);
    dir = parent;
  }
}

/**
 * vega-interpreter ships only as an ES module importing 'vega-util'. Browsers cannot resolve that bare
 * name (and module scripts do not load from file://), so it is rewritten into a classic script that
 * takes the same three helpers from the vega global (vega re-exports vega-util) and installs
 * `vega.expressionInterpreter`. The interpreter lets the pages run under a CSP without 'unsafe-eval'.
 */
function interpreterScript(): string {
  const source = readFileSync(join(packageDir('vega-interpreter'), 'build', 'vega-interpreter.js'), 'utf8');
  const importLine = /^import \{ ([\w, ]+) \} from 'vega-util';$/m;
  const exportLine = /^export \{ expression as expressionInterpreter \};$/m;
  const names = importLine.exec(source)?.[1];
  if (!names || !exportLine.test(source)) {
    throw new RmaError('RMA_ERR_INTERNAL', 'vega-interpreter changed shape: expected one vega-util import and the expressionInterpreter export');
  }
  const body = source.replace(importLine, `const { ${names} } = vega;`).replace(exportLine, 'vega.expressionInterpreter = expression;');
  return `/* vega-interpreter (BSD-3-Clause), rewritten as a classic script by rma-intel */\n(function () {\n'use strict';\n${body}\n})();\n`;
}

interface VendorFile {
  contentType: string;
  read(): Buffer | string;
}

const js = 'text/javascript; charset=utf-8';
const fromPackage = (pkg: string, ...path: string[]) => (): Buffer => readFileSync(join(packageDir(pkg), ...path));
const fromClient = (file: string) => (): Buffer => readFileSync(assetPath('dashboards', 'client', file));

/**
 * Every file the pages may load, by the name they load it under. Nothing outside this list is ever
 * read, so a request cannot walk the file system.
 */
export const vendorFiles: Readonly<Record<string, VendorFile>> = {
  'vega.min.js': { contentType: js, read: fromPackage('vega', 'build', 'vega.min.js') },
  'vega-lite.min.js': { contentType: js, read: fromPackage('vega-lite', 'build', 'vega-lite.min.js') },
  'vega-lite.min.js.map': { contentType: 'application/json', read: fromPackage('vega-lite', 'build', 'vega-lite.min.js.map') },
  'vega-embed.min.js': { contentType: js, read: fromPackage('vega-embed', 'build', 'vega-embed.min.js') },
  'vega-embed.min.js.map': { contentType: 'application/json', read: fromPackage('vega-embed', 'build', 'vega-embed.min.js.map') },
  'vega-interpreter.js': { contentType: js, read: interpreterScript },
};

/** Our own page scripts and styles (dashboards/client/), served under /dashboards/assets/. */
export const clientFiles: Readonly<Record<string, VendorFile>> = {
  'dashboard.js': { contentType: js, read: fromClient('dashboard.js') },
  'drilldown.js': { contentType: js, read: fromClient('drilldown.js') },
  'dashboards.css': { contentType: 'text/css; charset=utf-8', read: fromClient('dashboards.css') },
};

/** The vendor scripts every dashboard page loads, in order (vega first: the others use its global). */
export const vendorScripts = ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js', 'vega-interpreter.js'] as const;

const cache = new Map<string, Buffer | string>();

/** Content of an allow-listed file, cached (the vendor files are large and never change while running). */
export function readListed(list: Readonly<Record<string, VendorFile>>, name: string): { body: Buffer | string; contentType: string } | undefined {
  if (!Object.hasOwn(list, name)) return undefined;
  const file = list[name];
  const key = `${list === vendorFiles ? 'vendor' : 'client'}:${name}`;
  let body = cache.get(key);
  if (body === undefined) {
    body = file.read();
    cache.set(key, body);
  }
  return { body, contentType: file.contentType };
}
