/**
 * People-facing CSV records written straight as UTF-8 bytes, cell by typed cell: the bytes
 * `safeCsvLine` (csv-format.ts) gives for the same cells' text, without making a string per
 * cell, joining them and encoding the line. `run` writes a million-customer table this way.
 *
 * Numbers are printed digit by digit with the exact rules of formatMoney, formatRounded,
 * formatDay and String(integer) (property-tested against them). Their text never needs the
 * spreadsheet guard or quotes: digits, one dot, at most a leading minus of a plain number,
 * which the guard leaves alone. Any value outside those fast paths (exponent form, huge or
 * non-finite numbers, years past 9999) is printed by the string function and written through
 * {@link CsvRecordBytes.text}, i.e. guarded and quoted like any cell of safeCsvLine.
 *
 * Made with `{ guard: false }` it writes exact data instead, the bytes of `csvLine`: text cells
 * quoted as quoteCell quotes them and never guarded (the canonical transaction stream between
 * stages, canonical.ts).
 */
import { formatRounded } from '../core/money.js';
import { formatDay, civilFromDay } from '../core/time/day.js';
import { excelIdText, quoteCell, spreadsheetSafe } from './csv-format.js';

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
/** 10^k for k = 0…15 (integers below 2^53 have at most 16 digits). */
const TENS = Array.from({ length: 16 }, (_, k) => 10 ** k);
const COMMA = 44, LF = 10, MINUS = 45, DOT = 46, ZERO = 48;
const encoder = new TextEncoder();
/** Slots of the day-cell cache (a power of two). */
const DAY_SLOTS = 4096;

/** Bytes a record writer gathers before handing them to its sink. */
export const RECORD_BLOCK = 1 << 16;

/** Records appended to one growing byte buffer; `bytes.subarray(0, length)` is the output so far. */
export class CsvRecordBytes {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  private atStart = true;
  /** Guarded, quoted bytes of repeated text cells (labels): a few dozen distinct values. */
  private readonly labels = new Map<string, Uint8Array>();
  /** Day-cell cache: the day number held by each slot (NaN: none) and its 10 bytes of text. */
  private readonly dayTag = new Float64Array(DAY_SLOTS).fill(NaN);
  private readonly dayText = new Uint8Array(10 * DAY_SLOTS);
  /** Whether text cells get the spreadsheet guard (people-facing CSV) or stay exact (data). */
  private readonly guard: boolean;
  /** Whether {@link id} protects ids a spreadsheet would change (`--excel` CSV, csv-format.ts excelIdText). */
  private readonly excelIds: boolean;

  constructor(opts: { guard?: boolean; excelIds?: boolean } = {}) {
    this.guard = opts.guard ?? true;
    this.excelIds = opts.excelIds ?? false;
  }

  /** A customer id: {@link text}, or in an `--excel` record the protected form of csv-format.ts excelIdText. */
  id(s: string): void {
    if (!this.excelIds) return this.text(s);
    const t = quoteCell(excelIdText(s));
    this.cell(3 * t.length);
    this.length += encoder.encodeInto(t, this.bytes.subarray(this.length)).written;
  }

  /** Hands the bytes written so far to `sink`, then {@link clear}s (callers await the sink's drain between blocks). */
  handTo(sink: { writeBytes(b: Uint8Array, start: number, end: number): void }): void {
    sink.writeBytes(this.bytes, 0, this.length);
    this.clear();
  }

  /** Forgets the bytes written so far (after handing them on); keeps the label cache. */
  clear(): void {
    this.length = 0;
    this.atStart = true;
  }

  /** Ends the current record (LF). */
  end(): void {
    this.room(1);
    this.bytes[this.length++] = LF;
    this.atStart = true;
  }

  /** An empty cell. */
  empty(): void {
    this.cell(0);
  }

  /** A text cell of unknown content: spreadsheet-guarded (unless made without the guard) and quoted as safeCsvLine does. */
  text(s: string): void {
    const n = s.length;
    this.cell(3 * n + 3);
    // One pass for the common cell, text that needs neither guard nor quotes (unquoted); a
    // cell that needs either is written the long way. Non-ASCII takes the one pass too: the
    // sleep reasons (`cycle: 2.5× expected 40 d ≥ 2`, one per customer) and Chinese ids and
    // labels went through quoteCell and encodeInto, several times slower (docs/performance.md).
    const c0 = n > 0 ? s.charCodeAt(0) : 0;
    const maybePlain = n > 0 && c0 !== 32 && s.charCodeAt(n - 1) !== 32 &&
      (!this.guard || (c0 !== 61 && c0 !== 43 && c0 !== 45 && c0 !== 64 && c0 !== 9 && c0 !== 13));
    if (maybePlain && this.unquoted(s)) return;
    const t = quoteCell(this.guard ? spreadsheetSafe(s) : s);
    this.room(3 * t.length);
    this.length += encoder.encodeInto(t, this.bytes.subarray(this.length)).written;
  }

  /**
   * Writes s as UTF-8 when no character of it needs quotes, and says whether it did (else
   * nothing is written). A code unit below U+D800 or above U+DFFF is one character, at most 3
   * bytes: the room text reserved; a surrogate goes the long way.
   */
  private unquoted(s: string): boolean {
    const n = s.length;
    const b = this.bytes;
    let p = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        if (c === 44 || c === 34 || c === 10 || c === 13) return false;
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 63);
      } else if (c < 0xd800 || c > 0xdfff) {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      } else return false;
    }
    this.length = p;
    return true;
  }

  /** A cell of text written as it is, never quoted (what a caller knows needs no quotes). */
  raw(s: string): void {
    this.cell(3 * s.length);
    this.length += encoder.encodeInto(s, this.bytes.subarray(this.length)).written;
  }

  /** A literal cell given as its bytes (e.g. a flag `0`). */
  byte(c: number): void {
    this.cell(1);
    this.bytes[this.length++] = c;
  }

  /** A text cell from a small set of values (class labels): {@link text}'s bytes, prepared once per value. */
  label(s: string): void {
    let v = this.labels.get(s);
    if (v === undefined) {
      v = encoder.encode(quoteCell(this.guard ? spreadsheetSafe(s) : s));
      this.labels.set(s, v);
    }
    this.cell(v.length);
    this.bytes.set(v, this.length);
    this.length += v.length;
  }

  /** `String(x)` of an integer; null → empty cell. */
  int(x: number | null): void {
    if (x === null) return this.empty();
    if (!Number.isSafeInteger(x)) return this.text(String(x));
    this.cell(17);
    if (x < 0) {
      this.bytes[this.length++] = MINUS;
      x = -x;
    }
    this.digits(x, 0);
  }

  /** formatDay(day) (YYYY-MM-DD); null → empty cell. */
  day(day: number | null): void {
    if (day === null) return this.empty();
    // A table's dates repeat (1M customers: two date cells each, a few thousand distinct days):
    // the last text of each slot of a small direct-mapped cache is copied instead of converted.
    const slot = day & (DAY_SLOTS - 1);
    if (this.dayTag[slot] === day) {
      this.cell(10);
      const b = this.bytes, t = this.dayText;
      let p = this.length;
      for (let k = 10 * slot, e = k + 10; k < e; k++) b[p++] = t[k]!;
      this.length = p;
      return;
    }
    const [y, m, d] = civilFromDay(day);
    if (!(y >= 0 && y <= 9999)) return this.text(formatDay(day));
    this.cell(10);
    const at = this.length;
    this.digits(y, 4);
    this.bytes[this.length++] = MINUS;
    this.digits(m, 2);
    this.bytes[this.length++] = MINUS;
    this.digits(d, 2);
    if (Number.isInteger(day)) {
      this.dayTag[slot] = day;
      for (let k = 0; k < 10; k++) this.dayText[10 * slot + k] = this.bytes[at + k]!;
    }
  }

  /** formatMoney(x): whole cents printed shortest, anything else as formatRounded(x, 6). */
  money(x: number): void {
    const c = Math.round(x * 100);
    if (!(Math.abs(x * 100 - c) < 1e-7 && Math.abs(c) < 9e15)) return this.rounded(x, 6);
    this.cell(20); // 9e15 / 100: 14 digits, sign, dot, two
    if (c === 0) {
      this.bytes[this.length++] = ZERO;
      return;
    }
    const a = c < 0 ? -c : c;
    if (c < 0) this.bytes[this.length++] = MINUS;
    const whole = Math.floor(a / 100);
    const cents = a - whole * 100;
    this.digits(whole, 0);
    if (cents === 0) return;
    this.bytes[this.length++] = DOT;
    if (cents % 10 === 0) this.digits(cents / 10, 0);
    else this.digits(cents, 2);
  }

  /** formatRounded(x, places) for places 0..6. */
  rounded(x: number, places: number): void {
    const scale = POW10[places]!;
    const c = Math.round(x * scale);
    if (!(c < 1e15 && c > -1e15)) return this.text(formatRounded(x, places)); // large magnitudes: rare
    this.cell(24);
    if (c === 0) {
      this.bytes[this.length++] = ZERO;
      return;
    }
    const a = c < 0 ? -c : c;
    if (c < 0) this.bytes[this.length++] = MINUS;
    const whole = Math.floor(a / scale);
    const frac = a - whole * scale;
    this.digits(whole, 0);
    if (frac === 0) return;
    let width = places;
    let f = frac | 0; // below 10^6
    while (f % 10 === 0) {
      f = (f / 10) | 0;
      width--;
    }
    this.bytes[this.length++] = DOT;
    this.digits(f, width);
  }

  /** formatRounded(x, places) when x is finite, else an empty cell (the score columns' rule). */
  roundedOrEmpty(x: number, places: number): void {
    if (Number.isFinite(x)) this.rounded(x, places);
    else this.empty();
  }

  /**
   * Cells another record wrote: `b[start, end)` is one or more whole cells joined by commas
   * (no record end), e.g. made on another thread; they follow this record's cells as they are.
   */
  cells(b: Uint8Array, start: number, end: number): void {
    this.cell(end - start);
    const out = this.bytes;
    let p = this.length;
    if (end - start > 64) {
      out.set(start === 0 && end === b.length ? b : b.subarray(start, end), p); // no view made for a whole array
      p += end - start;
    } else for (let k = start; k < end; k++) out[p++] = b[k]!;
    this.length = p;
  }

  /** Starts a cell: the comma before it, and room for `max` more bytes. */
  private cell(max: number): void {
    this.room(max + 1);
    if (this.atStart) this.atStart = false;
    else this.bytes[this.length++] = COMMA;
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
  }

  /** The decimal digits of a non-negative integer below 2^53, zero-padded to `width`. */
  private digits(a: number, width: number): void {
    let k = 1; // digit count
    while (k < 16 && a >= TENS[k]!) k++;
    if (k < width) {
      for (let j = k; j < width; j++) this.bytes[this.length++] = ZERO;
    }
    const b = this.bytes;
    let p = this.length + k;
    this.length = p;
    while (a >= 2147483648) {
      const q = Math.floor(a / 10);
      b[--p] = ZERO + (a - q * 10);
      a = q;
    }
    // Below 2^31 the division is an integer one (most cells: counts, days, cents).
    let x = a | 0;
    do {
      const q = (x / 10) | 0;
      b[--p] = ZERO + (x - q * 10);
      x = q;
    } while (x > 0);
  }
}
