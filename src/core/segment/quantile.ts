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

/** Ascending Float64Array copy of the values (NaN last). O(n log n). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(values as ArrayLike<number>);
  a.sort();
  return a;
}
