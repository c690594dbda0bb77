/**
 * The score stage: per-customer (frequency, recency, T, repeat_avg_value) → a fitted BTYD
 * model (+ Gamma-Gamma) → p_alive, expected_orders, expected_avg_value, clv,
 * historic_value, churn_risk, value_at_risk. Shared by `score` and `run`, so both give the same numbers.
 *
 * Units: the model is fitted in `unit` (recency and T in days ÷ unit length); the horizon and
 * the discount rate carry their own units and are converted to days first, so a 12-month
 * horizon is 12 × 30.4375 days whatever the fitting unit (the lifetimes unit bug cannot happen).
 */
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { summaryOfFacts, type SummaryFacts } from '../core/aggregate/summary-facts.js';
import { churnRisk, expectedAverageValue, scoreCustomers, type FittedBtyd } from '../core/score/clv.js';
import { valueAtRisk } from '../core/score/value-at-risk.js';
import { fitBtyd, fitGammaGamma, type BtydModel, type FitResult } from '../core/score/fit.js';
import { fitReliability, reliabilityText, type FitReliability } from '../core/score/fit-reliability.js';
import { groupSummary, type GroupedSummary } from '../core/score/grouped-summary.js';
import type { GammaGammaParams } from '../core/score/gamma-gamma.js';
import { DAYS_PER_UNIT, type Rate, type TimeUnit } from '../core/score/units.js';
import type { BgnbdParams } from '../core/score/bgnbd.js';
import type { PnbdParams } from '../core/score/pnbd.js';

export interface ScoreOptions {
  model: BtydModel | 'auto';
  unit: TimeUnit;
  horizonDays: number;
  horizonText: string;
  discount: Rate;
  discountText: string;
  margin: number;
  penalizer: number;
  /** p_alive ≥ low → low risk; ≥ medium → medium; below → high. */
  churn: { low: number; medium: number };
  /** Transactions without amounts: no Gamma-Gamma; expected value and CLV absent (NaN), not 0. */
  noAmounts?: boolean;
}

export { valueAtRisk };

/** Inputs per customer, in days (frequency is a count). NaN repeatAvg = none. */
export interface ScoreInput {
  frequency: Float64Array;
  recencyDays: Float64Array;
  TDays: Float64Array;
  repeatAvg: Float64Array;
  revenue: Float64Array;
  orders: Float64Array;
}

/** The score inputs of customer summaries (run scores the summaries it just built). */
export function scoreInputFromSummaries(summaries: readonly CustomerSummary[]): ScoreInput {
  // One pass: a pass per array would visit a million scattered summaries six times.
  const inp = scoreInputOf(summaries.length);
  for (let i = 0; i < summaries.length; i++) putScoreInput(inp, i, summaries[i]!);
  return inp;
}

/**
 * The same inputs from the facts the summaries are made of (summary-facts.ts), each customer's
 * values those of its summary: `run` starts scoring from them before building the summaries.
 */
export function scoreInputFromFacts(f: SummaryFacts, asOf: number): ScoreInput {
  const inp = scoreInputOf(f.ids.length);
  for (let i = 0; i < f.ids.length; i++) putScoreInput(inp, i, summaryOfFacts(f, i, asOf));
  return inp;
}

const scoreInputOf = (n: number): ScoreInput => ({
  frequency: new Float64Array(n), recencyDays: new Float64Array(n), TDays: new Float64Array(n),
  repeatAvg: new Float64Array(n), revenue: new Float64Array(n), orders: new Float64Array(n),
});

function putScoreInput(inp: ScoreInput, i: number, s: CustomerSummary): void {
  inp.frequency[i] = s.frequency;
  inp.recencyDays[i] = s.recency ?? 0;
  inp.TDays[i] = s.T ?? 0;
  inp.repeatAvg[i] = s.repeatAvgValue ?? NaN;
  inp.revenue[i] = s.revenue;
  inp.orders[i] = s.orders;
}

export interface ScoreResult {
  model: BtydModel | 'historic';
  fit: FitResult | null;
  /** All fits tried (auto), best first. */
  candidates: FitResult[];
  gg: FitResult | null;
  /** Whether the fit can be trusted (fit-reliability.ts); reported in fit.json and the report. */
  reliability: FitReliability;
  unit: TimeUnit;
  notes: string[];
  info: string[];
  /** Customer i's churn_risk cell ('' when p_alive is unknown). */
  churnRiskAt(i: number): string;
  pAlive: Float64Array;
  expectedOrders: Float64Array;
  clv: Float64Array;
  /** Expected value per future order (NaN: absent, transactions without amounts). */
  expectedAvgValue: Float64Array;
  /** Revenue so far (the historic_value column: the score inputs' revenue). */
  historicValue: Float64Array;
}


function fitted(fit: FitResult, unitDays: number): FittedBtyd {
  const p = fit.params;
  if (fit.model === 'pnbd') return { model: 'pnbd', params: { r: p.r!, alpha: p.alpha!, s: p.s!, beta: p.beta! } as PnbdParams, unitDays };
  return { model: fit.model as 'bgnbd' | 'mbgnbd', params: { r: p.r!, alpha: p.alpha!, a: p.a!, b: p.b! } as BgnbdParams, unitDays };
}

/**
 * What scoring computes, as plain data that a worker thread can post (parallel/score-thread.ts): the
 * result without its churn rule and the inputs' revenue; the expected average values as `values`.
 */
export type ScoreData = Omit<ScoreResult, 'churnRiskAt' | 'expectedAvgValue' | 'historicValue'> & { values: Float64Array };

/** The fits and notes of a scoring, without the per-customer numbers. */
export type ScoreMeta = Omit<ScoreData, 'pAlive' | 'expectedOrders' | 'clv' | 'values'>;

/** {@link ScoreMeta} of scores or their data. */
export const scoreMeta = (d: ScoreMeta): ScoreMeta => ({ model: d.model, fit: d.fit, candidates: d.candidates, gg: d.gg, reliability: d.reliability, unit: d.unit, notes: d.notes, info: d.info });

/** Fits the model(s) and scores every customer. Never NaN/Infinity in the cells. */
export function scoreCustomerTable(inp: ScoreInput, opts: ScoreOptions): ScoreResult {
  return scoreResult(scoreCustomerData(inp, opts), inp, opts);
}

/** The result of {@link scoreCustomerData}'s data with the churn rule and the inputs' revenue (the score cells' sources). */
export function scoreResult(d: ScoreData, inp: ScoreInput, opts: ScoreOptions): ScoreResult {
  const { pAlive, expectedOrders, values, clv } = d;
  return {
    model: d.model,
    fit: d.fit,
    candidates: d.candidates,
    gg: d.gg,
    reliability: d.reliability,
    unit: d.unit,
    notes: d.notes,
    info: d.info,
    pAlive,
    expectedOrders,
    clv,
    expectedAvgValue: values,
    historicValue: inp.revenue,
    churnRiskAt(i) {
      const pa = pAlive[i]!;
      return Number.isFinite(pa) ? churnRisk(pa, opts.churn) : '';
    },
  };
}

/** Arrays of one number per customer that scoreCustomerData fills (parallel/score-thread.ts passes its own). */
export type ScoreOutputs = Pick<ScoreData, 'pAlive' | 'expectedOrders' | 'clv' | 'values'>;

/** Output arrays for n customers. */
export const scoreOutputs = (n: number): ScoreOutputs => ({ pAlive: new Float64Array(n), expectedOrders: new Float64Array(n), clv: new Float64Array(n), values: new Float64Array(n) });

/**
 * The fits and every customer's numbers (see {@link scoreCustomerTable}), as plain data, the
 * per-customer numbers written into `out` (each array as long as the inputs).
 */
export function scoreCustomerData(inp: ScoreInput, opts: ScoreOptions, out: ScoreOutputs = scoreOutputs(inp.frequency.length)): ScoreData {
  const n = inp.frequency.length;
  const ud = DAYS_PER_UNIT[opts.unit];
  const x = inp.frequency;
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    tx[i] = inp.recencyDays[i]! / ud;
    T[i] = inp.TDays[i]! / ud;
  }
  const notes: string[] = [];
  /** Facts (not problems) for stderr. */
  const info: string[] = [];
  const models: BtydModel[] = opts.model === 'auto' ? ['bgnbd', 'mbgnbd', 'pnbd'] : [opts.model];
  const candidates: FitResult[] = [];
  // Grouped once for every fit and the scoring: grouping is a pass over every customer.
  let grouped: GroupedSummary | undefined;
  try {
    grouped = groupSummary({ x, tx, T });
  } catch {
    grouped = undefined; // each fit reports the invalid row itself
  }
  for (const m of models) {
    try {
      const f = fitBtyd(m, { x, tx, T }, { penalizer: opts.penalizer, grouped });
      candidates.push(f);
    } catch (e) {
      notes.push(`${m}: fit failed (${(e as Error).message})`);
    }
  }
  candidates.sort((a, b) => Number(b.converged) - Number(a.converged) || b.logLik - a.logLik);
  const best = candidates.find((c) => c.converged) ?? null;
  if (opts.model === 'auto' && best) {
    info.push(`auto: chose ${best.model} by the highest log-likelihood (${candidates.map((c) => `${c.model} ${c.logLik.toFixed(2)}${c.converged ? '' : ' not converged'}`).join(', ')}); all three have 4 parameters`);
  }
  // Gamma-Gamma on repeaters with positive repeat spend.
  let gg: FitResult | null = null;
  let ggParams: GammaGammaParams | null = null;
  let repeaters = 0;
  let repeatBuyers = 0;
  const mx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = inp.repeatAvg[i]!;
    mx[i] = Number.isFinite(v) ? v : 0;
    if (x[i]! > 0) repeatBuyers++;
    if (x[i]! > 0 && mx[i]! > 0) repeaters++;
  }
  if (opts.noAmounts) {
    info.push('no amounts: Gamma-Gamma, expected average value and CLV are absent (transactions without amounts)');
  } else if (repeaters >= 10) {
    try {
      gg = fitGammaGamma(x, mx, {});
      if (gg.converged && gg.params.q! > 1) ggParams = { p: gg.params.p!, q: gg.params.q!, gamma: gg.params.gamma! };
      else notes.push(`gamma-gamma: ${gg.converged ? `q = ${gg.params.q!.toFixed(3)} ≤ 1 (no finite mean)` : 'did not converge'}; expected values fall back to historic means`);
    } catch (e) {
      notes.push(`gamma-gamma: fit failed (${(e as Error).message}); expected values fall back to historic means`);
    }
  } else {
    notes.push(`gamma-gamma: only ${repeaters} repeat customers with positive spend (need 10); expected values are historic means`);
  }
  // Fallback value per purchase: mean order value over all customers.
  let totRev = 0;
  let totOrd = 0;
  for (let i = 0; i < n; i++) {
    totRev += inp.revenue[i]!;
    totOrd += inp.orders[i]!;
  }
  const meanOrder = totOrd > 0 ? totRev / totOrd : 0;
  const values = out.values;
  if (opts.noAmounts) values.fill(NaN);
  else for (let i = 0; i < n; i++) values[i] = expectedAverageValue(x[i]!, mx[i]!, ggParams, meanOrder).value;

  const pAlive = out.pAlive.fill(NaN);
  const expectedOrders = out.expectedOrders.fill(NaN);
  const clv = out.clv.fill(NaN);
  let model: ScoreResult['model'] = 'historic';
  if (best) {
    model = best.model as BtydModel;
    const s = scoreCustomers(fitted(best, ud), { x, tx, T }, values, {
      horizonDays: opts.horizonDays,
      discount: opts.discount,
      margin: opts.margin,
    }, grouped);
    for (let i = 0; i < n; i++) {
      pAlive[i] = clamp01(s.pAlive[i]!);
      expectedOrders[i] = finiteOr(s.expectedPurchases[i]!, 0);
      clv[i] = opts.noAmounts ? NaN : finiteOr(s.clv[i]!, 0);
    }
  } else {
    notes.push(
      `no model converged (tried: ${candidates.flatMap((c) => c.tried).join('; ') || models.join(', ')}); falling back to historic value: ` +
        `expected_orders = historic purchase rate × horizon, clv = expected_orders × value × margin (undiscounted), p_alive and churn_risk left empty. Try --penalizer 0.001 or another --unit.`,
    );
    for (let i = 0; i < n; i++) {
      const rate = inp.TDays[i]! > 0 ? (x[i]! + 1) / inp.TDays[i]! : 0;
      expectedOrders[i] = rate * opts.horizonDays;
      clv[i] = expectedOrders[i]! * values[i]! * opts.margin;
    }
  }
  const reliability = fitReliability(best, ggParams ? gg : null, n, repeatBuyers);
  if (!reliability.reliable) notes.push(`fit unreliable: ${reliabilityText(reliability)}; treat p_alive, expected_orders and clv as rough (fit.json "reliable": false)`);
  return { model, fit: best, candidates, gg, reliability, unit: opts.unit, notes, info, pAlive, expectedOrders, clv, values };
}

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
const finiteOr = (v: number, d: number): number => (Number.isFinite(v) ? v : d);

/** Value per future order: Gamma-Gamma when it was fitted with a finite mean (q > 1), else each customer's historic mean. */
export const spendModel = (res: ScoreMeta): 'gamma-gamma' | 'historic-mean' =>
  res.gg && res.gg.converged && res.gg.params.q! > 1 ? 'gamma-gamma' : 'historic-mean';

/** The basis of the clv and value_at_risk columns, stated beside them in the report. */
export function valueBasisOf(res: ScoreMeta, opts: ScoreOptions): { spend_model: string; horizon: string; horizon_days: number; discount_rate: string; margin: number } {
  return { spend_model: spendModel(res), horizon: opts.horizonText, horizon_days: opts.horizonDays, discount_rate: opts.discountText, margin: opts.margin };
}

/** The fit summary for stderr and --model-out. */
export function fitSummary(res: ScoreMeta, opts: ScoreOptions, customers: number): Record<string, unknown> {
  const f = res.fit;
  return {
    model: res.model,
    time_unit: res.unit,
    unit_days: DAYS_PER_UNIT[res.unit],
    customers,
    horizon: opts.horizonText,
    horizon_days: opts.horizonDays,
    discount_rate: opts.discountText,
    margin: opts.margin,
    spend_model: spendModel(res),
    value_at_risk: 'value_at_risk = (1 - p_alive) x clv',
    penalizer: opts.penalizer,
    churn_thresholds: { high_below: opts.churn.medium, low_from: opts.churn.low },
    parameters: f?.params ?? null,
    standard_errors: f?.stdErrors ?? null,
    log_likelihood: f ? round(f.logLik, 4) : null,
    converged: f?.converged ?? false,
    reliable: res.reliability.reliable,
    unreliable_reasons: res.reliability.reasons,
    iterations: f?.iterations ?? 0,
    tried: f?.tried ?? res.candidates.flatMap((c) => c.tried),
    candidates: res.candidates.map((c) => ({ model: c.model, log_likelihood: round(c.logLik, 4), converged: c.converged, parameters: c.params })),
    gamma_gamma: res.gg ? { parameters: res.gg.params, standard_errors: res.gg.stdErrors, log_likelihood: round(res.gg.logLik, 4), converged: res.gg.converged, customers: res.gg.n } : null,
    notes: res.notes,
  };
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

/** One stderr line describing the fit. */
export function fitLine(res: ScoreMeta): string {
  const f = res.fit;
  if (!f) return `score: model historic (no convergence)`;
  const ps = Object.entries(f.params).map(([k, v]) => `${k} ${v.toPrecision(5)}${f.stdErrors[k] != null ? ` ±${f.stdErrors[k]!.toPrecision(2)}` : ''}`).join(', ');
  const gg = res.gg && res.gg.converged ? `; gamma-gamma ${Object.entries(res.gg.params).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')} on ${res.gg.n} repeaters` : '';
  return `score: ${f.model} in ${res.unit}s on ${f.n} customers (${f.groups} distinct rows): ${ps}; LL ${f.logLik.toFixed(2)}; ${f.converged ? 'converged' : 'NOT converged'}${gg}`;
}
