/**
 * Error kinds and exit codes. Only src/cli/main.ts turns these into a process exit code.
 *
 * | code | meaning |
 * | 0 | success |
 * | 1 | usage error: unknown option, bad option value, bad config file |
 * | 2 | input or data error: missing file, undecodable bytes, unmappable columns, ambiguous dates |
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

/** One line: "custkit: file:line:col: message (hint: ...)". */
export function formatError(err: CustkitError): string {
  const w = err.where;
  let loc = '';
  if (w && (w.file || w.line)) {
    loc = `${w.file ?? '<stdin>'}`;
    if (w.line !== undefined) loc += `:${w.line}`;
    if (w.column !== undefined) loc += `:${w.column}`;
    loc += ': ';
  }
  return `custkit: ${loc}${err.message}${err.hint ? ` (hint: ${err.hint})` : ''}`;
}
