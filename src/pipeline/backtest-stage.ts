/**
 * Backtest of the score stage (`score --holdout DATE`, `run --holdout DATE`): aggregate cleaned
 * transactions into a calibration period (≤ DATE) and a holdout period (DATE < day ≤ as-of), fit
 * every BTYD model (BG/NBD, MBG/NBD, Pareto/NBD) on calibration, predict the holdout, and compare:
 * - purchases: predicted vs actual holdout purchase days per customer (MAE, RMSE, totals,
 *   calibration table by calibration frequency 0..7+, as in Fader, Hardie & Lee 2005 Fig. 4);
 * - churn flags "will not buy again in the holdout": error rate 错误率 (flagged but bought
 *   again ÷ flagged), miss rate 遗漏率 (did not buy but not flagged ÷ non-buyers) and F1, for
 *   p_alive < t at t = 0.05 … 0.95 (threshold-sweep.ts), segment's sleeping rule (deep-sleep or
 *   lost at the holdout date) and "no purchase in the last N days" rules.
 * Selection: `--model auto` takes the converged model with the lowest per-customer MAE (else the
 * --model given); its churn threshold is the one with the highest F1; the default churn flag is
 * the better (by F1) of that flag and the sleeping rule.
 * Only customers whose first purchase is in the calibration period are evaluated.
 * Memory: two per-customer accumulators (calibration, holdout; each a record per customer and
 * 4 bytes per purchase day), then a dozen numbers per customer and model; no order is kept.
 */
import { dataError, usageError } from '../errors.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { formatRounded } from '../core/money.js';
import { churnMetrics, forecastMetrics, type ChurnMetrics, type ForecastMetrics } from '../core/score/backtest.js';
import type { BtydModel } from '../core/score/fit.js';
import { bestByF1, thresholdSweep, type SweepRow } from '../core/score/threshold-sweep.js';
import { formatDay } from '../core/time/day.js';
import { quoteCell } from '../io/csv-format.js';
import { readTransactions } from './transactions-reader.js';
import { scoreCustomerData, scoreInputFromSummaries, type ScoreData, type ScoreOptions } from './score-stage.js';
import { sleepFlags } from './segment-stage.js';
import type { SleepOptions } from '../core/segment/sleep-states.js';
import type { TextSink } from '../io/text-output.js';
import type { ModelComparisonReport } from '../core/report/report-model.js';

export const BACKTEST_MODELS: readonly BtydModel[] = ['bgnbd', 'mbgnbd', 'pnbd'];
/** The fixed "no purchase in the last N days" rules shown beside the models. */
export const FIXED_DAY_RULES: readonly number[] = [30, 60, 90, 180, 365];
export const SELECTION_CRITERION = 'lowest per-customer MAE of holdout purchases (converged fits only)';

export interface ModelComparison {
  model: BtydModel;
  converged: boolean;
  log_likelihood: number | null;
  parameters: Record<string, number> | null;
  purchases: ForecastMetrics;
  /** p_alive < t for t = 0.05 … 0.95; empty when the fit did not converge. */
  sweep: SweepRow[];
  /** The sweep row with the highest F1. */
  best_threshold: number | null;
}

export interface BacktestSelection {
  model: BtydModel | 'historic';
  criterion: string;
  why: string;
  /** p_alive below this flags churn (highest F1 of the chosen model's sweep). */
  churn_threshold: number | null;
  /** The default churn flag: the chosen model at its threshold, or the sleeping rule. */
  churn_flag: 'p_alive' | 'sleeping';
  churn_flag_rule: string;
  churn_flag_why: string;
}

export interface BacktestResult {
  calibration_end: string;
  as_of: string;
  holdout_days: number;
  /** The chosen model (selection.model) and its numbers. */
  model: string;
  unit: string;
  parameters: Record<string, number> | null;
  customers: number;
  purchases: ForecastMetrics;
  churn: { rule: string; metrics: ChurnMetrics }[];
  comparison: ModelComparison[];
  selection: BacktestSelection;
  notes: string[];
}

/** Calibration and holdout aggregates of a transaction stream (fed one transaction at a time). */
export class BacktestCollector {
  readonly cal = new CustomerAccumulator();
  readonly hold = new CustomerAccumulator();
  maxDay = -Infinity;
  rows = 0;
  /** Transactions without amounts (ingest --no-amount): counted as orders of unknown value. */
  amountless = false;
  constructor(readonly holdout: number, readonly asOfOpt: number | null) {}
  add(customerId: string, day: number, amount: number): void {
    if (this.rows++ === 0) this.amountless = Number.isNaN(amount);
    // The accumulators count amount ≥ 0 as an order: an absent amount is an order of unknown
    // value, so it goes in as 0 and every money output of an amount-less backtest is absent.
    if (Number.isNaN(amount)) amount = 0;
    if (day > this.maxDay) this.maxDay = day;
    if (this.asOfOpt !== null && day > this.asOfOpt) return;
    if (day <= this.holdout) this.cal.add(customerId, day, amount);
    else this.hold.add(customerId, day, amount);
  }
}

/** The backtest and what `--backtest-out` writes per customer. */
export interface BacktestRun {
  result: BacktestResult;
  /** Calibration summaries, in calibration order. */
  customers: CustomerSummary[];
  /** The chosen model's scores over the holdout period. */
  scores: ScoreData;
  actualOrders: Float64Array;
  actualValue: Float64Array;
  /** The default churn flag per customer. */
  flag: boolean[];
  /** Transactions without amounts: revenue and values are written empty. */
  amountless: boolean;
}

export async function runBacktest(path: string, holdout: number, asOfOpt: number | null, opts: ScoreOptions, sleepOpts: SleepOptions): Promise<BacktestRun> {
  const col = new BacktestCollector(holdout, asOfOpt);
  let label = path;
  await readTransactions(path, {
    onTx(tx, line) {
      // Amounts are all present or all absent (ingest --no-amount): a mix is a damaged file.
      if (col.amountless !== Number.isNaN(tx.amount) && col.rows > 0) {
        throw dataError(Number.isNaN(tx.amount) ? 'the amount is empty, but earlier rows have amounts' : 'this row has an amount, but earlier rows have none', { file: label, line, column: 'amount' }, 'canonical files come from `custkit ingest`; amounts are either all present or all absent (--no-amount)');
      }
      col.add(tx.customerId, tx.day, tx.amount);
    },
    absentAmount: true,
  }).then((r) => (label = r.label));
  return backtestOf(col, opts, sleepOpts);
}

/** Fits, compares and selects (see the file comment) from collected transactions. */
export function backtestOf(col: BacktestCollector, opts: ScoreOptions, sleepOpts: SleepOptions): BacktestRun {
  const holdout = col.holdout;
  const asOf = col.asOfOpt ?? col.maxDay;
  if (!(asOf > holdout)) throw usageError(`--holdout ${formatDay(holdout)} leaves no holdout period (as-of ${Number.isFinite(asOf) ? formatDay(asOf) : 'unknown'})`, 'choose a holdout date before the last transaction');
  const cs = col.cal.summaries(holdout);
  if (cs.length === 0) throw usageError(`no customer bought on or before --holdout ${formatDay(holdout)}`);
  const hs = new Map(col.hold.summaries(asOf).map((s) => [s.customerId, s]));
  const n = cs.length;
  const actualOrders = new Float64Array(n);
  const actualValue = new Float64Array(n);
  const calX = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = hs.get(cs[i]!.customerId);
    actualOrders[i] = h ? h.purchaseDays : 0;
    actualValue[i] = h ? h.revenue : 0;
    calX[i] = cs[i]!.frequency;
  }
  hs.clear();
  const bought = Array.from(actualOrders, (a) => a > 0);
  const inp = scoreInputFromSummaries(cs);
  const amountless = col.amountless;
  if (amountless) {
    inp.revenue.fill(NaN);
    inp.repeatAvg.fill(NaN);
    actualValue.fill(NaN);
  }
  const hopts: ScoreOptions = { ...opts, horizonDays: asOf - holdout, discount: { rate: 0, perDays: 365.25 }, noAmounts: amountless };
  const notes: string[] = [];
  if (amountless) notes.push('transactions without amounts: predicted and actual holdout value are absent (no Gamma-Gamma); purchases, p_alive and churn flags need no money');
  const runs = BACKTEST_MODELS.map((m) => {
    const d = scoreCustomerData(inp, { ...hopts, model: m });
    for (const note of d.notes) if (!notes.includes(note)) notes.push(note);
    const converged = d.fit !== null && d.fit.converged;
    const sweep = converged ? thresholdSweep(d.pAlive, bought) : [];
    const row: ModelComparison = {
      model: m,
      converged,
      log_likelihood: d.candidates[0]?.logLik ?? null,
      parameters: d.candidates[0]?.params ?? null,
      purchases: forecastMetrics(d.expectedOrders, actualOrders, calX),
      sweep,
      best_threshold: bestByF1(sweep)?.threshold ?? null,
    };
    return { row, data: d };
  });
  const chosen = chooseModel(runs.map((r) => r.row), opts.model);
  // No converged choice: the asked model's historic fallback (auto: the first model's).
  const run = runs.find((r) => r.row.model === chosen.model) ?? runs.find((r) => r.row.model === opts.model) ?? runs[0]!;
  const sleeping = sleepFlags(cs, sleepOpts);
  const sleepMetrics = churnMetrics(sleeping.flags, bought);
  const best = bestByF1(run.row.sweep);
  const churn: BacktestResult['churn'] = [];
  if (best) churn.push({ rule: `${run.row.model} p_alive < ${best.threshold}`, metrics: stripThreshold(best) });
  churn.push({ rule: sleeping.rule, metrics: sleepMetrics });
  for (const d of FIXED_DAY_RULES) churn.push({ rule: `no purchase in the last ${d} days`, metrics: churnMetrics(cs.map((s) => s.daysSinceLast > d), bought) });
  // The sleeping rule wins ties: it needs no model.
  const useModel = best !== null && (best.f1 ?? -1) > (sleepMetrics.f1 ?? -1);
  const f1Text = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
  const selection: BacktestSelection = {
    model: chosen.model,
    criterion: SELECTION_CRITERION,
    why: chosen.why,
    churn_threshold: best?.threshold ?? null,
    churn_flag: useModel ? 'p_alive' : 'sleeping',
    churn_flag_rule: useModel ? `p_alive < ${best!.threshold}` : sleeping.rule,
    churn_flag_why: best
      ? `F1 on the holdout: ${run.row.model} p_alive < ${best.threshold} ${f1Text(best.f1)} vs ${sleeping.rule} ${f1Text(sleepMetrics.f1)}`
      : `no converged model; ${sleeping.rule} F1 ${f1Text(sleepMetrics.f1)}`,
  };
  const flag = useModel ? Array.from(run.data.pAlive, (p) => p < best!.threshold) : sleeping.flags;
  const result: BacktestResult = {
    calibration_end: formatDay(holdout),
    as_of: formatDay(asOf),
    holdout_days: asOf - holdout,
    model: run.data.model,
    unit: run.data.unit,
    parameters: run.data.fit?.params ?? null,
    customers: n,
    purchases: run.row.purchases,
    churn,
    comparison: runs.map((r) => r.row),
    selection,
    notes,
  };
  return { result, customers: cs, scores: run.data, actualOrders, actualValue, flag, amountless };
}

function stripThreshold(r: SweepRow): ChurnMetrics {
  const { threshold: _t, ...m } = r;
  return m;
}

/** --model auto: the converged model with the lowest MAE; else the model asked for. */
export function chooseModel(rows: readonly ModelComparison[], asked: ScoreOptions['model']): { model: BtydModel | 'historic'; why: string } {
  const maeList = rows.map((r) => `${r.model} ${r.purchases.mae.toFixed(4)}${r.converged ? '' : ' (not converged)'}`).join(', ');
  if (asked !== 'auto') {
    const r = rows.find((x) => x.model === asked);
    return r && r.converged ? { model: asked, why: `--model ${asked} (per-customer MAE: ${maeList})` } : { model: 'historic', why: `--model ${asked} did not converge` };
  }
  let best: ModelComparison | null = null;
  for (const r of rows) if (r.converged && (best === null || r.purchases.mae < best.purchases.mae)) best = r;
  if (!best) return { model: 'historic', why: 'auto: no model converged' };
  return { model: best.model, why: `auto: chose ${best.model} by the lowest per-customer MAE of holdout purchases (${maeList})` };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : (x * 100).toFixed(1) + '%');
const f1s = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

/** The report's model-comparison section from a backtest. */
export function comparisonForReport(r: BacktestResult): ModelComparisonReport {
  return {
    calibration_end: r.calibration_end,
    as_of: r.as_of,
    customers: r.customers,
    actual_purchases: r.purchases.actualTotal,
    models: r.comparison.map((c) => {
      const best = c.sweep.find((s) => s.threshold === c.best_threshold);
      return { model: c.model, converged: c.converged, predicted_purchases: c.purchases.predictedTotal, mae: c.purchases.mae, rmse: c.purchases.rmse, best_threshold: c.best_threshold, best_f1: best?.f1 ?? null };
    }),
    chosen_model: r.selection.model,
    why: r.selection.why,
    churn_threshold: r.selection.churn_threshold,
    churn_flag_rule: r.selection.churn_flag_rule,
    churn_flag_why: r.selection.churn_flag_why,
    rules: r.churn.map((c) => ({ rule: c.rule, flagged: c.metrics.flagged, error_rate: c.metrics.errorRate, miss_rate: c.metrics.missRate, f1: c.metrics.f1 })),
  };
}

/** Plain-text backtest report. */
export function backtestText(r: BacktestResult): string {
  const L: string[] = [];
  L.push(`Backtest: calibration up to ${r.calibration_end}, holdout ${r.holdout_days} days to ${r.as_of}, ${r.customers} customers`);
  L.push('');
  L.push(`Model comparison (fitted on the calibration period, ${r.unit}s); repeat purchases in the holdout (actual ${r.purchases.actualTotal}):`);
  L.push('  model     converged  log-lik       predicted      MAE     RMSE  parameters');
  for (const c of r.comparison) {
    const ps = c.parameters ? Object.entries(c.parameters).map(([k, v]) => `${k} ${v.toPrecision(5)}`).join(', ') : 'none';
    L.push(`  ${c.model.padEnd(9)} ${(c.converged ? 'yes' : 'no').padEnd(9)} ${(c.log_likelihood === null ? 'n/a' : c.log_likelihood.toFixed(2)).padStart(9)}  ${c.purchases.predictedTotal.toFixed(1).padStart(10)}  ${c.purchases.mae.toFixed(4).padStart(7)}  ${c.purchases.rmse.toFixed(4).padStart(7)}  ${ps}`);
  }
  L.push('');
  L.push('Calibration by calibration-period frequency (mean holdout purchases per customer):');
  L.push(`  x      customers  mean actual  ${r.comparison.map((c) => c.model.padStart(9)).join('  ')}`);
  const first = r.comparison[0]!.purchases.calibration;
  first.forEach((row, k) => {
    L.push(`  ${row.bin.padEnd(6)} ${String(row.count).padStart(9)}  ${row.meanActual.toFixed(3).padStart(11)}  ${r.comparison.map((c) => c.purchases.calibration[k]!.meanPredicted.toFixed(3).padStart(9)).join('  ')}`);
  });
  L.push('');
  L.push('"Will not buy again in the holdout": error rate 错误率 = flagged but bought ÷ flagged; miss rate 遗漏率 = churners not flagged ÷ churners; F1 = 2·TP ÷ (2·TP + false alarms + missed)');
  L.push('Threshold sweep, flag p_alive < t:');
  L.push(`  t     ${r.comparison.map((c) => `${c.model}: flagged  error   miss     F1`.padStart(36)).join('  ')}`);
  const rows = r.comparison[0]!.sweep.length ? r.comparison[0]!.sweep.length : Math.max(...r.comparison.map((c) => c.sweep.length));
  for (let k = 0; k < rows; k++) {
    const t = r.comparison.find((c) => c.sweep[k])!.sweep[k]!.threshold;
    const cells = r.comparison.map((c) => {
      const s = c.sweep[k];
      return s ? `${String(s.flagged).padStart(17)} ${pct(s.errorRate).padStart(6)} ${pct(s.missRate).padStart(6)} ${f1s(s.f1).padStart(6)}` : 'n/a'.padStart(36);
    });
    L.push(`  ${t.toFixed(2)}  ${cells.join('  ')}`);
  }
  L.push('Rules:');
  for (const c of r.churn) {
    const m = c.metrics;
    L.push(`  ${c.rule}: flagged ${m.flagged}, churners ${m.actualChurners}, error rate ${pct(m.errorRate)}, miss rate ${pct(m.missRate)}, F1 ${f1s(m.f1)}`);
  }
  L.push('');
  const s = r.selection;
  L.push(`Model: ${s.model} — ${s.why}`);
  L.push(`Churn threshold: ${s.churn_threshold === null ? 'none' : `p_alive < ${s.churn_threshold}`} (highest F1 of ${s.model}'s sweep)`);
  L.push(`Default churn flag: ${s.churn_flag_rule} — ${s.churn_flag_why}`);
  for (const n of r.notes) L.push(`note: ${n}`);
  return L.join('\n') + '\n';
}

export const BACKTEST_CUSTOMER_COLUMNS = [
  'customer_id', 'orders', 'revenue', 'frequency', 'recency', 'T',
  'predicted_orders', 'actual_orders', 'predicted_value', 'actual_value', 'p_alive', 'churn_flag', 'churned',
] as const;

/**
 * `--backtest-out`: per customer the calibration summary (orders, revenue, frequency, recency
 * and T in days at the calibration end), predicted and actual holdout purchases and value
 * (predicted value = expected purchases × expected average value), p_alive, the default churn
 * flag (1/0) and what happened (churned = no holdout purchase, 1/0).
 */
export async function writeBacktestCustomers(out: TextSink, b: BacktestRun): Promise<void> {
  out.write(BACKTEST_CUSTOMER_COLUMNS.join(',') + '\n');
  const d = b.scores;
  const r6 = (x: number): string => (Number.isFinite(x) ? formatRounded(x, 6) : '');
  const r2 = (x: number): string => (Number.isFinite(x) ? formatRounded(x, 2) : '');
  for (let i = 0; i < b.customers.length; i++) {
    const s = b.customers[i]!;
    const cells = [
      quoteCell(s.customerId), String(s.orders), b.amountless ? '' : r2(s.revenue), String(s.frequency), String(s.recency ?? ''), String(s.T ?? ''),
      r6(d.expectedOrders[i]!), String(b.actualOrders[i]!), r2(d.expectedOrders[i]! * d.values[i]!), r2(b.actualValue[i]!),
      r6(d.pAlive[i]!), b.flag[i] ? '1' : '0', b.actualOrders[i]! > 0 ? '0' : '1',
    ];
    out.write(cells.join(',') + '\n');
    if ((i & 0xffff) === 0) await out.drain();
  }
}
