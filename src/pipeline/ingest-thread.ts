/**
 * The ingest stage on a reader thread (ingest-worker.ts), for `run` (and the canonical reader,
 * for `segment` and `clean`): the worker parses while the main thread cleans and aggregates, so the two halves of the O(orders) work overlap on
 * two cores. Transactions arrive in file order, so every later stage sees exactly the stream
 * the in-process ingest would give (tested: identical customer tables). On by default for
 * file inputs of 32 MB or more on a machine with two cores or more (see readerThreadWanted);
 * `--threads 1` turns it off. Measurements: docs/performance.md.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { startWorker } from './live-workers.js';
import { CustkitError, type ExitCode } from '../errors.js';
import type { Reject, StreamSchema, Transaction } from '../core/types.js';
import { ingestFiles, type IngestResult, type IngestSinks } from './ingest-stage.js';
import type { ReaderJob, TxBatch } from './ingest-worker.js';
import type { ScreenOptions } from '../core/clean/line-screen.js';
import { LINE_FP_WORDS } from '../core/clean/line-fingerprint.js';
import type { ReadSummary, TransactionsHandler } from './transactions-reader.js';
import { type IngestOptions } from '../config/ingest-options.js';

const WORKER = new URL('../../dist/pipeline/ingest-worker.js', import.meta.url);
const NO_DIMS: string[] = [];

/** Smallest input (MB, all files) that `run` reads on a second thread by default. */
const AUTO_MIN_MB = 32;

/**
 * Whether `run`, `segment` or `clean` reads on a separate thread. Set explicitly (`--threads`,
 * else CUSTKIT_THREADS): when ≥ 2. Not set, with `auto`: when the machine has two cores or
 * more and the files add up to at least CUSTKIT_READER_THREAD_MIN_MB (default 32) MB — below
 * that, starting the thread costs more than it saves. Never for standard input.
 * (`clean` too: the thread also screens lines, so the order index lives there, not on the
 * main thread, and the pair fits clean's memory budget.)
 */
export function readerThreadWanted(files: string[], env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null, auto = true): boolean {
  if (files.some((f) => f === '-')) return false;
  if (availableParallelism() < 2) return false;
  const set = threadsOpt ?? (env.CUSTKIT_THREADS !== undefined && env.CUSTKIT_THREADS !== '' ? Number(env.CUSTKIT_THREADS) : null);
  if (set !== null) return Number.isInteger(set) && set >= 2;
  if (!auto) return false;
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

/**
 * The reader thread's young generation (one semi-space), in MB. Left alone, V8 grew the
 * thread's semi-spaces to 64 MB (its default for a worker on a machine with this much
 * memory: the strings of the batch being filled survive each scavenge), which committed
 * mostly garbage and most of what the thread added to `clean`'s peak. At 16 MB, the main
 * thread's own size, the peak drops at the same speed (docs/performance.md).
 * Worker `resourceLimits.maxYoungGenerationSizeMb` did not change it (Node 20); the V8 flag,
 * set before the thread's heap is created, does. It only sizes heaps created after it (the
 * main thread's is already configured).
 */
const READER_SEMI_SPACE_MB = 16;

/** What the main thread does with the reader thread's messages. */
interface ReaderHandlers {
  onSchema(schema: StreamSchema, header: string[] | undefined): void;
  onTx(tx: Transaction, line: number, fps: Uint32Array | undefined, at: number, verdict: number | undefined): void;
  onReject?(r: Reject): void;
  afterChunk?(bytes: number, total: number | null): Promise<void> | void;
}

/**
 * How the two threads of the last reader run waited for each other (CUSTKIT_STATS): the reader
 * thread for the main thread to take batches, the main thread for the next batch. The one that
 * waits less is the wall; work moved to the other one is free until they balance.
 */
export interface ReaderBalance {
  readerWaitMs: number;
  mainWaitMs: number;
}
let balance: ReaderBalance = { readerWaitMs: 0, mainWaitMs: 0 };
/** The balance of the last reader run that finished (zeros before any). */
export const lastReaderBalance = (): ReaderBalance => balance;

type ReaderMessage = { schema?: StreamSchema; header?: string[]; batch?: TxBatch; done?: unknown; waitedMs?: number; error?: { message: string; exitCode?: number; hint?: string; where?: CustkitError['where']; custkit: boolean } };

/**
 * Runs a reader job on a worker thread and hands its transactions to `h` in file order.
 * Messages are taken one at a time by a single loop, so an asynchronous `afterChunk` (output
 * back-pressure) finishes before the next batch is taken and before the batch is counted as
 * consumed (which lets the worker read further).
 */
function runReader<T>(job: ReaderJob, h: ReaderHandlers): Promise<T> {
  const flowBuf = new SharedArrayBuffer(4);
  const flow = new Int32Array(flowBuf);
  return new Promise<T>((resolve, reject) => {
    setFlagsFromString(`--max-semi-space-size=${READER_SEMI_SPACE_MB}`);
    const w = startWorker(WORKER, { workerData: { ...job, flow: flowBuf } });
    const queue: ReaderMessage[] = [];
    let busy = false;
    let mainWaitMs = 0;
    /** When the main thread ran out of batches (null while it has work). */
    let idleSince: number | null = performance.now();
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      w.removeAllListeners('message');
      void w.terminate();
      reject(e);
    };
    const take = async (m: ReaderMessage): Promise<void> => {
      if (m.schema) h.onSchema(m.schema, m.header);
      else if (m.batch) {
        const b = m.batch;
        if (h.onReject) for (const r of b.rejects) h.onReject(r);
        const fps = b.fp ?? undefined;
        const verdicts = b.verdict;
        for (let i = 0; i < b.n; i++) {
          const q = b.quantity[i]!;
          const tx: Transaction = {
            customerId: b.customer[i]!,
            orderId: b.order[i]!,
            day: b.day[i]!,
            amount: b.amount[i]!,
            quantity: Number.isNaN(q) ? null : q,
            status: b.statuses[b.statusCode[i]!]!,
            time: b.time ? b.time[i]! : null,
            item: b.item ? b.item[i]! : null,
            dims: b.dims ? b.dims[i]! : NO_DIMS,
          };
          if (b.refund) tx.refund = b.refund[i]!;
          if (b.paidAt) tx.paidAt = b.paidAt[i]!;
          h.onTx(tx, b.line[i]!, fps, LINE_FP_WORDS * i, verdicts === null ? undefined : verdicts[i]);
        }
        await h.afterChunk?.(b.bytes, b.total);
        Atomics.add(flow, 0, 1);
        Atomics.notify(flow, 0);
      } else if (m.done) {
        // Drop the listener (it holds the handlers, and through them the cleaner and the
        // accumulator) and let the worker's heap go before the later stages run.
        failed = true;
        w.removeAllListeners('message');
        await w.terminate();
        balance = { readerWaitMs: Math.round(m.waitedMs ?? 0), mainWaitMs: Math.round(mainWaitMs) };
        resolve(m.done as T);
      } else if (m.error) {
        const e = m.error;
        fail(e.custkit ? new CustkitError(e.message, e.exitCode as ExitCode, e.hint, e.where) : new Error(e.message));
      }
    };
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length > 0 && !failed) await take(queue.shift()!);
      } catch (e) {
        fail(e);
      } finally {
        busy = false;
        idleSince = performance.now();
      }
    };
    let last = false; // the done or error message has arrived (it may still wait in the queue)
    w.on('message', (m: ReaderMessage) => {
      if (failed) return;
      if (m.done || m.error) last = true;
      if (!busy && idleSince !== null) {
        mainWaitMs += performance.now() - idleSince;
        idleSince = null;
      }
      queue.push(m);
      void pump();
    });
    w.once('error', fail);
    // A thread that stops without its last message (killed, process.exit) must not leave the
    // command waiting forever. (After the last message it exits by itself, or is terminated.)
    w.once('exit', (code) => {
      if (!last) fail(new Error(`the reader thread stopped (exit code ${code}) before reading all input`));
    });
  });
}

/**
 * What a cleaner wants from the reader thread with each line: `true`, its fingerprints
 * (lineFingerprint); screen options, also its LineScreen verdict under them (the thread then
 * holds the order/line index; see Cleaner.push). `false`: nothing.
 */
export type ForCleaner = boolean | ScreenOptions;

const cleanerJob = (c: ForCleaner): { fingerprints: boolean; screen?: ScreenOptions } => (c === false || c === true ? { fingerprints: c } : { fingerprints: true, screen: c });

/**
 * Same contract as ingestFiles, with the work on a worker thread; with `forCleaner`, each
 * transaction comes with its cleaner fingerprints and verdict (sinks.onTx's fps/at/verdict; see Cleaner.push).
 */
export function ingestOnThread(files: string[], opts: IngestOptions, sinks: IngestSinks, forCleaner: ForCleaner = false): Promise<IngestResult> {
  return runReader<IngestResult>({ kind: 'ingest', files, opts, ...cleanerJob(forCleaner) }, {
    onSchema: (s) => sinks.onSchema(s),
    onTx: (tx, _line, fps, at, verdict) => sinks.onTx(tx, fps, at, verdict),
    onReject: (r) => sinks.onReject(r),
    afterChunk: (c, t) => {
      void sinks.afterChunk?.(c, t);
    },
  });
}

/**
 * Same contract as readTransactions (canonical input), with the reading on a worker thread;
 * with `forCleaner`, each line comes with its cleaner fingerprints and verdict (h.onTx's fps/at/verdict).
 */
export function readTransactionsOnThread(path: string, h: TransactionsHandler, label?: string, forCleaner: ForCleaner = false): Promise<ReadSummary> {
  return runReader<ReadSummary>({ kind: 'canonical', file: path, label, ...cleanerJob(forCleaner) }, {
    onSchema: (s, header) => h.onSchema?.(s, header ?? []),
    onTx: (tx, line, fps, at, verdict) => h.onTx(tx, line, fps, at, verdict),
    afterChunk: h.afterChunk ? (c, t) => h.afterChunk!(c, t) : undefined,
  });
}

/** ingestFiles on a reader thread when wanted (with what a cleaner wants: ForCleaner), in-process otherwise. */
export function ingestMaybeThreaded(files: string[], opts: IngestOptions, sinks: IngestSinks, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null, forCleaner: ForCleaner = false): Promise<IngestResult> {
  return readerThreadWanted(files, env, threadsOpt) ? ingestOnThread(files, opts, sinks, forCleaner) : ingestFiles(files, opts, sinks);
}
