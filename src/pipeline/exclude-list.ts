/**
 * `clean --exclude FILE`: the customer ids to remove, read the way `ingest` reads ids, so that
 * a list saved by a spreadsheet matches the ingested data:
 * - one id per line, or a CSV / TSV / `;` / `|` file (delimiter sniffed as ingest does);
 * - the first line is a header when it looks like one to ingest (no number or date cells)
 *   and one of its cells names the customer id column (ingest's synonyms: customer_id,
 *   CustomerID, 客户ID, …); ids are then read from that column, else from the first column;
 *   a text first line of several cells naming no id column is an error (which column?);
 * - each id normalised as ingest does (core/ingest/numbers.ts normalizeCustomerId): trimmed,
 *   `17850.0` → `17850`, otherwise exact (no full-width folding, as ingest without --fold-ids);
 *   cells that mean "missing" (blank, NA, NULL) and ids with a control character, which no
 *   ingested id has, are skipped.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { usageError } from '../errors.js';
import { quoteDatum } from '../core/terminal-text.js';
import { FIELD_SYNONYMS, normalizeHeader } from '../core/ingest/columns.js';
import { normalizeCustomerId } from '../core/ingest/numbers.js';
import { looksLikeHeader, sniffDelimiter } from '../core/ingest/sniff.js';

export interface ExcludeList {
  ids: Set<string>;
  /** The header cell the ids were read from, or null when the file has no header. */
  header: string | null;
}

const HINT = 'one customer id per line, or a CSV with a customer_id column';

/** The column of `row` that names the customer id (ingest's synonyms, in their priority order), or −1. */
function idColumn(row: string[]): number {
  const keys = row.map(normalizeHeader);
  for (const syn of FIELD_SYNONYMS.customer_id) {
    const i = keys.indexOf(normalizeHeader(syn));
    if (i >= 0) return i;
  }
  return -1;
}

/** Splits the list into rows of cells. */
function rowsOf(text: string, path: string): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const d = sniffDelimiter(lines.slice(0, 50));
  if (d === 'whitespace') return lines.map((l) => l.trim().split(/[ \t]+/));
  try {
    return parse(text, { delimiter: d, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw usageError(`--exclude ${path}: not a readable list (${(e as Error).message.split('\n')[0]})`, HINT);
  }
}

/** Reads an exclusion list (see the module comment). */
export function readExcludeList(path: string): ExcludeList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    throw usageError(`--exclude ${path}: cannot read the file`, HINT);
  }
  const rows = rowsOf(text, path);
  let col = 0;
  let header: string | null = null;
  let first = 0;
  if (rows.length > 0 && looksLikeHeader(rows[0]!, rows[1] ?? null)) {
    const c = idColumn(rows[0]!);
    if (c >= 0) {
      col = c;
      header = rows[0]![c]!;
      first = 1;
    } else if (rows[0]!.length > 1) {
      throw usageError(`--exclude ${path}: line 1 looks like a header (${quoteDatum(rows[0]!.join(', '))}) but names no customer id column`, 'name the id column customer_id, or give one id per line');
    }
  }
  const ids = new Set<string>();
  for (let i = first; i < rows.length; i++) {
    const id = normalizeCustomerId(rows[i]![col] ?? '');
    if (id !== null && id !== '') ids.add(id);
  }
  return { ids, header };
}
