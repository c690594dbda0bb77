/** Every job a worker runs (worker.ts dispatches on `kind`). */
import type { ReaderJob } from './reader-job.js';
import type { ScoreJob } from './score-job.js';
import type { KmeansJob } from './kmeans-job.js';
import type { RangeAggregateJob } from './range-aggregate-job.js';
import type { DigestJob } from './digest-job.js';
import type { WorkbookJob } from './workbook-job.js';

export type WorkerJob = ReaderJob | ScoreJob | KmeansJob | RangeAggregateJob | DigestJob | WorkbookJob;
