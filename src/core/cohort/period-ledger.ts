/**
 * Per customer, the calendar periods with activity: net revenue in the period and whether
 * it holds a purchase (a row with amount ≥ 0). The cohort of a customer (the period of the
 * first purchase) is known only once all their rows are seen when input is not sorted by
 * date, so activity is kept per (customer, period) until the end: memory grows with
 * customers and the periods they were active in, never with orders.
 *
 * Layout: the customer's latest period sits in a 32-byte slot of its own (period, revenue,
 * state, list head), so a date-ordered stream touches one cache line per row; when a later
 * period starts, the slot's period moves to a node (17 bytes: period, revenue, bought, next)
 * of the customer's list of earlier periods, kept latest first. A row dated before the
 * latest period (unordered input) walks that list.
 */
import { roundMoney } from '../money.js';

/** Plain-data form (structured-clone friendly) of a ledger. */
export interface LedgerState {
  /** 4 per customer: latest period, its revenue, state (0 none, 1 refunds only, 2 a purchase), list head + 1 (0: none). */
  slots: Float64Array;
  period: Int32Array;
  revenue: Float64Array;
  bought: Uint8Array;
  next: Int32Array;
}

export class PeriodLedger {
  private slots: Float64Array;
  private period: Int32Array;
  private revenue: Float64Array;
  private bought: Uint8Array;
  private next: Int32Array;
  private used = 0;

  constructor(customers = 1024, nodes = 1024) {
    this.slots = new Float64Array(4 * Math.max(16, customers));
    this.period = new Int32Array(Math.max(16, nodes));
    this.revenue = new Float64Array(this.period.length);
    this.bought = new Uint8Array(this.period.length);
    this.next = new Int32Array(this.period.length);
  }

  /** Adds one row of customer i in period p (amount ≥ 0: a purchase; < 0: a refund). */
  add(i: number, p: number, amount: number): void {
    this.addTo(i, p, amount, amount >= 0);
  }

  /** Loads customer i's slot (the batch-touching stage of CustomerAccumulator.flush). */
  touch(i: number): number {
    return 4 * i < this.slots.length ? this.slots[4 * i]! : 0;
  }

  private addTo(i: number, p: number, amount: number, bought: boolean): void {
    if (4 * i >= this.slots.length) this.growCustomers(i + 1);
    const s = this.slots, b = 4 * i;
    const st = s[b + 2]!;
    if (st === 0 || p > s[b]!) {
      if (st !== 0) {
        const node = this.newNode();
        this.period[node] = s[b]!;
        this.revenue[node] = s[b + 1]!;
        this.bought[node] = st === 2 ? 1 : 0;
        this.next[node] = s[b + 3]! - 1;
        s[b + 3] = node + 1;
      }
      s[b] = p;
      s[b + 1] = roundMoney(amount);
      s[b + 2] = bought ? 2 : 1;
      return;
    }
    if (p === s[b]) {
      s[b + 1] = roundMoney(s[b + 1]! + amount);
      if (bought) s[b + 2] = 2;
      return;
    }
    this.addEarlier(i, p, amount, bought);
  }

  /** A row dated before customer i's latest period: into the list of earlier periods (latest first). */
  private addEarlier(i: number, p: number, amount: number, bought: boolean): void {
    const s = this.slots, b = 4 * i;
    let prev = -1;
    let k = s[b + 3]! - 1;
    while (k >= 0 && this.period[k]! > p) {
      prev = k;
      k = this.next[k]!;
    }
    if (k < 0 || this.period[k] !== p) {
      const node = this.newNode();
      this.period[node] = p;
      this.revenue[node] = 0;
      this.bought[node] = 0;
      this.next[node] = k;
      if (prev < 0) s[b + 3] = node + 1;
      else this.next[prev] = node;
      k = node;
    }
    this.revenue[k] = roundMoney(this.revenue[k]! + amount);
    if (bought) this.bought[k] = 1;
  }

  /** Calls fn(period, revenue, bought) for each active period of customer i, latest first. */
  forEach(i: number, fn: (period: number, revenue: number, bought: boolean) => void): void {
    const s = this.slots, b = 4 * i;
    if (b >= s.length || s[b + 2] === 0) return;
    fn(s[b]!, s[b + 1]!, s[b + 2] === 2);
    for (let k = s[b + 3]! - 1; k >= 0; k = this.next[k]!) fn(this.period[k]!, this.revenue[k]!, this.bought[k] === 1);
  }

  /** Adds customer j of `other` to customer i of this ledger. */
  mergeCustomer(i: number, other: PeriodLedger, j: number): void {
    other.forEach(j, (p, rev, b) => this.addTo(i, p, rev, b));
  }

  toState(customers: number): LedgerState {
    const slots = new Float64Array(4 * customers);
    slots.set(this.slots.subarray(0, Math.min(slots.length, this.slots.length)));
    const n = this.used;
    return { slots, period: this.period.slice(0, n), revenue: this.revenue.slice(0, n), bought: this.bought.slice(0, n), next: this.next.slice(0, n) };
  }

  static fromState(st: LedgerState): PeriodLedger {
    const l = new PeriodLedger(st.slots.length / 4, st.period.length);
    l.slots.set(st.slots);
    l.period.set(st.period);
    l.revenue.set(st.revenue);
    l.bought.set(st.bought);
    l.next.set(st.next);
    l.used = st.period.length;
    return l;
  }

  private newNode(): number {
    if (this.used === this.period.length) {
      const c = this.period.length * 2;
      const period = new Int32Array(c), revenue = new Float64Array(c), bought = new Uint8Array(c), next = new Int32Array(c);
      period.set(this.period);
      revenue.set(this.revenue);
      bought.set(this.bought);
      next.set(this.next);
      this.period = period;
      this.revenue = revenue;
      this.bought = bought;
      this.next = next;
    }
    return this.used++;
  }

  private growCustomers(need: number): void {
    let c = this.slots.length / 4;
    while (c < need) c *= 2;
    const s = new Float64Array(4 * c);
    s.set(this.slots);
    this.slots = s;
  }
}
