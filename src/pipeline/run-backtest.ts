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
import { BacktestCollector, backtestOf, backtestText, sleepOptionsOf, writeBacktestCustomers, type BacktestRun } from './backtest-stage.js';
import { applyModelIn, applySelection, readModelIn } from './model-selection.js';
import type { ScoreOptions } from './score-stage.js';

/** The collector for --holdout (null without it); applies --model-in otherwise. */
export function backtestCollectorFor(ctx: StageContext, o: Record<string, unknown>, holdout: number | null, asOf: number | null, scoreOpts: ScoreOptions): BacktestCollector | null {
  if (holdout !== null && o.modelIn) throw usageError('--model-in reuses a backtest\'s choice; a backtest makes its own', 'drop --model-in, or drop --holdout');
  if (holdout === null) {
    if (o.backtestOut) throw usageError('--backtest-out applies to backtests only', 'add --holdout DATE');
    if (o.modelIn) for (const n of applyModelIn(scoreOpts, readModelIn(String(o.modelIn)))) ctx.msgs.note(`run: score: ${n}`);
    return null;
  }
  return new BacktestCollector(holdout, asOf);
}

/** Runs the backtest, writes its files, and applies its choices to scoreOpts. */
export async function finishBacktest(ctx: StageContext, o: Record<string, unknown>, col: BacktestCollector, scoreOpts: ScoreOptions, outDir: string, shownDir = outDir): Promise<BacktestRun> {
  const bt = backtestOf(col, scoreOpts, sleepOptionsOf(o));
  const s = bt.result.selection;
  writeFileAtomic(join(outDir, 'backtest.json'), JSON.stringify(bt.result, null, 2) + '\n');
  writeFileAtomic(join(outDir, 'backtest.txt'), backtestText(bt.result));
  if (o.backtestOut) {
    const out = openSink(String(o.backtestOut));
    await writeBacktestCustomers(out, bt);
    await out.close();
  }
  applySelection(scoreOpts, bt);
  ctx.msgs.note(`run: backtest to ${bt.result.calibration_end}: ${s.why}; churn threshold ${s.churn_threshold ?? 'none'} by F1; default churn flag ${s.churn_flag_rule} (${s.churn_flag_why}); writes ${shownDir}/backtest.{json,txt}`);
  return bt;
}
