/**
 * First-purchase cohorts and retention (docs/definitions.md, "Cohorts and retention"): customers grouped by
 * the period of their first purchase; per cohort and period offset k = period − cohort:
 * active customers (a purchase in that period), retention share = active / cohort size,
 * net revenue, cumulative revenue per customer; per cohort the share of customers with a
 * second purchase day and the median days from the first to the second; per calendar period
 * net revenue of new customers (their cohort period) and of returning ones (later periods).
 * Built from one visit of every customer's ledger: the tables are cohorts × offsets, and the
 * days-to-second medians come from per-cohort histograms (cohorts × distinct day gaps).
 * Refunds dated in a period before the first purchase count at offset 0, as the customer
 * table counts them on the first purchase day.
 */
import { roundMoney } from '../money.js';
import { formatDay } from '../time/day.js';
import { periodLabel, type CohortGrain } from './periods.js';

export interface CohortOffset {
  offset: number;
  period: string;
  active: number;
  retention: number;
  revenue: number;
  cumulative_revenue_per_customer: number;
}

export interface CohortRow {
  cohort: string;
  customers: number;
  /** Customers with a second purchase day (at any time up to as-of). */
  second_purchase: number;
  second_purchase_share: number;
  /** Median days from first to second purchase day among them (null: none). */
  median_days_to_second: number | null;
  offsets: CohortOffset[];
}

export interface PeriodRevenue {
  period: string;
  new_customers: number;
  new_revenue: number;
  returning_customers: number;
  returning_revenue: number;
}

export interface CohortReport {
  grain: CohortGrain;
  /** Null when there were no rows (no as-of date to count to). */
  as_of: string | null;
  customers: number;
  revenue: number;
  cohorts: CohortRow[];
  periods: PeriodRevenue[];
}

/** One customer as the builder sees it. */
export interface CohortCustomer {
  firstDay: number;
  /** Second purchase day, −1 when none. */
  secondDay: number;
  /** Active periods: parallel lists (any order). */
  periods: number[];
  revenue: number[];
  bought: boolean[];
}

interface Acc {
  size: number;
  /** Per offset k: active customers and net revenue; sized to the offsets up to `last` (zero: no cell), widened for a cell beyond. */
  active: Float64Array;
  revenue: Float64Array;
  /** Days from first to second purchase → customers; gaps under DENSE_GAPS counted in `dense` until finish. */
  gaps: Map<number, number>;
  dense: Float64Array;
  seconds: number;
}

/** Day gaps counted in an array rather than a Map (a million customers: one Map update each). */
const DENSE_GAPS = 512;

const r6 = roundMoney;
const share = (a: number, b: number): number => (b > 0 ? r6(a / b) : 0);

/** Median of a histogram value → count with `total` entries (mean of the two middle values when even). */
export function histogramMedian(h: Map<number, number>, total: number): number | null {
  if (total === 0) return null;
  const lo = Math.floor((total - 1) / 2), hi = Math.floor(total / 2);
  let seen = 0;
  let a: number | null = null;
  for (const v of [...h.keys()].sort((x, y) => x - y)) {
    const c = h.get(v)!;
    if (a === null && seen + c > lo) a = v;
    if (seen + c > hi) return (a! + v) / 2;
    seen += c;
  }
  return a;
}

/** Room for `n` offsets in a cohort's cells (a cell beyond the periods up to `last`). */
function widen(a: Acc, n: number): void {
  const active = new Float64Array(n), revenue = new Float64Array(n);
  active.set(a.active);
  revenue.set(a.revenue);
  a.active = active;
  a.revenue = revenue;
}

export class CohortBuilder {
  private readonly cohorts = new Map<number, Acc>();
  /** Per calendar period first … last: revenue and buyers, new and returning. */
  private readonly newRev: Float64Array;
  private readonly retRev: Float64Array;
  private readonly newN: Int32Array;
  private readonly retN: Int32Array;
  private customers = 0;
  private total = 0;
  /** The customer being added (addCustomer): cohort period and its accumulator. */
  private cohort = 0;
  private cur: Acc | null = null;

  /**
   * `first` … `last`: the periods of the earliest and the latest row (refunds included); the
   * tables run to `last`, the period of the as-of date when no row is dated after it.
   */
  constructor(private readonly grain: CohortGrain, private readonly periodOf: (day: number) => number, private readonly asOf: number | null, private readonly first: number, private readonly last: number) {
    const n = Math.max(0, last - first + 1);
    this.newRev = new Float64Array(n);
    this.retRev = new Float64Array(n);
    this.newN = new Int32Array(n);
    this.retN = new Int32Array(n);
  }

  add(c: CohortCustomer): void {
    this.addCustomer(c.firstDay, c.secondDay);
    for (let m = 0; m < c.periods.length; m++) this.addPeriod(c.periods[m]!, c.revenue[m]!, c.bought[m]!);
  }

  /**
   * Starts a customer (first and second purchase day, −1: none) whose active periods follow
   * through {@link addPeriod}: no object or list per customer.
   */
  addCustomer(firstDay: number, secondDay: number): void {
    const cohort = this.periodOf(firstDay);
    // Customers arrive roughly by first purchase: most share the previous one's cohort.
    const a = cohort === this.cohort && this.cur !== null ? this.cur : this.acc(cohort);
    this.cohort = cohort;
    this.cur = a;
    a.size++;
    this.customers++;
    if (secondDay >= 0) {
      a.seconds++;
      const g = secondDay - firstDay;
      if (g >= 0 && g < DENSE_GAPS) a.dense[g]!++;
      else a.gaps.set(g, (a.gaps.get(g) ?? 0) + 1);
    }
  }

  /** An active period of the customer started by addCustomer: net revenue `rev`, with a purchase or not. */
  addPeriod(p: number, rev: number, bought: boolean): void {
    this.cell(this.cur!, this.cohort, Math.max(0, p - this.cohort), bought ? 1 : 0, rev);
  }

  /**
   * Counts grouped already (the DuckDB engine, engine/duckdb-cohorts.ts): cohort `cohort` has
   * `size` customers, `seconds` of them with a second purchase day.
   */
  addCohort(cohort: number, size: number, seconds: number): void {
    const a = this.acc(cohort);
    a.size += size;
    a.seconds += seconds;
    this.customers += size;
  }

  /** `n` customers of cohort `cohort` made their second purchase `gap` days after the first. */
  addGap(cohort: number, gap: number, n: number): void {
    const a = this.acc(cohort);
    a.gaps.set(gap, (a.gaps.get(gap) ?? 0) + n);
  }

  /** Of cohort `cohort`, `active` customers bought at offset k (k = 0 also holds refunds dated before), net revenue `rev`. */
  addCell(cohort: number, k: number, active: number, rev: number): void {
    this.cell(this.acc(cohort), cohort, k, active, rev);
  }

  private acc(cohort: number): Acc {
    let a = this.cohorts.get(cohort);
    if (!a) {
      const offsets = Math.max(1, this.last - cohort + 1);
      this.cohorts.set(cohort, (a = { size: 0, active: new Float64Array(offsets), revenue: new Float64Array(offsets), gaps: new Map(), dense: new Float64Array(DENSE_GAPS), seconds: 0 }));
    }
    return a;
  }

  private cell(a: Acc, cohort: number, k: number, active: number, rev: number): void {
    if (k >= a.active.length) widen(a, k + 1);
    a.active[k]! += active;
    a.revenue[k] = r6(a.revenue[k]! + rev);
    this.total = r6(this.total + rev);
    const q = cohort + k - this.first;
    if (k === 0) {
      this.newRev[q] = r6(this.newRev[q]! + rev);
      this.newN[q]! += active;
    } else {
      this.retRev[q] = r6(this.retRev[q]! + rev);
      this.retN[q]! += active;
    }
  }

  finish(): CohortReport {
    const g = this.grain;
    const last = this.last;
    const keys = [...this.cohorts.keys()].sort((x, y) => x - y);
    const cohorts: CohortRow[] = keys.map((c) => {
      const a = this.cohorts.get(c)!;
      for (let g = 0; g < DENSE_GAPS; g++) if (a.dense[g]! > 0) a.gaps.set(g, (a.gaps.get(g) ?? 0) + a.dense[g]!);
      a.dense.fill(0);
      const offsets: CohortOffset[] = [];
      let cum = 0;
      for (let k = 0; c + k <= last; k++) {
        const rev = a.revenue[k] ?? 0;
        cum = r6(cum + rev);
        const active = a.active[k] ?? 0;
        offsets.push({ offset: k, period: periodLabel(c + k, g), active, retention: share(active, a.size), revenue: rev, cumulative_revenue_per_customer: share(cum, a.size) });
      }
      return { cohort: periodLabel(c, g), customers: a.size, second_purchase: a.seconds, second_purchase_share: share(a.seconds, a.size), median_days_to_second: histogramMedian(a.gaps, a.seconds), offsets };
    });
    const periods: PeriodRevenue[] = [];
    if (keys.length) {
      for (let p = keys[0]!; p <= last; p++) {
        const q = p - this.first;
        periods.push({ period: periodLabel(p, g), new_customers: this.newN[q]!, new_revenue: this.newRev[q]!, returning_customers: this.retN[q]!, returning_revenue: this.retRev[q]! });
      }
    }
    return { grain: g, as_of: this.asOf === null ? null : formatDay(this.asOf), customers: this.customers, revenue: this.total, cohorts, periods };
  }
}
