/**
 * Error kinds and exit codes, importable from every layer (it imports nothing of custkit).
 * Only src/cli/main.ts turns an error into a process exit code (with cli/error-report.ts).
 *
 * | code | meaning |
 * | 0 | success |
 * | 1 | usage error: unknown option, bad option value, bad config file |
 * | 2 | input, data or environment error: missing file, undecodable bytes, unmappable columns, ambiguous dates; |
 * |   | an output that cannot be written (full disk, read-only folder, a path naming a folder, stdout failing); |
 * |   | DuckDB out of memory or spill space, interrupted, or unable to read a file (io/duckdb-error.ts) |
 * | 3 | reject budget exceeded (--max-reject-rate) — output and rejects were still written |
 * | 4 | alert: a --fail-if condition held — the report was still written |
 * | 5 | model error: the model fit failed and no fallback was possible |
 * | 70 | internal error (a bug: please report it with --debug output) |
 */
export const EXIT = {
  OK: 0,
  USAGE: 1,
  DATA: 2,
  REJECT_BUDGET: 3,
  ALERT: 4,
  MODEL: 5,
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where in the input an error was found; printed as file:line:column. */
export interface Location {
  file?: string;
  line?: number;
  column?: number | string;
}

/** An error custkit expects and reports in one line: message, location and a hint. */
export class CustkitError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
    readonly where?: Location,
  ) {
    super(message);
    this.name = 'CustkitError';
  }
}

export const usageError = (msg: string, hint?: string): CustkitError => new CustkitError(msg, EXIT.USAGE, hint);
export const dataError = (msg: string, where?: Location, hint?: string): CustkitError =>
  new CustkitError(msg, EXIT.DATA, hint, where);
