/**
 * Turns simulated customers (./simulate.ts) into an order export in "the generated format":
 * header `customer_id,order_id,order_date,amount,quantity,status,channel`, then exactly `orders`
 * order lines (plus the extra lines `dirty` adds), ~51 bytes a line, e.g.
 * `C0012345,O000123456789,2024-03-05,123.45,2,paid,web`, in chronological order like a real
 * export (within a day: customers in id order). Same options → same bytes.
 *
 * - customer_id = C + (index + 1) zero-padded to 7 digits; order_id = O + (line rank + 1)
 *   zero-padded to 12 digits; channel = [web, app, store][(customer_index·7 + rank) mod 3].
 * - Customers are drawn one after another until `orders` purchases are collected; the last
 *   customer's purchases are cut there (its truth row counts only the purchases kept).
 * - Cost: O(orders) memory in typed arrays (25 bytes an order at the peak), a counting sort by
 *   day into records read in order, and lines written as bytes into 1 MiB chunks (no strings).
 *
 * `dirty` injects, deterministically (rng seed ^ 0xd1e7, one uniform draw u per order), the
 * problems custkit must handle; each order gets at most one of them:
 *   u < 0.004 guest (id blank or `guest`, half each) · < 0.014 status `cancelled` ·
 *   < 0.019 refund: an extra line `…,-(amount/2),1,refunded,…` with the same order id, dated the
 *   next day that has orders (the last order day for the last ones) · < 0.0195 unreadable row
 *   (date `not-a-date` and/or amount `abc`, half each; counted only when at least one was set) ·
 *   < 0.0395 amount written `"$1,234.56"` · < 0.0495 order split over two lines (⌊c/3⌋ and the
 *   rest, c > 1 cent); then every normal line is repeated verbatim with probability 0.005
 *   (exact duplicate). {@link DirtyCounts} counts each injection.
 */
import { createRng } from '../core/math/rng.js';
import { formatDay } from '../core/time/day.js';
import { calibrateRate, CustomerDraw, type SimOptions } from './simulate.js';

export interface ExportOptions extends SimOptions {
  /** Number of orders (lines before `dirty` additions). */
  orders: number;
  /** Target number of customers: sets ordersPerCustomer = orders / customers (default 10 per customer). */
  customers?: number;
  dirty?: boolean;
}

/** What `dirty` injected (each is a count of lines/orders, as described in the module comment). */
export interface DirtyCounts {
  /** Lines repeated verbatim right after themselves. */
  duplicates: number;
  /** Orders written on two lines sharing the order id. */
  splitOrders: number;
  /** Orders with status `cancelled`. */
  cancelled: number;
  /** Extra negative-amount `refunded` lines. */
  refunds: number;
  /** Orders whose customer id is blank or `guest`. */
  guests: number;
  /** Rows with `not-a-date` and/or amount `abc`. */
  badRows: number;
  /** Amounts written `"$1,234.56"`. */
  formattedAmounts: number;
}

export interface TruthRow {
  customerId: string;
  birth: number;
  death: number;
  aliveAtEnd: boolean;
  rate: number;
  meanSpend: number;
  /** Purchases of this customer in the export (before dirty changes). */
  orders: number;
}

export interface ExportSummary {
  customers: number;
  /** Data lines written (without the header). */
  lines: number;
  dirty: DirtyCounts;
}

export const EXPORT_HEADER = 'customer_id,order_id,order_date,amount,quantity,status,channel\n';
export const TRUTH_HEADER = 'customer_id,birth_date,death_date,alive_at_end,true_rate_per_day,mean_spend,orders\n';
const CHANNELS = ['web', 'app', 'store'];

/** Generated customer id of a 0-based customer index. */
export const customerId = (i: number): string => 'C' + String(i + 1).padStart(7, '0');

/**
 * One truth CSV line: death_date = ⌊death⌋ formatted, blank when the customer is alive at the
 * end (death > end); rate with 6 decimals, mean spend with 2.
 */
export function formatTruthRow(t: TruthRow, end: number): string {
  return `${t.customerId},${formatDay(t.birth)},${t.death > end ? '' : formatDay(Math.floor(t.death))},${t.aliveAtEnd ? 1 : 0},${t.rate.toFixed(6)},${t.meanSpend.toFixed(2)},${t.orders}\n`;
}

const CHUNK = 1 << 20;
const ZERO = 48;
/** '00'…'99' as byte pairs. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, k) => ZERO + (k & 1 ? (k >> 1) % 10 : Math.floor((k >> 1) / 10)));
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Appends ASCII to 1 MiB byte chunks; full chunks wait in `ready`. */
class ChunkWriter {
  buf = new Uint8Array(CHUNK);
  len = 0;
  readonly ready: Uint8Array[] = [];
  /** Makes room for n more bytes (n ≤ CHUNK). */
  room(n: number): void {
    if (this.len + n > this.buf.length) {
      this.ready.push(this.buf.subarray(0, this.len));
      this.buf = new Uint8Array(CHUNK);
      this.len = 0;
    }
  }
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let len = this.len;
    for (let k = 0; k < b.length; k++) buf[len++] = b[k]!;
    this.len = len;
  }
  byte(c: number): void {
    this.buf[this.len++] = c;
  }
  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }
  /** Integer 0 ≤ v < 2^31, left-padded with zeros to `width` digits (String.padStart semantics). */
  padded(v: number, width: number): void {
    let nd = 1;
    for (let p = 10; p <= v; p *= 10) nd++;
    if (nd < width) nd = width;
    const buf = this.buf;
    let pos = this.len + nd - 1;
    let rem = nd;
    while (rem >= 2) {
      const q = (v / 100) | 0;
      const d2 = (v - q * 100) * 2;
      buf[pos--] = PAIRS[d2 + 1]!;
      buf[pos--] = PAIRS[d2]!;
      v = q;
      rem -= 2;
    }
    if (rem) buf[pos] = ZERO + v;
    this.len += nd;
  }
  /** Cents as `[-]units.cc`. */
  money(c: number): void {
    if (c < 0) {
      this.byte(45);
      c = -c;
    }
    const units = Math.floor(c / 100);
    this.padded(units, 1);
    this.byte(46);
    this.padded(c - units * 100, 2);
  }
  /** Cents (> 0) as `"$1,234.56"` (en-US grouping, quoted because of the comma). */
  currency(c: number): void {
    const units = Math.floor(c / 100);
    const digits = String(units);
    this.byte(34);
    this.byte(36);
    for (let i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) this.byte(44);
      this.byte(digits.charCodeAt(i));
    }
    this.byte(46);
    this.padded(c - units * 100, 2);
    this.byte(34);
  }
  take(): Uint8Array {
    const b = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(CHUNK);
    this.len = 0;
    return b;
  }
}

/**
 * The export as a stream of byte chunks (~1 MiB each; the first starts with the header); the
 * generator's return value is the summary. `truth` receives one row per customer, in id order,
 * before the first chunk. Lets a caller honour back-pressure between chunks.
 */
export function* orderExportChunks(o: ExportOptions, truth?: (t: TruthRow) => void): Generator<Uint8Array, ExportSummary, undefined> {
  const perCustomer = o.customers ? Math.max(1, o.orders / o.customers) : (o.ordersPerCustomer ?? 10);
  const sim: SimOptions = { seed: o.seed, start: o.start, end: o.end, ordersPerCustomer: perCustomer };
  const meanRate = calibrateRate(sim);
  const n = o.orders;
  const span = o.end - o.start + 1;
  // Purchases in draw order (customer after customer): day offset, cents, quantity;
  // customer c owns [starts[c], starts[c + 1]).
  const dayOff = new Int32Array(n);
  const cents = new Int32Array(n);
  const qty = new Uint8Array(n);
  let starts = new Int32Array(Math.max(16, (n >> 3) + 2));
  const rngSim = createRng(sim.seed);
  const c = new CustomerDraw();
  let k = 0;
  let customers = 0;
  while (k < n) {
    c.draw(rngSim, sim, meanRate);
    const index = customers++;
    const take = Math.min(c.count, n - k);
    for (let j = 0; j < take; j++) {
      dayOff[k + j] = c.days[j]! - o.start;
      cents[k + j] = c.cents[j]!;
      qty[k + j] = c.quantity[j]!;
    }
    if (index + 2 > starts.length) {
      const g = new Int32Array(starts.length * 2);
      g.set(starts);
      starts = g;
    }
    starts[index] = k;
    k += take;
    truth?.({ customerId: customerId(index), birth: c.birth, death: c.death, aliveAtEnd: c.death > o.end, rate: c.rate, meanSpend: c.meanSpend, orders: take });
  }
  starts[customers] = n;
  // Counting sort by day (stable: customers in index order within a day) into 16-byte records
  // [draw index, customer, cents, day offset · 8 + quantity], so that writing reads memory in order.
  const count = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) count[dayOff[i]! + 1]!++;
  for (let d = 1; d <= span; d++) count[d]! += count[d - 1]!;
  const rec = new Int32Array(4 * n);
  for (let ci = 0, i = 0; ci < customers; ci++) {
    for (const e = starts[ci + 1]!; i < e; i++) {
      const d = dayOff[i]!;
      const p = 4 * count[d]!++;
      rec[p] = i;
      rec[p + 1] = ci;
      rec[p + 2] = cents[i]!;
      rec[p + 3] = d * 8 + qty[i]!;
    }
  }
  const lines = new LineEmitter(o, rec);
  while (lines.r < n) {
    lines.writeUntilChunk();
    while (lines.w.ready.length) yield lines.w.ready.shift()!;
  }
  lines.finish();
  while (lines.w.ready.length) yield lines.w.ready.shift()!;
  if (lines.w.len) yield lines.w.take();
  return { customers, lines: lines.lines, dirty: lines.dirty };
}

const CHANNEL_BYTES = CHANNELS.map((s) => ascii(',' + s + '\n'));
const PAID = ascii(',paid');
const CANCELLED = ascii(',cancelled');
const REFUNDED = ascii(',1,refunded');
const GUEST = ascii('guest');
const BAD_DATE = ascii('not-a-date');
const BAD_AMOUNT = ascii('abc');

/**
 * Writes the order lines in rank order (plain methods rather than generator code, so the hot
 * loop is optimised); `writeUntilChunk` returns as soon as a full chunk is ready.
 */
class LineEmitter {
  readonly w = new ChunkWriter();
  readonly dirty: DirtyCounts = { duplicates: 0, splitOrders: 0, cancelled: 0, refunds: 0, guests: 0, badRows: 0, formattedAmounts: 0 };
  lines = 0;
  /** Next rank to write. */
  r = 0;
  private readonly rng;
  private readonly isDirty: boolean;
  private dayText = ascii('');
  private lastDay = -1;
  /** Pending refund lines (customer, rank, cents, channel), written at the next order day. */
  private readonly refunds: number[] = [];
  /** The 12 digits of order id rank + 1 for rank `oidRank` (incremented in place as ranks advance). */
  private readonly oidDigits = ascii('000000000000');
  private oidRank = -1;

  private readonly start: number;

  /** `rec`: the sorted records of orderExportChunks. */
  constructor(o: ExportOptions, private readonly rec: Int32Array) {
    this.start = o.start;
    this.rng = createRng(o.seed ^ 0xd1e7);
    this.isDirty = !!o.dirty;
    this.w.text(EXPORT_HEADER);
  }

  /** Writes `id,O…,date,` (idKind: 0 = customer id, 1 = blank, 2 = guest). */
  private head(idKind: number, ci: number, r: number, date: Uint8Array): void {
    const w = this.w;
    w.room(128);
    if (idKind === 0) {
      w.byte(67);
      w.padded(ci + 1, 7);
    } else if (idKind === 2) w.bytes(GUEST);
    w.byte(44);
    w.byte(79);
    if (r === this.oidRank + 1) {
      // Next rank: decimal increment of the cached digits (ranks + 1 < 2^31 < 10^12: no overflow).
      const dg = this.oidDigits;
      let k = 11;
      while (dg[k] === 57) dg[k--] = ZERO;
      dg[k]!++;
      this.oidRank = r;
    }
    if (r === this.oidRank) w.bytes(this.oidDigits);
    else w.padded(r + 1, 12);
    w.byte(44);
    w.bytes(date);
    w.byte(44);
  }

  private writeRefunds(): void {
    const f = this.refunds;
    for (let j = 0; j < f.length; j += 4) {
      this.head(0, f[j]!, f[j + 1]!, this.dayText);
      this.w.money(-f[j + 2]!);
      this.w.bytes(REFUNDED);
      this.w.bytes(CHANNEL_BYTES[f[j + 3]!]!);
    }
    this.lines += f.length / 4;
    f.length = 0;
  }

  /** Flushes refunds still pending after the last order (dated the last order day). */
  finish(): void {
    if (this.refunds.length) this.writeRefunds();
  }

  writeUntilChunk(): void {
    const { w, rec, rng, dirty } = this;
    const n = rec.length >> 2;
    for (; this.r < n && w.ready.length === 0; this.r++) {
      const r = this.r;
      const i = rec[4 * r]!;
      const ci = rec[4 * r + 1]!;
      const ct = rec[4 * r + 2]!;
      const dq = rec[4 * r + 3]!;
      const q = dq & 7;
      const day = this.start + (dq >> 3);
      if (day !== this.lastDay) {
        this.lastDay = day;
        this.dayText = ascii(formatDay(day));
        if (this.refunds.length) this.writeRefunds();
      }
      const dayText = this.dayText;
      const chIndex = (i * 7 + r) % 3;
      let idKind = 0;
      let status = PAID;
      let formatted = false;
      if (this.isDirty) {
        const u = rng.next();
        if (u < 0.004) {
          idKind = rng.next() < 0.5 ? 1 : 2;
          dirty.guests++;
        } else if (u < 0.014) {
          status = CANCELLED;
          dirty.cancelled++;
        } else if (u < 0.019) {
          this.refunds.push(ci, r, Math.round(ct / 2), chIndex);
          dirty.refunds++;
        } else if (u < 0.0195) {
          const badDate = rng.next() < 0.5;
          const badAmount = rng.next() < 0.5;
          this.head(0, ci, r, badDate ? BAD_DATE : dayText);
          if (badAmount) w.bytes(BAD_AMOUNT);
          else w.money(ct);
          w.byte(44);
          w.padded(q, 1);
          w.bytes(PAID);
          w.bytes(CHANNEL_BYTES[chIndex]!);
          this.lines++;
          // Both coin flips can keep the real values: such a row is well-formed and not counted.
          if (badDate || badAmount) dirty.badRows++;
          continue;
        } else if (u < 0.0395) {
          formatted = true;
          dirty.formattedAmounts++;
        } else if (u < 0.0495 && ct > 1) {
          // One order on two lines (lines of an order are listed together).
          const a = Math.floor(ct / 3);
          this.head(0, ci, r, dayText);
          w.money(a);
          w.byte(44);
          w.byte(49);
          w.bytes(status);
          w.bytes(CHANNEL_BYTES[chIndex]!);
          this.lines++;
          dirty.splitOrders++;
          this.head(0, ci, r, dayText);
          w.money(ct - a);
          idKind = -1; // head and amount already written
        }
      }
      if (idKind !== -1) {
        this.head(idKind, ci, r, dayText);
        if (formatted) w.currency(ct);
        else w.money(ct);
      }
      w.byte(44);
      w.padded(q, 1);
      w.bytes(status);
      w.bytes(CHANNEL_BYTES[chIndex]!);
      this.lines++;
      if (this.isDirty && rng.next() < 0.005) {
        duplicateLast(w);
        this.lines++;
        dirty.duplicates++;
      }
    }
  }
}

/** Repeats the line just written (lines never straddle chunks: `room` is asked before each line). */
function duplicateLast(w: ChunkWriter): void {
  let s = w.len - 1;
  while (s > 0 && w.buf[s - 1] !== 10) s--;
  const line = w.buf.slice(s, w.len);
  w.room(line.length);
  w.bytes(line);
}

/** Runs {@link orderExportChunks} to the end, handing every chunk to `write`. */
export function generateOrders(o: ExportOptions, write: (chunk: Uint8Array) => void, truth?: (t: TruthRow) => void): ExportSummary {
  const it = orderExportChunks(o, truth);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    write(r.value);
  }
}

/** The whole export as one string (for tests and small sizes). */
export function generateOrdersText(o: ExportOptions, truth?: (t: TruthRow) => void): { text: string; summary: ExportSummary } {
  const parts: Uint8Array[] = [];
  const summary = generateOrders(o, (c) => parts.push(c), truth);
  const dec = new TextDecoder();
  return { text: parts.map((p) => dec.decode(p)).join(''), summary };
}
