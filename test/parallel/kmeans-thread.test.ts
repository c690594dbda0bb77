/**
 * `run` fits k-means on a thread of its own (kmeans-thread.ts): the fit must be the one made
 * here, the features must move (not be copied), and a failure must reject with its message.
 */
import { describe, expect, it } from 'vitest';
import { fitClusters } from '../../src/core/segment/customer-clusters.js';
import { fitClustersOnThread } from '../../src/parallel/kmeans-thread.js';

/** n points of three kinds in 3 dimensions, with some spread. */
function features(n: number): Float64Array {
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) x[3 * i + j] = ((i % 3) - 1) * (j + 1) + (((i * 7919 + j * 104729) % 1000) / 1000 - 0.5) * 0.4;
  return x;
}

describe('k-means on a thread of its own', () => {
  it('gives the fit made here (k = auto and a fixed k), its features moved there', async () => {
    const n = 6000;
    for (const opts of [{ k: 'auto' as const, seed: 42 }, { k: 4, seed: 3, maxIterations: 5 }]) {
      const here = fitClusters(features(n), n, 3, opts);
      const job = { data: features(n), n, d: 3, opts };
      const pending = fitClustersOnThread(job);
      expect(job.data.length).toBe(0); // transferred
      const { fit, ms } = await pending;
      expect(fit).toEqual(here);
      expect(ms).toBeGreaterThanOrEqual(0);
    }
    expect(fitClusters(features(n), n, 3, { k: 'auto', seed: 42 }).k).toBe(3);
  });

  it('rejects with the message of what failed there', async () => {
    await expect(fitClustersOnThread({ data: new Float64Array(6), n: 2, d: 3, opts: { k: 0 } })).rejects.toThrow('k-means thread: k must be a positive integer');
  });
});
