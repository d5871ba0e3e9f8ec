import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/index.js';
import { RmaError } from '../../pipeline/errors.js';
import type { Store } from '../../pipeline/store.js';
import { count, fixture, tempStore } from './helpers.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

async function rejects(files: string[], options: Parameters<typeof ingest>[2], code: string, message: RegExp): Promise<RmaError> {
  const err = await ingest(store, files, options).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RmaError);
  const e = err as RmaError;
  expect(e.code).toBe(code);
  expect(e.exitCode).toBe(2);
  expect(e.message).toMatch(message);
  return e;
}

describe('files that cannot be ingested: exit-2 errors naming the file, nothing written', () => {
  it('missing, empty, blank-only, binary, a directory, unknown shape, unknown format, missing columns', async () => {
    const blank = join(dir, 'blank.csv');
    writeFileSync(blank, '\n\r\n   \n');
    const before = await count(store, 'SELECT (SELECT count(*) FROM landing) + (SELECT count(*) FROM ingest_runs) + (SELECT count(*) FROM rma) AS n');
    await rejects([join(dir, 'missing.csv')], {}, 'RMA_ERR_FILE_NOT_FOUND', /missing\.csv: file not found/);
    await rejects([fixture('empty.csv')], {}, 'RMA_ERR_FORMAT', /empty\.csv: file is empty/);
    await rejects([blank], {}, 'RMA_ERR_FORMAT', /blank\.csv: file holds only blank lines/);
    await rejects([fixture('binary.csv')], {}, 'RMA_ERR_FORMAT', /binary\.csv: binary data/);
    await rejects([dir], {}, 'RMA_ERR_INPUT', /is a directory/);
    await rejects([fixture('not-a-format.csv')], {}, 'RMA_ERR_FORMAT', /not-a-format\.csv: cannot tell which format this is \(header: foo, bar, baz\)/);
    await rejects([fixture('units.csv')], { format: 'nope' }, 'RMA_ERR_USAGE', /unknown format 'nope'/);
    const e = await rejects([fixture('missing-columns.csv')], { format: 'canonical-csv' }, 'RMA_ERR_MISSING_COLUMNS', /missing-columns\.csv: missing required columns rma_number \(or rma, .*\), opened_at/);
    expect(e.details).toMatchObject({ file: fixture('missing-columns.csv'), column: 'rma_number', missing: ['rma_number', 'opened_at'] });
    // JSON that is not records, given as canonical-json
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '[{"rma_number": "X", "opened_at": ');
    await rejects([notJson], { format: 'canonical-json' }, 'RMA_ERR_FORMAT', /broken\.json: cannot be read as canonical-json/);
    expect(await count(store, 'SELECT (SELECT count(*) FROM landing) + (SELECT count(*) FROM ingest_runs) + (SELECT count(*) FROM rma) AS n')).toBe(before);
  });

  it('an unreadable file is an input error (skipped when running as root, which reads anything)', async () => {
    if (process.getuid?.() === 0) return;
    const f = join(dir, 'locked.csv');
    writeFileSync(f, 'rma_number,opened_at\nX,2024-01-01\n');
    chmodSync(f, 0o000);
    await rejects([f], {}, 'RMA_ERR_INPUT', /locked\.csv: cannot read file/);
  });

  it('an invalid --mapping file names the file and the problem', async () => {
    const m = join(dir, 'mapping.yaml');
    writeFileSync(m, 'columns: { rma_number: { position: zero } }\n');
    await rejects([fixture('basic.csv')], { mapping: m }, 'RMA_ERR_MAPPING', /mapping\.yaml: /);
    rmSync(m);
    await rejects([fixture('basic.csv')], { mapping: m }, 'RMA_ERR_FILE_NOT_FOUND', /mapping file .*mapping\.yaml cannot be read/);
  });
});
