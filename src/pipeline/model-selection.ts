/**
 * A backtest's choices (model by holdout MAE, churn threshold by F1, default churn flag) written
 * into fit.json and read back, so that `run --holdout` and a later `score --model-in fit.json`
 * use what the holdout measured instead of the in-sample defaults.
 */
import { readFileSync } from 'node:fs';
import { dataError } from '../errors.js';
import type { BtydModel } from '../core/score/fit.js';
import type { BacktestRun } from './backtest-stage.js';
import { fitSummary, scoreMeta, type ScoreOptions } from './score-stage.js';

/** The part of fit.json a later score reuses. */
export interface ModelChoice {
  model: BtydModel;
  churnThreshold: number | null;
  churnFlag: 'p_alive' | 'sleeping' | null;
  file: string;
}

const MODELS = new Set(['bgnbd', 'mbgnbd', 'pnbd']);

/** Reads a fit.json (from score --model-out or run); exit 2 when it holds no usable model. */
export function readModelIn(file: string): ModelChoice {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw dataError(`--model-in: cannot read a fit.json (${(e as Error).message.split('\n')[0]})`, { file }, 'give the fit.json written by score --model-out or run');
  }
  if (typeof j !== 'object' || j === null || !MODELS.has(String(j.model))) {
    throw dataError(`--model-in: no fitted model in this file (model ${JSON.stringify(j?.model ?? null)})`, { file }, 'give a fit.json whose model is bgnbd, mbgnbd or pnbd');
  }
  const bt = (j.backtest ?? null) as Record<string, unknown> | null;
  const t = bt && typeof bt.churn_threshold === 'number' ? bt.churn_threshold : null;
  const flag = bt && (bt.churn_flag === 'p_alive' || bt.churn_flag === 'sleeping') ? bt.churn_flag : null;
  return { model: j.model as BtydModel, churnThreshold: t, churnFlag: flag, file };
}

/**
 * Applies a reused choice to score options: the model, and — when the backtest found the model's
 * flag better than the sleeping rule — churn_risk "high" below the chosen threshold (the
 * "medium" band widened to keep low ≥ high). Returns the notes to print.
 */
export function applyModelIn(opts: ScoreOptions, c: ModelChoice): string[] {
  opts.model = c.model;
  const notes = [`model ${c.model} from ${c.file}`];
  if (c.churnFlag === 'p_alive' && c.churnThreshold !== null) {
    opts.churn = { medium: c.churnThreshold, low: Math.max(opts.churn.low, c.churnThreshold) };
    notes.push(`churn risk high below p_alive ${c.churnThreshold} (the backtest's threshold by F1)`);
  } else if (c.churnFlag === 'sleeping') {
    notes.push('the backtest found the sleeping rule a better churn flag than p_alive: use the sleep column (deep-sleep, lost) for churn; churn_risk keeps --churn-thresholds');
  }
  return notes;
}

/** fit.json of a backtest: the chosen model's calibration fit plus what was measured and chosen. */
export function backtestFitSummary(bt: BacktestRun, opts: ScoreOptions): Record<string, unknown> {
  const s = bt.result.selection;
  const o: ScoreOptions = { ...opts, model: s.model === 'historic' ? opts.model : s.model };
  applySelection(o, bt);
  return { ...fitSummary(scoreMeta(bt.scores), o, bt.result.customers), backtest: backtestBlock(bt) };
}

/** Score options as the backtest chose: its model (unless none converged) and churn threshold. */
export function applySelection(opts: ScoreOptions, bt: BacktestRun): void {
  const s = bt.result.selection;
  if (s.model !== 'historic') opts.model = s.model;
  if (s.churn_flag === 'p_alive' && s.churn_threshold !== null) opts.churn = { medium: s.churn_threshold, low: Math.max(opts.churn.low, s.churn_threshold) };
}

/** fit.json's `backtest` block: what was measured and chosen (read back by {@link readModelIn}). */
export function backtestBlock(bt: BacktestRun): Record<string, unknown> {
  const r = bt.result;
  const s = r.selection;
  return {
    calibration_end: r.calibration_end,
    as_of: r.as_of,
    holdout_days: r.holdout_days,
    criterion: s.criterion,
    why: s.why,
    models: r.comparison.map((c) => ({ model: c.model, converged: c.converged, predicted: c.purchases.predictedTotal, actual: c.purchases.actualTotal, mae: c.purchases.mae, rmse: c.purchases.rmse, best_threshold: c.best_threshold })),
    churn_threshold: s.churn_threshold,
    churn_flag: s.churn_flag,
    churn_flag_rule: s.churn_flag_rule,
    churn_flag_why: s.churn_flag_why,
  };
}
