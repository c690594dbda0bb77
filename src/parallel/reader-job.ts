/**
 * Worker side of reader-thread.ts: runs the ingest stage — decoding, tokenizing, mapping,
 * parsing — for `run`, or reads canonical transactions for `clean`, on its own core and posts
 * the transactions to the main thread in columnar batches, while the main thread cleans and
 * aggregates. With screen options, it also screens each line (LineScreen: the cleaner's line
 * rules and its order/line index, with that index's cache misses) while it would otherwise
 * wait for the main thread, which then only folds. Flow control: at most a queue's worth of
 * batches (policy.ts) may be in flight (a shared counter of batches consumed), so memory stays
 * bounded whatever the file size.
 */
import type { Reject, StreamSchema, Transaction } from '../core/types.js';
import { Fingerprinter } from '../core/clean/fingerprint-hash.js';
import { lineFingerprint, LINE_FP_WORDS } from '../core/clean/line-fingerprint.js';
import { LineScreen, type ScreenOptions } from '../core/clean/line-screen.js';
import { ingestFiles } from '../pipeline/ingest-stage.js';
import type { IngestOptions } from '../config/ingest-options.js';
import { readTransactions } from '../pipeline/transactions-reader.js';
import { POLICY } from './policy.js';
import type { JobPort } from './protocol.js';

const BATCH = POLICY.readerBatchLines.default;

export interface TxBatch {
  n: number;
  customer: string[];
  order: string[];
  day: Int32Array;
  amount: Float64Array;
  /** NaN = no quantity. */
  quantity: Float64Array;
  /**
   * Status of line i: `statuses[statusCode[i]]`. A file holds a handful of distinct statuses;
   * sent once per batch, the main thread gets one string per distinct value instead of one per
   * line to deserialize, hash and keep (10M lines: 10M strings).
   */
  statusCode: Uint16Array;
  statuses: string[];
  /**
   * Order times and items of the lines; null while every one so far is null (no such column).
   * Posting and reading back arrays of nulls cost measurable time per batch (docs/performance.md).
   */
  time: (string | null)[] | null;
  item: (string | null)[] | null;
  /**
   * Kept columns (dims) of line i: `dimTuples[dimCode[i]]`, null without kept columns. Like the
   * statuses, each distinct tuple of the batch is sent once: a per-line array of strings cost
   * both threads their largest share of a `--keep` run (cloning, then allocating and collecting
   * the copies), and the lines of one tuple share one array on the main thread (never mutated).
   */
  dimCode: Int32Array | null;
  dimTuples: string[][] | null;
  /** Refunds and payment times of the lines; null without such a column (schema.hasRefund / hasPaidAt). */
  refund?: number[] | null;
  paidAt?: string[] | null;
  /** Line numbers (canonical input; 0 for ingest, whose lines `run` does not report). */
  line: Float64Array;
  /** Each line's lineFingerprint (LINE_FP_WORDS words per line) when the job asked for them. */
  fp: Uint32Array | null;
  /** Each line's LineScreen verdict when the job gave screen options. */
  verdict: Uint8Array | null;
  rejects: Reject[];
  /** Input bytes read when the batch was sent, and the total (null: unknown). */
  bytes: number;
  total: number | null;
}

/**
 * What the thread reads: exports through ingest, or one canonical file (`label` names stdin's
 * spool). `fingerprints`: also compute each line's cleaner fingerprints (lineFingerprint) —
 * the thread waits for the main thread most of the time, so the hashing costs no wall time
 * there, and the cleaner on the main thread skips it.
 */
export type ReaderSource = { kind: 'ingest'; files: string[]; opts: IngestOptions } | { kind: 'canonical'; file: string; label?: string };

/** The job: what to read and what to add for a cleaner; `flow` counts the batches the main thread has consumed. */
export type ReaderJob = ReaderSource & { fingerprints?: boolean; screen?: ScreenOptions; flow: SharedArrayBuffer };

/** The stream's schema first (with the header of canonical input), then batches, then the reader's result and how long it waited. */
export type ReaderReply = { schema: StreamSchema; header?: string[] } | { batch: TxBatch } | { done: unknown; waitedMs: number };

/** Reads the job's input and replies with its batches; an error fails the job (protocol.ts). */
export function runReaderJob(job: ReaderJob, port: JobPort<ReaderReply>): Promise<void> {
  const flow = new Int32Array(job.flow);
  const maxAhead = job.kind === 'ingest' ? POLICY.readerQueueIngest.default : POLICY.readerQueueCanonical.default;
  let produced = 0;
  let schema: StreamSchema | null = null;
  let bytes = 0;
  let total: number | null = null;
  const fingerprinter = new Fingerprinter();
  const screen = job.screen ? new LineScreen(job.screen) : null;
  /** Lines screened together: their index slots are touched first, so the cache misses overlap (as in Cleaner.drain). */
  const SCREEN_GROUP = 64;

  const fresh = (): TxBatch => ({
    n: 0,
    customer: [],
    order: [],
    day: new Int32Array(BATCH),
    amount: new Float64Array(BATCH),
    quantity: new Float64Array(BATCH),
    statusCode: new Uint16Array(BATCH),
    statuses: [],
    time: null,
    item: null,
    dimCode: schema && schema.dimNames.length ? new Int32Array(BATCH) : null,
    dimTuples: schema && schema.dimNames.length ? [] : null,
    refund: schema?.hasRefund ? [] : null,
    paidAt: schema?.hasPaidAt ? [] : null,
    line: new Float64Array(BATCH),
    fp: job.fingerprints || screen ? new Uint32Array(LINE_FP_WORDS * BATCH) : null,
    verdict: screen ? new Uint8Array(BATCH) : null,
    rejects: [],
    bytes: 0,
    total: null,
  });
  let batch = fresh();
  /** Milliseconds this thread waited for the main thread to take batches (reported with `done`). */
  let waitedMs = 0;
  /** Codes of the current batch's statuses (BATCH ≤ 65,536 lines, so a code fits 16 bits). */
  let statusCodes = new Map<string, number>();
  /** Codes of the current batch's dims tuples, by tupleKey. */
  let dimCodes = new Map<string, number>();
  /** Starts an empty batch (with its own status and dims codes). */
  function newBatch(): void {
    batch = fresh();
    statusCodes = new Map();
    dimCodes = new Map();
    screened = 0;
    touched = 0;
  }

  /** Lines of the current batch already screened, and whose index slot was already touched. */
  let screened = 0;
  let touched = 0;

  /** Touches the index slots of the batch's lines up to `to` (only loads: see LineScreen.touch). */
  function touchTo(s: LineScreen, to: number): void {
    const fp = batch.fp!;
    for (let i = touched; i < to; i++) s.touch(fp[LINE_FP_WORDS * i + 1]!);
    touched = to;
  }

  /** Screens the batch's lines up to `to`, in order (their fingerprints are already in batch.fp). */
  function screenTo(s: LineScreen, to: number): void {
    const b = batch, fp = b.fp!, v = b.verdict!;
    for (let i = screened; i < to; i++) {
      const j = LINE_FP_WORDS * i, q = b.quantity[i]!;
      v[i] = s.screen(b.customer[i]!, b.order[i]!, b.day[i]!, b.amount[i]!, Number.isNaN(q) ? null : q, b.statuses[b.statusCode[i]!]!, fp[j]!, fp[j + 1]!, fp[j + 2]!, fp[j + 3]!);
    }
    screened = to;
  }

  /**
   * Screening keeps pace with parsing, one group behind: each time a group of SCREEN_GROUP lines
   * is complete, its index slots are touched and the group before it is screened, so a group's
   * cache misses resolve while the one before is screened, and a line is screened while its
   * strings are still in cache (a whole batch of 8,192 lines parsed first had pushed them out).
   */
  function screenAsParsed(s: LineScreen): void {
    const n = batch.n;
    if (n % SCREEN_GROUP !== 0) return;
    touchTo(s, n);
    if (n >= 2 * SCREEN_GROUP) screenTo(s, n - SCREEN_GROUP);
  }

  function flush(): void {
    if (batch.n === 0 && batch.rejects.length === 0) return;
    if (screen) {
      // The sizing hint, once a batch, at the same point as when whole batches were screened
      // here: the index is reserved for the same extrapolation as before (results never depend
      // on it; it only sizes the index).
      if (total) screen.expectFraction(bytes / total);
      touchTo(screen, batch.n);
      screenTo(screen, batch.n);
    }
    // Wait while maxAhead batches are unconsumed.
    for (;;) {
      const consumed = Atomics.load(flow, 0);
      if (produced - consumed < maxAhead) break;
      const t = performance.now();
      Atomics.wait(flow, 0, consumed, 1000);
      waitedMs += performance.now() - t;
    }
    batch.bytes = bytes;
    batch.total = total;
    const transfer = [batch.day.buffer as ArrayBuffer, batch.amount.buffer as ArrayBuffer, batch.quantity.buffer as ArrayBuffer, batch.statusCode.buffer as ArrayBuffer, batch.line.buffer as ArrayBuffer];
    if (batch.fp) transfer.push(batch.fp.buffer as ArrayBuffer);
    if (batch.verdict) transfer.push(batch.verdict.buffer as ArrayBuffer);
    if (batch.dimCode) transfer.push(batch.dimCode.buffer as ArrayBuffer);
    port.reply({ batch }, transfer);
    produced++;
    newBatch();
  }

  function onTx(tx: Transaction, line = 0): void {
    const i = batch.n++;
    batch.line[i] = line;
    batch.customer.push(tx.customerId);
    batch.order.push(tx.orderId);
    batch.day[i] = tx.day;
    batch.amount[i] = tx.amount;
    batch.quantity[i] = tx.quantity === null ? NaN : tx.quantity;
    let code = statusCodes.get(tx.status);
    if (code === undefined) {
      code = batch.statuses.length;
      statusCodes.set(tx.status, code);
      batch.statuses.push(tx.status);
    }
    batch.statusCode[i] = code;
    if (tx.time !== null || batch.time !== null) (batch.time ??= new Array<string | null>(i).fill(null)).push(tx.time);
    if (tx.item !== null || batch.item !== null) (batch.item ??= new Array<string | null>(i).fill(null)).push(tx.item);
    if (batch.dimCode !== null) batch.dimCode[i] = dimCodeOf(tx.dims);
    if (batch.refund) batch.refund.push(tx.refund ?? 0);
    if (batch.paidAt) batch.paidAt.push(tx.paidAt ?? '');
    if (batch.fp !== null) lineFingerprint(fingerprinter, tx, batch.fp, LINE_FP_WORDS * i);
    if (screen !== null) screenAsParsed(screen);
    if (batch.n === BATCH) flush();
  }

  /** The batch's code of a dims tuple (a new code for a tuple new to the batch). */
  function dimCodeOf(dims: string[]): number {
    const key = tupleKey(dims);
    let code = dimCodes.get(key);
    if (code === undefined) {
      code = batch.dimTuples!.length;
      dimCodes.set(key, code);
      batch.dimTuples!.push(dims);
    }
    return code;
  }

  const work: Promise<unknown> =
    job.kind === 'ingest'
      ? ingestFiles(job.files, job.opts, {
          onSchema(s) {
            schema = s;
            screen?.useSchema(s);
            newBatch();
            port.reply({ schema: s });
          },
          onTx: (tx) => onTx(tx),
          onReject(r) {
            batch.rejects.push(r);
            if (batch.rejects.length >= BATCH) flush();
          },
          afterChunk(c, t) {
            bytes = c;
            total = t;
          },
        })
      : readTransactions(job.file, {
          onSchema(s, header) {
            schema = s;
            screen?.useSchema(s);
            newBatch();
            port.reply({ schema: s, header });
          },
          onTx,
          afterChunk(c, t) {
            bytes = c;
            total = t;
          },
        }, job.label);

  return work.then((result) => {
    flush();
    port.reply({ done: result, waitedMs });
  });
}

/** One string per dims tuple, distinct tuples giving distinct strings (each value prefixed by its length). */
function tupleKey(dims: readonly string[]): string {
  if (dims.length === 1) return dims[0]!;
  let key = '';
  for (let k = 0; k < dims.length; k++) key += dims[k]!.length + ':' + dims[k]!;
  return key;
}
