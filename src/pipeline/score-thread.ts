/**
 * `run` scores on a second thread while the main thread segments: the two stages read the same
 * customer summaries and neither needs the other's result, and after the fused ingest → clean
 * → aggregate step the second core is idle. The worker (score-worker.ts) gets the score inputs
 * (six Float64Arrays) and posts back {@link ScoreData} with the inputs; the main thread
 * attaches the cell formatter (scoreResult). Same functions, same numbers: the fit and every
 * cell are identical to scoring on the main thread (test/pipeline/score-thread.test.ts).
 *
 * The arrays are transferred both ways, not copied, and the main thread allocates the output
 * arrays too. Memory a thread allocates comes from that thread's malloc arena, and glibc kept
 * what the worker had freed while anything it allocated was still in use: with copied inputs
 * and outputs made by the worker, `run` on 10M lines peaked at 996–1006 MB instead of
 * 921–932 MB, most of it after the worker was gone.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { scoreCustomerTable, scoreOutputs, scoreResult, type ScoreData, type ScoreInput, type ScoreOptions, type ScoreOutputs, type ScoreResult } from './score-stage.js';

const WORKER = new URL('../../dist/pipeline/score-worker.js', import.meta.url);

/** Below this many customers scoring takes well under a second, less than starting a thread is worth. */
export const SCORE_THREAD_MIN_CUSTOMERS = 50_000;

/** What the worker gets: the inputs, the options and the arrays to fill. */
export interface ScoreJob {
  inp: ScoreInput;
  opts: ScoreOptions;
  out: ScoreOutputs;
}

/** What the worker posts: the data and the inputs it was given, or the message of what it threw. */
export type ScoreReply = { data: ScoreData; inp: ScoreInput; ms: number } | { error: string };

/** The buffers of the score inputs and outputs (each array has its own), to transfer. */
export const jobBuffers = (inp: ScoreInput, out: ScoreOutputs): ArrayBuffer[] =>
  [inp.frequency, inp.recencyDays, inp.TDays, inp.repeatAvg, inp.revenue, inp.orders, out.pAlive, out.expectedOrders, out.clv, out.values].map((a) => a.buffer as ArrayBuffer);

/**
 * Whether to score on a second thread: never on one core or with threads set to 1 (`--threads`,
 * else CUSTKIT_THREADS); with threads set to 2 or more, always; otherwise from
 * SCORE_THREAD_MIN_CUSTOMERS customers.
 */
export function scoreThreadWanted(customers: number, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): boolean {
  if (customers === 0 || availableParallelism() < 2) return false;
  const set = threadsOpt ?? (env.CUSTKIT_THREADS !== undefined && env.CUSTKIT_THREADS !== '' ? Number(env.CUSTKIT_THREADS) : null);
  if (set !== null) return Number.isInteger(set) && set >= 2;
  return customers >= SCORE_THREAD_MIN_CUSTOMERS;
}

/** Scoring under way: `result` resolves with the scores and the scoring's own time; `cancel` stops a thread. */
export interface PendingScore {
  result: Promise<{ scores: ScoreResult; ms: number; threaded: boolean }>;
  cancel(): void;
}

/**
 * Starts scoring `inp`: on a worker thread when `thread`, else right here (synchronously, before
 * this returns). Either way the scores are the same. On a thread, `inp`'s arrays move to the
 * worker and stay empty in `inp`; the result's cells read the arrays the worker sends back.
 */
export function startScoring(inp: ScoreInput, opts: ScoreOptions, thread: boolean): PendingScore {
  if (!thread) {
    const t = performance.now();
    let result: PendingScore['result'];
    try {
      const scores = scoreCustomerTable(inp, opts);
      result = Promise.resolve({ scores, ms: performance.now() - t, threaded: false });
    } catch (e) {
      result = Promise.reject(e);
    }
    result.catch(() => {}); // observed by the caller's await; never an unhandled rejection meanwhile
    return { result, cancel() {} };
  }
  const out = scoreOutputs(inp.frequency.length);
  const job: ScoreJob = { inp, opts, out };
  const w = new Worker(WORKER, { workerData: job, transferList: jobBuffers(inp, out) });
  const result = new Promise<{ scores: ScoreResult; ms: number; threaded: boolean }>((resolve, reject) => {
    let settled = false;
    w.once('message', (m: ScoreReply) => {
      settled = true;
      if ('error' in m) reject(new Error(`score thread: ${m.error}`));
      else resolve({ scores: scoreResult(m.data, m.inp, opts), ms: m.ms, threaded: true });
    });
    w.once('error', (e) => {
      settled = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`score thread stopped (exit code ${code}) before its result`));
    });
  });
  result.catch(() => {});
  return {
    result,
    cancel() {
      void w.terminate();
    },
  };
}
