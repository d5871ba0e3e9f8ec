import { describe, expect, test } from 'vitest';
import { negotiate } from '../../api/tabular.js';
import { decodeCursor, encodeCursor, pageOf } from '../../api/pagination.js';
import { sign, verifySignature } from '../../api/signature.js';
import { safeFileName } from '../../api/routes/ingest.js';
import { safeNext } from '../../api/routes/login.js';
import { payloadId } from '../../api/routes/intake.js';
import { WriteQueue } from '../../api/write-queue.js';
import { RmaError } from '../../pipeline/errors.js';

describe('content negotiation', () => {
  test.each([
    [undefined, 'json'],
    ['*/*', 'json'],
    ['text/csv', 'csv'],
    ['application/vnd.apache.arrow.stream', 'arrow'],
    ['text/csv;q=0.5, application/json', 'json'],
    ['text/html, text/csv;q=0.1', 'csv'],
  ])('Accept %s → %s', (accept, format) => expect(negotiate(accept)).toBe(format));
  test('an Accept the server cannot meet is a 406', () => {
    try {
      negotiate('image/png');
      expect.unreachable();
    } catch (e) {
      expect((e as { statusCode: number }).statusCode).toBe(406);
    }
  });
});

describe('cursors', () => {
  test('round-trip and page in key order without repeats', () => {
    const rows = [{ k: 'c' }, { k: 'a' }, { k: 'b' }, { k: 'd' }];
    const p1 = pageOf(rows, ['k'], undefined, 2);
    expect(p1.rows.map((r) => r.k)).toEqual(['a', 'b']);
    const p2 = pageOf(rows, ['k'], p1.next, 2);
    expect(p2.rows.map((r) => r.k)).toEqual(['c', 'd']);
    expect(p2.next).toBeUndefined();
    expect(decodeCursor(encodeCursor(['x', 3]), 2)).toEqual(['x', 3]);
  });
  test.each(['!!!', encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[{"x":1},2]').toString('base64url')])('a forged cursor %s is a usage error', (c) => {
    expect(() => decodeCursor(c, 2)).toThrow(RmaError);
  });
});

describe('webhook signatures', () => {
  const secret = 'shh';
  const body = Buffer.from('{"id":"r1"}');
  const now = new Date('2026-01-01T00:00:00Z');
  const t = now.getTime() / 1000;
  const code = (f: () => void): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      return (e as RmaError).code;
    }
  };
  test('accepts a fresh signature, also beside a rotated one', () => {
    expect(code(() => verifySignature(secret, sign(secret, body, t), body, now))).toBeUndefined();
    const other = sign('old', body, t).split(',v1=')[1];
    expect(code(() => verifySignature(secret, `${sign(secret, body, t)},v1=${other}`, body, now))).toBeUndefined();
  });
  test.each([
    ['missing', undefined],
    ['malformed', 'garbage'],
    ['stale', sign(secret, body, t - 301)],
    ['from the future', sign(secret, body, t + 301)],
    ['other secret', sign('wrong', body, t)],
    ['short mac', `t=${t},v1=abcd`],
  ])('refuses %s', (_name, header) => {
    expect(code(() => verifySignature(secret, header, body, now))).toBe('RMA_ERR_BAD_SIGNATURE');
  });
  test('refuses a tampered body', () => {
    expect(code(() => verifySignature(secret, sign(secret, body, t), Buffer.from('{"id":"r2"}'), now))).toBe('RMA_ERR_BAD_SIGNATURE');
  });
});

describe('small guards', () => {
  test('upload names lose directories and odd characters', () => {
    expect(safeFileName('../../etc/passwd', 0)).toBe('000-passwd');
    expect(safeFileName('..\\..\\win.ini', 1)).toBe('001-win.ini');
    expect(safeFileName('..', 2)).toBe('002-upload');
    expect(safeFileName('rmas ü;.csv', 3)).toBe('003-rmas___.csv');
  });
  test('login redirects stay on this site', () => {
    expect(safeNext('/dashboards/batches')).toBe('/dashboards/batches');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', 42]) expect(safeNext(bad)).toBe('/dashboards/');
  });
  test('payload ids: header, then body id, then content hash', () => {
    const raw = Buffer.from('{}');
    expect(payloadId({ id: 7 }, raw, 'h1')).toBe('h1');
    expect(payloadId({ id: 7 }, raw, undefined)).toBe('7');
    expect(payloadId({ data: { id: 'd' } }, raw, undefined)).toBe('d');
    expect(payloadId([{ a: 1 }], raw, undefined)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  test('the write queue runs writes one at a time, in order, and survives a failure', async () => {
    const q = new WriteQueue();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => q.run(async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 1)]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await q.idle();
    expect(q.size).toBe(0);
  });
});
