/**
 * `run`'s model fits on a second thread: after aggregation the reader thread's core is idle,
 * and the fits (BG/NBD, Gamma-Gamma; 2–3 s on a million customers) need only the summaries'
 * numbers, not the segment stage's results — so they can run while the main thread segments
 * (when asked: see fitThreadWanted).
 * Same function, same inputs: the same numbers (fitScoreModels is deterministic; a test
 * compares `run`'s output files with the thread on and off).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FitInput, ScoreFits, ScoreOptions } from './score-stage.js';

const WORKER = new URL('../../dist/pipeline/score-fit-worker.js', import.meta.url);

/**
 * Whether `run` fits on a second thread: only when asked (`--threads`, else CUSTKIT_THREADS, ≥ 2)
 * on a machine with two cores or more. Not by default: the thread's malloc arena keeps the
 * memory it freed (glibc gives each thread its own arena, and only the main thread reuses the
 * main one), so the later stages cannot reuse it. Measured on 10M lines (1M customers):
 * run 33.3–34.7 s instead of 35.5–37.3 s, but peak RSS 0.97–1.00 GB instead of 0.86–0.91 GB
 * — over the 1 GB budget's margin. (With MALLOC_ARENA_MAX=1 in the environment: 33.3 s and
 * 0.89 GB.)
 */
export function fitThreadWanted(customers: number, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): boolean {
  if (customers === 0 || availableParallelism() < 2) return false;
  const set = threadsOpt ?? (env.CUSTKIT_THREADS !== undefined && env.CUSTKIT_THREADS !== '' ? Number(env.CUSTKIT_THREADS) : null);
  return set !== null && Number.isInteger(set) && set >= 2;
}

/**
 * Starts fitScoreModels(inp, opts) on a worker thread (the inputs are copied to it). The
 * promise gives the fits, or rejects when the thread fails; the thread has ended either way.
 */
export function fitOnThread(inp: FitInput, opts: Pick<ScoreOptions, 'model' | 'unit' | 'penalizer'>): Promise<ScoreFits> {
  const job = {
    inp: { frequency: inp.frequency, recencyDays: inp.recencyDays, TDays: inp.TDays, repeatAvg: inp.repeatAvg },
    opts: { model: opts.model, unit: opts.unit, penalizer: opts.penalizer },
  };
  return new Promise<ScoreFits>((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: job });
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      w.removeAllListeners();
      w.on('error', () => {}); // nothing more is expected from it
      void w.terminate();
      f();
    };
    w.once('message', (m: { fits?: ScoreFits; error?: string }) => {
      settle(() => (m.fits ? resolve(m.fits) : reject(new Error(m.error ?? 'the fitting thread sent no result'))));
    });
    w.once('error', (e) => settle(() => reject(e)));
    w.once('exit', (code) => settle(() => reject(new Error(`the fitting thread stopped (exit code ${code}) before its result`))));
  });
}
