/**
 * Backtest of the score stage (`score --holdout DATE`): aggregate cleaned transactions into a
 * calibration period (≤ DATE) and a holdout period (DATE < day ≤ as-of), fit on calibration,
 * predict the holdout, and compare:
 * - purchases: predicted vs actual holdout purchase days per customer (MAE, RMSE, totals,
 *   calibration table by calibration frequency 0..7+, as in Fader, Hardie & Lee 2005 Fig. 4);
 * - churn flags "will not buy again in the holdout": error rate 错误率 (flagged but bought
 *   again ÷ flagged) and miss rate 遗漏率 (did not buy but not flagged ÷ non-buyers), for
 *   p_alive < 0.5, for segment's sleeping rule (deep-sleep or lost at the holdout date), and
 *   for a plain "no purchase in the last 90 days" rule.
 * Only customers whose first purchase is in the calibration period are evaluated.
 */
import { usageError } from '../cli/errors.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import { churnMetrics, forecastMetrics, type ChurnMetrics, type ForecastMetrics } from '../core/score/backtest.js';
import { formatDay } from '../core/time/day.js';
import { readTransactions } from './transactions-reader.js';
import { scoreCustomerTable, type ScoreOptions } from './score-stage.js';
import { sleepFlags } from './segment-stage.js';

export interface BacktestResult {
  calibration_end: string;
  as_of: string;
  holdout_days: number;
  model: string;
  unit: string;
  parameters: Record<string, number> | null;
  customers: number;
  purchases: ForecastMetrics;
  churn: { rule: string; metrics: ChurnMetrics }[];
  notes: string[];
}

export async function runBacktest(
  path: string,
  holdout: number,
  asOfOpt: number | null,
  opts: ScoreOptions,
  sleepOpts: Record<string, unknown>,
): Promise<BacktestResult> {
  const cal = new CustomerAccumulator();
  const hold = new CustomerAccumulator();
  let maxDay = -Infinity;
  await readTransactions(path, {
    onTx(tx) {
      if (tx.day > maxDay) maxDay = tx.day;
      if (asOfOpt !== null && tx.day > asOfOpt) return;
      if (tx.day <= holdout) cal.add(tx.customerId, tx.day, tx.amount);
      else hold.add(tx.customerId, tx.day, tx.amount);
    },
  });
  const asOf = asOfOpt ?? maxDay;
  if (!(asOf > holdout)) throw usageError(`--holdout ${formatDay(holdout)} leaves no holdout period (as-of ${Number.isFinite(asOf) ? formatDay(asOf) : 'unknown'})`, 'choose a holdout date before the last transaction');
  const cs = cal.summaries(holdout);
  if (cs.length === 0) throw usageError(`no customer bought on or before --holdout ${formatDay(holdout)}`);
  const hs = new Map(hold.summaries(asOf).map((s) => [s.customerId, s.purchaseDays]));
  const n = cs.length;
  const f = (g: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => g(i));
  const res = scoreCustomerTable(
    {
      frequency: f((i) => cs[i]!.frequency),
      recencyDays: f((i) => cs[i]!.recency ?? 0),
      TDays: f((i) => cs[i]!.T ?? 0),
      repeatAvg: f((i) => cs[i]!.repeatAvgValue ?? NaN),
      revenue: f((i) => cs[i]!.revenue),
      orders: f((i) => cs[i]!.orders),
    },
    { ...opts, horizonDays: asOf - holdout, discount: { rate: 0, perDays: 365.25 } },
  );
  const actual = f((i) => hs.get(cs[i]!.customerId) ?? 0);
  const bought = Array.from(actual, (a) => a > 0);
  const calX = f((i) => cs[i]!.frequency);
  const purchases = forecastMetrics(res.expectedOrders, actual, calX);
  const churn: BacktestResult['churn'] = [];
  if (res.fit) churn.push({ rule: `${res.model} p_alive < 0.5`, metrics: churnMetrics(Array.from(res.pAlive, (p) => p < 0.5), bought) });
  const sleeping = sleepFlags(cs, sleepOpts);
  churn.push({ rule: sleeping.rule, metrics: churnMetrics(sleeping.flags, bought) });
  churn.push({ rule: 'no purchase in the last 90 days', metrics: churnMetrics(cs.map((s) => s.daysSinceLast > 90), bought) });
  return {
    calibration_end: formatDay(holdout),
    as_of: formatDay(asOf),
    holdout_days: asOf - holdout,
    model: res.model,
    unit: res.unit,
    parameters: res.fit?.params ?? null,
    customers: n,
    purchases,
    churn,
    notes: res.notes,
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : (x * 100).toFixed(1) + '%');

/** Plain-text backtest report. */
export function backtestText(r: BacktestResult): string {
  const L: string[] = [];
  L.push(`Backtest: calibration up to ${r.calibration_end}, holdout ${r.holdout_days} days to ${r.as_of}, ${r.customers} customers`);
  L.push(`Model ${r.model} (${r.unit}s): ${r.parameters ? Object.entries(r.parameters).map(([k, v]) => `${k} ${v.toPrecision(5)}`).join(', ') : 'none'}`);
  const p = r.purchases;
  L.push('');
  L.push(`Repeat purchases in the holdout: predicted ${p.predictedTotal.toFixed(1)}, actual ${p.actualTotal}; per customer MAE ${p.mae.toFixed(4)}, RMSE ${p.rmse.toFixed(4)}`);
  L.push('');
  L.push('Calibration by calibration-period frequency:');
  L.push('  x      customers  mean predicted  mean actual');
  for (const c of p.calibration) L.push(`  ${c.bin.padEnd(6)} ${String(c.count).padStart(9)}  ${c.meanPredicted.toFixed(3).padStart(14)}  ${c.meanActual.toFixed(3).padStart(11)}`);
  L.push('');
  L.push('"Will not buy again in the holdout": error rate 错误率 = flagged but bought ÷ flagged; miss rate 遗漏率 = churners not flagged ÷ churners');
  for (const c of r.churn) {
    const m = c.metrics;
    L.push(`  ${c.rule}: flagged ${m.flagged}, churners ${m.actualChurners}, error rate ${pct(m.errorRate)}, miss rate ${pct(m.missRate)}`);
  }
  for (const n of r.notes) L.push(`note: ${n}`);
  return L.join('\n') + '\n';
}
