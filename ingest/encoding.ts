import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What one streaming pass over a file tells us before DuckDB reads it. */
export interface FileScan {
  sha256: string;
  bytes: number;
  validUtf8: boolean;
  /** A NUL byte in the first 64 KiB: binary, not text. */
  binary: boolean;
  /** First non-blank character (after a BOM), to tell JSON from CSV. */
  firstChar: string;
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the next chunk completes. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** SHA-256, UTF-8 validity and a binary sniff in one pass (native code per chunk, no per-row work). */
export async function scanFile(path: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let validUtf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let head: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) head = chunk.subarray(0, 65536);
    bytes += chunk.length;
    if (validUtf8) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const tail = incompleteTail(buf);
      validUtf8 = isUtf8(buf.subarray(0, buf.length - tail));
      carry = Buffer.from(buf.subarray(buf.length - tail));
    }
  }
  if (carry.length) validUtf8 = false;
  const sample = head ?? Buffer.alloc(0);
  const text = sample.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  return { sha256: hash.digest('hex'), bytes, validUtf8, binary: sample.includes(0), firstChar: text.trimStart().charAt(0) };
}

/** Windows-1252 → UTF-8 into `target`, as a byte-stream transform (TextDecoder in streaming mode). */
export async function transcodeWindows1252(source: string, target: string): Promise<void> {
  const decoder = new TextDecoder('windows-1252');
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  await pipeline(createReadStream(source, { highWaterMark: 1 << 20 }), transform, createWriteStream(target));
}
