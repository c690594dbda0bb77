/**
 * ABC analysis: classes by cumulative share of value (Pareto analysis).
 *
 * Definition: customers are ranked by value descending (ties by customer id, see rank-order.ts);
 * with cut shares c1, c2, … (percent, summing to 100; default 80/15/5) the cumulative
 * thresholds are T1 = c1, T2 = c1 + c2, …. A customer is in class k+1 where k is the number of
 * thresholds already reached by the value of the customers ranked strictly before it:
 * "A = the smallest prefix reaching the cut", so the customer that crosses 80 % is A
 * (REFERENCE.md §6: CDNOW master at 1998-06-30, 80/15 → A 7,695, B 8,044, C 7,831).
 * Shares are of the total positive value; customers with value <= 0 are always in the last class.
 * Ties: 'split' (default, the published convention above) lets a run of equal values straddle
 * a cut in rank/id order; 'group' puts the whole run into the earlier class.
 * O(n log n).
 */
import { groupTies, rankOrderVia, type RankCache, type TieRule } from './rank-order.js';

export interface AbcOptions {
  /** Class shares in percent, best class first; must be positive and sum to 100. Default [80, 15, 5]. */
  cuts?: readonly number[];
  ties?: TieRule;
}

/** Class letters A, B, C, … for the number of cuts. */
export function abcLetters(classes: number): string[] {
  return Array.from({ length: classes }, (_, k) => String.fromCharCode(65 + k));
}

/** Validates cut shares; returns an error text or null. */
export function checkAbcCuts(cuts: readonly number[]): string | null {
  if (cuts.length < 2 || cuts.length > 26) return 'ABC needs 2 to 26 class shares';
  if (cuts.some((c) => !(c > 0))) return 'ABC class shares must be positive';
  const s = cuts.reduce((a, b) => a + b, 0);
  if (Math.abs(s - 100) > 1e-9) return `ABC class shares must sum to 100 (they sum to ${s})`;
  return null;
}

/** Class index (0 = A) of every customer, by the rule in the module comment. */
export function abcClassIndex(ids: readonly string[], values: ArrayLike<number>, opts: AbcOptions = {}, ranks?: RankCache): Int32Array {
  const cuts = opts.cuts ?? [80, 15, 5];
  const err = checkAbcCuts(cuts);
  if (err) throw new RangeError(err);
  const n = ids.length;
  const order = rankOrderVia(ranks, ids, values);
  let total = 0;
  for (let i = 0; i < n; i++) if (values[i]! > 0) total += values[i]!;
  const thresholds: number[] = [];
  let t = 0;
  for (let k = 0; k < cuts.length - 1; k++) thresholds.push((t += cuts[k]!));
  const last = cuts.length - 1;
  const cls = new Int32Array(n);
  const eps = 1e-9 * Math.max(total, 1);
  let before = 0; // value of the customers ranked before the current one
  let k = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    const v = values[i]!;
    if (!(v > 0) || total <= 0) {
      cls[i] = last;
      continue;
    }
    while (k < thresholds.length && before * 100 >= thresholds[k]! * total - eps * 100) k++;
    cls[i] = k;
    before += v;
  }
  if ((opts.ties ?? 'split') === 'group') groupTies(order, values, cls);
  return cls;
}

/** ABC class letters ('A', 'B', 'C', …) of every customer. */
export function abcClasses(ids: readonly string[], values: ArrayLike<number>, opts: AbcOptions = {}, ranks?: RankCache): string[] {
  const letters = abcLetters((opts.cuts ?? [80, 15, 5]).length);
  return Array.from(abcClassIndex(ids, values, opts, ranks), (c) => letters[c]!);
}

/**
 * Two-dimensional ABC (`--abc-mode grid`): the orders class followed by the revenue class,
 * e.g. "AB" = A by number of orders, B by revenue. Same cuts and tie rule for both.
 */
export function abcGrid(ids: readonly string[], orders: ArrayLike<number>, revenue: ArrayLike<number>, opts: AbcOptions = {}, ranks?: RankCache): string[] {
  const o = abcClasses(ids, orders, opts, ranks);
  const m = abcClasses(ids, revenue, opts, ranks);
  return o.map((c, i) => c + m[i]!);
}
