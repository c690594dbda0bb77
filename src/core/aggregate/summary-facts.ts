/**
 * The primary facts of customers' summaries as columns, in output order: what makeSummary
 * builds each summary from. CustomerAccumulator hands them out before any summary object
 * exists, so that `run` can start scoring on its second thread from the columns (score
 * inputs need no objects) while the main thread builds the million summaries.
 */
import { avgOrderValueOf, frequencyOf, makeSummary, perRepeatDay, type CustomerSummary } from './customer-summary.js';
import { roundMoney } from '../money.js';

export interface SummaryFacts {
  /** Customer ids, in output order. */
  ids: string[];
  orders: Int32Array;
  purchaseDays: Int32Array;
  /** Net revenue as accumulated (makeSummary rounds it). */
  revenue: Float64Array;
  firstDay: Int32Array;
  lastDay: Int32Array;
  /** Net revenue of the repeat purchase days (makeSummary's `repeatRevenue`). */
  repeatRevenue: Float64Array;
  /** The accumulator's index of each customer, when it carries kept attributes (their rows). */
  index?: Int32Array;
}

/** Empty columns for n customers (ids to be pushed). */
export function summaryFacts(n: number): SummaryFacts {
  return {
    ids: [],
    orders: new Int32Array(n),
    purchaseDays: new Int32Array(n),
    revenue: new Float64Array(n),
    firstDay: new Int32Array(n),
    lastDay: new Int32Array(n),
    repeatRevenue: new Float64Array(n),
  };
}

/** The summary of customer i of `f` (makeSummary). */
export function summaryOfFacts(f: SummaryFacts, i: number, asOf: number): CustomerSummary {
  return makeSummary(f.ids[i]!, f.orders[i]!, f.purchaseDays[i]!, f.revenue[i]!, f.firstDay[i]!, f.lastDay[i]!, asOf, f.repeatRevenue[i]!);
}

/** Every customer's summary, in the facts' order. */
export function summariesFromFacts(f: SummaryFacts, asOf: number): CustomerSummary[] {
  const n = f.ids.length;
  const out: CustomerSummary[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = summaryOfFacts(f, i, asOf);
  return out;
}

/** Facts with the as-of date their summaries are taken at. */
interface FactsAsOf {
  f: SummaryFacts;
  asOf: number;
}

/**
 * Customer i's summary read from the facts' columns: every field a getter deriving what
 * makeSummary stores, with its helpers (same numbers: tested field by field). An object of two
 * fields instead of fourteen, four of them boxed doubles: a million plain summaries kept the
 * garbage collector busy moving them out of the young generation (docs/performance.md). Not plain data: copy it with makeSummary's fields, not with a spread.
 */
class FactsSummary implements CustomerSummary {
  constructor(
    private readonly at: FactsAsOf,
    private readonly i: number,
  ) {}

  get customerId(): string {
    return this.at.f.ids[this.i]!;
  }
  get orders(): number {
    return this.at.f.orders[this.i]!;
  }
  get purchaseDays(): number {
    return this.at.f.purchaseDays[this.i]!;
  }
  get revenue(): number {
    return roundMoney(this.at.f.revenue[this.i]!);
  }
  get avgOrderValue(): number {
    return avgOrderValueOf(this.at.f.revenue[this.i]!, this.at.f.orders[this.i]!);
  }
  get firstDay(): number {
    return this.at.f.firstDay[this.i]!;
  }
  get lastDay(): number {
    return this.at.f.lastDay[this.i]!;
  }
  get daysSinceLast(): number {
    return this.at.asOf - this.at.f.lastDay[this.i]!;
  }
  get tenureDays(): number {
    return this.at.asOf - this.at.f.firstDay[this.i]!;
  }
  get meanIntervalDays(): number | null {
    return perRepeatDay(this.recency, this.frequency);
  }
  get frequency(): number {
    return frequencyOf(this.at.f.purchaseDays[this.i]!);
  }
  get recency(): number {
    return this.at.f.lastDay[this.i]! - this.at.f.firstDay[this.i]!;
  }
  get T(): number {
    return this.at.asOf - this.at.f.firstDay[this.i]!;
  }
  get repeatAvgValue(): number | null {
    return perRepeatDay(this.at.f.repeatRevenue[this.i]!, this.frequency);
  }
}

/**
 * Every customer's summary as a view of the facts (FactsSummary): the values of
 * {@link summariesFromFacts}, for code that reads summaries' fields (the facts must not change).
 */
export function summaryViews(f: SummaryFacts, asOf: number): CustomerSummary[] {
  const at: FactsAsOf = { f, asOf };
  const n = f.ids.length;
  const out: CustomerSummary[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = new FactsSummary(at, i);
  return out;
}
