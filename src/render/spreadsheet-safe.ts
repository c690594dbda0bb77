/**
 * Formula-injection guard for CSV that people open in spreadsheets (OWASP "CSV Injection"),
 * never applied to the machine tables (customers.csv, the stage streams), which stay exact:
 * a text cell starting with = + - @ TAB or CR gets a leading apostrophe, so Excel /
 * LibreOffice show it as text instead of evaluating it. Only text cells are touched:
 * a number written as a number (e.g. -12.5) stays a number.
 */

import { excelIdText, guardText } from '../io/csv-format.js';

/** A customer id in an `--excel` CSV: ids a spreadsheet would change as ="000123", others guarded (csv-format.ts). */
export const excelIdCell: (s: string) => string = excelIdText;

/** Neutralises one text cell (see module comment); the one guard shared with src/io. */
export const neutraliseText: (s: string) => string = guardText;

/**
 * One typed cell as CSV text: numbers in shortest round-trip form (never guarded),
 * null as empty, strings guarded by {@link neutraliseText}.
 */
export function spreadsheetCell(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v === 0 ? 0 : v) : '';
  return neutraliseText(v);
}

/** RFC 4180 quoting: quote when the cell holds a comma, quote, CR or LF. */
export function quoteCsv(s: string): string {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
