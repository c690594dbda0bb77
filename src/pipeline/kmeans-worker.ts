/** Worker thread of kmeans-thread.ts: fits the clusters of the features it is given and posts the fit. */
import { parentPort, workerData } from 'node:worker_threads';
import { fitClusters, type ClusterFitOptions } from '../core/segment/customer-clusters.js';
import type { KmeansReply } from './kmeans-thread.js';

const { data, n, d, opts } = workerData as { data: Float64Array; n: number; d: number; opts: ClusterFitOptions };
try {
  const t = performance.now();
  const fit = fitClusters(data, n, d, opts);
  parentPort!.postMessage({ fit, ms: performance.now() - t } satisfies KmeansReply, [fit.labels.buffer as ArrayBuffer]);
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies KmeansReply);
}
