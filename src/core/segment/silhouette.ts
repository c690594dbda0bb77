/**
 * Mean silhouette (Rousseeuw 1987, "Silhouettes: a graphical aid…", J. Comput. Appl. Math. 20):
 * s(i) = (b − a) / max(a, b), a = mean Euclidean distance from i to the other points of its
 * cluster, b = the smallest mean distance to the points of another cluster; s(i) = 0 when i is
 * alone in its cluster. Computed among the given points only (as scikit-learn's
 * silhouette_score with sample_size). O(m²·d) for m points.
 */
import type { Rng } from '../math/rng.js';

/** Mean silhouette of the points `idx` (indices into the flat n × d `data`) under `labels` (0…k−1). */
export function meanSilhouette(data: Float64Array, d: number, labels: ArrayLike<number>, k: number, idx: ArrayLike<number>): number {
  const m = idx.length;
  if (m < 2) return 0;
  const size = new Float64Array(k);
  for (let a = 0; a < m; a++) size[labels[idx[a]!]!]!++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let a = 0; a < m; a++) {
    const i = idx[a]!;
    const li = labels[i]!;
    if (size[li]! <= 1) continue; // s = 0
    sums.fill(0);
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const jx = idx[b]!;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const z = data[i * d + t]! - data[jx * d + t]!;
        s += z * z;
      }
      sums[labels[jx]!]! += Math.sqrt(s);
    }
    const ai = sums[li]! / (size[li]! - 1);
    let bi = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && size[c]! > 0) bi = Math.min(bi, sums[c]! / size[c]!);
    if (bi === Infinity) continue; // a single cluster: silhouette 0
    const den = Math.max(ai, bi);
    total += den > 0 ? (bi - ai) / den : 0;
  }
  return total / m;
}

/** Up to `m` distinct indices of 0…n−1 drawn without replacement (partial Fisher–Yates), ascending. */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  if (n <= m) return Int32Array.from({ length: n }, (_, i) => i);
  const pool = new Map<number, number>(); // sparse Fisher–Yates over 0…n−1
  const out = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    const j = t + rng.int(n - t);
    const vj = pool.get(j) ?? j;
    out[t] = vj;
    pool.set(j, pool.get(t) ?? t);
  }
  out.sort();
  return out;
}
