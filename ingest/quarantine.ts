import type { Store } from '../pipeline/store.js';

export interface QuarantineRow {
  run_id: string;
  source: string | null;
  file_path: string;
  row_number: number;
  raw: Record<string, unknown>;
  reasons: { column: string; problem: string }[];
  quarantined_at: string;
}

/** Quarantined rows, newest run first, in file order; only one run's with runId. */
export async function quarantineRows(store: Store, runId?: string): Promise<QuarantineRow[]> {
  return store.all<QuarantineRow>(
    `SELECT run_id, source, file_path, row_number, raw, reasons, quarantined_at FROM quarantine
     ${runId ? 'WHERE run_id = $1' : ''} ORDER BY run_id DESC, file_path, row_number`,
    runId ? [runId] : undefined,
  );
}
