/**
 * The one catalogue of error codes shared by the CLI (exit codes) and the HTTP API (statuses).
 * Codes are stable: scripts match on them.
 */
export const errorCatalogue = {
  RMA_ERR_USAGE: { exit: 2, http: 400, title: 'usage error' },
  RMA_ERR_INPUT: { exit: 2, http: 400, title: 'input cannot be read' },
  RMA_ERR_FILE_NOT_FOUND: { exit: 2, http: 404, title: 'file not found' },
  RMA_ERR_FORMAT: { exit: 2, http: 422, title: 'file is not in the expected format' },
  RMA_ERR_MISSING_COLUMNS: { exit: 2, http: 422, title: 'required columns missing' },
  RMA_ERR_MAPPING: { exit: 2, http: 422, title: 'mapping file is invalid' },
  RMA_ERR_DB_LOCKED: { exit: 2, http: 409, title: 'database is held by another process' },
  RMA_ERR_DB_SCHEMA: { exit: 2, http: 500, title: 'database schema is newer than this version' },
  RMA_ERR_NOT_FOUND: { exit: 2, http: 404, title: 'not found' },
  RMA_ERR_UNAUTHORIZED: { exit: 2, http: 401, title: 'missing or invalid credentials' },
  RMA_ERR_FORBIDDEN: { exit: 2, http: 403, title: 'role does not allow this' },
  RMA_ERR_BAD_SIGNATURE: { exit: 2, http: 401, title: 'bad or stale signature' },
  RMA_ERR_PAYLOAD_TOO_LARGE: { exit: 2, http: 413, title: 'payload too large' },
  RMA_ERR_RATE_LIMITED: { exit: 2, http: 429, title: 'too many requests' },
  RMA_ERR_CONFLICT: { exit: 2, http: 409, title: 'conflict' },
  RMA_ERR_BUILD: { exit: 2, http: 500, title: 'model build failed' },
  RMA_ERR_AUDIT: { exit: 2, http: 500, title: 'model audit failed' },
  RMA_ERR_INSUFFICIENT_EVIDENCE: { exit: 3, http: 200, title: 'insufficient evidence' },
  RMA_ERR_INTERNAL: { exit: 2, http: 500, title: 'internal error' },
  RMA_ERR_NOT_AVAILABLE: { exit: 2, http: 503, title: 'not available (not built yet or not configured)' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** Where in a user's file a problem sits, so messages can name file, row and column. */
export interface ErrorLocation {
  file?: string;
  row?: number;
  column?: string;
}

export class RmaError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> & ErrorLocation = {}) {
    super(message);
    this.name = 'RmaError';
    this.code = code;
    this.details = details;
  }
  get exitCode(): number {
    return errorCatalogue[this.code].exit;
  }
  get httpStatus(): number {
    return errorCatalogue[this.code].http;
  }
  toJSON(): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** "file.csv, row 12, column opened_at: …" — the shape every input error message takes. */
export function locate(where: ErrorLocation, message: string): string {
  const parts = [where.file, where.row !== undefined ? `row ${where.row}` : undefined, where.column ? `column ${where.column}` : undefined].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}
