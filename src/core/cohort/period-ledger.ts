/**
 * Per customer, the calendar periods with activity: net revenue in the period and whether
 * it holds a purchase (a row with amount ≥ 0). The cohort of a customer (the period of the
 * first purchase) is known only once all their rows are seen when input is not sorted by
 * date, so activity is kept per (customer, period) until the end: memory grows with
 * customers and the periods they were active in, never with orders.
 *
 * Layout: the customer's latest period lives in the customer's own record of the
 * CustomerAccumulator (customer-accumulator.ts; the offsets below), so a row costs no cache
 * miss beyond the one its customer's record costs anyway. When a later period starts, the
 * record's period moves to a 16-byte node (revenue; period and bought packed; next) of the
 * customer's list of earlier periods, kept latest first; one node is one load when the list is
 * read. A row dated before the latest period (unordered input) walks that list.
 */
import { roundMoney } from '../money.js';

/** Offsets in a customer record (f64 words from the record's start): the latest period's revenue. */
export const LEDGER_REVENUE = 5;
/** Offsets in a customer record (i32 words): latest period, state (0 none, 1 refunds only, 2 a purchase), list head + 1 (0: none). */
export const LEDGER_PERIOD = 12;
export const LEDGER_STATE = 13;
export const LEDGER_HEAD = 14;

/** Plain-data form (structured-clone friendly) of a ledger and its customers' latest periods. */
export interface LedgerState {
  /** 4 per customer: latest period, its revenue, state, list head + 1. */
  slots: Float64Array;
  /** 2 per node: revenue, then the i32 pair (2·period + bought, next). */
  nodes: Float64Array;
}

/** Takes a customer's periods (cohort-table.ts's CohortBuilder). */
export interface PeriodSink {
  addPeriod(period: number, revenue: number, bought: boolean): void;
}

/** Calls fn(period, revenue, bought), latest period first. */
export type PeriodVisitor = (period: number, revenue: number, bought: boolean) => void;

/**
 * The earlier-period nodes. Methods take the accumulator's record views and the record's f64
 * index r (its i32 index is 2r): the records are reallocated as customers arrive.
 */
export class PeriodLedger {
  private f: Float64Array;
  private n: Int32Array;
  private used = 0;
  /** List cursors of touchLists. */
  private cursor = new Int32Array(0);

  constructor(nodes = 1024) {
    this.f = new Float64Array(2 * Math.max(16, nodes));
    this.n = new Int32Array(this.f.buffer);
  }

  /** Adds one row in period p (amount ≥ 0: a purchase; < 0: a refund) to the customer at record r. */
  add(f64: Float64Array, i32: Int32Array, r: number, p: number, amount: number, bought: boolean): void {
    const q = 2 * r;
    const st = i32[q + LEDGER_STATE]!;
    const cur = i32[q + LEDGER_PERIOD]!;
    if (p === cur && st !== 0) {
      f64[r + LEDGER_REVENUE] = roundMoney(f64[r + LEDGER_REVENUE]! + amount);
      if (bought) i32[q + LEDGER_STATE] = 2;
      return;
    }
    if (st === 0 || p > cur) {
      if (st !== 0) {
        const node = this.newNode();
        this.f[2 * node] = f64[r + LEDGER_REVENUE]!;
        this.n[4 * node + 2] = 2 * cur + (st === 2 ? 1 : 0);
        this.n[4 * node + 3] = i32[q + LEDGER_HEAD]! - 1;
        i32[q + LEDGER_HEAD] = node + 1;
      }
      i32[q + LEDGER_PERIOD] = p;
      f64[r + LEDGER_REVENUE] = roundMoney(amount);
      i32[q + LEDGER_STATE] = bought ? 2 : 1;
      return;
    }
    this.addEarlier(i32, q, p, amount, bought);
  }

  /** A row dated before the customer's latest period: into the list of earlier periods (latest first). */
  private addEarlier(i32: Int32Array, q: number, p: number, amount: number, bought: boolean): void {
    let prev = -1;
    let k = i32[q + LEDGER_HEAD]! - 1;
    while (k >= 0 && this.n[4 * k + 2]! >> 1 > p) {
      prev = k;
      k = this.n[4 * k + 3]!;
    }
    if (k < 0 || this.n[4 * k + 2]! >> 1 !== p) {
      const node = this.newNode();
      this.f[2 * node] = 0;
      this.n[4 * node + 2] = 2 * p;
      this.n[4 * node + 3] = k;
      if (prev < 0) i32[q + LEDGER_HEAD] = node + 1;
      else this.n[4 * prev + 3] = node;
      k = node;
    }
    this.f[2 * k] = roundMoney(this.f[2 * k]! + amount);
    if (bought) this.n[4 * k + 2]! |= 1;
  }

  /** Visits each active period of the customer at record r, latest first. */
  forEach(f64: Float64Array, i32: Int32Array, r: number, fn: PeriodVisitor): void {
    const q = 2 * r;
    const st = i32[q + LEDGER_STATE]!;
    if (st === 0) return;
    fn(i32[q + LEDGER_PERIOD]!, f64[r + LEDGER_REVENUE]!, st === 2);
    for (let k = i32[q + LEDGER_HEAD]! - 1; k >= 0; k = this.n[4 * k + 3]!) {
      const pb = this.n[4 * k + 2]!;
      fn(pb >> 1, this.f[2 * k]!, (pb & 1) === 1);
    }
  }

  /** {@link forEach} into `to.addPeriod`: one call site per period that the compiler can inline, not a callback. */
  addTo(f64: Float64Array, i32: Int32Array, r: number, to: PeriodSink): void {
    const q = 2 * r;
    const st = i32[q + LEDGER_STATE]!;
    if (st === 0) return;
    to.addPeriod(i32[q + LEDGER_PERIOD]!, f64[r + LEDGER_REVENUE]!, st === 2);
    const n = this.n, f = this.f;
    for (let k = i32[q + LEDGER_HEAD]! - 1; k >= 0; k = n[4 * k + 3]!) {
      const pb = n[4 * k + 2]!;
      to.addPeriod(pb >> 1, f[2 * k]!, (pb & 1) === 1);
    }
  }

  /**
   * Loads the list nodes of customers i0 … end − 1 (i32 records of w2 words), one node of
   * every customer per step, so that the misses of a step overlap; returns a value to sink.
   */
  touchLists(i32: Int32Array, w2: number, i0: number, end: number): number {
    const cur = this.cursor.length >= end - i0 ? this.cursor : (this.cursor = new Int32Array(end - i0));
    for (let i = i0; i < end; i++) cur[i - i0] = i32[w2 * i + LEDGER_HEAD]! - 1;
    let sink = 0;
    for (let live = true; live; ) {
      live = false;
      for (let c = 0; c < end - i0; c++) {
        const k = cur[c]!;
        if (k < 0) continue;
        sink ^= this.n[4 * k + 2]!;
        cur[c] = this.n[4 * k + 3]!;
        live = true;
      }
    }
    return sink;
  }

  /** Adds the customer at record `or` of `other` (records of.../oi...) to the customer at record r. */
  mergeCustomer(f64: Float64Array, i32: Int32Array, r: number, other: PeriodLedger, of64: Float64Array, oi32: Int32Array, or: number): void {
    other.forEach(of64, oi32, or, (p, rev, b) => this.add(f64, i32, r, p, rev, b));
  }

  /** The plain-data form, for `customers` records of `w` f64 words each. */
  toState(f64: Float64Array, i32: Int32Array, w: number, customers: number): LedgerState {
    const slots = new Float64Array(4 * customers);
    for (let i = 0; i < customers; i++) {
      const r = w * i;
      slots[4 * i] = i32[2 * r + LEDGER_PERIOD]!;
      slots[4 * i + 1] = f64[r + LEDGER_REVENUE]!;
      slots[4 * i + 2] = i32[2 * r + LEDGER_STATE]!;
      slots[4 * i + 3] = i32[2 * r + LEDGER_HEAD]!;
    }
    return { slots, nodes: this.f.slice(0, 2 * this.used) };
  }

  /** Rebuilds the ledger from {@link toState}, writing the latest periods into the records. */
  static fromState(st: LedgerState, f64: Float64Array, i32: Int32Array, w: number): PeriodLedger {
    const l = new PeriodLedger(st.nodes.length / 2);
    l.f.set(st.nodes);
    l.used = st.nodes.length / 2;
    for (let i = 0; i < st.slots.length / 4; i++) {
      const r = w * i;
      i32[2 * r + LEDGER_PERIOD] = st.slots[4 * i]!;
      f64[r + LEDGER_REVENUE] = st.slots[4 * i + 1]!;
      i32[2 * r + LEDGER_STATE] = st.slots[4 * i + 2]!;
      i32[2 * r + LEDGER_HEAD] = st.slots[4 * i + 3]!;
    }
    return l;
  }

  private newNode(): number {
    if (2 * this.used === this.f.length) {
      const f = new Float64Array(2 * this.f.length);
      f.set(this.f);
      this.f = f;
      this.n = new Int32Array(f.buffer);
    }
    return this.used++;
  }
}
