/**
 * Key indicators of retention (docs/definitions.md, "Key indicators of retention"): for a stated outcome,
 * each candidate indicator splits the eligible customers into groups; per group the outcome
 * rate with its 95 % Wilson interval and the lift over the base rate; indicators are ranked by
 * Cramér's V over the groups that are reported. A group smaller than the minimum (30) is
 * never reported (its customers are counted as such) and takes no part in the ranking.
 *
 * Outcome (default): a second purchase day within 90 days of the first, for customers whose
 * first purchase is at least 90 days before the as-of date (the others cannot have shown it yet).
 * `alive`: the sleeping state is neither deep-sleep nor lost, on the same customers.
 * Candidates: first purchase day's net value in quartile bands (type-7 quantiles of the
 * eligible customers' values), the first purchase day's quantity in fixed bands (when the
 * data has quantities), weekday and calendar month of the first purchase, every kept attribute's
 * value on the first purchase (`attr:NAME`: its ATTR_TOP values with most eligible customers,
 * ties by value, the rest as "other"; an empty cell is the value ""), and for `alive` the days
 * from the first to the second purchase day in bands.
 */
import { roundMoney } from '../money.js';
import { quantileSorted } from '../segment/quantile.js';
import { civilFromDay } from '../time/day.js';
import { cramersV } from './cramers-v.js';
import { wilsonInterval } from './wilson.js';

export const MIN_GROUP = 30;
/** Values of a kept attribute measured one by one; the rest are one group, "other". */
export const ATTR_TOP = 10;
/** The indicator name of a kept attribute. */
export const ATTR_PREFIX = 'attr:';
export const OUTCOME_DAYS = 90;

export interface DriverGroup {
  value: string;
  customers: number;
  outcome: number;
  rate: number;
  ci_low: number;
  ci_high: number;
  lift: number;
}

export interface DriverIndicator {
  indicator: string;
  /** Cramér's V over the reported groups; null when fewer than two groups are reported. */
  cramers_v: number | null;
  /** Customers in groups under the minimum size (not reported). */
  small_group_customers: number;
  groups: DriverGroup[];
  best: string | null;
  worst: string | null;
}

export interface DriversReport {
  outcome: string;
  outcome_days: number;
  min_group: number;
  eligible_customers: number;
  base_rate: number;
  strength_measure: 'cramers_v';
  /** Indicators, strongest first (unranked ones last, in candidate order). */
  indicators: DriverIndicator[];
}

export interface DriverInput {
  firstDay: ArrayLike<number>;
  secondDay: ArrayLike<number>;
  firstValue: ArrayLike<number>;
  /** Quantity on the first purchase day (NaN: unknown); absent: not measured. */
  firstQuantity?: ArrayLike<number>;
  /** For the `alive` outcome: 1 when the customer's sleeping state is neither deep-sleep nor lost. */
  alive?: ArrayLike<number>;
  /** Kept attributes: each one's value on the customer's first purchase. */
  firstAttributes?: readonly { name: string; values: readonly string[] }[];
}

export type DriverOutcome = 'second_purchase' | 'alive';

const r6 = roundMoney;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];


/**
 * One indicator from each eligible customer's group, an index into `labels` (the groups in
 * report order): counted in arrays, not by label text, a million customers at a time. A label
 * can repeat only for groups that stay empty (equal quartile cuts).
 */
function indicator(name: string, group: ArrayLike<number>, labels: readonly string[], outcome: Uint8Array, base: number): DriverIndicator {
  const count = new Float64Array(labels.length), yesCount = new Float64Array(labels.length);
  for (let i = 0; i < group.length; i++) {
    count[group[i]!]!++;
    yesCount[group[i]!]! += outcome[i]!;
  }
  const kept: number[] = [];
  let small = 0;
  for (let g = 0; g < labels.length; g++) {
    if (count[g]! >= MIN_GROUP) kept.push(g);
    else small += count[g]!;
  }
  const groups = kept.map((g): DriverGroup => {
    const n = count[g]!, yes = yesCount[g]!;
    const [lo, hi] = wilsonInterval(yes, n);
    const rate = yes / n;
    return { value: labels[g]!, customers: n, outcome: yes, rate: r6(rate), ci_low: r6(lo), ci_high: r6(hi), lift: base > 0 ? r6(rate / base) : 0 };
  });
  const ranked = groups.length >= 2;
  let best: DriverGroup | null = null, worst: DriverGroup | null = null;
  for (const g of groups) {
    if (!best || g.rate > best.rate) best = g;
    if (!worst || g.rate < worst.rate) worst = g;
  }
  return {
    indicator: name,
    cramers_v: ranked ? r6(cramersV(groups.map((g) => ({ n: g.customers, yes: g.outcome })))) : null,
    small_group_customers: small,
    groups,
    best: ranked ? best!.value : null,
    worst: ranked ? worst!.value : null,
  };
}

/** Quartile band labels of sorted values: [label per band], and the band (label index) of a value. */
function valueBands(sorted: Float64Array): { labels: string[]; band: (v: number) => number } {
  const cuts = [0.25, 0.5, 0.75].map((p) => r6(quantileSorted(sorted, p)));
  const f = (x: number): string => String(x);
  // Interval notation: a band holds the values in (lower, upper].
  const labels = [`(−∞, ${f(cuts[0]!)}]`, `(${f(cuts[0]!)}, ${f(cuts[1]!)}]`, `(${f(cuts[1]!)}, ${f(cuts[2]!)}]`, `(${f(cuts[2]!)}, ∞)`];
  return { labels, band: (v) => (v <= cuts[0]! ? 0 : v <= cuts[1]! ? 1 : v <= cuts[2]! ? 2 : 3) };
}

const GAP_BANDS = ['1-30', '31-90', '91-180', '181+', 'none'];
/** Quantity bands (lower, upper]: single items, pairs, a few, several, many. */
const QTY_CUTS = [1, 2, 4, 9];
const QTY_BANDS = ['(−∞, 1]', '(1, 2]', '(2, 4]', '(4, 9]', '(9, ∞)', 'unknown'];
/** Index into QTY_BANDS. */
const qtyBand = (q: number): number => {
  if (Number.isNaN(q)) return QTY_BANDS.length - 1;
  const k = QTY_CUTS.findIndex((c) => q <= c);
  return k === -1 ? QTY_CUTS.length : k;
};
/** Index into GAP_BANDS. */
const gapBand = (first: number, second: number): number => {
  if (second < 0) return 4;
  const g = second - first;
  return g <= 30 ? 0 : g <= 90 ? 1 : g <= 180 ? 2 : 3;
};
/** The group of each of n customers (TypedArray.from with a mapping function is far slower than a loop). */
function groupsOf(n: number, groupOf: (k: number) => number): Int32Array {
  const g = new Int32Array(n);
  for (let k = 0; k < n; k++) g[k] = groupOf(k);
  return g;
}
/** Index into WEEKDAYS (1970-01-01 was a Thursday). */
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** Each eligible customer's group of a kept attribute (an index into `order`): its top values by customers, else "other" (see the file comment). */
function attributeGroups(values: readonly string[], eligible: readonly number[]): { group: Int32Array; order: string[] } {
  const n = new Map<string, number>();
  for (const i of eligible) n.set(values[i]!, (n.get(values[i]!) ?? 0) + 1);
  const ranked = [...n.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = new Set(ranked.slice(0, ATTR_TOP).map(([v]) => v));
  const order = [...top];
  // The rest's key must differ from every value shown: a real value "other" keeps its own group.
  let rest = 'other';
  while (top.has(rest)) rest += '*';
  if (ranked.length > ATTR_TOP) order.push(rest);
  const at = new Map(order.map((v, k) => [v, k]));
  return { group: groupsOf(eligible.length, (k) => at.get(values[eligible[k]!]!) ?? order.length - 1), order };
}

/** Day → index into MONTHS, remembering the last day's month (first days repeat and arrive in runs). */
function monthOf(): (day: number) => number {
  let last = NaN, m = 0;
  return (day) => {
    if (day !== last) {
      last = day;
      m = civilFromDay(day)[1] - 1;
    }
    return m;
  };
}

/** The key-indicator analysis at `asOf` (see the file comment). */
export function keyIndicators(input: DriverInput, asOf: number, outcomeKind: DriverOutcome = 'second_purchase'): DriversReport {
  if (outcomeKind === 'alive' && !input.alive) throw new Error('keyIndicators: the alive outcome needs the sleeping states');
  const eligible: number[] = [];
  for (let i = 0; i < input.firstDay.length; i++) if (asOf - input.firstDay[i]! >= OUTCOME_DAYS) eligible.push(i);
  const n = eligible.length;
  const outcome = new Uint8Array(n);
  let yes = 0;
  eligible.forEach((i, k) => {
    const s = input.secondDay[i]!;
    outcome[k] = outcomeKind === 'alive' ? (input.alive![i] ? 1 : 0) : s >= 0 && s - input.firstDay[i]! <= OUTCOME_DAYS ? 1 : 0;
    yes += outcome[k]!;
  });
  const base = n > 0 ? yes / n : 0;
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = input.firstValue[eligible[k]!]!;
  const indicators: DriverIndicator[] = [];
  if (n > 0) {
    const bands = valueBands(values.slice().sort());
    indicators.push(indicator('first_value', groupsOf(values.length, (k) => bands.band(values[k]!)), bands.labels, outcome, base));
    const qty = input.firstQuantity;
    if (qty && eligible.some((i) => !Number.isNaN(qty[i]!))) indicators.push(indicator('first_quantity', groupsOf(n, (k) => qtyBand(qty[eligible[k]!]!)), QTY_BANDS, outcome, base));
    indicators.push(indicator('first_weekday', groupsOf(n, (k) => weekdayIndex(input.firstDay[eligible[k]!]!)), WEEKDAYS, outcome, base));
    const month = monthOf();
    indicators.push(indicator('first_month', groupsOf(n, (k) => month(input.firstDay[eligible[k]!]!)), MONTHS, outcome, base));
    for (const a of input.firstAttributes ?? []) {
      const g = attributeGroups(a.values, eligible);
      indicators.push(indicator(ATTR_PREFIX + a.name, g.group, g.order, outcome, base));
    }
    if (outcomeKind === 'alive') indicators.push(indicator('days_to_second', groupsOf(n, (k) => gapBand(input.firstDay[eligible[k]!]!, input.secondDay[eligible[k]!]!)), GAP_BANDS, outcome, base));
  }
  // Strongest first; ties and unranked indicators keep the candidate order (stable sort).
  indicators.sort((a, b) => (b.cramers_v ?? -1) - (a.cramers_v ?? -1));
  return { outcome: outcomeKind === 'alive' ? 'alive' : 'second_purchase_within_days', outcome_days: OUTCOME_DAYS, min_group: MIN_GROUP, eligible_customers: n, base_rate: r6(base), strength_measure: 'cramers_v', indicators };
}

/** Whether the analysis has anything to show: at least one indicator with two reported groups. */
export function hasDrivers(d: DriversReport): boolean {
  return d.indicators.some((x) => x.cramers_v !== null);
}
