/**
 * CSV cell formatting (RFC 4180): a cell is quoted when it contains the delimiter, a quote,
 * CR or LF, or begins/ends with a space; quotes are doubled.
 *
 * Two kinds of CSV leave custkit:
 * - the data stream between stages (ingest → clean → segment): values exact, no changes;
 * - CSV meant for people and spreadsheets (report tables, `run`'s folder, `--excel`):
 *   text cells beginning with = + - @ TAB or CR are prefixed with an apostrophe so a
 *   spreadsheet shows them as text instead of running them as formulas (OWASP "CSV
 *   Injection"). Numbers written as numbers (e.g. -12.5) are left alone.
 */
const NEEDS_QUOTE = /[",\r\n]|^ | $/;

export function quoteCell(s: string, delimiter = ','): string {
  if (s.length === 0) return s;
  if (delimiter === ',' ? NEEDS_QUOTE.test(s) : s.includes(delimiter) || NEEDS_QUOTE.test(s)) {
    return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

/** One CSV record with a trailing LF. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += delimiter;
    out += quoteCell(cells[i]!, delimiter);
  }
  return out + '\n';
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** True when a text cell would start a formula: = + - @ TAB or CR first. */
const startsFormula = (s: string): boolean => {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
};

/** Guards a cell known to be text: a leading apostrophe when it would start a formula. */
export function guardText(s: string): string {
  return startsFormula(s) ? "'" + s : s;
}

/**
 * Formula-injection guard for one people-facing cell whose type is not known (every cell of
 * a CSV line is a string): a plain number such as -12.5 is data and stays as it is; any
 * other cell is guarded by {@link guardText}.
 */
export function spreadsheetSafe(s: string): string {
  if (!startsFormula(s)) return s;
  if (s.charCodeAt(0) === 45 && NUMERIC.test(s)) return s;
  return "'" + s;
}

/** A people-facing CSV line: every cell guarded, then quoted. */
export function safeCsvLine(cells: readonly string[], delimiter = ','): string {
  return csvLine(cells.map(spreadsheetSafe), delimiter);
}
