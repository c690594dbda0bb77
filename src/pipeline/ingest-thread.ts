/**
 * The ingest stage on a reader thread (ingest-worker.ts), for `run`: the worker parses while
 * the main thread cleans and aggregates, so the two halves of the O(orders) work overlap on
 * two cores. Transactions arrive in file order, so every later stage sees exactly the stream
 * the in-process ingest would give (tested: identical customer tables). On by default for
 * file inputs of 32 MB or more on a machine with two cores or more (see readerThreadWanted);
 * `--threads 1` turns it off. Measured on 10M lines with 2 cores (2026-11-30): ingest + clean
 * + aggregate 29.1–29.6 s → 18.4–19.2 s, the whole run 52–62 s → 39–41 s, peak RSS
 * 0.88–0.91 GB → 0.90–0.92 GB.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CustkitError, type ExitCode } from '../cli/errors.js';
import type { Transaction } from '../core/types.js';
import { ingestFiles, type IngestOptions, type IngestResult, type IngestSinks } from './ingest-stage.js';
import type { TxBatch } from './ingest-worker.js';

const WORKER = new URL('../../dist/pipeline/ingest-worker.js', import.meta.url);
const NO_DIMS: string[] = [];

/** Smallest input (MB, all files) that `run` reads on a second thread by default. */
const AUTO_MIN_MB = 32;

/**
 * Whether `run` reads on a separate thread. Set explicitly (`--threads`, else
 * CUSTKIT_THREADS): when ≥ 2. Not set: when the machine has two cores or more and the files
 * add up to at least CUSTKIT_READER_THREAD_MIN_MB (default 32) MB — below that, starting the
 * thread (~0.1 s) costs more than it saves. Never for standard input.
 */
export function readerThreadWanted(files: string[], env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): boolean {
  if (files.some((f) => f === '-')) return false;
  if (availableParallelism() < 2) return false;
  const set = threadsOpt ?? (env.CUSTKIT_THREADS !== undefined && env.CUSTKIT_THREADS !== '' ? Number(env.CUSTKIT_THREADS) : null);
  if (set !== null) return Number.isInteger(set) && set >= 2;
  const min = env.CUSTKIT_READER_THREAD_MIN_MB !== undefined && env.CUSTKIT_READER_THREAD_MIN_MB !== '' ? Number(env.CUSTKIT_READER_THREAD_MIN_MB) : AUTO_MIN_MB;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      return false; // ingest reports the missing file
    }
  }
  return bytes >= min * 1e6;
}

/** Same contract as ingestFiles, with the work on a worker thread. */
export function ingestOnThread(files: string[], opts: IngestOptions, sinks: IngestSinks): Promise<IngestResult> {
  const flowBuf = new SharedArrayBuffer(4);
  const flow = new Int32Array(flowBuf);
  return new Promise<IngestResult>((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { files, opts, flow: flowBuf } });
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      void w.terminate();
      reject(e);
    };
    w.on('message', (m: { schema?: IngestResult['schema']; batch?: TxBatch; done?: IngestResult; error?: { message: string; exitCode?: number; hint?: string; where?: CustkitError['where']; custkit: boolean } }) => {
      if (failed) return;
      try {
        if (m.schema) sinks.onSchema(m.schema);
        else if (m.batch) {
          const b = m.batch;
          for (const r of b.rejects) sinks.onReject(r);
          for (let i = 0; i < b.n; i++) {
            const q = b.quantity[i]!;
            const tx: Transaction = {
              customerId: b.customer[i]!,
              orderId: b.order[i]!,
              day: b.day[i]!,
              amount: b.amount[i]!,
              quantity: Number.isNaN(q) ? null : q,
              status: b.status[i]!,
              time: b.time[i]!,
              item: b.item[i]!,
              dims: b.dims ? b.dims[i]! : NO_DIMS,
            };
            sinks.onTx(tx);
          }
          Atomics.add(flow, 0, 1);
          Atomics.notify(flow, 0);
          void sinks.afterChunk?.(b.chars, b.total);
        } else if (m.done) {
          // Drop the listener (it holds the sinks, and through them the cleaner and the
          // accumulator) and let the worker's heap go before the later stages run.
          const result = m.done;
          w.removeAllListeners('message');
          w.terminate().then(() => resolve(result), reject);
        } else if (m.error) {
          const e = m.error;
          fail(e.custkit ? new CustkitError(e.message, e.exitCode as ExitCode, e.hint, e.where) : new Error(e.message));
        }
      } catch (e) {
        fail(e);
      }
    });
    w.once('error', fail);
  });
}

/** ingestFiles on a reader thread when wanted, in-process otherwise. */
export function ingestMaybeThreaded(files: string[], opts: IngestOptions, sinks: IngestSinks, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): Promise<IngestResult> {
  return readerThreadWanted(files, env, threadsOpt) ? ingestOnThread(files, opts, sinks) : ingestFiles(files, opts, sinks);
}
