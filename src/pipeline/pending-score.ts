/**
 * Scoring under way, wherever it runs: here (scoreHere) or on a score thread
 * (parallel/score-thread.ts), which can also write cells of the customer table. `run` awaits
 * either the same way; the scores are the same.
 */
import { scoreCustomerTable, type ScoreInput, type ScoreMeta, type ScoreOptions, type ScoreResult } from './score-stage.js';
import type { SummaryCellColumns } from './customer-table-writer.js';

/** `result` resolves with the scores and the scoring's own time; `cancel` stops a thread. */
export interface PendingScore {
  result: Promise<{ scores: ScoreResult; ms: number; threaded: boolean }>;
  cancel(): void;
  /** With summary cell columns on a thread: that thread writes the rows' summary and score cells. */
  cells: ThreadCells | null;
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
 * The customer-table cells a score thread writes once it has scored (it keeps the scores until
 * `done`, then `result` resolves with them).
 */
export interface ThreadCells {
  /** The fit, as soon as scoring is done, and the scoring's own time. */
  fitted: Promise<{ meta: ScoreMeta; ms: number }>;
  /**
   * Hands the thread the summary columns (moved, not copied), before any rows are asked for.
   * Not with the job: the thread would hold them through the segment stage, which sets `run`'s
   * peak.
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

/** Scores `inp` right here, before this returns. */
export function scoreHere(inp: ScoreInput, opts: ScoreOptions): PendingScore {
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
