/**
 * k-means on a thread of its own: `run` fits the clusters (fitClusters, the same function as
 * on the main thread) while its main thread makes the other classifications and its score
 * thread scores. The features move to the worker (kmeans-job.ts); the fit comes back.
 */
import type { ClusterFitter } from '../pipeline/segment-stage.js';
import { startJob } from './protocol.js';
import type { KmeansJob, KmeansReply } from './kmeans-job.js';

/** Fits k-means on a new worker thread, which ends once it has answered. */
export const fitClustersOnThread: ClusterFitter = (features) =>
  new Promise((resolve, reject) => {
    const job: KmeansJob = { kind: 'kmeans', ...features };
    startJob<KmeansJob, KmeansReply>(job, [features.data.buffer as ArrayBuffer], {
      name: 'k-means thread',
      until: 'its fit',
      prefixErrors: true,
      isLast: () => true,
      onReply: resolve,
      onFail: reject,
    });
  });
