/**
 * The store has one writer. Every write the server does (ingest, intake, build, alert ack, keys) goes
 * through this queue so writes run one after another; reads keep going on their own connections
 * (DuckDB MVCC) while a write runs.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly listeners: (() => void)[] = [];

  /** Called after every write, whether it succeeded or not (caches of derived data listen here). */
  afterEach(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Run fn after every write queued before it; its result or error is the caller's. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const job = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        for (const listener of this.listeners) listener();
      }
    };
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    ).finally(() => this.pending--);
    return result;
  }

  /** Writes queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves when every write queued so far has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
