/** Worker side of kmeans-thread.ts: fits the clusters of the features it is given and replies with the fit. */
import { fitClusters, type ClusterFit, type ClusterFitOptions } from '../core/segment/customer-clusters.js';
import type { JobPort } from './protocol.js';

export interface KmeansJob {
  kind: 'kmeans';
  data: Float64Array;
  n: number;
  d: number;
  opts: ClusterFitOptions;
}

/** The fit and the fit's own time. */
export interface KmeansReply {
  fit: ClusterFit;
  ms: number;
}

export function runKmeansJob(job: KmeansJob, port: JobPort<KmeansReply>): void {
  const t = performance.now();
  const fit = fitClusters(job.data, job.n, job.d, job.opts);
  port.reply({ fit, ms: performance.now() - t }, [fit.labels.buffer as ArrayBuffer]);
}
