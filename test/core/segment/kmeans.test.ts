import { describe, it, expect } from 'vitest';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { fitKmeans, kmeansPlusPlus, lloyd, type KmeansFit } from '../../../src/core/segment/kmeans.js';
import { meanSilhouette, sampleIndices } from '../../../src/core/segment/silhouette.js';
import { createRng } from '../../../src/core/math/rng.js';

/** The oracle: ml-kmeans's Lloyd iteration from the given centers (ml-kmeans is a dev dependency only). */
function lloydMl(data: Float64Array, n: number, d: number, init: Float64Array, maxIterations = 100): KmeansFit {
  const k = init.length / d;
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)));
  const initRows = Array.from({ length: k }, (_, c) => Array.from(init.subarray(c * d, c * d + d)));
  const res = mlKmeans(rows, k, { initialization: initRows, maxIterations });
  const labels = Int32Array.from(res.clusters);
  const centers = Float64Array.from(res.centroids.flat());
  let inertia = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) inertia += (data[i * d + j]! - centers[labels[i]! * d + j]!) ** 2;
  return { k, labels, centers, inertia, iterations: res.iterations };
}

describe('lloyd', () => {
  it('two separated groups in 1-D: centers 0.1 and 10.1, inertia 4 × 0.01 = 0.04', () => {
    const x = new Float64Array([0, 0.1, 0.2, 10, 10.1, 10.2]);
    const f = lloyd(x, 6, 1, new Float64Array([0, 0.1]));
    expect(Array.from(f.labels)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(f.centers[0]).toBeCloseTo(0.1, 12);
    expect(f.centers[1]).toBeCloseTo(10.1, 12);
    expect(f.inertia).toBeCloseTo(0.04, 12);
    // iteration 1: {0} and {0.1, 0.2, 10, 10.1, 10.2} → centers 0 and 6.12; iteration 2: 0.1 and 0.2 move → 0.1 and 10.1; 3: no change
    expect(f.iterations).toBe(3);
  });
  it('an empty cluster keeps its center', () => {
    const f = lloyd(new Float64Array([0, 1]), 2, 1, new Float64Array([0.5, 100]));
    expect(Array.from(f.labels)).toEqual([0, 0]);
    expect(Array.from(f.centers)).toEqual([0.5, 100]);
  });
  it('gives the same partition as the ml-kmeans oracle from the same k-means++ centers', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = createRng(seed);
      const n = 600, d = 3;
      const x = new Float64Array(n * d);
      for (let i = 0; i < x.length; i++) x[i] = rng.next() * 4 + (i % 7 === 0 ? 5 : 0);
      const init = kmeansPlusPlus(x, n, d, 4, createRng(seed + 100));
      const a = lloyd(x, n, d, init);
      const b = lloydMl(x, n, d, init);
      expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
      expect(a.inertia).toBeCloseTo(b.inertia, 9);
    }
  });
  it('fitKmeans is deterministic for a seed and caps k at n', () => {
    const rng = createRng(9);
    const x = Float64Array.from({ length: 300 }, () => rng.next());
    const a = fitKmeans(x, 150, 2, 3, { seed: 7 });
    const b = fitKmeans(x, 150, 2, 3, { seed: 7 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(fitKmeans(new Float64Array([1, 2]), 2, 1, 5).k).toBe(2);
    // equals the ml-kmeans oracle from the same seeding
    const c = lloydMl(x, 150, 2, kmeansPlusPlus(x, 150, 2, 3, createRng(7)));
    expect(Array.from(c.labels)).toEqual(Array.from(a.labels));
  });
});

describe('meanSilhouette / sampleIndices', () => {
  it('hand example: 0, 1 | 10, 11 → mean of 9.5/10.5 and 8.5/9.5', () => {
    // point 0: a = 1, b = (10 + 11)/2 = 10.5; point 1: a = 1, b = (9 + 10)/2 = 9.5; symmetric for 10 and 11
    const s = meanSilhouette(new Float64Array([0, 1, 10, 11]), 1, [0, 0, 1, 1], 2, [0, 1, 2, 3]);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
  });
  it('a singleton cluster contributes 0', () => {
    // 0, 1 | 10: points 0 and 1 as above with b = 10 and 9 → 9/10, 8/9; point 10 alone → 0
    const s = meanSilhouette(new Float64Array([0, 1, 10]), 1, [0, 0, 1], 2, [0, 1, 2]);
    expect(s).toBeCloseTo((9 / 10 + 8 / 9 + 0) / 3, 12);
  });
  it('sampleIndices: m distinct sorted indices, all of them when n <= m', () => {
    const s = sampleIndices(1000, 50, createRng(3));
    expect(s.length).toBe(50);
    expect(new Set(s).size).toBe(50);
    expect(Array.from(s).every((v, i) => v >= 0 && v < 1000 && (i === 0 || v > s[i - 1]!))).toBe(true);
    expect(Array.from(sampleIndices(4, 10, createRng(3)))).toEqual([0, 1, 2, 3]);
  });
});
