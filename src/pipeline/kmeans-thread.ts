/**
 * k-means on a thread of its own: `run` fits the clusters (fitClusters, the same function as
 * on the main thread) while its main thread makes the other classifications and its score
 * thread scores. The features move to the worker (kmeans-worker.ts); the fit comes back.
 */
import { startWorker } from './live-workers.js';
import type { ClusterFitter } from './segment-stage.js';
import type { ClusterFit } from '../core/segment/customer-clusters.js';

const WORKER = new URL('../../dist/pipeline/kmeans-worker.js', import.meta.url);

/** What the worker posts: the fit and its own time, or the message of what it threw. */
export type KmeansReply = { fit: ClusterFit; ms: number } | { error: string };

/** Fits k-means on a new worker thread, which ends once it has answered. */
export const fitClustersOnThread: ClusterFitter = (job) =>
  new Promise((resolve, reject) => {
    const w = startWorker(WORKER, { workerData: job, transferList: [job.data.buffer as ArrayBuffer] });
    let answered = false;
    w.once('message', (m: KmeansReply) => {
      answered = true;
      if ('error' in m) reject(new Error(`k-means thread: ${m.error}`));
      else resolve(m);
    });
    w.once('error', (e) => {
      answered = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!answered) reject(new Error(`k-means thread stopped (exit code ${code}) before its fit`));
    });
  });
