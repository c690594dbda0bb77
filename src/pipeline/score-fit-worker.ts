/**
 * Fitting thread (score-fit-thread.ts): runs fitScoreModels on the inputs it was started
 * with and posts the fits back, while the main thread segments the same customers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitScoreModels, type FitInput, type ScoreOptions } from './score-stage.js';

const job = workerData as { inp: FitInput; opts: Pick<ScoreOptions, 'model' | 'unit' | 'penalizer'> };
try {
  parentPort!.postMessage({ fits: fitScoreModels(job.inp, job.opts) });
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({ error: err?.message ?? String(e) });
}
