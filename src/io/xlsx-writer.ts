/**
 * A streaming XLSX workbook: rows go to the zip as they are added, so memory does not grow
 * with rows. Every cell is typed by its column: text as text (never a formula, no guard
 * character needed, leading zeros and long ids exact), numbers as numbers with a display
 * format, dates as dates. Each table has a frozen header, a filter and column widths measured
 * on its first rows. A table longer than a sheet holds continues on numbered sheets
 * ("Customers 2", …), and its first sheet says so in row 1.
 *
 * Hand-written (package parts in xlsx-package.ts, zip in zip-writer.ts) rather than exceljs's
 * WorkbookWriter: on a million customers that writer's sheet strings, its pure-JavaScript zip
 * CRC and its one-stream deflate made the workbook take most of `run` (docs/performance.md).
 * Rows are built as bytes (xlsx-sheet-bytes.ts) and deflated in parallel chunks.
 *
 * The file is written atomically (openAtomicFile): a failed write leaves no half workbook.
 */
import { dataError } from '../errors.js';
import { openAtomicFile, type AtomicFile } from './atomic-file.js';
import { appXml, contentTypesXml, coreXml, rootRelsXml, sheetHead, sheetTail, STYLE, stylesXml, workbookRelsXml, workbookXml, type PackageSheet } from './xlsx-package.js';
import { Markup, putMarkup, SheetBytes } from './xlsx-sheet-bytes.js';
import { ZipWriter, type ZipEntry } from './zip-writer.js';

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

/** Rows whose widths set the column widths (the rest stream without being measured). */
const WIDTH_SAMPLE = 500;

const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f]|_x[0-9a-fA-F]{4}_/;
/** Text LibreOffice would trim in a plain string cell: leading or trailing white space. */
const EDGE_SPACE = /^\s|\s$/;

/**
 * Text as an OOXML string (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): a character XML 1.0 cannot
 * carry (control characters; CR, which XML reads back as LF) is written `_xHHHH_`, and the `_`
 * of a literal `_xHHHH_` as `_x005F_`, so Excel and LibreOffice read the exact text back.
 */
export function xlsxEscape(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]|_(?=x[0-9a-fA-F]{4}_)/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

const PLAIN_NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One CSV cell as typed for its column; a cell that does not fit its type stays text (never a guessed value). */
export function typedCell(cell: string, kind: XlsxKind): XlsxValue {
  if (cell === '') return null;
  if (kind === 'text') return cell;
  if (kind === 'date') {
    const serial = daySerial(cell);
    return serial === null ? cell : new Date((serial - 25_569) * 86_400_000);
  }
  if (!PLAIN_NUMBER.test(cell)) return cell;
  const n = Number(cell);
  return Number.isFinite(n) ? n : cell;
}

/** Excel's serial day of an ISO day `yyyy-mm-dd` (1900 date system: days since 1899-12-30), or null. */
function daySerial(cell: string): number | null {
  const m = ISO_DAY.exec(cell);
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  const d = new Date(t);
  return d.getUTCDate() === +m[3]! && d.getUTCMonth() === +m[2]! - 1 ? t / 86_400_000 + 25_569 : null;
}

/**
 * Whether `s` is already the text String(Number(s)) gives: digits with an optional minus and
 * fraction, no leading or trailing zeros, at most 15 significant digits (so the double prints
 * back as the same digits) and no exponent form (|x| in [1e-6, 1e21)). Such cells are written
 * as they are, without a round trip through a number.
 */
export function isShortestNumber(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const neg = i === 1;
  if (i >= n) return false;
  let c = s.charCodeAt(i);
  let sig = 0;
  if (c === 48) {
    // 0 or 0.xxx
    i++;
    if (i === n) return !neg;
    if (s.charCodeAt(i) !== 46) return false;
    i++;
    let zeros = 0;
    while (i < n && s.charCodeAt(i) === 48) { zeros++; i++; }
    if (i === n || zeros > 5) return false;
  } else {
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { sig++; i++; }
    if (sig === 0) return false;
    if (i === n) return sig <= 15;
    if (c !== 46) return false;
    i++;
    if (i === n) return false;
  }
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { sig++; i++; }
  return i === n && sig <= 15 && s.charCodeAt(n - 1) !== 48;
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

/** A column letter from its 1-based number (A … Z, AA …). */
export function columnLetter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A row held for the width sample: typed values, or CSV text cells still to be typed. */
type Held = { values: XlsxValue[] } | { cells: string[] };

/** One table of a workbook, on one sheet or more. */
export class XlsxTable {
  private part = 0;
  private rowsInSheet = 0;
  private rowsDone = 0;
  private sample: Held[] | null = [];
  private widths: number[];
  private readonly headerRow: number;
  private readonly perSheet: number;
  private readonly parts: number;
  private readonly kinds: XlsxKind[];
  private out: SheetBytes | null = null;
  private entry: ZipEntry | null = null;
  /** The current row's number as text (cell references end with it), and as bytes. */
  private rowText = '';
  /** The cell markup as bytes (see {@link CellMarkup}); the row number's digits are rewritten per row. */
  readonly markup: CellMarkup;
  /** @internal The row number's length in markup.row. */
  rowLength = 0;
  /**
   * @internal The column the next cell takes without a reference: cells are positional
   * (ECMA-376 Part 1, 18.3.1.4: `r` is optional), so only a cell after an empty one carries
   * its `r` (an empty cell is not written).
   */
  next = 0;

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
    this.kinds = columns.map((c) => c.kind);
    this.markup = cellMarkup(this.kinds);
  }

  /** Adds one row (values in column order; null = empty cell). Await {@link drain} every few thousand rows. */
  add(values: XlsxValue[]): void {
    if (this.sample !== null) return this.hold({ values: values.slice() });
    this.writeValues(values);
  }

  /**
   * Adds one row of CSV text cells, each typed by its column as {@link typedCell} types it
   * (the same cells as add(cells.map(typedCell)), without making the values).
   */
  addText(cells: string[]): void {
    if (this.sample !== null) return this.hold({ cells: cells.slice() });
    this.writeText(cells);
  }

  /** Waits while the zip is far behind the rows added (memory stays bounded). */
  async drain(): Promise<void> {
    if (this.out === null) return;
    if (this.out.full) this.out.flush();
    await this.out.settle();
    this.book.check();
  }

  /** Writes the rows held for widths, and ends the last sheet. */
  async end(): Promise<void> {
    if (this.sample !== null) this.flushSample();
    if (this.out === null) this.openSheet();
    const out = this.out!;
    const closed = this.closeSheet();
    await out.settle();
    await closed;
    this.book.check();
    if (this.rowsDone !== this.total) {
      throw new Error(`workbook ${this.name}: ${this.rowsDone} rows written, ${this.total} announced`);
    }
  }

  private hold(row: Held): void {
    this.sample!.push(row);
    if (this.sample!.length >= WIDTH_SAMPLE) this.flushSample();
  }

  private flushSample(): void {
    const rows = this.sample!;
    this.sample = null;
    for (const r of rows) {
      const values = 'values' in r ? r.values : r.cells.map((c, i) => typedCell(c, this.kinds[i] ?? 'text'));
      values.forEach((v, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, shownWidth(v, this.kinds[i] ?? 'text'))));
    }
    for (const r of rows) {
      if ('values' in r) this.writeValues(r.values);
      else this.writeText(r.cells);
    }
  }

  private sheetName(part: number): string {
    const base = this.name.slice(0, SHEET_NAME_MAX - 4);
    return part === 1 ? this.name.slice(0, SHEET_NAME_MAX) : `${base} ${part}`;
  }

  private filterRef(): string {
    return `A${this.headerRow}:${columnLetter(Math.max(1, this.columns.length))}${this.headerRow}`;
  }

  private openSheet(): void {
    this.part++;
    const rows = Math.min(this.perSheet, this.total - (this.part - 1) * this.perSheet);
    const last = columnLetter(Math.max(1, this.columns.length));
    this.entry = this.book.addSheet({ name: this.sheetName(this.part), filterRef: this.filterRef() });
    const entry = this.entry;
    const out = new SheetBytes((full) => entry.write(full));
    this.out = out;
    let head = sheetHead({
      headerRow: this.headerRow,
      dimension: `A1:${last}${this.headerRow + Math.max(0, rows)}`,
      widths: this.columns.map((_, i) => Math.min(60, Math.max(8, this.widths[i]! + 2))),
      styles: this.kinds.map((k) => STYLE[k]),
      selected: this.book.sheetCount === 1,
    });
    if (this.headerRow === 2) {
      const from = (this.part - 1) * this.perSheet + 1;
      const to = Math.min(this.total, this.part * this.perSheet);
      const next = this.part < this.parts ? `; continued in sheet ${this.sheetName(this.part + 1)}` : '';
      const note = `${this.name}: rows ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')} on ${this.parts} sheets (${this.sheetName(1)} to ${this.sheetName(this.parts)}), a sheet holds ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows${next}`;
      head += '<row r="1">';
      out.ascii(head);
      head = '';
      this.textCell('<c r="A1"', -1, note);
      out.room(8);
      out.ascii('</row>');
    }
    out.room(head.length + 16);
    out.ascii(head);
    out.ascii(`<row r="${this.headerRow}">`);
    this.columns.forEach((c, i) => this.textCell(`<c r="${columnLetter(i + 1)}${this.headerRow}" s="${STYLE.header}"`, -1, c.header));
    out.room(8);
    out.ascii('</row>');
    this.rowsInSheet = 0;
  }

  /** Ends the sheet's XML; the promise settles when its entry is in the zip. */
  private closeSheet(): Promise<void> {
    const out = this.out!;
    const tail = sheetTail(this.filterRef());
    out.room(tail.length);
    out.ascii(tail);
    out.flush();
    const closed = this.entry!.close();
    this.out = null;
    this.entry = null;
    return closed;
  }

  /** Starts the next row (a new sheet first when this one is full). */
  private rowStart(): SheetBytes {
    if (this.out === null || this.rowsInSheet === this.perSheet) {
      if (this.rowsDone >= this.parts * this.perSheet) throw new Error(`workbook ${this.name}: more rows than the ${this.total} announced`);
      // The closed sheet's entry finishes in the zip's own order; drain() waits for it.
      if (this.out !== null) void this.closeSheet().catch(() => {});
      this.openSheet();
    }
    const r = this.headerRow + ++this.rowsInSheet;
    this.rowText = String(r);
    this.rowLength = this.rowText.length;
    for (let k = 0; k < this.rowLength; k++) this.markup.row[k] = this.rowText.charCodeAt(k);
    this.next = 0;
    const out = this.out!;
    out.room(24);
    out.ascii('<row r="');
    out.ascii(this.rowText);
    out.ascii('">');
    return out;
  }

  private rowEnd(out: SheetBytes): void {
    out.room(8);
    out.ascii('</row>');
    this.rowsDone++;
  }

  private writeValues(values: XlsxValue[]): void {
    const out = this.rowStart();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === null || v === '') continue;
      if (typeof v === 'string') this.stringCell(i, v);
      else if (typeof v === 'number') {
        if (Number.isFinite(v)) this.numberCell(out, i, String(v));
      } else this.numberCell(out, i, String(excelSerial(v)));
    }
    this.rowEnd(out);
  }

  private writeText(cells: string[]): void {
    const out = this.rowStart();
    for (let i = 0; i < cells.length; i++) if (cells[i] !== '') this.typedTextCell(out, i, cells[i]!);
    this.rowEnd(out);
  }

  /** One non-empty CSV text cell of column `i`, typed as {@link typedCell} types it. @internal */
  typedTextCell(out: SheetBytes, i: number, c: string): void {
    const kind = this.kinds[i] ?? 'text';
    if (kind === 'text') return this.stringCell(i, c);
    if (kind === 'date') {
      const serial = this.book.daySerial(c);
      return serial === null ? this.stringCell(i, c) : this.numberCell(out, i, serial);
    }
    if (isShortestNumber(c)) return this.numberCell(out, i, c);
    const v = typedCell(c, kind);
    if (typeof v === 'number') this.numberCell(out, i, String(v));
    else this.stringCell(i, c);
  }

  /** Whether rows are still held for the width sample (rows must come through add or addText). @internal */
  get sampling(): boolean {
    return this.sample !== null;
  }

  /** Starts a row written cell by cell (cellStart), ended by endRow. @internal */
  beginRow(): SheetBytes {
    return this.rowStart();
  }

  /** @internal */
  endRow(out: SheetBytes): void {
    this.rowEnd(out);
  }

  /** The kind of column `i`. @internal */
  kind(i: number): XlsxKind {
    return this.kinds[i] ?? 'text';
  }

  /**
   * Writes cell `i`'s start at `p`: `<c` when it follows the previous cell, else with its
   * reference (`<c r="F7"`); style and type up to the value as `head` has them. The caller made
   * room (64 bytes) and marks the cell written (`next = i + 1`). Returns the position after. @internal
   */
  cellStart(out: SheetBytes, p: number, i: number, head: CellHead): number {
    if (i === this.next) return putMarkup(out.view, p, head.next);
    p = putMarkup(out.view, p, this.markup.ref[i] ?? new Markup(`<c r="${columnLetter(i + 1)}`));
    const d = out.buf, row = this.markup.row;
    for (let k = 0; k < this.rowLength; k++) d[p++] = row[k]!;
    return putMarkup(out.view, p, head.gap);
  }

  /** Column `i`'s markup up to a value (extra columns beyond the header: default style). */
  private head(kind: 'number' | 'string' | 'inline', i: number): CellHead {
    return this.markup[kind][i] ?? DEFAULT_HEADS[kind];
  }

  private numberCell(out: SheetBytes, i: number, text: string): void {
    out.room(text.length + 64);
    let p = this.cellStart(out, out.pos, i, this.head('number', i));
    for (let k = 0; k < text.length; k++) out.buf[p++] = text.charCodeAt(k);
    out.pos = putMarkup(out.view, p, CLOSE_VALUE);
    this.next = i + 1;
  }

  private stringCell(i: number, v: string): void {
    if (v.length > EXCEL_MAX_CELL_CHARS) {
      throw dataError(`a cell of ${v.length} characters is longer than a spreadsheet cell holds (${EXCEL_MAX_CELL_CHARS})`, { file: this.book.path, line: this.rowsDone + 1, column: this.columns[i]?.header }, 'shorten the value, or use customers.csv');
    }
    this.textCell(null, i, v);
  }

  /**
   * One text cell, of column `i` of the current row (`start` null), or the header or note cell
   * whose start `start` gives (`<c r="A1"` …). Plain text is a `str` cell; text that needs
   * escapes or has white space at either end is an inline string, the form whose escapes
   * LibreOffice decodes and whose spaces it keeps (a `str` cell is read raw and trimmed).
   */
  private textCell(start: string | null, i: number, v: string): void {
    const out = this.out!;
    out.room((start?.length ?? 64) + 64);
    if (start !== null) out.ascii(start);
    if (NEEDS_ESCAPE.test(v) || EDGE_SPACE.test(v)) {
      if (start === null) {
        out.pos = this.cellStart(out, out.pos, i, this.head('inline', i));
        this.next = i + 1;
      } else out.ascii(' t="inlineStr"><is><t xml:space="preserve">');
      out.text(xlsxEscape(v));
      out.room(16);
      out.ascii('</t></is></c>');
    } else {
      if (start === null) {
        out.pos = this.cellStart(out, out.pos, i, this.head('string', i));
        this.next = i + 1;
      } else out.ascii(' t="str"><v>');
      out.text(v);
      out.room(16);
      out.ascii('</v></c>');
    }
  }
}

/** `</v></c>`: the end of a cell with a value. */
export const CLOSE_VALUE = new Markup('</v></c>');

/**
 * A cell's markup up to its value, for one column and type: `next` for a cell that follows
 * the previous one (`<c s="3"><v>`), `gap` for what follows a reference's row digits
 * (`" s="3"><v>`).
 */
export interface CellHead {
  next: Markup;
  gap: Markup;
}

/**
 * A table's cell markup, per column: `<c r="` and the column letters (a cell after a gap; the
 * row's digits follow), and the heads of a number, a `str` string and an inline string.
 */
export interface CellMarkup {
  ref: Markup[];
  number: CellHead[];
  string: CellHead[];
  inline: CellHead[];
  /** The current row number's digits. */
  row: Uint8Array;
}

function heads(kind: XlsxKind | null): Record<'number' | 'string' | 'inline', CellHead> {
  const style = kind !== null && STYLE[kind] ? ` s="${STYLE[kind]}"` : '';
  const head = (rest: string): CellHead => ({ next: new Markup(`<c${style}${rest}`), gap: new Markup(`"${style}${rest}`) });
  return { number: head('><v>'), string: head(' t="str"><v>'), inline: head(' t="inlineStr"><is><t xml:space="preserve">') };
}
/** Markup of a cell past the header's columns (default style). */
const DEFAULT_HEADS = heads(null);

function cellMarkup(kinds: XlsxKind[]): CellMarkup {
  const h = kinds.map(heads);
  return {
    ref: kinds.map((_, i) => new Markup(`<c r="${columnLetter(i + 1)}`)),
    number: h.map((x) => x.number),
    string: h.map((x) => x.string),
    inline: h.map((x) => x.inline),
    row: new Uint8Array(16),
  };
}

/** A date as Excel's serial day number (1900 date system; days since 1899-12-30, UTC). */
const excelSerial = (d: Date): number => d.getTime() / 86_400_000 + 25_569;

/** A workbook being written; tables are written one after the other. */
export class XlsxBook {
  private readonly file: AtomicFile;
  private readonly zip: ZipWriter;
  private readonly sheets: PackageSheet[] = [];
  private aborted = false;
  private failure: Error | null = null;
  /** Serial days of ISO day texts seen (a table has few distinct days). */
  private readonly days = new Map<string, string | null>();

  constructor(
    readonly path: string,
    /** Workbook creation date (document properties, zip entry dates): a fixed one keeps the same data's workbook the same bytes. */
    private readonly created: Date,
    opts: { zip64Above?: number } = {},
  ) {
    this.file = openAtomicFile(path);
    const file = this.file;
    this.zip = new ZipWriter(
      (bytes) => {
        if (this.aborted) return;
        try {
          file.write(bytes);
        } catch (e) {
          this.failure ??= e as Error;
          throw e;
        }
      },
      created,
      opts,
    );
  }

  /** Sheets so far. */
  get sheetCount(): number {
    return this.sheets.length;
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

  /** @internal The serial day of an ISO day as number text, or null when the text is not one. */
  daySerial(text: string): string | null {
    let s = this.days.get(text);
    if (s === undefined) {
      const n = daySerial(text);
      s = n === null ? null : String(n);
      if (this.days.size > 100_000) this.days.clear();
      this.days.set(text, s);
    }
    return s;
  }

  /** @internal Opens the next sheet's zip entry. */
  addSheet(sheet: PackageSheet): ZipEntry {
    this.check();
    this.sheets.push(sheet);
    return this.zip.entry(`xl/worksheets/sheet${this.sheets.length}.xml`);
  }

  /** @internal */
  check(): void {
    if (this.failure) throw this.failure;
    this.zip.check();
  }

  /** Finishes the package and renames the workbook into place. */
  async close(): Promise<void> {
    this.check();
    const n = this.sheets.length;
    await this.zip.add('[Content_Types].xml', contentTypesXml(n));
    await this.zip.add('_rels/.rels', rootRelsXml());
    await this.zip.add('docProps/app.xml', appXml());
    await this.zip.add('docProps/core.xml', coreXml(this.created));
    await this.zip.add('xl/workbook.xml', workbookXml(this.sheets));
    await this.zip.add('xl/_rels/workbook.xml.rels', workbookRelsXml(n));
    await this.zip.add('xl/styles.xml', stylesXml());
    await this.zip.finish();
    this.check();
    this.file.commit();
  }

  /** Removes the temporary file (safe after close). */
  abort(): void {
    this.aborted = true;
    this.file.abort();
  }
}
