/**
 * `run --holdout DATE`: the backtest of score-stage on the cleaned transactions run aggregates
 * (fed by the same pass, no second read), written into the output folder as backtest.json and
 * backtest.txt (and --backtest-out per customer); its choices — model by holdout MAE with
 * --model auto, churn threshold by F1 — then apply to the scoring of the full period.
 */
import { join } from 'node:path';
import type { StageContext } from './stage-context.js';
import { usageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { openSink } from '../io/text-output.js';
import { BacktestCollector, backtestOf, backtestText, writeBacktestCustomers, type BacktestRun } from './backtest-stage.js';
import type { RunOptions } from './run-options.js';
import { applyModelIn, applySelection, readModelIn } from './model-selection.js';
import type { ScoreOptions } from './score-stage.js';

/** The collector for --holdout (null without it); applies --model-in otherwise. */
export function backtestCollectorFor(ctx: StageContext, o: RunOptions, holdout: number | null, asOf: number | null, scoreOpts: ScoreOptions): BacktestCollector | null {
  if (holdout !== null && o.modelIn !== null) throw usageError('--model-in reuses a backtest\'s choice; a backtest makes its own', 'drop --model-in, or drop --holdout');
  if (holdout === null) {
    if (o.backtestOut !== null) throw usageError('--backtest-out applies to backtests only', 'add --holdout DATE');
    if (o.modelIn !== null) for (const n of applyModelIn(scoreOpts, readModelIn(o.modelIn))) ctx.msgs.note(`run: score: ${n}`);
    return null;
  }
  return new BacktestCollector(holdout, asOf);
}

/** Runs the backtest, writes its files, and applies its choices to scoreOpts. */
export async function finishBacktest(ctx: StageContext, o: RunOptions, col: BacktestCollector, scoreOpts: ScoreOptions, outDir: string, shownDir = outDir): Promise<BacktestRun> {
  const bt = backtestOf(col, scoreOpts, o.backtestSleep);
  const s = bt.result.selection;
  writeFileAtomic(join(outDir, 'backtest.json'), JSON.stringify(bt.result, null, 2) + '\n');
  writeFileAtomic(join(outDir, 'backtest.txt'), backtestText(bt.result));
  if (o.backtestOut !== null) {
    const out = openSink(o.backtestOut);
    await writeBacktestCustomers(out, bt);
    await out.close();
  }
  applySelection(scoreOpts, bt);
  ctx.msgs.note(`run: backtest to ${bt.result.calibration_end}: ${s.why}; churn threshold ${s.churn_threshold ?? 'none'} by F1; default churn flag ${s.churn_flag_rule} (${s.churn_flag_why}); writes ${shownDir}/backtest.{json,txt}`);
  return bt;
}
