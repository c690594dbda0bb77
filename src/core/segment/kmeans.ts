/**
 * k-means on a flat row-major Float64Array (n points × d features).
 *
 * - Seeding: k-means++ (Arthur & Vassilvitskii 2007, "k-means++: The Advantages of Careful
 *   Seeding"): first center uniform, each next one drawn with probability ∝ D(x)², all draws from
 *   createRng(seed) — one trial per center, no greedy local trials.
 * - Iterations: Lloyd (1982): assign every point to the nearest center (squared Euclidean; a tie
 *   goes to the lower center index), move each center to the mean of its points (an empty cluster
 *   keeps its center), until no assignment changes or `maxIterations` (default 100) passes.
 * - Cost: O(n·k·d) time per iteration on typed arrays, no per-point allocation; memory n·d
 *   doubles plus k·d. The tests compare it with ml-kmeans (a dev dependency, the oracle) from the
 *   same k-means++ centers: same partition.
 */
import { createRng, type Rng } from '../math/rng.js';

export interface KmeansFit {
  k: number;
  /** Cluster index 0…k−1 per point. */
  labels: Int32Array;
  /** Final centers, k × d row-major. */
  centers: Float64Array;
  /** Σ squared distance of every point to its center. */
  inertia: number;
  iterations: number;
}

/** k-means++ initial centers (k × d). Requires 1 <= k <= n. */
export function kmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * d);
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) centers[c * d + j] = data[pick * d + j]!;
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[i * d + j]! - centers[c * d + j]!;
        s += t * t;
      }
      if (s < d2[i]!) d2[i] = s;
      total += d2[i]!;
    }
    if (!(total > 0)) {
      pick = rng.int(n);
      continue;
    }
    const r = rng.next() * total;
    let cum = 0;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      cum += d2[i]!;
      if (cum > r) {
        pick = i;
        break;
      }
    }
  }
  return centers;
}

/** Lloyd iterations from the given centers (copied), on typed arrays. */
export function lloyd(data: Float64Array, n: number, d: number, init: Float64Array, maxIterations = 100): KmeansFit {
  const k = init.length / d;
  const centers = Float64Array.from(init);
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let inertia = 0;
  let it = 0;
  while (it < maxIterations) {
    sums.fill(0);
    counts.fill(0);
    let changed = 0;
    inertia = 0;
    if (d === 3) {
      const r = assign3(data, n, k, centers, labels, sums, counts);
      changed = r.changed;
      inertia = r.inertia;
    } else for (let i = 0; i < n; i++) {
      const o = i * d;
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const co = c * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = data[o + j]! - centers[co + j]!;
          s += t * t;
        }
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
      inertia += bestD;
      counts[best]!++;
      const bo = best * d;
      for (let j = 0; j < d; j++) sums[bo + j]! += data[o + j]!;
    }
    it++;
    if (changed === 0) break;
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) for (let j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j]! / counts[c]!;
    }
  }
  return { k, labels, centers, inertia, iterations: it };
}

/**
 * One assignment pass for d = 3 (the default features) with the point held in locals: same
 * arithmetic, order and tie rule as the generic loop, several times faster.
 */
function assign3(data: Float64Array, n: number, k: number, centers: Float64Array, labels: Int32Array, sums: Float64Array, counts: Float64Array): { changed: number; inertia: number } {
  let changed = 0;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    const x0 = data[o]!, x1 = data[o + 1]!, x2 = data[o + 2]!;
    let best = 0;
    let bestD = Infinity;
    for (let c = 0, co = 0; c < k; c++, co += 3) {
      const t0 = x0 - centers[co]!, t1 = x1 - centers[co + 1]!, t2 = x2 - centers[co + 2]!;
      const s = t0 * t0 + t1 * t1 + t2 * t2;
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
    inertia += bestD;
    counts[best]!++;
    const bo = best * 3;
    sums[bo]! += x0;
    sums[bo + 1]! += x1;
    sums[bo + 2]! += x2;
  }
  return { changed, inertia };
}

export interface KmeansOptions {
  seed?: number;
  maxIterations?: number;
}

/** k-means++ seeding from createRng(seed) (default seed 1) then Lloyd; k is capped at n. */
export function fitKmeans(data: Float64Array, n: number, d: number, k: number, opts: KmeansOptions = {}): KmeansFit {
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be a positive integer');
  if (n === 0) return { k, labels: new Int32Array(0), centers: new Float64Array(k * d), inertia: 0, iterations: 0 };
  const kk = Math.min(k, n);
  const init = kmeansPlusPlus(data, n, d, kk, createRng(opts.seed ?? 1));
  return lloyd(data, n, d, init, opts.maxIterations ?? 100);
}
