/**
 * Rows of one sheet of an XLSX workbook as text cells, streamed (exceljs's WorkbookReader):
 * what ingest maps, converts and rejects exactly as it does a CSV file's rows. A cell's text
 * is what the cell holds: text as is (OOXML `_xHHHH_` escapes decoded), a number in its
 * shortest exact form (`12.5`, `123`), a date cell as `YYYY-MM-DD` (with ` HH:MM:SS` when it
 * has a time of day), a formula's cached result, an error as its code (`#N/A`). The row
 * number is the sheet's (what rejects report as the line).
 *
 * A sheet omits empty cells at the end of a row: rows are padded to the width of the sheet's
 * first row, so a short row is not a ragged one; a row longer than that stays longer. Rows
 * whose cells are all empty are skipped, as blank lines of a CSV file are.
 */
import { existsSync } from 'node:fs';
// Types only: exceljs and its dependencies load when a workbook is opened, not in every process
// (or reader thread) that imports ingest, which the run of a CSV file waited for before its first row.
import type ExcelJS from 'exceljs';
import { dataError } from '../errors.js';

export interface XlsxRows {
  /** Names the source in rejects and errors: `file.xlsx[Sheet]`. */
  label: string;
  sheet: string;
  /** Batches of [row number, cells]. Leaving them early (break, an error) closes the workbook too. */
  batches: AsyncIterable<{ lines: number[]; rows: string[][] }>;
  /**
   * Reads the rest of the workbook without parsing it, so that no work of exceljs (a later
   * sheet's temporary file) outlives the read; at most once, however often called. For a
   * caller that may stop before iterating `batches`.
   */
  close(): Promise<void>;
}

const BATCH = 2000;

/** Decodes OOXML ST_Xstring escapes (`_x000D_` → CR, `_x005F_` → `_`). */
export function xlsxUnescape(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A date cell as ingest reads dates: the day, and the time of day when it has one (to the second). */
export function dateText(d: Date): string {
  const ms = Math.round(d.getTime() / 1000) * 1000;
  const t = new Date(ms);
  const day = `${String(t.getUTCFullYear()).padStart(4, '0')}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  const secs = t.getUTCHours() * 3600 + t.getUTCMinutes() * 60 + t.getUTCSeconds();
  return secs === 0 ? day : `${day} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
}

/** One cell value (as exceljs reads it) as text. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return xlsxUnescape(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v === 0 ? 0 : v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : dateText(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return xlsxUnescape((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if (typeof o.error === 'string') return o.error;
    if ('text' in o) return cellText(o.text);
  }
  return String(v);
}

type SheetReader = AsyncIterable<ExcelJS.Row> & { name: string };
type BookReader = AsyncIterable<SheetReader> & { model?: { sheets?: { name: string }[] }; stream?: { destroy(): void } };

/**
 * Opens the sheet named `sheet` (default: the workbook's first) of `path`. Throws a data error
 * naming the sheets there are when it has no such sheet.
 */
export async function openXlsxRows(path: string, sheet: string | null): Promise<XlsxRows> {
  if (!existsSync(path)) throw dataError(`no such file: ${path}`, { file: path }, 'check the path');
  const { default: Excel } = await import('exceljs');
  const book = new Excel.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as BookReader;
  const sheets = book[Symbol.asyncIterator]();
  const seen: string[] = [];
  let found: SheetReader | null = null;
  try {
    for (;;) {
      const r = await sheets.next();
      if (r.done) break;
      const ws = r.value;
      seen.push(ws.name);
      const first = book.model?.sheets?.[0]?.name ?? seen[0];
      if (sheet === null ? ws.name === first : ws.name === sheet) {
        found = ws;
        break;
      }
      await skipSheet(ws);
    }
  } catch (e) {
    book.stream?.destroy();
    throw dataError(`cannot read the workbook (${(e as Error).message.split('\n')[0]})`, { file: path }, 'give an .xlsx file (Excel 2007 or later), or save the sheet as CSV');
  }
  if (found === null) {
    const names = book.model?.sheets?.map((s) => s.name) ?? seen;
    throw dataError(
      sheet === null ? 'the workbook has no sheet' : `no sheet named "${sheet}"`,
      { file: path },
      names.length ? `sheets: ${names.join(', ')}; choose one with --sheet NAME` : 'give a workbook with a sheet of orders',
    );
  }
  const ws = found;
  const label = `${path}[${ws.name}]`;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= closeBook(book, ws, sheets));
  return { label, sheet: ws.name, batches: batchesOf(ws, label, close), close };
}

/**
 * Reads the rest of a sheet as raw bytes, unparsed: exceljs opens a deferred sheet's temporary
 * file when it hands the sheet over and removes it when asked for the next one, so a sheet
 * left unread would still be opening or reading a file removed under it (an unhandled ENOENT).
 */
async function skipSheet(ws: SheetReader): Promise<void> {
  const raw = (ws as unknown as { iterator?: AsyncIterable<unknown> }).iterator;
  if (raw) for await (const _ of raw) void _;
}

/**
 * The rest of the workbook read without parsing: the chosen sheet's bytes not read yet (none
 * when its rows were read, or when leaving them early closed its file), then every later
 * sheet's, so exceljs removes each temporary file after its last read. On a damaged rest the
 * input is closed instead; the temporary files left go at the process's exit (tmp's cleanup).
 */
async function closeBook(book: BookReader, ws: SheetReader, rest: AsyncIterator<SheetReader>): Promise<void> {
  try {
    await skipSheet(ws).catch(() => undefined); // a file closed by leaving the rows early
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      await skipSheet(r.value);
    }
  } catch {
    book.stream?.destroy();
  }
}

/**
 * The sheet's rows, exceljs's failures as data errors: its reader needs a reference (`r`) on
 * every cell, which SpreadsheetML leaves optional (custkit's own workbooks write cells by
 * position), and throws a TypeError on a cell without one.
 */
async function* rowsOf(ws: SheetReader, label: string): AsyncIterable<ExcelJS.Row> {
  const it = ws[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<ExcelJS.Row>;
    try {
      r = await it.next();
    } catch (e) {
      const why = e instanceof TypeError ? 'a cell without its reference (r), or a damaged sheet' : (e as Error).message.split('\n')[0];
      throw dataError(`cannot read the sheet (${why})`, { file: label }, 'save the workbook again in Excel or LibreOffice, or the sheet as CSV (this reader needs a reference on every cell)');
    }
    if (r.done) return;
    yield r.value;
  }
}

async function* batchesOf(ws: SheetReader, label: string, close: () => Promise<void>): AsyncIterable<{ lines: number[]; rows: string[][] }> {
  try {
    yield* sheetBatches(ws, label);
  } finally {
    // Also when the caller stops early (a break, an error): the loop waits for this.
    await close();
  }
}

async function* sheetBatches(ws: SheetReader, label: string): AsyncIterable<{ lines: number[]; rows: string[][] }> {
  let width = -1;
  let lines: number[] = [];
  let rows: string[][] = [];
  for await (const row of rowsOf(ws, label)) {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    let n = cells.length;
    while (n > 0 && cells[n - 1] === '') n--;
    if (n === 0) continue;
    if (width < 0) width = n;
    cells.length = Math.max(n, width);
    for (let i = n; i < cells.length; i++) cells[i] = '';
    lines.push(row.number);
    rows.push(cells);
    if (rows.length >= BATCH) {
      yield { lines, rows };
      lines = [];
      rows = [];
    }
  }
  if (rows.length) yield { lines, rows };
}
