/**
 * The one worker entry: runs the job it was started with (protocol.ts), picking the job's code
 * by its kind. Each kind's module is loaded only by the worker that runs it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jobPort } from './protocol.js';
import type { WorkerJob } from './jobs.js';

/** A job's code, given its job and its port (their types are checked in each job's module). */
type Runner = (job: never, port: never) => unknown;

const RUNNERS: Record<WorkerJob['kind'], () => Promise<Runner>> = {
  ingest: async () => (await import('./reader-job.js')).runReaderJob as Runner,
  canonical: async () => (await import('./reader-job.js')).runReaderJob as Runner,
  score: async () => (await import('./score-job.js')).runScoreJob as Runner,
  kmeans: async () => (await import('./kmeans-job.js')).runKmeansJob as Runner,
  'aggregate-range': async () => (await import('./range-aggregate-job.js')).runRangeAggregateJob as Runner,
  digest: async () => (await import('./digest-job.js')).runDigestJob as Runner,
  workbook: async () => (await import('./workbook-job.js')).runWorkbookJob as Runner,
};

const job = workerData as WorkerJob;
const port = jobPort(parentPort!);
RUNNERS[job.kind]()
  .then((run) => run(job as never, port as never))
  .catch((e: unknown) => port.fail(e));
