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
 * and outputs made by the worker, `run` peaked higher (docs/performance.md),
 * most of it after the worker was gone.
 */
import { availableParallelism } from 'node:os';
import { startWorker } from './live-workers.js';
import { scoreCustomerTable, scoreOutputs, scoreResult, type ScoreData, type ScoreInput, type ScoreMeta, type ScoreOptions, type ScoreOutputs, type ScoreResult } from './score-stage.js';
import { summaryCellBuffers, type SummaryCellColumns } from './summary-cells.js';

const WORKER = new URL('../../dist/pipeline/score-worker.js', import.meta.url);

/** Below this many customers scoring takes well under a second, less than starting a thread is worth. */
export const SCORE_THREAD_MIN_CUSTOMERS = 50_000;

/**
 * What the worker gets: the inputs, the options and the arrays to fill; with `cells`, it
 * writes rows of the customer table on request once scored (ThreadCells).
 */
export interface ScoreJob {
  inp: ScoreInput;
  opts: ScoreOptions;
  out: ScoreOutputs;
  cells: boolean;
}

/**
 * Cells of a block of rows, two parts per row, each ended by LF: row k's summary cells are
 * `bytes[s, ends[2k] − 1)` with s = ends[2k − 1] (0 for k = 0), its score cells
 * `bytes[ends[2k], ends[2k + 1] − 1)`.
 */
export interface RowCells {
  bytes: Uint8Array;
  ends: Int32Array;
}

/**
 * What the worker posts: the data and the inputs it was given (last), or the message of what it
 * threw; with cells, first the fit once scored, then one block of cells per request.
 */
export type ScoreReply = { data: ScoreData; inp: ScoreInput; ms: number } | { fitted: ScoreMeta; ms: number } | { rows: RowCells } | { error: string };

/**
 * What the worker is asked, with cells: to take the summary columns (first), the cells of rows [from, to) (`reuse`: the buffers of a
 * block the main thread has written, sent back to be filled again), or to send the scores back.
 */
export type ScoreRequest = { columns: SummaryCellColumns } | { rows: [number, number]; reuse: RowCells | null } | { done: true };

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

/**
 * Customers from which `run`'s score thread also writes cells of the customer table. At 100k
 * customers one thread writes the whole table quickly, so below it there is little to share
 * (docs/performance.md).
 */
export const THREAD_CELLS_MIN_CUSTOMERS = 100_000;

/**
 * Whether a score thread should also write the customer table's summary and score cells
 * (ThreadCells): from THREAD_CELLS_MIN_CUSTOMERS customers, and always with threads set to 2
 * or more (as for the score thread itself: tests and users can force the threaded path).
 */
export function threadCellsWanted(customers: number, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): boolean {
  const set = threadsOpt ?? (env.CUSTKIT_THREADS !== undefined && env.CUSTKIT_THREADS !== '' ? Number(env.CUSTKIT_THREADS) : null);
  return (set !== null && Number.isInteger(set) && set >= 2) || customers >= THREAD_CELLS_MIN_CUSTOMERS;
}

/** Scoring under way: `result` resolves with the scores and the scoring's own time; `cancel` stops a thread. */
export interface PendingScore {
  result: Promise<{ scores: ScoreResult; ms: number; threaded: boolean }>;
  cancel(): void;
  /** With summary cell columns on a thread: that thread writes the rows' summary and score cells. */
  cells: ThreadCells | null;
}

/**
 * The customer-table cells a score thread writes once it has scored (it keeps the scores until
 * `done`, then `result` resolves with them).
 */
export interface ThreadCells {
  /** The fit, as soon as scoring is done, and the scoring's own time. */
  fitted: Promise<{ meta: ScoreMeta; ms: number }>;
  /**
   * Hands the thread the summary columns (moved, not copied), before any rows are asked for.
   * Not with the job: the thread would hold them (44 MB on 1M customers) through the segment
   * stage, which sets `run`'s peak.
   */
  columns(c: SummaryCellColumns): void;
  /**
   * The summary and score cells of rows [from, to); blocks come in the order asked. `reuse`, a
   * block already written, goes back to the thread (no longer usable here) to be filled again,
   * so the blocks in flight are all the buffers there are: a new buffer per block left every
   * block as garbage until the main thread's next full collection.
   */
  rows(from: number, to: number, reuse?: RowCells): Promise<RowCells>;
  /** No more rows: the thread sends the scores back. */
  done(): void;
}

/**
 * Starts scoring `inp`: on a worker thread when `thread`, else right here (synchronously, before
 * this returns). Either way the scores are the same. On a thread, `inp`'s arrays move to the
 * worker and stay empty in `inp`; the result's cells read the arrays the worker sends back.
 */
export function startScoring(inp: ScoreInput, opts: ScoreOptions, thread: boolean, cells = false): PendingScore {
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
    return { result, cancel() {}, cells: null };
  }
  const out = scoreOutputs(inp.frequency.length);
  const job: ScoreJob = { inp, opts, out, cells };
  const w = startWorker(WORKER, { workerData: job, transferList: jobBuffers(inp, out) });
  let resolveResult!: (r: { scores: ScoreResult; ms: number; threaded: boolean }) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<{ scores: ScoreResult; ms: number; threaded: boolean }>((res, rej) => {
    resolveResult = res;
    rejectResult = rej;
  });
  let resolveFitted!: (f: { meta: ScoreMeta; ms: number }) => void;
  let rejectFitted!: (e: Error) => void;
  const fitted = new Promise<{ meta: ScoreMeta; ms: number }>((res, rej) => {
    resolveFitted = res;
    rejectFitted = rej;
  });
  /** Row requests not answered yet, oldest first. */
  const asked: { resolve(r: RowCells): void; reject(e: Error): void }[] = [];
  let failure: Error | null = null;
  let settled = false;
  const fail = (e: Error): void => {
    if (settled) return;
    settled = true;
    failure = e;
    rejectResult(e);
    rejectFitted(e);
    for (const a of asked.splice(0)) a.reject(e);
  };
  w.on('message', (m: ScoreReply) => {
    if ('error' in m) fail(new Error(`score thread: ${m.error}`));
    else if ('fitted' in m) resolveFitted({ meta: m.fitted, ms: m.ms });
    else if ('rows' in m) asked.shift()?.resolve(m.rows);
    else {
      settled = true;
      resolveResult({ scores: scoreResult(m.data, m.inp, opts), ms: m.ms, threaded: true });
    }
  });
  w.once('error', (e) => fail(e));
  w.once('exit', (code) => fail(new Error(`score thread stopped (exit code ${code}) before its result`)));
  result.catch(() => {});
  fitted.catch(() => {});
  return {
    result,
    cancel() {
      void w.terminate();
    },
    cells: cells
      ? {
          fitted,
          columns(c) {
            const r: ScoreRequest = { columns: c };
            if (!failure) w.postMessage(r, summaryCellBuffers(c));
          },
          rows(from, to, reuse) {
            if (failure) return Promise.reject(failure);
            const p = new Promise<RowCells>((resolve, reject) => asked.push({ resolve, reject }));
            const r: ScoreRequest = { rows: [from, to], reuse: reuse ?? null };
            w.postMessage(r, reuse ? [reuse.bytes.buffer as ArrayBuffer, reuse.ends.buffer as ArrayBuffer] : []);
            return p;
          },
          done() {
            const r: ScoreRequest = { done: true };
            if (!failure) w.postMessage(r);
          },
        }
      : null,
  };
}
