/**
 * Report encoders (pipeline/export-formats.ts) on 200,000 report-like rows (a month × SKU × batch
 * shape: text, integers, doubles, booleans, a list): CSV with formula neutralising and a typed Arrow
 * IPC stream, against JSON.stringify of the same rows measured in the same run (the API's default
 * answer). Prints rows/s and the ratio to the baseline; target: both within 3× of JSON.
 */
import { toArrowIpc, toCsv } from '../pipeline/export-formats.js';

const rowCount = Number(process.env.RMA_BENCH_ROWS ?? 200_000);

function rows(): Record<string, unknown>[] {
  return Array.from({ length: rowCount }, (_, i) => ({
    month: `2025-${String((i % 12) + 1).padStart(2, '0')}-01`,
    sku: i % 7 === 0 ? '=CMD' : `SKU-${i % 40}`,
    batch_id: `B-${i % 5000}`,
    units_shipped: i % 1000,
    accrual: (i % 997) * 12.5,
    burn_ratio: (i % 100) / 97,
    flagged: i % 3 === 0,
    rma_keys: [`erp::${i}:1`, `erp::${i + 1}:1`],
  }));
}

function time(label: string, fn: () => number): number {
  fn(); // warm-up
  const started = performance.now();
  const bytes = fn();
  const ms = performance.now() - started;
  process.stdout.write(`${label.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round(rowCount / (ms / 1000)).toLocaleString('en')} rows/s  ${(bytes / 1e6).toFixed(1)} MB\n`);
  return ms;
}

export async function run(): Promise<void> {
  const data = rows();
  const json = time('json (base)', () => JSON.stringify(data).length);
  const csv = time('csv', () => toCsv(data).length);
  const arrow = time('arrow ipc', () => toArrowIpc(data).byteLength);
  process.stdout.write(`ratios vs JSON: csv ${(csv / json).toFixed(2)}×, arrow ${(arrow / json).toFixed(2)}× (target ≤ 3×)\n`);
}
