import { openSync, readSync, closeSync } from 'node:fs';
import { extname } from 'node:path';
import { RmaError } from '../pipeline/errors.js';
import { columnAliases, normaliseName } from './aliases.js';
import type { FileScan } from './encoding.js';
import type { FormatDefinition } from './format.js';

/** The first 64 KiB of a file as text (UTF-8, or Windows-1252 when it is not valid UTF-8), BOM removed. */
function head(path: string, scan: FileScan): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = new TextDecoder(scan.validUtf8 ? 'utf-8' : 'windows-1252').decode(buf.subarray(0, n));
    return text.replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** Candidate header lines: the first lines split on the most frequent delimiter, quotes removed. */
export function headerCandidates(text: string): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 10);
  return lines.map((line) => {
    const delim = [',', ';', '\t', '|'].map((d) => [d, line.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
    return line.split(delim).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim()).filter((c) => c !== '');
  });
}

/** Keys of the first JSON records (array or NDJSON), for scoring JSON formats. */
function jsonKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)) keys.add(m[1]);
  return [...keys];
}

const names = (format: FormatDefinition, name: string): string[] =>
  [name, ...(format.inheritCanonicalNames ? columnAliases[name] ?? [] : [])].map(normaliseName);

/** 0 when a required name is missing, else the mean of signature coverage and header recognition. */
export function scoreHeader(format: FormatDefinition, header: readonly string[]): number {
  const detect = format.detect;
  if (!detect) return 0;
  const have = new Set(header.map(normaliseName));
  if ((detect.required ?? []).some((r) => !names(format, r).some((n) => have.has(n)))) return 0;
  const sig = detect.signature.filter((s) => names(format, s).some((n) => have.has(n))).length / Math.max(1, detect.signature.length);
  const known = new Set(detect.signature.flatMap((s) => names(format, s)));
  const recognised = header.filter((h) => known.has(normaliseName(h))).length / Math.max(1, header.length);
  return (sig + recognised) / 2;
}

const isJsonReader = (f: FormatDefinition): boolean => f.reader.kind === 'json';

/** --format auto: the best-scoring format for this file's header/shape, or an input error naming the file. */
export function detectFormat(path: string, scan: FileScan, formats: readonly FormatDefinition[]): FormatDefinition {
  const ext = extname(path).slice(1).toLowerCase();
  const text = head(path, scan);
  const json = scan.firstChar === '[' || scan.firstChar === '{';
  const allExts = new Set(formats.flatMap((f) => f.detect?.extensions ?? []));
  const candidates = formats.filter((f) => f.detect && (!ext || !allExts.has(ext) || !f.detect.extensions || f.detect.extensions.includes(ext)));
  let best: { format: FormatDefinition; score: number } | undefined;
  for (const format of candidates) {
    if (json !== isJsonReader(format) && format.reader.kind !== 'custom') continue;
    const headers = json ? [jsonKeys(text)] : headerCandidates(text);
    const score = Math.max(0, ...headers.map((h) => scoreHeader(format, h)));
    if (score >= 0.4 && (!best || score > best.score)) best = { format, score };
  }
  if (!best) {
    const shown = json ? jsonKeys(text).slice(0, 20) : headerCandidates(text)[0] ?? [];
    throw new RmaError('RMA_ERR_FORMAT', `${path}: cannot tell which format this is (header: ${shown.join(', ') || 'none'}); pass --format (known: ${formats.map((f) => f.name).join(', ')})`, { file: path });
  }
  return best.format;
}

