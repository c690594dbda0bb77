/**
 * RFM scores 1…N by the R rfm package rule (rsquaredacademy/rfm 0.3.0, REFERENCE.md §0
 * "R rfm package scoring").
 *
 * For each of recency (days since last order), frequency (orders) and monetary (revenue):
 * break points b1…b(N−1) = type-7 quantiles at 1/N … (N−1)/N (quantile.ts) **plus 1** (the
 * package's `bins()`: mtcars$mpg → 16.20, 18.92, 22.00, 25.08 = quantiles + 1); bins are half-open
 * [lower, upper) with lower = (min, b1, …, b(N−1)) and upper = (b1, …, b(N−1), max + 1), so the
 * bin of a value is 1 + the number of break points <= value. Frequency and monetary score = bin;
 * recency score is reversed (N + 1 − bin: the most recent customers score N).
 * Equal values always get equal scores (the bins depend on values only). Empty bins can occur
 * when break points coincide (many equal values); the scores then skip a number, as in R.
 * rfm_score = 100·R + 10·F + M (so N is limited to 2…9).
 * O(n log n) for the three sorts.
 */
import { quantileSorted, sortedCopy } from './quantile.js';

/** Bins of one dimension: lower[k] <= value < upper[k] is bin k + 1. */
export interface RfmBins {
  lower: number[];
  upper: number[];
}

export interface RfmScores {
  bins: number;
  /** Recency score (N = most recent), frequency score, monetary score per customer. */
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Bins on days since last, orders, revenue (recency bins in ascending days: bin 1 = score N). */
  thresholds: { recency: RfmBins; frequency: RfmBins; monetary: RfmBins };
}

/** The R rfm bins of one variable for N bins: breaks = quantile + 1 (values non-empty and finite). */
export function rfmBins(values: ArrayLike<number>, n: number): RfmBins {
  const s = sortedCopy(values);
  const breaks: number[] = [];
  for (let k = 1; k < n; k++) breaks.push(quantileSorted(s, k / n) + 1);
  return { lower: [s[0]!, ...breaks], upper: [...breaks, s[s.length - 1]! + 1] };
}

/** Bin number 1…N of a value: 1 + the number of break points (lower[1…]) at or below it. */
export function binOf(bins: RfmBins, v: number): number {
  let b = 1;
  for (let k = 1; k < bins.lower.length; k++) if (v >= bins.lower[k]!) b++;
  return b;
}

function score(values: ArrayLike<number>, bins: RfmBins, reverse: boolean): Uint8Array {
  const n = bins.lower.length;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const b = binOf(bins, values[i]!);
    out[i] = reverse ? n + 1 - b : b;
  }
  return out;
}

/**
 * Scores every customer. `daysSinceLast`, `orders`, `revenue` are parallel arrays;
 * `bins` = N (default 5, 2…9).
 */
export function rfmScores(daysSinceLast: ArrayLike<number>, orders: ArrayLike<number>, revenue: ArrayLike<number>, bins = 5): RfmScores {
  if (!Number.isInteger(bins) || bins < 2 || bins > 9) throw new RangeError('RFM bins must be an integer in 2..9');
  const rb = daysSinceLast.length ? rfmBins(daysSinceLast, bins) : { lower: [], upper: [] };
  const fb = orders.length ? rfmBins(orders, bins) : { lower: [], upper: [] };
  const mb = revenue.length ? rfmBins(revenue, bins) : { lower: [], upper: [] };
  return {
    bins,
    r: score(daysSinceLast, rb, true),
    f: score(orders, fb, false),
    m: score(revenue, mb, false),
    thresholds: { recency: rb, frequency: fb, monetary: mb },
  };
}

/** rfm_score = 100·R + 10·F + M. */
export const rfmScore = (r: number, f: number, m: number): number => 100 * r + 10 * f + m;
