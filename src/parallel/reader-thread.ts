/**
 * The ingest stage on a reader thread (reader-job.ts), for `run` (and the canonical reader,
 * for `segment` and `clean`): the worker parses while the main thread cleans and aggregates,
 * so the two halves of the O(orders) work overlap on two cores. Transactions arrive in file
 * order, so every later stage sees exactly the stream the in-process ingest would give
 * (tested: identical customer tables). When it is used: policy.ts (readerThreadWanted).
 */
import { setFlagsFromString } from 'node:v8';
import type { Reject, StreamSchema, Transaction } from '../core/types.js';
import type { IngestResult, IngestSinks } from '../pipeline/ingest-stage.js';
import type { IngestOptions } from '../config/ingest-options.js';
import type { ForCleaner, ReaderBalance } from '../pipeline/parallelism.js';
import { LINE_FP_WORDS } from '../core/clean/line-fingerprint.js';
import type { ReadSummary, TransactionsHandler } from '../pipeline/transactions-reader.js';
import { POLICY } from './policy.js';
import { startJob } from './protocol.js';
import type { ReaderJob, ReaderReply, ReaderSource, TxBatch } from './reader-job.js';
import type { ScreenOptions } from '../core/clean/line-screen.js';

const NO_DIMS: string[] = [];

/**
 * The reader thread's young generation (policy.ts: readerSemiSpaceMb). Worker
 * `resourceLimits.maxYoungGenerationSizeMb` did not change it (Node 20); the V8 flag, set
 * before the thread's heap is created, does. It only sizes heaps created after it (the main
 * thread's is already configured).
 */
const READER_SEMI_SPACE = `--max-semi-space-size=${POLICY.readerSemiSpaceMb.default}`;

/** What the main thread does with the reader thread's messages. */
interface ReaderHandlers {
  onSchema(schema: StreamSchema, header: string[] | undefined): void;
  onTx(tx: Transaction, line: number, fps: Uint32Array | undefined, at: number, verdict: number | undefined): void;
  onReject?(r: Reject): void;
  afterChunk?(bytes: number, total: number | null): Promise<void> | void;
}

/**
 * The last reader run's balance: the thread that waits less is the wall; work moved to the
 * other one is free until they balance.
 */
let balance: ReaderBalance = { readerWaitMs: 0, mainWaitMs: 0 };
/** The balance of the last reader run that finished (zeros before any). */
export const lastReaderBalance = (): ReaderBalance => balance;

/**
 * Runs a reader job on a worker thread and hands its transactions to `h` in file order.
 * Replies are taken one at a time by a single loop, so an asynchronous `afterChunk` (output
 * back-pressure) finishes before the next batch is taken and before the batch is counted as
 * consumed (which lets the worker read further). The job's own error waits its turn behind
 * the batches read before it.
 */
function runReader<T>(source: ReaderSource & { fingerprints: boolean; screen?: ScreenOptions }, h: ReaderHandlers): Promise<T> {
  const flowBuf = new SharedArrayBuffer(4);
  const flow = new Int32Array(flowBuf);
  return new Promise<T>((resolve, reject) => {
    setFlagsFromString(READER_SEMI_SPACE);
    const queue: (ReaderReply | { failure: Error })[] = [];
    let busy = false;
    let mainWaitMs = 0;
    /** When the main thread ran out of batches (null while it has work). */
    let idleSince: number | null = performance.now();
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      void thread.stop();
      reject(e);
    };
    const take = async (m: ReaderReply | { failure: Error }): Promise<void> => {
      if ('schema' in m) h.onSchema(m.schema, m.header);
      else if ('batch' in m) {
        takeBatch(m.batch, h);
        await h.afterChunk?.(m.batch.bytes, m.batch.total);
        Atomics.add(flow, 0, 1);
        Atomics.notify(flow, 0);
      } else if ('done' in m) {
        // Drop the listener (it holds the handlers, and through them the cleaner and the
        // accumulator) and let the worker's heap go before the later stages run.
        failed = true;
        await thread.stop();
        balance = { readerWaitMs: Math.round(m.waitedMs), mainWaitMs: Math.round(mainWaitMs) };
        resolve(m.done as T);
      } else fail(m.failure);
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
    const arrived = (m: ReaderReply | { failure: Error }): void => {
      if (failed) return;
      if (!busy && idleSince !== null) {
        mainWaitMs += performance.now() - idleSince;
        idleSince = null;
      }
      queue.push(m);
      void pump();
    };
    const job: ReaderJob = { ...source, flow: flowBuf };
    const thread = startJob<ReaderJob, ReaderReply>(job, [], {
      name: 'the reader thread',
      until: 'reading all input',
      prefixErrors: false,
      isLast: (r) => 'done' in r,
      onReply: arrived,
      onFail: (e, inOrder) => (inOrder ? arrived({ failure: e }) : fail(e)),
    });
  });
}

/** Hands a batch's rejects and transactions to `h`. */
function takeBatch(b: TxBatch, h: ReaderHandlers): void {
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
      dims: b.dimCode ? b.dimTuples![b.dimCode[i]!]! : NO_DIMS,
    };
    if (b.refund) tx.refund = b.refund[i]!;
    if (b.paidAt) tx.paidAt = b.paidAt[i]!;
    h.onTx(tx, b.line[i]!, fps, LINE_FP_WORDS * i, verdicts === null ? undefined : verdicts[i]);
  }
}

const cleanerJob = (c: ForCleaner): { fingerprints: boolean; screen?: ScreenOptions } => (c === false || c === true ? { fingerprints: c } : { fingerprints: true, screen: c });

/**
 * Same contract as ingestFiles, with the work on a worker thread; with `forCleaner`, each
 * transaction comes with its cleaner fingerprints and verdict (sinks.onTx's fps/at/verdict; see Cleaner.pushScreened).
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
