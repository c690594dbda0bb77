/**
 * A custkit CSV table's rows written into a workbook table from the file's bytes: each cell's
 * bytes go into the sheet XML without becoming a string (a million-row table has tens of
 * millions of cells, and making, typing and encoding a string for each was most of the
 * workbook's time). The cells are the ones {@link XlsxTable.addText} would write for the
 * same text: a cell outside the plain cases (a quote inside quotes, escapes, white space at an
 * end, a number not in shortest form, a day before year 1000) is decoded and written the
 * string way.
 *
 * Only plain UTF-8 CSV as custkit writes it takes this path. Anything else (a UTF-16 BOM,
 * invalid UTF-8, a stray quote, a lone CR, a blank line) throws {@link NotPlainCsv} and the
 * caller writes the table again through the CSV reader, which reads every encoding and reports
 * broken input with its file, line and hint.
 */
import { createReadStream } from 'node:fs';
import { CLOSE_VALUE, type XlsxTable } from './xlsx-writer.js';
import { putMarkup, type SheetBytes } from './xlsx-sheet-bytes.js';

/** The file is not plain UTF-8 custkit CSV: read it with the CSV reader instead. */
export class NotPlainCsv extends Error {}

const COMMA = 44, LF = 10, CR = 13, QUOTE = 34, APOS = 39, MINUS = 45, DOT = 46, ZERO = 48, NINE = 57, UNDERSCORE = 95, X = 120;
const AMP = 38, LT = 60, GT = 62;
/** Column kinds of the cell loop. */
const TEXT = 0, DATE = 1, NUMBER = 2;
/** Cells of a record (more: the record is decoded and written the string way). */
const MAX_FIELDS = 4096;

export interface CsvRowsOptions {
  /** The table for the header's cells (trimmed). */
  open(header: string[]): XlsxTable;
  /** Undoes a people-facing CSV's spreadsheet guard on a cell starting with `'` (absent: exact CSV). */
  unguard?: (cell: string) => string;
}

/** Writes the CSV file's rows into the table `open` makes; returns it (null: an empty file). */
export async function writeCsvRows(path: string, opts: CsvRowsOptions): Promise<XlsxTable | null> {
  const w = new CsvRows(opts);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    let carry: Buffer | null = null;
    let first = true;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf: Buffer = carry && carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      if (first) {
        if (buf.length < 3 && chunk.length > 0) { carry = buf; continue; }
        first = false;
        if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) throw new NotPlainCsv('UTF-16');
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      }
      const used = w.records(buf, false);
      carry = buf.subarray(used);
      await w.table?.drain();
    }
    if (first && carry) {
      if ((carry[0] === 0xff && carry[1] === 0xfe) || (carry[0] === 0xfe && carry[1] === 0xff)) throw new NotPlainCsv('UTF-16');
      if (carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) carry = carry.subarray(3);
    }
    if (carry && carry.length > 0) w.records(carry, true);
    return w.table;
  } finally {
    stream.destroy();
  }
}

class CsvRows {
  table: XlsxTable | null = null;
  private columns = 0;
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);
  private readonly quoted = new Uint8Array(MAX_FIELDS);
  private readonly days = new Map<number, string | null>();

  constructor(private readonly opts: CsvRowsOptions) {}

  /** Writes the complete records of `buf` (all of it at the end of the file); returns the bytes used. */
  records(buf: Buffer, last: boolean): number {
    let at = 0;
    while (at < buf.length) {
      const next = this.split(buf, at, last);
      if (next < 0) break;
      this.record(buf, this.fields);
      at = next;
    }
    return at;
  }

  private fields = 0;

  /** Finds the fields of the record at `at`; returns where the next starts, or -1 when it is cut. */
  private split(buf: Buffer, at: number, last: boolean): number {
    const n = buf.length;
    let f = 0;
    let p = at;
    if (buf[p] === LF || buf[p] === CR) throw new NotPlainCsv('blank line');
    for (;;) {
      if (f === MAX_FIELDS) throw new NotPlainCsv('too many fields');
      let end: number;
      if (buf[p] === QUOTE) {
        let q = p + 1;
        for (;;) {
          q = buf.indexOf(QUOTE, q);
          if (q < 0 || q + 1 >= n) {
            if (!last) return -1;
            if (q < 0) throw new NotPlainCsv('unterminated quote');
            break;
          }
          if (buf[q + 1] === QUOTE) q += 2;
          else break;
        }
        this.starts[f] = p + 1;
        this.ends[f] = q;
        this.quoted[f] = 1;
        end = q + 1;
        if (end < n && buf[end] !== COMMA && buf[end] !== LF && buf[end] !== CR) throw new NotPlainCsv('text after a closing quote');
      } else {
        let q = p;
        for (; q < n; q++) {
          const c = buf[q]!;
          if (c === COMMA || c === LF) break;
          if (c === QUOTE || c === CR) break;
        }
        if (q < n && buf[q] === QUOTE) throw new NotPlainCsv('stray quote');
        this.starts[f] = p;
        this.ends[f] = q;
        this.quoted[f] = 0;
        end = q;
      }
      f++;
      if (end >= n) {
        if (!last) return -1;
        this.fields = f;
        return n;
      }
      const c = buf[end]!;
      if (c === COMMA) {
        p = end + 1;
        if (p >= n) {
          if (!last) return -1;
          // A final empty cell at the end of the file.
          this.starts[f] = this.ends[f] = p;
          this.quoted[f] = 0;
          this.fields = f + 1;
          return n;
        }
        continue;
      }
      if (c === CR) {
        if (end + 1 >= n) {
          if (!last) return -1;
          throw new NotPlainCsv('lone CR');
        }
        if (buf[end + 1] !== LF) throw new NotPlainCsv('lone CR');
        this.fields = f;
        return end + 2;
      }
      this.fields = f;
      return end + 1;
    }
  }

  private text(buf: Buffer, i: number): string {
    if (!validUtf8(buf, this.starts[i]!, this.ends[i]!)) throw new NotPlainCsv('not UTF-8');
    const s = buf.toString('utf8', this.starts[i]!, this.ends[i]!);
    return this.quoted[i] ? s.replace(/""/g, '"') : s;
  }

  private record(buf: Buffer, fields: number): void {
    if (this.table === null) {
      const header: string[] = [];
      for (let i = 0; i < fields; i++) header.push(this.text(buf, i).trim());
      this.table = this.opts.open(header);
      this.columns = fields;
      return;
    }
    const t = this.table;
    if (t.sampling || fields !== this.columns) {
      const cells: string[] = [];
      for (let i = 0; i < fields; i++) cells.push(this.cellText(buf, i));
      t.addText(cells);
      return;
    }
    const out = t.beginRow();
    const kinds = this.kindCodes(t);
    const unguard = this.opts.unguard !== undefined;
    for (let i = 0; i < fields; i++) {
      const a = this.starts[i]!, b = this.ends[i]!;
      if (a === b) continue;
      // A quoted cell is plain when it holds no quote (plainCell refuses one).
      if ((unguard && buf[a] === APOS) || !this.plainCell(out, t, kinds[i]!, i, buf, a, b)) {
        t.typedTextCell(out, i, this.cellText(buf, i));
      }
    }
    t.endRow(out);
  }

  private codes: Uint8Array | null = null;

  /** Column kinds as codes for the cell loop: text, date, or a number of some format. */
  private kindCodes(t: XlsxTable): Uint8Array {
    if (this.codes === null) {
      this.codes = new Uint8Array(this.columns);
      for (let i = 0; i < this.columns; i++) this.codes[i] = t.kind(i) === 'text' ? TEXT : t.kind(i) === 'date' ? DATE : NUMBER;
    }
    return this.codes;
  }

  /**
   * Writes the cell from its bytes when it is a plain case, checking while copying; false
   * (nothing written): write it the string way. One small function per kind, so that the
   * compiler inlines them into the row loop.
   */
  private plainCell(out: SheetBytes, t: XlsxTable, kind: number, i: number, buf: Buffer, a: number, b: number): boolean {
    out.room(5 * (b - a) + 96);
    const m = t.markup;
    const p = kind === TEXT ? plainText(out, t.cellStart(out, out.pos, i, m.string[i]!), buf, a, b)
      : kind === NUMBER ? plainNumber(out, t.cellStart(out, out.pos, i, m.number[i]!), buf, a, b)
      : this.plainDate(out, t, i, buf, a, b);
    if (p < 0) return false;
    out.pos = putMarkup(out.view, p, CLOSE_VALUE);
    t.next = i + 1;
    return true;
  }

  private plainDate(out: SheetBytes, t: XlsxTable, i: number, buf: Buffer, a: number, b: number): number {
    const serial = this.daySerial(buf, a, b);
    if (serial === null) return -1;
    let p = t.cellStart(out, out.pos, i, t.markup.number[i]!);
    const d = out.buf;
    for (let k = 0; k < serial.length; k++) d[p++] = serial.charCodeAt(k);
    return p;
  }

  private cellText(buf: Buffer, i: number): string {
    const s = this.text(buf, i);
    return this.opts.unguard && s.charCodeAt(0) === APOS ? this.opts.unguard(s) : s;
  }

  /** Excel's serial day of `yyyy-mm-dd` (years 1000…9999), as text; null for anything else. */
  private daySerial(buf: Buffer, a: number, b: number): string | null {
    if (b - a !== 10 || buf[a + 4] !== MINUS || buf[a + 7] !== MINUS) return null;
    const d = (k: number): number => buf[a + k]! - ZERO;
    for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) if (d(k) < 0 || d(k) > 9) return null;
    const y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    const m = d(5) * 10 + d(6);
    const day = d(8) * 10 + d(9);
    if (y < 1000) return null;
    const key = (y * 16 + m) * 32 + day;
    let s = this.days.get(key);
    if (s === undefined) {
      const t = Date.UTC(y, m - 1, day);
      const back = new Date(t);
      s = m >= 1 && m <= 12 && back.getUTCMonth() === m - 1 && back.getUTCDate() === day ? String(t / 86_400_000 + 25_569) : null;
      this.days.set(key, s);
    }
    return s;
  }
}

/*
 * A text cell is written as it is in a `str` cell (plainCell) when it has no control character,
 * no `_x` (a possible escape), and an ASCII character other than a space at both ends
 * (LibreOffice trims white space; non-ASCII white space is left to the string path).
 */

/** ASCII bytes a plain text cell copies as they are: printable, not & < > " or _ (one load per byte, not five tests). */
const COPIED = new Uint8Array(256);
for (let c = 32; c < 0x7f; c++) COPIED[c] = c === AMP || c === LT || c === GT || c === QUOTE || c === UNDERSCORE ? 0 : 1;

/** A plain text cell's bytes (escaped) at `p`; -1 when the text is not plain (see below). */
function plainText(out: SheetBytes, p: number, buf: Buffer, a: number, b: number): number {
  const first = buf[a]!, lastByte = buf[b - 1]!;
  if (first <= 32 || first >= 0x7f || lastByte <= 32 || lastByte >= 0x7f) return -1;
  const d = out.buf;
  let high = false;
  for (let k = a; k < b; k++) {
    const c = buf[k]!;
    if (COPIED[c] === 1) { d[p++] = c; continue; }
    if (c >= 0x80) { high = true; d[p++] = c; }
    else if (c === AMP) { d[p++] = AMP; d[p++] = 97; d[p++] = 109; d[p++] = 112; d[p++] = 59; }
    else if (c === LT || c === GT) { d[p++] = AMP; d[p++] = c === LT ? 108 : 103; d[p++] = 116; d[p++] = 59; }
    else if (c < 32 || c === 0x7f || c === QUOTE || (c === UNDERSCORE && k + 1 < b && buf[k + 1] === X)) return -1;
    else d[p++] = c;
  }
  if (high && !validUtf8(buf, a, b)) throw new NotPlainCsv('not UTF-8');
  return p;
}

/** A number cell's bytes at `p` when they are in shortest form; -1 when not. */
function plainNumber(out: SheetBytes, p: number, buf: Buffer, a: number, b: number): number {
  if (!shortestNumber(buf, a, b)) return -1;
  const d = out.buf;
  for (let k = a; k < b; k++) d[p++] = buf[k]!;
  return p;
}

/** Bytes of a number String(Number(text)) gives back unchanged (xlsx-writer.ts isShortestNumber, on bytes). */
function shortestNumber(buf: Buffer, a: number, b: number): boolean {
  let i = a;
  const neg = buf[i] === MINUS;
  if (neg) i++;
  if (i >= b) return false;
  let c = buf[i]!;
  let sig = 0;
  if (c === ZERO) {
    i++;
    if (i === b) return !neg;
    if (buf[i] !== DOT) return false;
    i++;
    let zeros = 0;
    while (i < b && buf[i] === ZERO) { zeros++; i++; }
    if (i === b || zeros > 5) return false;
  } else {
    while (i < b && (c = buf[i]!) >= ZERO && c <= NINE) { sig++; i++; }
    if (sig === 0) return false;
    if (i === b) return sig <= 15;
    if (c !== DOT) return false;
    i++;
    if (i === b) return false;
  }
  while (i < b && (c = buf[i]!) >= ZERO && c <= NINE) { sig++; i++; }
  return i === b && sig <= 15 && buf[b - 1] !== ZERO;
}

/** Whether `buf[a, b)` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF). */
export function validUtf8(buf: Uint8Array, a: number, b: number): boolean {
  let i = a;
  while (i < b) {
    const c = buf[i]!;
    if (c < 0x80) { i++; continue; }
    let need: number, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f; }
    else return false;
    if (i + need >= b) return false;
    const c1 = buf[i + 1]!;
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k <= need; k++) {
      const ck = buf[i + k]!;
      if (ck < 0x80 || ck > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}
