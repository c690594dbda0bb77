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
/** True when a cell must be quoted: a quote, CR, LF, a comma or the delimiter inside, or a space at either end. */
function needsQuote(s: string, delimiter: number): boolean {
  const n = s.length;
  if (s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32) return true;
  // A code-unit loop: on the short cells of a transaction stream it beats a regex test.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13 || c === 44 || c === delimiter) return true;
  }
  return false;
}

export function quoteCell(s: string, delimiter = ','): string {
  if (s.length === 0) return s;
  if (needsQuote(s, delimiter.charCodeAt(0)) || (delimiter.length > 1 && s.includes(delimiter))) {
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

/**
 * Ids a spreadsheet would read as a number or a date and so change: leading zeros (`007` → 7),
 * 12 digits or more (shown as 1.23457E+11; beyond 15 digits the value itself is rounded),
 * exponent forms (`1E5`), and digits with . / : - (`1.10` → 1.1, `3/4` → a date).
 */
const SPREADSHEET_CHANGES = /^(0\d+|\d{12,}|\d+[eE]\d+|\d+[./:-][\d./:-]*|\.\d+)$/;

/**
 * An id cell of an `--excel` CSV: an id the spreadsheet would change is written as the formula
 * `="000123"`, whose value is that text (Excel and LibreOffice both evaluate it on opening, and it
 * holds digits and . / : - only, so nothing else can run); any other id is guarded like text.
 */
export function excelIdText(s: string): string {
  return s.length <= 255 && SPREADSHEET_CHANGES.test(s) ? '="' + s + '"' : guardText(s);
}

/** A people-facing CSV line: every cell guarded, then quoted. */
export function safeCsvLine(cells: readonly string[], delimiter = ','): string {
  // One pass, no guarded copy of the array (a million customer rows of 33 cells).
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += delimiter;
    out += quoteCell(spreadsheetSafe(cells[i]!), delimiter);
  }
  return out + '\n';
}
