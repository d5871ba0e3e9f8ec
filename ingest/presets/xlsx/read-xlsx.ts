import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { inflateRawSync } from 'node:zlib';
import { RmaError } from '../../../pipeline/errors.js';

/**
 * XLSX → CSV without a dependency (DuckDB's excel extension cannot be installed offline): the workbook is a zip
 * of XML parts; we read the central directory, inflate the parts we need, and write the sheet's cells as CSV,
 * row by row, to a temp file that the mapping then reads like any CSV. Numbers are written as stored, so date
 * cells arrive as Excel serial days, which the mapping's date parsing understands.
 */
interface ZipEntry { method: number; size: number; offset: number }

function zipEntries(buf: Buffer, file: string): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new RmaError('RMA_ERR_FORMAT', `${file}: not an XLSX workbook (no zip directory)`, { file });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new RmaError('RMA_ERR_FORMAT', `${file}: damaged XLSX (zip directory)`, { file });
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    out.set(buf.toString('utf8', p + 46, p + 46 + nameLen), { method, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function part(buf: Buffer, entries: Map<string, ZipEntry>, name: string): string | undefined {
  const e = entries.get(name);
  if (!e) return undefined;
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const data = buf.subarray(start, start + e.size);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unxml = (s: string): string => s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
  e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e] ?? m);
const texts = (xml: string): string => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unxml(m[1])).join('');

/** The sheet's part path: the named sheet, or the first one. */
function sheetPath(buf: Buffer, entries: Map<string, ZipEntry>, sheet?: string): string {
  const workbook = part(buf, entries, 'xl/workbook.xml') ?? '';
  const rels = part(buf, entries, 'xl/_rels/workbook.xml.rels') ?? '';
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => ({ name: unxml(/name="([^"]*)"/.exec(m[0])?.[1] ?? ''), rid: /r:id="([^"]*)"/.exec(m[0])?.[1] }));
  const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.name === sheet);
  if (!chosen) throw new RmaError('RMA_ERR_FORMAT', `workbook has no sheet named "${sheet}" (sheets: ${sheets.map((s) => s.name).join(', ')})`, { sheet });
  const target = new RegExp(`<Relationship\\b[^>]*Id="${chosen.rid}"[^>]*>`).exec(rels)?.[0];
  const path = target ? /Target="([^"]*)"/.exec(target)?.[1] : undefined;
  if (!path) return 'xl/worksheets/sheet1.xml';
  return path.startsWith('/') ? path.slice(1) : `xl/${path}`;
}

const colIndex = (ref: string): number => {
  let n = 0;
  for (const ch of /^[A-Z]+/.exec(ref)?.[0] ?? 'A') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
};
const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Write one sheet of an XLSX workbook as a UTF-8 CSV at outPath; returns the number of rows written. */
export async function xlsxToCsv(file: string, outPath: string, sheet?: string): Promise<number> {
  const buf = readFileSync(file);
  const entries = zipEntries(buf, file);
  const shared = [...(part(buf, entries, 'xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]));
  const xml = part(buf, entries, sheetPath(buf, entries, sheet));
  if (xml === undefined) throw new RmaError('RMA_ERR_FORMAT', `${file}: the workbook's sheet part is missing`, { file });
  const out = createWriteStream(outPath);
  let rows = 0;
  let width = 0;
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const body = c[2] ?? '';
      const ref = /r="([A-Z]+)\d+"/.exec(attrs)?.[1];
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const value = type === 's' ? shared[Number(v)] ?? '' : type === 'inlineStr' ? texts(body) : type === 'b' ? (v === '1' ? 'true' : 'false') : unxml(v ?? '');
      cells[ref ? colIndex(ref) : cells.length] = value;
    }
    if (rows === 0) width = cells.length;
    const line = Array.from({ length: Math.max(width, cells.length) }, (_, i) => csvCell(cells[i] ?? '')).join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    rows++;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
