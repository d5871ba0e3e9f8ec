import type { Row } from '../pipeline/store.js';

/**
 * Report answers kept in memory until the next write. The server is the only writer of its database,
 * so every change passes through its write queue, which clears this cache after each write: a cached
 * answer is never older than the data. A load that started before a write is not kept.
 */
export class ReportCache {
  private readonly entries = new Map<string, Promise<Row[]>>();
  private generation = 0;
  constructor(private readonly maxEntries = 256) {}

  get(key: string, load: () => Promise<Row[]>): Promise<Row[]> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const pending = load();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, pending);
    pending.then(
      () => {
        if (generation !== this.generation && this.entries.get(key) === pending) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    return pending;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
