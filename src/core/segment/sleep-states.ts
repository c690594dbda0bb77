/**
 * Sleeping customers: active / drowsy (瞌睡) / half-asleep (半睡) / deep-sleep (沉睡) / lost.
 *
 * Rule `days`: on days since last order with thresholds t1 < t2 < t3 < t4 (default 30, 60, 90,
 * 180): d >= t4 lost, >= t3 deep-sleep, >= t2 half-asleep, >= t1 drowsy, else active (each
 * threshold inclusive). overdue_factor is null under this rule.
 *
 * Rule `cycle` (default): overdue_factor = days since last / expected interval, states by factor
 * thresholds f1…f4 (default 1.5, 2, 3, 6; inclusive as above — deep-sleep at 3× the expected interval
 * maximised F1 against the simulated ground truth, test/gen/sleep-ground-truth.test.ts).
 * - Population interval P = median (type 7) of the mean inter-purchase interval over repeat
 *   customers (frequency >= 1).
 * - Repeat customer: expected = (x·m + k0·P) / (x + k0), x = frequency, m = own mean interval,
 *   k0 = 2 — the customer's mean shrunk toward the population's (credibility / empirical-Bayes
 *   shrinkage: Bühlmann 1967, "Experience rating and credibility"; the weight x/(x + k0) grows
 *   with the number of observed intervals).
 * - One-time buyer: expected = O, the `oneTimeQuantile` (default 0.75) type-7 quantile of the
 *   repeat customers' mean intervals — a lenient "time to come back" since a single purchase
 *   shows no cycle of its own. Expected intervals are at least 1 day.
 * - No repeat customer at all: P is undefined and every customer is judged by the days rule.
 *
 * Value at risk is not a sleep figure: it comes from the fitted models (score-stage.ts,
 * value_at_risk = (1 − p_alive) × clv), not from a run rate of past spend.
 */
import type { CustomerSummary } from '../aggregate/customer-summary.js';
import { formatRounded, roundMoney } from '../money.js';
import { quantileSorted, sortedCopy } from './quantile.js';

/** States, awake to gone (the report reads these: core/report/segment-keys.ts SLEEP_STATES). */
export const SLEEP_STATES = ['active', 'drowsy', 'half-asleep', 'deep-sleep', 'lost'] as const;
export type SleepState = (typeof SLEEP_STATES)[number];

export interface SleepOptions {
  rule?: 'cycle' | 'days';
  /** Days-since-last thresholds for drowsy, half-asleep, deep-sleep, lost. Default [30, 60, 90, 180]. */
  dayThresholds?: readonly number[];
  /** Overdue-factor thresholds for the same states. Default [1.5, 2, 3, 6]. */
  factorThresholds?: readonly number[];
  /** Shrinkage strength (pseudo-intervals of the population). Default 2. */
  k0?: number;
  /** Quantile of repeat customers' mean intervals used for one-time buyers. Default 0.75. */
  oneTimeQuantile?: number;
  /** Overrides of P and O (days), e.g. from a reference population. */
  populationInterval?: number;
  oneTimeInterval?: number;
}

export interface SleepResult {
  state: SleepState[];
  /** NaN where null (days rule). Rounded to 1e-6. */
  overdueFactor: Float64Array;
  /**
   * The text that explains customer i's state, e.g. `cycle: 2.5× expected 40 d ≥ 2`. Made on
   * demand from three numbers kept per customer: a million ready-made strings of two-byte
   * text took ~250 bytes each, the largest single item of the segment stage's memory.
   */
  reasonAt(i: number): string;
  /** P and O as used (NaN when undefined), and the rule actually applied. */
  populationInterval: number;
  oneTimeInterval: number;
  rule: 'cycle' | 'days';
}

function stateOf(v: number, t: readonly number[]): number {
  let s = 0;
  while (s < 4 && v >= t[s]!) s++;
  return s;
}


/** Classifies every customer by the rule in the module comment. O(n log n). */
export function sleepStates(summaries: readonly CustomerSummary[], opts: SleepOptions = {}): SleepResult {
  const dayT = opts.dayThresholds ?? [30, 60, 90, 180];
  const facT = opts.factorThresholds ?? [1.5, 2, 3, 6];
  for (const t of [dayT, facT]) {
    if (t.length !== 4 || t.some((x, i) => !(x > 0) || (i > 0 && x <= t[i - 1]!))) throw new RangeError('sleep thresholds must be 4 increasing positive numbers');
  }
  const k0 = opts.k0 ?? 2;
  const intervals: number[] = [];
  for (const s of summaries) if (s.frequency >= 1 && s.meanIntervalDays !== null) intervals.push(s.meanIntervalDays);
  const sorted = sortedCopy(intervals);
  const P = opts.populationInterval ?? (sorted.length ? quantileSorted(sorted, 0.5) : NaN);
  const O = opts.oneTimeInterval ?? (sorted.length ? quantileSorted(sorted, opts.oneTimeQuantile ?? 0.75) : NaN);
  const rule: 'cycle' | 'days' = (opts.rule ?? 'cycle') === 'cycle' && Number.isFinite(P) && Number.isFinite(O) ? 'cycle' : 'days';
  const fallback = rule === 'days' && (opts.rule ?? 'cycle') === 'cycle';
  const n = summaries.length;
  const state: SleepState[] = new Array(n);
  const overdueFactor = new Float64Array(n).fill(NaN);
  // What the reasons are made of: the state, the expected interval E and the unrounded factor
  // (cycle rule) or days since last (days rule).
  const code = new Uint8Array(n);
  const expected = new Float64Array(n);
  const measure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = summaries[i]!;
    const dsl = s.daysSinceLast;
    let st: number;
    let E: number;
    if (rule === 'cycle') {
      const m = s.meanIntervalDays;
      E = Math.max(1, s.frequency >= 1 && m !== null ? (s.frequency * m + k0 * P) / (s.frequency + k0) : O);
      const f = dsl / E;
      st = stateOf(f, facT);
      overdueFactor[i] = roundMoney(f);
      measure[i] = f;
    } else {
      E = Number.isFinite(P) ? Math.max(1, P) : dayT[0]!;
      st = stateOf(dsl, dayT);
      measure[i] = dsl;
    }
    code[i] = st;
    expected[i] = E;
    state[i] = SLEEP_STATES[st]!;
  }
  const daysLabel = fallback ? 'days (no repeat customers)' : 'days';
  const reasonAt = (i: number): string => {
    const st = code[i]!;
    const cmp = st === 0 ? '<' : '≥';
    if (rule === 'cycle') return `cycle: ${formatRounded(measure[i]!, 2)}× expected ${formatRounded(expected[i]!, 0)} d ${cmp} ${st === 0 ? facT[0] : facT[st - 1]}`;
    return `${daysLabel}: ${measure[i]} ${cmp} ${st === 0 ? dayT[0] : dayT[st - 1]}`;
  };
  return { state, overdueFactor, reasonAt, populationInterval: P, oneTimeInterval: O, rule };
}
