/**
 * One-pass, mergeable per-customer aggregation of cleaned orders.
 *
 * Rules (stated once, used everywhere):
 * - `amount >= 0` is an order: it counts in `orders` and makes its day a purchase day
 *   (zero-amount orders count, as in CDNOW). `amount < 0` is a refund: it only lowers revenue;
 *   it never counts as an order or makes a purchase day.
 * - Refund attribution for `repeatAvgValue`: a refund dated on or before the customer's first
 *   purchase day lowers the first day's value; a refund dated after it lowers the repeat value.
 *   So repeat revenue = revenue − (orders on the first purchase day + refunds dated ≤ first
 *   purchase day), and repeatAvgValue = repeat revenue / frequency (it can be ≤ 0 when
 *   refunds exceed the repeat orders; Gamma-Gamma callers must drop such rows).
 * - Customers whose every row is a refund have no purchase day: they are left out of
 *   {@link CustomerAccumulator.summaries} and counted in {@link CustomerAccumulator.refundOnly}.
 * - Money sums are rounded to 1e-6 after every addition (core/money.ts), so the result does not
 *   depend on the order of rows or on how the stream was split, for amounts on a 1e-6 grid.
 *
 * Memory grows with customers, not orders: an id → index table (customer-id-index.ts), parallel typed arrays
 * (doubled when full), and the set of purchase days of every customer in one shared Int32Array
 * arena (per customer offset/length/capacity, capacities powers of two; a full segment moves to
 * a block of double capacity and its old block goes on a free list of its size class, which the
 * next segment of that size reuses; the arena itself doubles when its end is reached — a
 * segregated-fit allocator, Wilson et al., "Dynamic Storage Allocation: A Survey", 1995, §3.6).
 * Chronological input
 * appends; otherwise days are inserted by binary search. Refunds dated on or before the current
 * first purchase day (rare: unordered input) are kept individually in a side map until a
 * purchase day before them makes them irrelevant.
 */
import { roundMoney } from '../money.js';
import { CustomerIdIndex } from './customer-id-index.js';
import { attributeCells, CustomerAttributes, type AttrColumnState, type AttributeCells, type AttrSpec } from './customer-attributes.js';
import type { CustomerSummary } from './customer-summary.js';
import { summariesFromFacts, summaryFacts, type SummaryFacts } from './summary-facts.js';
import { CohortBuilder, type CohortReport } from '../cohort/cohort-table.js';
import { LEDGER_PERIOD, LEDGER_REVENUE, LEDGER_STATE, PeriodLedger, type LedgerState } from '../cohort/period-ledger.js';
import { PeriodCursor, periodFunction, type CohortGrain } from '../cohort/periods.js';

const INITIAL_SEGMENT = 2;
/** Record size in f64 words: without cohorts, and with them (the ledger's latest period and the first quantity inline). */
const PLAIN_RECORD = 4;
const COHORT_RECORD = 8;
/** With cohorts: f64 word of the record holding the quantity on the first purchase day (NaN: unknown). */
const FIRST_QUANTITY = 4;
/** Rows applied together (see CustomerAccumulator.flush). */
const BATCH = 64;

/**
 * Byte offset of the records in their buffer. glibc serves a large allocation (a million
 * customers: 64 MB) from its own pages with a 16-byte header, so the buffer's data starts 16
 * bytes past a 64-byte line and every 64-byte record spanned two cache lines; 48 bytes on, each
 * is one line (a smaller buffer's start is unknown; then it changes nothing on average).
 * Speed only: nothing depends on where the records lie.
 */
const RECORD_OFFSET = 48;

/** A record table of `words` f64 words, starting RECORD_OFFSET bytes into its buffer. */
function recordTable(words: number): Float64Array {
  return new Float64Array(new ArrayBuffer(RECORD_OFFSET + 8 * words), RECORD_OFFSET, words);
}

/** Plain-data form of a CustomerAccumulator (structured-clone friendly). */
export interface AccumulatorState {
  ids: string[];
  orderCount: Int32Array;
  revenue: Float64Array;
  firstRev: Float64Array;
  len: Int32Array;
  /** Every customer's sorted purchase days, concatenated in index order. */
  days: Int32Array;
  early: [number, number[]][];
  lo: number;
  hi: number;
  /** Kept attributes (customer-attributes.ts), when the accumulator carries them. */
  attrs?: { specs: AttrSpec[]; columns: AttrColumnState[] };
  /** The period ledger when cohorts are tracked (trackCohorts). */
  cohorts?: { grain: CohortGrain; ledger: LedgerState; firstQuantity: Float64Array; firstAttrs?: AttrColumnState[] };
}

/** Per customer with a purchase day, in index order: first and second purchase day (−1: none) and the first day's net value. */
export interface FirstPurchases {
  /** Customer ids (for lining the rows up with the sorted customer table). */
  ids: string[];
  firstDay: Int32Array;
  secondDay: Int32Array;
  firstValue: Float64Array;
  /** Quantity on the first purchase day (NaN: unknown). */
  firstQuantity: Float64Array;
  /** Per kept attribute, its value on the first purchase (firstOrderAttributes; '' = empty cell), by customer as above. */
  firstAttributes: { name: string; values: string[] }[];
}

/**
 * The kept attributes' values of each customer's first purchase, for the key indicators: rule
 * `first` over the orders (amount ≥ 0), an empty cell counted as a value, so that it is the
 * first purchase's own value (earliest day; on that day the first row in stream order — a
 * share read later merges after an earlier one, so threads give the same value).
 */
const firstOrderAttributes = (specs: readonly AttrSpec[], capacity: number): CustomerAttributes =>
  new CustomerAttributes(specs.map((s) => ({ name: s.name, rule: 'first' as const })), capacity, true);

export class CustomerAccumulator {
  private readonly index = new CustomerIdIndex();
  private n = 0;
  private capacity: number;
  /**
   * One record per customer, two views of one buffer, w f64 words (w2 = 2w i32 words) from
   * f64[w·i]: f64[+0] revenue, f64[+1] order revenue on the current first purchase day;
   * i32[+4] orders, i32[+5] offset, i32[+6] length and i32[+7] capacity of its purchase-day
   * segment in the arena. Six parallel arrays cost six cache misses per row at a million
   * customers; a record costs one or two. With cohorts the record is 64 bytes: the quantity on
   * the first purchase day (FIRST_QUANTITY) and the ledger's latest period (period-ledger.ts)
   * ride in it, instead of costing two more misses per row in tables of their own.
   */
  private f64: Float64Array;
  private i32: Int32Array;
  private w = PLAIN_RECORD;
  private w2 = 2 * PLAIN_RECORD;
  private arena: Int32Array;
  /** Arena slots handed out so far (the bump pointer); blocks beyond it are untouched. */
  private arenaUsed = 0;
  /**
   * Free blocks by size class: freeHead[k] is the offset of a free block of at least 2^k slots
   * (−1: none); each free block holds the offset of the next one of its class in its first slot.
   */
  private readonly freeHead = new Int32Array(32).fill(-1);
  /** Customer index → flat [day, amount, day, amount, …] of refunds dated ≤ first purchase day. */
  private readonly early = new Map<number, number[]>();
  private lo = Infinity;
  private hi = -Infinity;
  /** Rows added and not yet applied (see `flush`). */
  private readonly pendId: string[] = new Array<string>(BATCH).fill('');
  private readonly pendDay = new Float64Array(BATCH);
  private readonly pendAmount = new Float64Array(BATCH);
  private readonly pendQty = new Float64Array(BATCH);
  private readonly pendHash = new Int32Array(3 * BATCH);
  private readonly pendIdx = new Int32Array(BATCH);
  private pending = 0;
  /** Sink of the touching loads in `flush`. */
  private touched = 0;
  /** Kept attributes by customer index (null: none kept; then add's `dims` is ignored). */
  private attrs: CustomerAttributes | null = null;
  private readonly pendDims: (readonly string[] | null)[] = new Array<readonly string[] | null>(BATCH).fill(null);
  /** Activity per (customer, period) when cohorts are tracked (period-ledger.ts), else null. */
  private ledger: PeriodLedger | null = null;
  /** The kept attributes' first-purchase values for the key indicators, with cohorts and attributes. */
  private firstAttrs: CustomerAttributes | null = null;
  private grain: CohortGrain | null = null;
  private periodOf: (day: number) => number = () => 0;
  /** The per-row day → period of the tracked grain (its range test inlined in `addPeriod`). */
  private period = new PeriodCursor('month');

  /** `expectedCustomers` only sizes the first allocation. */
  constructor(expectedCustomers = 1024) {
    this.capacity = Math.max(16, expectedCustomers | 0);
    this.f64 = recordTable(4 * this.capacity);
    this.i32 = new Int32Array(this.f64.buffer, RECORD_OFFSET, 8 * this.capacity);
    this.arena = new Int32Array(this.capacity * INITIAL_SEGMENT * 2);
  }

  /** Carry these kept attributes (see customer-attributes.ts); call before the first `add`. */
  keepAttributes(specs: readonly AttrSpec[]): this {
    if (specs.length > 0) this.attrs = new CustomerAttributes(specs, this.capacity);
    this.pairFirstAttributes();
    return this;
  }

  /** With both kept attributes and cohorts: their first-purchase values too (key indicators). */
  private pairFirstAttributes(): void {
    if (this.attrs !== null && this.ledger !== null && this.firstAttrs === null) this.firstAttrs = firstOrderAttributes(this.attrs.specs, this.capacity);
  }

  /** The kept attributes, by customer index (null when none are kept). */
  get attributes(): CustomerAttributes | null {
    return this.attrs;
  }

  /**
   * Also keeps every customer's activity per calendar period of `grain`, for {@link cohorts}:
   * in the same pass, at a cost of memory per (customer, active period). Call before adding rows.
   */
  trackCohorts(grain: CohortGrain): void {
    if (this.n > 0 || this.pending > 0) throw new Error('trackCohorts after rows were added');
    this.grain = grain;
    this.periodOf = periodFunction(grain);
    this.period = new PeriodCursor(grain);
    this.ledger = new PeriodLedger(this.capacity);
    this.widenRecords();
    this.pairFirstAttributes();
  }

  /** The grain of the cohorts tracked, or null. */
  get cohortGrain(): CohortGrain | null {
    return this.grain;
  }

  /** Number of distinct customers seen (refund-only customers included). */
  get size(): number {
    this.flush();
    return this.n;
  }

  /** Smallest day over all added rows (refunds included); Infinity when empty. */
  get minDay(): number {
    this.flush();
    return this.lo;
  }

  /** Largest day over all added rows (refunds included): the default as-of; −Infinity when empty. */
  get maxDay(): number {
    this.flush();
    return this.hi;
  }

  /** Customers whose every row is a refund (no purchase day); they get no summary. */
  get refundOnly(): number {
    this.flush();
    let c = 0;
    for (let i = 0; i < this.n; i++) if (this.i32[this.w2 * i + 6] === 0) c++;
    return c;
  }

  /**
   * Adds one cleaned order (amount >= 0) or refund (amount < 0). O(1) amortised for
   * chronological input. Rows are applied in batches (see `flush`); every other method
   * flushes first, so what they report includes every row added.
   */
  add(customerId: string, day: number, amount: number, dims?: readonly string[], quantity = NaN): void {
    const k = this.pending;
    this.pendId[k] = customerId;
    if (this.attrs !== null) this.pendDims[k] = dims ?? null;
    this.pendDay[k] = day;
    this.pendAmount[k] = amount;
    this.pendQty[k] = quantity;
    if (++this.pending === BATCH) this.flush();
  }

  /**
   * Applies the pending rows, in order. At a million customers each row's id slot and its
   * customer's entries in the typed arrays are cache misses, and one row at a time each miss
   * waited for the one before. In stages over the batch — fingerprint every id; touch every id's
   * slot; resolve the indexes (slots now cached); touch the customers' records; touch their last
   * purchase days; then apply — the misses of a stage overlap (memory-level parallelism). The
   * touching stages are loops of a few instructions: when the fingerprinting shared a loop with
   * the slot loads, the reorder buffer held only a few iterations' worth of loads at a time,
   * and the loads of that loop took half of this function's time. Indexes are resolved in row
   * order, so new customers get the same indexes.
   */
  private flush(): void {
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    const ids = this.pendId, idx = this.pendIdx, h = this.pendHash, index = this.index;
    for (let k = 0; k < n; k++) {
      index.hash(ids[k]!);
      h[3 * k] = index.ha;
      h[3 * k + 1] = index.hb;
      h[3 * k + 2] = index.hc;
    }
    let sink = index.touchAll(h, n);
    for (let k = 0; k < n; k++) idx[k] = this.resolve(ids[k]!, h[3 * k]!, h[3 * k + 1]!, h[3 * k + 2]!);
    const i32 = this.i32, w2 = this.w2;
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      sink ^= i32[w2 * i]! ^ i32[w2 * i + w2 - 1]!; // both ends of the record (it may straddle two cache lines)
    }
    const arena = this.arena;
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      const l = i32[w2 * i + 6]!;
      if (l > 0) sink ^= arena[i32[w2 * i + 5]! + l - 1]!;
    }
    const attrs = this.attrs;
    const a = attrs?.records(this.n) ?? null, f = this.firstAttrs?.records(this.n) ?? null;
    if (a !== null) for (let k = 0; k < n; k++) sink ^= a.at[a.stride * idx[k]!]!;
    if (f !== null) for (let k = 0; k < n; k++) sink ^= f.at[f.stride * idx[k]!]!;
    this.touched = sink;
    for (let k = 0; k < n; k++) {
      this.apply(idx[k]!, this.pendDay[k]!, this.pendAmount[k]!, this.pendQty[k]!);
      ids[k] = '';
    }
    if (attrs !== null) {
      const dims = this.pendDims, first = this.firstAttrs;
      for (let k = 0; k < n; k++) {
        if (dims[k]) {
          attrs.add(idx[k]!, this.pendDay[k]!, dims[k]!);
          if (first !== null && this.pendAmount[k]! >= 0) first.add(idx[k]!, this.pendDay[k]!, dims[k]!);
        }
        dims[k] = null;
      }
    }
  }

  /** One row for customer index i (see `add`). */
  private apply(i: number, day: number, amount: number, quantity: number): void {
    if (day < this.lo) this.lo = day;
    if (day > this.hi) this.hi = day;
    if (this.ledger !== null) this.addPeriod(this.ledger, i, day, amount);
    if (amount >= 0) {
      this.i32[this.w2 * i + 4]! += 1;
      this.f64[this.w * i] = roundMoney(this.f64[this.w * i]! + amount);
      this.addDay(i, day, amount, quantity);
    } else {
      this.f64[this.w * i] = roundMoney(this.f64[this.w * i]! + amount);
      if (this.i32[this.w2 * i + 6] === 0 || day <= this.arena[this.i32[this.w2 * i + 5]!]!) this.pushEarly(i, day, amount);
    }
  }

  /**
   * The row's period activity. Most rows fall in the period of the customer's previous row
   * (the period held in the record): that case is done here, without a call per row into the
   * ledger or the period function; anything else is PeriodLedger.add.
   */
  private addPeriod(ledger: PeriodLedger, i: number, day: number, amount: number): void {
    const pc = this.period;
    const p = day >= pc.lo && day < pc.hi ? pc.cur : pc.miss(day);
    const r = this.w * i, q = 2 * r, i32 = this.i32;
    const st = i32[q + LEDGER_STATE]!;
    if (p === i32[q + LEDGER_PERIOD] && st !== 0) {
      this.f64[r + LEDGER_REVENUE] = roundMoney(this.f64[r + LEDGER_REVENUE]! + amount);
      if (amount >= 0 && st !== 2) i32[q + LEDGER_STATE] = 2;
      return;
    }
    ledger.add(this.f64, i32, r, p, amount, amount >= 0);
  }

  /** Adds everything `other` holds; the result equals accumulating both streams in one. */
  merge(other: CustomerAccumulator): void {
    // Cohort tables must merge too: a share without them would silently leave its periods out.
    if (this.grain !== other.grain) throw new Error(`merge: cohorts tracked by ${this.grain ?? 'none'} and ${other.grain ?? 'none'}`);
    this.flush();
    other.flush();
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    const otherIds = other.index.ids;
    for (let j = 0; j < otherIds.length; j++) {
      const i = this.indexOf(otherIds[j]!);
      this.i32[this.w2 * i + 4]! += other.i32[other.w2 * j + 4]!;
      this.f64[this.w * i] = roundMoney(this.f64[this.w * i]! + other.f64[other.w * j]!);
      const ol = other.i32[other.w2 * j + 6]!;
      if (ol > 0) {
        const oo = other.i32[other.w2 * j + 5]!;
        const oFirst = other.arena[oo]!;
        const oq = other.w === COHORT_RECORD ? other.f64[other.w * j + FIRST_QUANTITY]! : NaN;
        if (this.i32[this.w2 * i + 6] === 0 || oFirst < this.arena[this.i32[this.w2 * i + 5]!]!) {
          this.startFirst(i, other.f64[other.w * j + 1]!, oq);
        } else if (oFirst === this.arena[this.i32[this.w2 * i + 5]!]!) {
          this.addToFirst(i, other.f64[other.w * j + 1]!, oq);
        }
        this.unionDays(i, other.arena.subarray(oo, oo + ol));
      }
      if (this.ledger !== null && other.ledger !== null) this.ledger.mergeCustomer(this.f64, this.i32, this.w * i, other.ledger, other.f64, other.i32, other.w * j);
      const oe = other.early.get(j);
      if (oe) for (let k = 0; k < oe.length; k += 2) this.pushEarly(i, oe[k]!, oe[k + 1]!);
      this.pruneEarly(i);
      if (this.attrs && other.attrs) this.attrs.merge(i, other.attrs, j);
      if (this.firstAttrs && other.firstAttrs) this.firstAttrs.merge(i, other.firstAttrs, j);
    }
  }

  /**
   * The accumulator as plain data (typed arrays and strings) that a worker thread can post to
   * another thread; {@link CustomerAccumulator.fromState} rebuilds it. Lets each worker aggregate
   * its share of a file and the main thread merge the shares exactly.
   */
  toState(): AccumulatorState {
    this.flush();
    const n = this.n;
    const ids = this.index.ids.slice(0, n);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.i32[this.w2 * i + 6]!;
    const days = new Int32Array(total);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const o = this.i32[this.w2 * i + 5]!;
      const l = this.i32[this.w2 * i + 6]!;
      days.set(this.arena.subarray(o, o + l), p);
      p += l;
    }
    const early: [number, number[]][] = [...this.early.entries()].map(([i, v]) => [i, v.slice()]);
    const orderCount = new Int32Array(n), revenue = new Float64Array(n), firstRev = new Float64Array(n), len = new Int32Array(n);
    const firstQuantity = new Float64Array(this.ledger !== null ? n : 0);
    for (let i = 0; i < firstQuantity.length; i++) firstQuantity[i] = this.f64[this.w * i + FIRST_QUANTITY]!;
    for (let i = 0; i < n; i++) {
      orderCount[i] = this.i32[this.w2 * i + 4]!;
      revenue[i] = this.f64[this.w * i]!;
      firstRev[i] = this.f64[this.w * i + 1]!;
      len[i] = this.i32[this.w2 * i + 6]!;
    }
    return {
      ids,
      orderCount,
      revenue,
      firstRev,
      len,
      days,
      early,
      lo: this.lo,
      hi: this.hi,
      ...(this.attrs ? { attrs: { specs: [...this.attrs.specs], columns: this.attrs.toState(n) } } : {}),
      ...(this.ledger !== null && this.grain !== null ? { cohorts: { grain: this.grain, ledger: this.ledger.toState(this.f64, this.i32, this.w, n), firstQuantity, ...(this.firstAttrs ? { firstAttrs: this.firstAttrs.toState(n) } : {}) } } : {}),
    };
  }

  /** Rebuilds an accumulator from {@link CustomerAccumulator.toState}'s data. */
  static fromState(st: AccumulatorState): CustomerAccumulator {
    const n = st.ids.length;
    const a = new CustomerAccumulator(n);
    if (st.cohorts) a.widenRecords();
    for (let i = 0; i < n; i++) a.index.indexOf(st.ids[i]!);
    a.n = n;
    let p = 0;
    for (let i = 0; i < n; i++) {
      a.i32[a.w2 * i + 4] = st.orderCount[i]!;
      a.f64[a.w * i] = st.revenue[i]!;
      a.f64[a.w * i + 1] = st.firstRev[i]!;
      a.i32[a.w2 * i + 6] = st.len[i]!;
      a.i32[a.w2 * i + 5] = p;
      a.i32[a.w2 * i + 7] = st.len[i]!;
      p += st.len[i]!;
    }
    a.arena = new Int32Array(Math.max(16, st.days.length * 2));
    a.arena.set(st.days);
    a.arenaUsed = st.days.length;
    for (const [i, v] of st.early) a.early.set(i, v.slice());
    a.lo = st.lo;
    a.hi = st.hi;
    if (st.attrs) a.attrs = CustomerAttributes.fromState(st.attrs.specs, st.attrs.columns, Math.max(n, a.capacity));
    if (st.cohorts) {
      a.grain = st.cohorts.grain;
      a.periodOf = periodFunction(st.cohorts.grain);
      a.period = new PeriodCursor(st.cohorts.grain);
      a.ledger = PeriodLedger.fromState(st.cohorts.ledger, a.f64, a.i32, a.w);
      for (let i = 0; i < n; i++) a.f64[a.w * i + FIRST_QUANTITY] = st.cohorts.firstQuantity[i]!;
      if (st.cohorts.firstAttrs && a.attrs) a.firstAttrs = CustomerAttributes.fromState(a.attrs.specs.map((s) => ({ name: s.name, rule: 'first' as const })), st.cohorts.firstAttrs, Math.max(n, a.capacity), true);
    }
    return a;
  }

  /**
   * One summary per customer with at least one purchase day, sorted by customerId in plain
   * UTF-16 code-unit order (`a < b`). `asOf` should be >= maxDay (days since last would be
   * negative otherwise; the caller validates).
   */
  summaries(asOf: number): CustomerSummary[] {
    return summariesFromFacts(this.facts(), asOf);
  }

  /** The summaries with their kept attributes in the same order (attributes null when none are kept). */
  summariesWithAttributes(asOf: number): { summaries: CustomerSummary[]; attributes: AttributeCells | null } {
    const f = this.facts();
    return { summaries: summariesFromFacts(f, asOf), attributes: this.attrs && f.index ? attributeCells(this.attrs, f.index) : null };
  }

  /**
   * The facts {@link summaries} are made of, as columns in the same order (summary-facts.ts):
   * no object per customer, so that scoring can start from them before the summaries are built.
   */
  facts(): SummaryFacts {
    this.flush();
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, like
    // `a < b`, natively, far faster than [id, index] pairs sorted with a comparator; each
    // sorted id then finds its index in the id table again.
    // The sorted ids' slots, records and days are scattered: they are looked up a batch at a
    // time in stages, like rows in `flush`, so that the cache misses of a stage overlap.
    const sorted = this.index.ids.slice().sort();
    const out = summaryFacts(sorted.length);
    if (this.attrs) out.index = new Int32Array(sorted.length);
    const index = this.index, h = this.pendHash, idx = this.pendIdx, i32 = this.i32, w2 = this.w2, arena = this.arena;
    for (let k0 = 0; k0 < sorted.length; k0 += BATCH) {
      const m = Math.min(BATCH, sorted.length - k0);
      let sink = 0;
      for (let k = 0; k < m; k++) sink ^= sorted[k0 + k]!.length; // the strings themselves are scattered too
      for (let k = 0; k < m; k++) {
        index.hash(sorted[k0 + k]!);
        h[3 * k] = index.ha;
        h[3 * k + 1] = index.hb;
        h[3 * k + 2] = index.hc;
      }
      sink ^= index.touchAll(h, m);
      for (let k = 0; k < m; k++) idx[k] = index.indexOfHashed(sorted[k0 + k]!, h[3 * k]!, h[3 * k + 1]!, h[3 * k + 2]!);
      for (let k = 0; k < m; k++) sink ^= i32[w2 * idx[k]!]! ^ i32[w2 * idx[k]! + w2 - 1]!;
      for (let k = 0; k < m; k++) {
        const l = i32[w2 * idx[k]! + 6]!;
        if (l > 0) sink ^= arena[i32[w2 * idx[k]! + 5]!]! ^ arena[i32[w2 * idx[k]! + 5]! + l - 1]!;
      }
      this.touched = sink;
      for (let k = 0; k < m; k++) this.factsOf(sorted[k0 + k]!, idx[k]!, out);
    }
    if (out.ids.length === sorted.length) return out;
    const n = out.ids.length; // refund-only customers left out
    return {
      ids: out.ids, orders: out.orders.slice(0, n), purchaseDays: out.purchaseDays.slice(0, n), revenue: out.revenue.slice(0, n),
      firstDay: out.firstDay.slice(0, n), lastDay: out.lastDay.slice(0, n), repeatRevenue: out.repeatRevenue.slice(0, n),
      ...(out.index ? { index: out.index.slice(0, n) } : {}),
    };
  }

  /**
   * The cohort tables at `asOf` (cohort-table.ts) from the tracked periods; null when cohorts
   * are not tracked. Customers with refunds only have no first purchase and are left out.
   */
  cohorts(asOf: number): CohortReport | null {
    this.flush();
    const ledger = this.ledger;
    if (ledger === null || this.grain === null) return null;
    if (this.n === 0) return new CohortBuilder(this.grain, this.periodOf, null, 0, -1).finish();
    const b = new CohortBuilder(this.grain, this.periodOf, asOf, this.periodOf(this.lo), Math.max(this.periodOf(asOf), this.periodOf(this.hi)));
    const f64 = this.f64, i32 = this.i32, w = this.w, w2 = this.w2, arena = this.arena;
    // A customer's first days and earlier periods are scattered: loaded a batch at a time in
    // stages, as rows are in `flush`, so that their cache misses overlap.
    for (let i0 = 0; i0 < this.n; i0 += BATCH) {
      const end = Math.min(this.n, i0 + BATCH);
      this.touchFirstDays(i0, end, ledger.touchLists(i32, w2, i0, end));
      for (let i = i0; i < end; i++) {
        const l = i32[w2 * i + 6]!;
        if (l === 0) continue;
        const o = i32[w2 * i + 5]!;
        b.addCustomer(arena[o]!, l > 1 ? arena[o + 1]! : -1);
        ledger.addTo(f64, i32, w * i, b);
      }
    }
    return b.finish();
  }

  /**
   * Loads the first purchase day of customers i0 … end − 1 in one tight loop (they are scattered
   * over the arena), so that the cache misses overlap before the loop that uses them.
   */
  private touchFirstDays(i0: number, end: number, sink: number): void {
    const i32 = this.i32, w2 = this.w2, arena = this.arena;
    for (let i = i0; i < end; i++) if (i32[w2 * i + 6]! > 0) sink ^= arena[i32[w2 * i + 5]!]!;
    this.touched = sink;
  }

  /** {@link FirstPurchases} of every customer with a purchase day (refund-only ones left out), in index order. */
  firstPurchases(): FirstPurchases {
    this.flush();
    const fa = this.firstAttrs;
    const out: FirstPurchases = { ids: [], firstDay: new Int32Array(this.n), secondDay: new Int32Array(this.n), firstValue: new Float64Array(this.n), firstQuantity: new Float64Array(this.n), firstAttributes: (fa?.specs ?? []).map((s) => ({ name: s.name, values: [] })) };
    const ids = this.index.ids, i32 = this.i32, w2 = this.w2, arena = this.arena, early = this.early.size > 0;
    let j = 0;
    for (let i0 = 0; i0 < this.n; i0 += BATCH) {
      const end = Math.min(this.n, i0 + BATCH);
      this.touchFirstDays(i0, end, 0);
      for (let i = i0; i < end; i++) {
        const l = i32[w2 * i + 6]!;
        if (l === 0) continue;
        const o = i32[w2 * i + 5]!;
        let firstNet = this.f64[this.w * i + 1]!;
        const e = early ? this.early.get(i) : undefined;
        if (e) for (let m = 1; m < e.length; m += 2) firstNet += e[m]!;
        out.firstDay[j] = arena[o]!;
        out.secondDay[j] = l > 1 ? arena[o + 1]! : -1;
        out.firstValue[j] = roundMoney(firstNet);
        out.firstQuantity[j] = this.ledger !== null ? this.f64[this.w * i + FIRST_QUANTITY]! : NaN;
        for (let k = 0; k < out.firstAttributes.length; k++) out.firstAttributes[k]!.values.push(fa!.text(k, i));
        out.ids.push(ids[i]!);
        j++;
      }
    }
    return { ids: out.ids, firstDay: out.firstDay.slice(0, j), secondDay: out.secondDay.slice(0, j), firstValue: out.firstValue.slice(0, j), firstQuantity: out.firstQuantity.slice(0, j), firstAttributes: out.firstAttributes };
  }

  /** Appends customer i's facts to `out` (nothing for a refund-only customer). */
  private factsOf(id: string, i: number, out: SummaryFacts): void {
    const l = this.i32[this.w2 * i + 6]!;
    if (l === 0) return; // refunds only: no purchase day
    const o = this.i32[this.w2 * i + 5]!;
    let firstNet = this.f64[this.w * i + 1]!;
    const e = this.early.get(i);
    if (e) for (let m = 1; m < e.length; m += 2) firstNet += e[m]!;
    const j = out.ids.length;
    out.ids.push(id);
    out.orders[j] = this.i32[this.w2 * i + 4]!;
    out.purchaseDays[j] = l;
    out.revenue[j] = this.f64[this.w * i]!;
    out.firstDay[j] = this.arena[o]!;
    out.lastDay[j] = this.arena[o + l - 1]!;
    out.repeatRevenue[j] = roundMoney(this.f64[this.w * i]! - roundMoney(firstNet));
    if (out.index) out.index[j] = i;
  }

  private indexOf(id: string): number {
    const index = this.index;
    index.hash(id);
    return this.resolve(id, index.ha, index.hb, index.hc);
  }

  /** The index of an id with fingerprint (a, b, c), a new customer's arrays made ready. */
  private resolve(id: string, a: number, b: number, c: number): number {
    const i = this.index.indexOfHashed(id, a, b, c);
    if (i === this.n) {
      this.n++;
      if (i >= this.capacity) this.growCustomers();
    }
    return i;
  }

  private growCustomers(): void {
    const c = this.capacity * 2;
    const f64 = recordTable(this.w * c);
    f64.set(this.f64);
    this.f64 = f64;
    this.i32 = new Int32Array(f64.buffer, RECORD_OFFSET, 2 * this.w * c);
    this.capacity = c;
  }

  /** Switches to the 64-byte records of cohort tracking (no customer yet). */
  private widenRecords(): void {
    this.w = COHORT_RECORD;
    this.w2 = 2 * COHORT_RECORD;
    this.f64 = recordTable(this.w * this.capacity);
    this.i32 = new Int32Array(this.f64.buffer, RECORD_OFFSET, 2 * this.w * this.capacity);
  }

  /** Customer i's first purchase day starts over with an order of `amount` (with cohorts: and `quantity`). */
  private startFirst(i: number, amount: number, quantity: number): void {
    this.f64[this.w * i + 1] = roundMoney(amount);
    if (this.w === COHORT_RECORD) this.f64[this.w * i + FIRST_QUANTITY] = roundMoney(quantity);
  }

  /** Another order on customer i's first purchase day (NaN quantity: unknown, and stays so). */
  private addToFirst(i: number, amount: number, quantity: number): void {
    this.f64[this.w * i + 1] = roundMoney(this.f64[this.w * i + 1]! + amount);
    if (this.w === COHORT_RECORD) this.f64[this.w * i + FIRST_QUANTITY] = roundMoney(this.f64[this.w * i + FIRST_QUANTITY]! + quantity);
  }

  /**
   * A block of `size` slots (a power of two): the head of its size class's free list, else the
   * next `size` slots at the arena's end (the arena doubles, copied once, when they are not there).
   * Reusing freed blocks replaced compacting the whole arena when it filled up: 16 compactions
   * on 10M orders / 1M customers, each a pass over every customer with a subarray per segment.
   */
  private reserve(size: number): number {
    const k = 31 - Math.clz32(size);
    const head = this.freeHead[k]!;
    if (head >= 0) {
      this.freeHead[k] = this.arena[head]!;
      return head;
    }
    if (this.arenaUsed + size > this.arena.length) {
      const next = new Int32Array(Math.max(2 * this.arena.length, this.arenaUsed + size));
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    const at = this.arenaUsed;
    this.arenaUsed += size;
    return at;
  }

  /** Puts the block at `at` with `capacity` slots on the free list of the largest class it can serve. */
  private release(at: number, capacity: number): void {
    if (capacity < INITIAL_SEGMENT) return; // below the smallest block ever asked for
    const k = 31 - Math.clz32(capacity);
    this.arena[at] = this.freeHead[k]!;
    this.freeHead[k] = at;
  }

  /** Makes room for at least `need` days in customer i's segment (capacity: the next power of two). */
  private ensure(i: number, need: number): void {
    const cap = this.i32[this.w2 * i + 7]!;
    if (need <= cap) return;
    let c = INITIAL_SEGMENT;
    while (c < need) c *= 2;
    const at = this.reserve(c);
    const o = this.i32[this.w2 * i + 5]!;
    const l = this.i32[this.w2 * i + 6]!;
    const arena = this.arena;
    if (l <= 16) for (let k = 0; k < l; k++) arena[at + k] = arena[o + k]!;
    else arena.copyWithin(at, o, o + l);
    if (cap > 0) this.release(o, cap);
    this.i32[this.w2 * i + 5] = at;
    this.i32[this.w2 * i + 7] = c;
  }

  private addDay(i: number, day: number, amount: number, quantity: number): void {
    const l = this.i32[this.w2 * i + 6]!;
    if (l === 0) {
      this.ensure(i, 1);
      this.arena[this.i32[this.w2 * i + 5]!] = day;
      this.i32[this.w2 * i + 6] = 1;
      this.startFirst(i, amount, quantity);
      this.pruneEarly(i);
      return;
    }
    let o = this.i32[this.w2 * i + 5]!;
    const last = this.arena[o + l - 1]!;
    if (day > last) {
      this.ensure(i, l + 1);
      this.arena[this.i32[this.w2 * i + 5]! + l] = day;
      this.i32[this.w2 * i + 6] = l + 1;
      return;
    }
    if (day === last && l === 1) {
      this.addToFirst(i, amount, quantity);
      return;
    }
    // binary search for the first index with arena[o + k] >= day
    let a = 0;
    let b = l;
    while (a < b) {
      const m = (a + b) >> 1;
      if (this.arena[o + m]! < day) a = m + 1;
      else b = m;
    }
    if (a < l && this.arena[o + a] === day) {
      if (a === 0) this.addToFirst(i, amount, quantity);
      return;
    }
    this.ensure(i, l + 1);
    o = this.i32[this.w2 * i + 5]!;
    this.arena.copyWithin(o + a + 1, o + a, o + l);
    this.arena[o + a] = day;
    this.i32[this.w2 * i + 6] = l + 1;
    if (a === 0) {
      this.startFirst(i, amount, quantity);
      this.pruneEarly(i);
    }
  }

  /** Union of customer i's days with a sorted distinct list. */
  private unionDays(i: number, days: Int32Array): void {
    const l = this.i32[this.w2 * i + 6]!;
    if (l === 0 || days[0]! > this.arena[this.i32[this.w2 * i + 5]! + l - 1]!) {
      this.ensure(i, l + days.length);
      this.arena.set(days, this.i32[this.w2 * i + 5]! + l);
      this.i32[this.w2 * i + 6] = l + days.length;
      return;
    }
    const o = this.i32[this.w2 * i + 5]!;
    const mine = this.arena.slice(o, o + l);
    const merged = new Int32Array(l + days.length);
    let p = 0, a = 0, b = 0;
    while (a < l || b < days.length) {
      const x = a < l ? mine[a]! : Infinity;
      const y = b < days.length ? days[b]! : Infinity;
      if (x < y) { merged[p++] = x; a++; }
      else if (y < x) { merged[p++] = y; b++; }
      else { merged[p++] = x; a++; b++; }
    }
    this.ensure(i, p);
    this.arena.set(merged.subarray(0, p), this.i32[this.w2 * i + 5]!);
    this.i32[this.w2 * i + 6] = p;
  }

  private pushEarly(i: number, day: number, amount: number): void {
    const e = this.early.get(i);
    if (e) e.push(day, amount);
    else this.early.set(i, [day, amount]);
  }

  /** Drops early refunds dated after the (new) first purchase day: they now count as repeat-period refunds. */
  private pruneEarly(i: number): void {
    const e = this.early.get(i);
    if (!e || this.i32[this.w2 * i + 6] === 0) return;
    const first = this.arena[this.i32[this.w2 * i + 5]!]!;
    const keep: number[] = [];
    for (let k = 0; k < e.length; k += 2) if (e[k]! <= first) keep.push(e[k]!, e[k + 1]!);
    if (keep.length === 0) this.early.delete(i);
    else if (keep.length !== e.length) this.early.set(i, keep);
  }
}
