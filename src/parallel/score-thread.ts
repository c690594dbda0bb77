/**
 * `run` scores on a second thread while the main thread segments: the two stages read the same
 * customer summaries and neither needs the other's result, and after the fused ingest → clean
 * → aggregate step the second core is idle. The worker (score-job.ts) gets the score inputs
 * (six Float64Arrays) and replies with {@link ScoreData} and the inputs; the main thread
 * attaches the cell formatter (scoreResult). Same functions, same numbers: the fit and every
 * cell are identical to scoring on the main thread (test/parallel/score-thread.test.ts).
 *
 * The arrays are transferred both ways, not copied, and the main thread allocates the output
 * arrays too. Memory a thread allocates comes from that thread's malloc arena, and glibc kept
 * what the worker had freed while anything it allocated was still in use: with copied inputs
 * and outputs made by the worker, `run` peaked higher (docs/performance.md), most of it after
 * the worker was gone.
 */
import { scoreOutputs, scoreResult, type ScoreInput, type ScoreMeta, type ScoreOptions } from '../pipeline/score-stage.js';
import type { PendingScore, RowCells, ThreadCells } from '../pipeline/pending-score.js';
import { summaryCellBuffers } from '../pipeline/customer-table-writer.js';
import { startJob, type JobThread } from './protocol.js';
import { jobBuffers, type ScoreJob, type ScoreReply, type ScoreRequest } from './score-job.js';

type Result = Awaited<PendingScore['result']>;

/** A promise with its settle functions. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void, reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // observed by the caller's await
  return { promise, resolve, reject };
}

/**
 * Starts scoring `inp` on a worker thread; with `cells`, the thread then writes the customer
 * table's summary and score cells on request. `inp`'s arrays move to the worker and stay empty
 * in `inp`; the result's cells read the arrays the worker sends back.
 */
export function scoreOnThread(inp: ScoreInput, opts: ScoreOptions, cells = false): PendingScore {
  const out = scoreOutputs(inp.frequency.length);
  const result = deferred<Result>();
  const fitted = deferred<{ meta: ScoreMeta; ms: number }>();
  /** Row requests not answered yet, oldest first. */
  const asked: { resolve(r: RowCells): void; reject(e: Error): void }[] = [];
  let failure: Error | null = null;
  const job: ScoreJob = { kind: 'score', inp, opts, out, cells };
  const thread = startJob<ScoreJob, ScoreReply, ScoreRequest>(job, jobBuffers(inp, out), {
    name: 'score thread',
    until: 'its result',
    prefixErrors: true,
    isLast: (r) => 'data' in r,
    onReply(r) {
      if ('fitted' in r) fitted.resolve({ meta: r.fitted, ms: r.ms });
      else if ('rows' in r) asked.shift()?.resolve(r.rows);
      else result.resolve({ scores: scoreResult(r.data, r.inp, opts), ms: r.ms, threaded: true });
    },
    onFail(e) {
      failure = e;
      result.reject(e);
      fitted.reject(e);
      for (const a of asked.splice(0)) a.reject(e);
    },
  });
  return {
    result: result.promise,
    cancel: () => thread.terminate(),
    cells: cells ? threadCells(thread, fitted.promise, asked, () => failure) : null,
  };
}

function threadCells(thread: JobThread<ScoreRequest>, fitted: ThreadCells['fitted'], asked: { resolve(r: RowCells): void; reject(e: Error): void }[], failure: () => Error | null): ThreadCells {
  return {
    fitted,
    columns(c) {
      if (!failure()) thread.post({ columns: c }, summaryCellBuffers(c));
    },
    rows(from, to, reuse) {
      const f = failure();
      if (f) return Promise.reject(f);
      const p = new Promise<RowCells>((resolve, reject) => asked.push({ resolve, reject }));
      thread.post({ rows: [from, to], reuse: reuse ?? null }, reuse ? [reuse.bytes.buffer as ArrayBuffer, reuse.ends.buffer as ArrayBuffer] : []);
      return p;
    },
    done() {
      if (!failure()) thread.post({ done: true });
    },
  };
}
