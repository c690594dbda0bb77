/**
 * A streaming XLSX workbook (exceljs's WorkbookWriter): rows go to the zip as they are
 * added, so memory does not grow with rows. Every cell is typed by its column: text as
 * text (never a formula, no guard character needed, leading zeros and long ids exact),
 * numbers as numbers with a display format, dates as dates. Each table has a frozen header,
 * a filter and column widths measured on its first rows. A table longer than a sheet holds
 * continues on numbered sheets ("Customers 2", …), and its first sheet says so in row 1.
 *
 * exceljs makes the workbook (styles, sheets, header rows, views, filters, the zip); the data
 * rows are written as sheet XML straight into its worksheet stream, with the style ids of
 * exceljs's own style table: building exceljs Row and Cell objects for every cell of a
 * million-row table cost several times the rest of `run`.
 *
 * The file is written atomically (openAtomicFile): a failed write leaves no half workbook.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { dataError } from '../errors.js';
import { openAtomicFile, type AtomicFile } from './atomic-file.js';

export type XlsxKind = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'date';
export type XlsxValue = string | number | Date | null;

export interface XlsxColumn {
  header: string;
  kind: XlsxKind;
}

/** Excel's limits (Excel specifications and limits): rows per sheet, characters per cell, sheet name length. */
export const EXCEL_MAX_ROWS = 1_048_576;
const EXCEL_MAX_CELL_CHARS = 32_767;
const SHEET_NAME_MAX = 31;

const NUM_FMT: Record<XlsxKind, string | undefined> = {
  text: '@',
  integer: '0',
  number: undefined,
  money: '#,##0.00',
  percent: '0.00%',
  date: 'yyyy-mm-dd',
};

/** Rows whose widths set the column widths (the rest stream without being measured). */
const WIDTH_SAMPLE = 500;
/** Bytes a sheet's XML may run ahead of the zip before adding rows waits. */
const AHEAD_BYTES = 4 << 20;

const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f]|_x[0-9a-fA-F]{4}_/;
/** Text LibreOffice would trim in a plain string cell: leading or trailing white space. */
const EDGE_SPACE = /^\s|\s$/;

/**
 * Text as an OOXML string (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): a character XML 1.0 cannot
 * carry (control characters; CR, which XML reads back as LF) is written `_xHHHH_`, and the `_`
 * of a literal `_xHHHH_` as `_x005F_`, so Excel and LibreOffice read the exact text back
 * (exceljs itself would drop those characters).
 */
export function xlsxEscape(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]|_(?=x[0-9a-fA-F]{4}_)/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

/**
 * A text cell's value: plain text as is; text that needs escapes, or has white space at either
 * end, as an inline string, the form whose escapes LibreOffice decodes and whose spaces it
 * keeps (exceljs writes plain text as a `str` cell, read raw and trimmed).
 */
export function xlsxText(s: string): ExcelJS.CellValue {
  return NEEDS_ESCAPE.test(s) || EDGE_SPACE.test(s) ? { richText: [{ text: xlsxEscape(s) }] } : s;
}

/** Display width of a cell's text (CJK characters count double). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function shownWidth(v: XlsxValue, kind: XlsxKind): number {
  if (v === null) return 0;
  if (v instanceof Date) return 10;
  if (typeof v === 'number') return kind === 'money' ? v.toFixed(2).length + Math.floor(Math.log10(Math.abs(v) + 1) / 3) : kind === 'percent' ? 8 : String(v).length;
  return textWidth(v);
}

type Sheet = ExcelJS.Worksheet & { commit(): void; stream?: { pipes?: NodeJS.WritableStream[]; write(s: string): unknown } };

/** A column letter from its 1-based number (A … Z, AA …). */
export function columnLetter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** One table of a workbook, on one sheet or more. */
export class XlsxTable {
  private sheet: Sheet | null = null;
  private part = 0;
  private rowsInSheet = 0;
  private rowsDone = 0;
  private sample: XlsxValue[][] | null = [];
  private widths: number[];
  private readonly headerRow: number;
  private readonly perSheet: number;
  private readonly parts: number;
  /** Column letters and cell style ids (numFmt per column kind), for the rows' XML. */
  private readonly letters: string[];
  private styleIds: number[] = [];
  /** Row XML not yet handed to the sheet's stream. */
  private pending = '';

  constructor(
    private readonly book: XlsxBook,
    private readonly name: string,
    private readonly columns: XlsxColumn[],
    /** Rows the table will have (decides the split and the note; more rows are an error). */
    private readonly total: number,
    maxRows: number,
  ) {
    const split = total > maxRows - 1;
    // Split sheets carry a note in row 1 and the header in row 2.
    this.headerRow = split ? 2 : 1;
    this.perSheet = maxRows - this.headerRow;
    this.parts = Math.max(1, Math.ceil(total / this.perSheet));
    this.widths = columns.map((c) => textWidth(c.header));
    this.letters = columns.map((_, i) => columnLetter(i + 1));
  }

  /** Adds one row (values in column order; null = empty cell). Await {@link drain} every few thousand rows. */
  add(values: XlsxValue[]): void {
    if (this.sample !== null) {
      this.sample.push(values);
      if (this.sample.length >= WIDTH_SAMPLE) this.flushSample();
      return;
    }
    this.write(values);
  }

  /** Waits while the zip is far behind the rows added (memory stays bounded). */
  async drain(): Promise<void> {
    this.flushRows();
    if (this.sheet !== null) await this.book.catchUp(this.sheet);
  }

  /** Writes the rows held for widths, and commits the last sheet. */
  async end(): Promise<void> {
    if (this.sample !== null) this.flushSample();
    if (this.sheet === null) this.openSheet();
    this.closeSheet();
    if (this.rowsDone !== this.total) {
      throw new Error(`workbook ${this.name}: ${this.rowsDone} rows written, ${this.total} announced`);
    }
    await this.book.catchUp(null);
  }

  private flushSample(): void {
    const rows = this.sample!;
    this.sample = null;
    for (const r of rows) r.forEach((v, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, shownWidth(v, this.columns[i]?.kind ?? 'text'))));
    for (const r of rows) this.write(r);
  }

  private sheetName(part: number): string {
    const base = this.name.slice(0, SHEET_NAME_MAX - 4);
    return part === 1 ? this.name.slice(0, SHEET_NAME_MAX) : `${base} ${part}`;
  }

  private openSheet(): void {
    this.part++;
    const ws = this.book.addSheet(this.sheetName(this.part), this.headerRow);
    ws.columns = this.columns.map((c, i) => ({
      key: String(i),
      width: Math.min(60, Math.max(8, this.widths[i]! + 2)),
      style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {},
    }));
    if (this.headerRow === 2) {
      const from = (this.part - 1) * this.perSheet + 1;
      const to = Math.min(this.total, this.part * this.perSheet);
      const next = this.part < this.parts ? `; continued in sheet ${this.sheetName(this.part + 1)}` : '';
      const note = `${this.name}: rows ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')} on ${this.parts} sheets (${this.sheetName(1)} to ${this.sheetName(this.parts)}), a sheet holds ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows${next}`;
      const r = ws.getRow(1);
      r.getCell(1).value = note;
      r.getCell(1).numFmt = 'General';
      r.commit();
    }
    const header = ws.getRow(this.headerRow);
    this.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = xlsxText(c.header);
      cell.font = { bold: true };
      cell.numFmt = '@';
    });
    header.commit();
    this.styleIds = this.columns.map((c) => this.book.styleId(NUM_FMT[c.kind]));
    ws.autoFilter = { from: { row: this.headerRow, column: 1 }, to: { row: this.headerRow, column: Math.max(1, this.columns.length) } };
    this.sheet = ws;
    this.rowsInSheet = 0;
  }

  private write(values: XlsxValue[]): void {
    if (this.sheet === null || this.rowsInSheet === this.perSheet) {
      if (this.sheet !== null) this.closeSheet();
      if (this.rowsDone >= this.parts * this.perSheet) throw new Error(`workbook ${this.name}: more rows than the ${this.total} announced`);
      this.openSheet();
    }
    const r = this.headerRow + ++this.rowsInSheet;
    let x = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === null || v === '') continue;
      const ref = `${this.letters[i] ?? columnLetter(i + 1)}${r}`;
      const style = this.styleIds[i] ?? 0;
      if (typeof v === 'string') {
        if (v.length > EXCEL_MAX_CELL_CHARS) {
          throw dataError(`a cell of ${v.length} characters is longer than a spreadsheet cell holds (${EXCEL_MAX_CELL_CHARS})`, { file: this.book.path, line: this.rowsDone + 1, column: this.columns[i]?.header }, 'shorten the value, or use customers.csv');
        }
        x += cellXml(ref, style, v);
      } else if (typeof v === 'number') {
        if (Number.isFinite(v)) x += `<c r="${ref}" s="${style}"><v>${String(v)}</v></c>`;
      } else {
        x += `<c r="${ref}" s="${style}"><v>${excelSerial(v)}</v></c>`;
      }
    }
    this.pending += x + '</row>';
    if (this.pending.length >= 1 << 16) this.flushRows();
    this.rowsDone++;
  }

  private flushRows(): void {
    if (this.pending.length === 0 || this.sheet === null) return;
    this.sheet.stream!.write(this.pending);
    this.pending = '';
  }

  private closeSheet(): void {
    this.flushRows();
    this.sheet!.commit();
    this.sheet = null;
  }
}

const XML_SPECIAL = /[&<>]/;
const xmlText = (s: string): string => (XML_SPECIAL.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);

/**
 * One text cell as sheet XML: plain text as a `str` cell (what exceljs writes); text that needs
 * escapes or has white space at either end as an inline string (see xlsxText).
 */
function cellXml(ref: string, style: number, v: string): string {
  if (NEEDS_ESCAPE.test(v) || EDGE_SPACE.test(v)) return `<c r="${ref}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${xmlText(xlsxEscape(v))}</t></is></c>`;
  return `<c r="${ref}" s="${style}" t="str"><v>${xmlText(v)}</v></c>`;
}

/** A date as Excel's serial day number (1900 date system; days since 1899-12-30, UTC). */
const excelSerial = (d: Date): number => d.getTime() / 86_400_000 + 25_569;

/** A workbook being written; tables are written one after the other. */
export class XlsxBook {
  private readonly file: AtomicFile;
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly finished: Promise<void>;
  private failure: Error | null = null;
  private aborted = false;

  constructor(
    readonly path: string,
    /** Workbook creation date (document properties): a fixed one keeps the workbook's content the same on the same data. */
    created: Date,
  ) {
    this.file = openAtomicFile(path);
    const file = this.file;
    const out = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        // After abort the zip may still flush: its bytes must not reach a reused descriptor.
        if (this.aborted) return cb();
        try {
          file.write(chunk);
          cb();
        } catch (e) {
          this.failure ??= e as Error;
          cb(e as Error);
        }
      },
    });
    this.finished = once(out, 'finish').then(() => undefined);
    this.finished.catch(() => {});
    out.on('error', (e) => (this.failure ??= e));
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.wb.creator = 'custkit';
    this.wb.lastModifiedBy = 'custkit';
    this.wb.created = created;
    this.wb.modified = created;
    // Zip entries are stamped with `created` instead of the clock, so the same data gives the
    // same bytes. Set where archiver hands each entry to its zip module: the writer's first
    // entries were queued in its constructor, and the queue runs only after this one returns.
    type Append = (src: unknown, data: Record<string, unknown>, cb: unknown) => unknown;
    const mod = (this.wb as unknown as { zip?: { _module?: { append?: Append } } }).zip?._module;
    if (mod && typeof mod.append === 'function') {
      const append = mod.append.bind(mod);
      mod.append = (src, data, cb) => append(src, { ...data, date: created }, cb);
    }
  }

  /** A table of `total` rows under `name` (split beyond `maxRows` rows a sheet; tests pass a small one). */
  table(name: string, columns: XlsxColumn[], total: number, maxRows = EXCEL_MAX_ROWS): XlsxTable {
    return new XlsxTable(this, name, columns, total, maxRows);
  }

  /** Writes a small table in one go. */
  async smallTable(name: string, columns: XlsxColumn[], rows: XlsxValue[][]): Promise<void> {
    const t = this.table(name, columns, rows.length);
    for (const r of rows) t.add(r);
    await t.end();
  }

  /**
   * The cell style id of a number format in this workbook's styles (exceljs's own table, so
   * rows written as XML share the styles its cells use).
   * @internal
   */
  styleId(numFmt: string | undefined): number {
    const styles = (this.wb as unknown as { styles: { addStyleModel(m: object, type: number): number } }).styles;
    return numFmt ? styles.addStyleModel({ numFmt }, ExcelJS.ValueType.Number) : 0;
  }

  /** @internal */
  addSheet(name: string, headerRow: number): Sheet {
    this.check();
    return this.wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow }] }) as Sheet;
  }

  /**
   * Waits while the sheet's XML is far ahead of the zip: exceljs hands rows to the zip
   * without back-pressure, so a fast producer would otherwise hold the whole sheet in memory.
   * @internal
   */
  async catchUp(ws: Sheet | null): Promise<void> {
    this.check();
    // archiver wraps the sheet stream in a readable-stream PassThrough (no writableLength):
    // what waits is in its two buffers.
    type Buffered = NodeJS.EventEmitter & { _writableState?: { length: number }; _readableState?: { length: number } };
    const pipe = ws?.stream?.pipes?.[0] as Buffered | undefined;
    const ahead = (): number => (pipe?._writableState?.length ?? 0) + (pipe?._readableState?.length ?? 0);
    while (pipe && ahead() > AHEAD_BYTES) {
      await new Promise((r) => setTimeout(r, 2));
      this.check();
    }
    await new Promise((r) => setImmediate(r));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Finishes the zip and renames the workbook into place. */
  async close(): Promise<void> {
    await this.wb.commit();
    await this.finished;
    this.check();
    this.file.commit();
  }

  /** Removes the temporary file (safe after close). */
  abort(): void {
    this.aborted = true;
    this.file.abort();
  }
}
