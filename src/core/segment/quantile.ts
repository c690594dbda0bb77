/**
 * Sample quantile, R type 7 (= numpy 'linear', Hyndman & Fan 1996 definition 7):
 * h = (n − 1)·p, q = (1 − γ)·x[⌊h⌋] + γ·x[⌊h⌋ + 1] with γ = h − ⌊h⌋, over the sorted sample,
 * written exactly as R's quantile.default computes it so break points agree to the last bit.
 * `sorted` must be ascending and non-empty. O(1).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const xl = sorted[lo]!;
  const xh = sorted[hi]!;
  const g = h - lo;
  return g > 0 && xh !== xl ? (1 - g) * xl + g * xh : xl;
}

/**
 * Ascending Float64Array copy of the values (NaN last), as `Float64Array.prototype.sort` orders
 * them. Integer values whose range is small next to their count (days since last, order counts)
 * are counted instead of compared (counting sort, O(n + range)): the same array in about half
 * the time, copy included (docs/performance.md). Anything else (fractions, NaN, −0, a wide range) is sorted.
 */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(values as ArrayLike<number>);
  const n = a.length;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    // Not an integer, or −0 (which sorts before 0 and would be counted as 0), or NaN.
    if (!Number.isInteger(v) || (v === 0 && 1 / v < 0)) {
      a.sort();
      return a;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo + 1;
  if (!(n >= 64 && range <= Math.max(65_536, 2 * n))) {
    a.sort();
    return a;
  }
  const count = new Int32Array(range);
  for (let i = 0; i < n; i++) count[a[i]! - lo]!++;
  let k = 0;
  for (let d = 0; d < range; d++) for (let c = count[d]!, v = lo + d; c > 0; c--) a[k++] = v;
  return a;
}
