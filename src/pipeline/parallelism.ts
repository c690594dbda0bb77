/**
 * What the stages may ask of other threads, without knowing about threads: src/parallel
 * implements it (threaded.ts) under its policy, and the CLI hands it in. Each method answers
 * "may this run elsewhere" or runs the same function elsewhere; the results are the same as on
 * this thread. Absent (null), a stage does everything on this thread.
 */
import type { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import type { AttrSpec } from '../core/aggregate/customer-attributes.js';
import type { ScreenOptions } from '../core/clean/line-screen.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { FileDigest } from '../io/file-digest.js';
import type { IngestOptions } from '../config/ingest-options.js';
import type { IngestResult, IngestSinks } from './ingest-stage.js';
import type { PendingScore } from './pending-score.js';
import type { PendingWorkbook } from './pending-workbook.js';
import type { WorkbookStart } from './customer-workbook.js';
import type { ScoreInput, ScoreOptions } from './score-stage.js';
import type { ClusterFitter } from './segment-stage.js';
import type { ReadSummary, TransactionsHandler } from './transactions-reader.js';

/**
 * What a cleaner wants from the reader thread with each line: `true`, its fingerprints
 * (lineFingerprint); screen options, also its LineScreen verdict under them (the thread then
 * holds the order/line index; see Cleaner.pushScreened). `false`: nothing.
 */
export type ForCleaner = boolean | ScreenOptions;

/**
 * How the two threads of the last reader run waited for each other (CUSTKIT_STATS): the reader
 * thread for the main thread to take batches, the main thread for the next batch.
 */
export interface ReaderBalance {
  readerWaitMs: number;
  mainWaitMs: number;
}

/** A canonical file aggregated in byte ranges on several threads, merged. */
export interface RangeAggregate {
  acc: CustomerAccumulator;
  rows: number;
  afterAsOf: number;
  threads: number;
}

/** Input digests under way: `result` resolves to one digest per path, in order; `cancel` stops the work. */
export interface PendingDigests {
  result: Promise<FileDigest[]>;
  cancel(): void;
}

export interface Parallelism {
  /** Whether `files` are read on a reader thread (then call ingest or readTransactions below). */
  readerThread(files: string[]): boolean;
  /** ingestFiles on a reader thread, with what a cleaner wants with each transaction (sinks.onTx's fps/at/verdict). */
  ingest(files: string[], opts: IngestOptions, sinks: IngestSinks, forCleaner: ForCleaner): Promise<IngestResult>;
  /** readTransactions on a reader thread, with what a cleaner wants with each line (h.onTx's fps/at/verdict). */
  readTransactions(path: string, h: TransactionsHandler, label?: string, forCleaner?: ForCleaner): Promise<ReadSummary>;
  /** The balance of the last reader run that finished (zeros before any). */
  readerBalance(): ReaderBalance;
  /** `path` aggregated in byte ranges on several threads; null: read it on this thread. */
  aggregateRanges(path: string, asOf: number | null, specsOf: (dimNames: string[]) => AttrSpec[], cohorts: CohortGrain | null): Promise<RangeAggregate | null>;
  /** Whether `customers` are scored on a second thread. */
  scoreThread(customers: number): boolean;
  /** Whether that thread also writes the customer table's summary and score cells. */
  cellsThread(customers: number): boolean;
  /** Scores on a second thread (with `cells`, it writes cells on request); `inp`'s arrays move there. */
  score(inp: ScoreInput, opts: ScoreOptions, cells: boolean): PendingScore;
  /** Fits k-means on a thread of its own. */
  fitClusters: ClusterFitter;
  /** The digests of `paths`, computed off this thread. */
  digestFiles(paths: string[]): PendingDigests;
  /** Whether run writes the customer workbook of `customers` on a thread of its own. */
  workbookThread(customers: number): boolean;
  /** Starts the workbook's Customers sheet on a thread; the rest follows with finish. */
  writeWorkbook(start: WorkbookStart): PendingWorkbook;
}
