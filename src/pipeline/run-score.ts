/**
 * run's scoring: started before segmenting (on the score thread, parallel/score-thread.ts,
 * when that pays), then step 3: the scores, from this thread or that one, and fit.json. With the thread writing the table's cells, only the fit comes now and the
 * scores after the table (run-customer-table.ts).
 */
import { join } from 'node:path';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { BacktestRun } from './backtest-stage.js';
import { summaryCellsOf } from './customer-table-writer.js';
import { backtestBlock } from './model-selection.js';
import { peakRssMb } from './peak-rss.js';
import { scoreHere, type PendingScore, type ThreadCells } from './pending-score.js';
import { fitLine, fitSummary, type ScoreInput, type ScoreMeta, type ScoreOptions, type ScoreResult } from './score-stage.js';
import type { StageContext } from './stage-context.js';
import type { Parallelism } from './parallelism.js';
import { CLASSIFICATIONS, type SegmentOptions } from '../core/segment/classify.js';

/** What step 3 leaves: the scores (null while the thread writes cells), their fit, the thread's cells. */
export interface RunScores {
  sc: ScoreResult | null;
  meta: ScoreMeta | null;
  cells: ThreadCells | null;
}

/**
 * Waits for the scores (or only the fit, when the thread writes cells). scoreMs is the
 * scoring's own time; scoreWaitMs what it added after segmenting, from `t2` (all of it when
 * scoring here).
 */
export async function runScores(ctx: StageContext, summaries: CustomerSummary[], scoreInput: ScoreInput | null, scoreOpts: ScoreOptions, scoring: PendingScore | null, t2: number): Promise<RunScores> {
  // The thread writes cells only when every summary value fits its columns (always, from run's
  // aggregation); else the scores come back as without it, and this thread writes every cell.
  let cells = scoring?.cells ?? null;
  const columns = cells ? summaryCellsOf(summaries) : null;
  if (cells && columns) cells.columns(columns);
  else if (cells) {
    cells.done();
    cells = null;
  }
  let sc: ScoreResult | null = null;
  let meta: ScoreMeta | null = null;
  if (cells) {
    const f = await cells.fitted;
    meta = f.meta;
    ctx.stats.scoreMs = Math.round(f.ms);
  } else if (scoreInput) {
    const scored = await (scoring ?? scoreHere(scoreInput, scoreOpts)).result;
    sc = meta = scored.scores;
    ctx.stats.scoreMs = Math.round(scored.ms);
  }
  ctx.stats.scoreWaitMs = Math.round(performance.now() - t2);
  ctx.stats.scorePeakRssMb = peakRssMb();
  return { sc, meta, cells };
}

/** The fit's lines on stderr and fit.json (with the backtest's block under --holdout). */
export function writeRunFit(ctx: StageContext, outDir: string, meta: ScoreMeta, scoreOpts: ScoreOptions, n: number, runId: string, bt: BacktestRun | null): void {
  const msgs = ctx.msgs;
  msgs.note(fitLine(meta).replace(/^score:/, 'run: score:'));
  for (const line of meta.info) msgs.note(`run: score: ${line}`);
  for (const w of meta.notes) msgs.warn(w);
  const fit = { run_id: runId, ...fitSummary(meta, scoreOpts, n), ...(bt ? { backtest: backtestBlock(bt) } : {}) };
  writeFileAtomic(join(outDir, 'fit.json'), JSON.stringify(fit, null, 2) + '\n');
}

/**
 * Starts scoring on a second thread when there are many customers and a second core
 * (parallel/score-thread.ts), else null: scoring then waits for segmenting, on this thread.
 * The thread also writes the table's summary and score cells, beside the main thread's ids and
 * classification cells (customer-table-writer.ts), when it scores a large table; so without
 * amounts (no money cells to write) scoring stays here. `kmeansThread`: k-means then gets a
 * thread of its own (parallel/kmeans-thread.ts): three threads on two cores, but the score
 * thread's work alone outlasts the main thread's (paired runs: docs/performance.md).
 */
export function startRunScoring(ctx: StageContext, parallel: Parallelism, scoreInput: ScoreInput | null, n: number, amountless: boolean, scoreOpts: ScoreOptions, segOpts: SegmentOptions): { scoring: PendingScore | null; kmeansThread: boolean } {
  const msgs = ctx.msgs;
  const threadWanted = scoreInput !== null && parallel.scoreThread(n);
  if (threadWanted && amountless) msgs.note('run: transactions without amounts: scoring on this thread (the score thread writes money cells)');
  const scoring = threadWanted && !amountless ? parallel.score(scoreInput!, scoreOpts, parallel.cellsThread(n)) : null;
  const kmeansThread = scoring !== null && new Set(segOpts.only ?? CLASSIFICATIONS).has('kmeans');
  if (scoring) msgs.note(`run: scoring on a second thread while segmenting${kmeansThread ? ', and fitting k-means on a third' : ''} (--threads 1 does it all on this one)`);
  return { scoring, kmeansThread };
}
