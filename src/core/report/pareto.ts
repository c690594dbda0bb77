/**
 * Revenue concentration: Lorenz curve, Gini coefficient and top-share.
 * Negative revenues (net of returns) are clamped at 0 here: a Lorenz curve needs
 * non-negative amounts.
 */

/** Ascending copy of the values with negatives (and NaN) set to 0. O(n log n). */
export function sortedClamped(values: ArrayLike<number>): Float64Array {
  const a = new Float64Array(values.length);
  for (let i = 0; i < a.length; i++) {
    const v = values[i]!;
    a[i] = v > 0 ? v : 0;
  }
  return a.sort();
}

/**
 * Gini coefficient G = 1 − 2·A, where A is the area under the Lorenz curve computed with
 * the trapezoid rule over the n + 1 points (i/n, L_i), L_i = share of the i smallest
 * values. This equals the mean-difference form Σ_i Σ_j |x_i − x_j| / (2 n² μ)
 * (Gini 1912; e.g. Damgaard & Weiner 2000, eq. 3). 0 for an empty or all-zero input.
 * Input must be sorted ascending and non-negative (see {@link sortedClamped}).
 */
export function giniSorted(asc: ArrayLike<number>): number {
  const n = asc.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += asc[i]!;
  if (n === 0 || total <= 0) return 0;
  let cum = 0;
  let twiceArea = 0; // Σ (L_{i-1} + L_i), later × 1/n
  for (let i = 0; i < n; i++) {
    const prev = cum;
    cum += asc[i]!;
    twiceArea += (prev + cum) / total;
  }
  return 1 - twiceArea / n;
}

/**
 * Lorenz curve points [customer share, revenue share], downsampled to at most `maxPoints`
 * (≥ 2) points at evenly spaced ranks i = round(j·n/(maxPoints − 1)); always includes
 * (0, 0) and (1, 1). Input sorted ascending, non-negative.
 */
export function lorenzPoints(asc: ArrayLike<number>, maxPoints = 200): [number, number][] {
  const n = asc.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += asc[i]!;
  if (n === 0) return [[0, 0], [1, 1]];
  const m = Math.min(maxPoints, n + 1);
  const want = new Set<number>();
  for (let j = 0; j < m; j++) want.add(Math.round((j * n) / (m - 1)));
  const out: [number, number][] = [[0, 0]];
  let cum = 0;
  for (let i = 1; i <= n; i++) {
    cum += asc[i - 1]!;
    if (want.has(i)) out.push([i / n, total > 0 ? cum / total : i / n]);
  }
  return out;
}

/**
 * Share of the total held by the top ⌈p·n⌉ values ("top 20 % of customers bring X % of
 * revenue" with p = 0.2). Ties at the boundary do not change the sum. Input sorted
 * ascending, non-negative. Returns the count k, the sum and the share (0 when total is 0).
 */
export function topShareSorted(asc: ArrayLike<number>, p: number): { customers: number; revenue: number; share: number } {
  const n = asc.length;
  const k = Math.min(n, Math.ceil(p * n - 1e-9));
  let total = 0;
  let top = 0;
  for (let i = 0; i < n; i++) {
    total += asc[i]!;
    if (i >= n - k) top += asc[i]!;
  }
  return { customers: k, revenue: top, share: total > 0 ? top / total : 0 };
}
