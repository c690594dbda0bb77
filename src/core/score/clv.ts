/**
 * Customer lifetime value from a fitted BTYD model and an expected value per purchase.
 *
 * CLV = margin × Σ_{i=1..K} [E[Y(t_i)] − E[Y(t_{i−1})]] × value × (1 + rate)^{−t_i / period},
 * with steps t_i = min(i·step, horizon) (default step: one month = 30.4375 days), E[Y(t)] the
 * model's conditional expected purchases (bgnbd.ts eq. 10, mbgnbd.ts, pnbd.ts) and the discount
 * compounding per the rate's own period. This is the sum lifetimes' `customer_lifetime_value`
 * computes (incremental expected purchases per step, discounted per step), but with the horizon,
 * step and rate converted through days (units.ts), so the answer does not depend on the unit the
 * model was fitted in.
 */
import { bgnbdConditionalExpected, bgnbdExpectedIfAlive, bgnbdProbabilityAlive, type BgnbdParams } from './bgnbd.js';
import { mbgnbdConditionalExpected, mbgnbdExpectedIfAlive, mbgnbdProbabilityAlive } from './mbgnbd.js';
import { pnbdConditionalExpected, pnbdExpectedIfAlive, pnbdProbabilityAlive, type PnbdParams } from './pnbd.js';
import { gammaGammaConditionalValue, gammaGammaPopulationMean, type GammaGammaParams } from './gamma-gamma.js';
import { groupSummary, type BtydSummary, type GroupedSummary } from './grouped-summary.js';
import { DAYS_PER_UNIT, discountFactor, type Rate } from './units.js';

/** A fitted transaction model and the length of its time unit in days (7 for a model fitted in weeks). */
export type FittedBtyd = (
  | { model: 'bgnbd'; params: BgnbdParams }
  | { model: 'mbgnbd'; params: BgnbdParams }
  | { model: 'pnbd'; params: PnbdParams }
) & { unitDays: number };

/** E[Y(t) | x, t_x, T] for the model; t, t_x, T in the model's unit. */
export function conditionalExpectedPurchases(m: FittedBtyd, t: number, x: number, tx: number, T: number): number {
  switch (m.model) {
    case 'bgnbd':
      return bgnbdConditionalExpected(m.params, t, x, tx, T);
    case 'mbgnbd':
      return mbgnbdConditionalExpected(m.params, t, x, tx, T);
    case 'pnbd':
      return pnbdConditionalExpected(m.params, t, x, tx, T);
  }
}

/**
 * E[Y(t) | alive at T, x, T]: every model here factorises E[Y(t) | x, t_x, T] as
 * P(alive | x, t_x, T) × this, which does not depend on t_x.
 */
export function expectedPurchasesIfAlive(m: FittedBtyd, t: number, x: number, T: number): number {
  switch (m.model) {
    case 'bgnbd':
      return bgnbdExpectedIfAlive(m.params, t, x, T);
    case 'mbgnbd':
      return mbgnbdExpectedIfAlive(m.params, t, x, T);
    case 'pnbd':
      return pnbdExpectedIfAlive(m.params, t, x, T);
  }
}

/** P(alive | x, t_x, T) for the model. */
export function probabilityAlive(m: FittedBtyd, x: number, tx: number, T: number): number {
  switch (m.model) {
    case 'bgnbd':
      return bgnbdProbabilityAlive(m.params, x, tx, T);
    case 'mbgnbd':
      return mbgnbdProbabilityAlive(m.params, x, tx, T);
    case 'pnbd':
      return pnbdProbabilityAlive(m.params, x, tx, T);
  }
}

export type ValueSource = 'gamma-gamma' | 'population-mean' | 'historic-mean' | 'fallback';

/**
 * Expected value of a future purchase, in this order of preference:
 * 1. Gamma-Gamma fitted and the customer is a repeater (x > 0, m_x > 0): E[M | x, m_x];
 * 2. Gamma-Gamma fitted, customer without repeat spend: population mean pγ/(q − 1) (if q > 1);
 * 3. no Gamma-Gamma, repeater: the customer's historic mean m_x;
 * 4. otherwise `fallback` (the caller passes e.g. the mean order value of all customers).
 */
export function expectedAverageValue(x: number, mx: number, gg: GammaGammaParams | null, fallback: number): { value: number; source: ValueSource } {
  if (gg) {
    if (x > 0 && mx > 0) {
      const v = gammaGammaConditionalValue(gg, x, mx);
      if (Number.isFinite(v) && v > 0) return { value: v, source: 'gamma-gamma' };
    }
    const pm = gammaGammaPopulationMean(gg);
    if (Number.isFinite(pm) && pm > 0) return { value: pm, source: 'population-mean' };
  }
  if (x > 0 && mx > 0) return { value: mx, source: 'historic-mean' };
  return { value: fallback, source: 'fallback' };
}

export interface ClvOptions {
  /** Horizon in days (e.g. parseDuration('12m')). */
  horizonDays: number;
  /** Step length in days; default one month (30.4375). */
  stepDays?: number;
  /** Discount rate; { rate: 0, perDays: 365.25 } for none. */
  discount: Rate;
  /** Gross margin applied to the value (default 1 = revenue). */
  margin?: number;
}

/** Step end points in days and their discount factors. */
function schedule(opts: ClvOptions): { days: number[]; factors: number[] } {
  const step = opts.stepDays ?? DAYS_PER_UNIT.month;
  if (!(step > 0) || !(opts.horizonDays >= 0)) throw new RangeError('horizon must be ≥ 0 and step > 0');
  const k = Math.ceil(opts.horizonDays / step - 1e-9);
  const days: number[] = [];
  for (let i = 1; i <= k; i++) days.push(Math.min(i * step, opts.horizonDays));
  return { days, factors: days.map((d) => discountFactor(opts.discount, d)) };
}

/**
 * Σ_i [E[Y(t_i)] − E[Y(t_{i−1})]] × discount_i and E[Y(horizon)] for a customer known to be
 * alive at T (multiply both by P(alive) for the conditional values).
 */
function discountedIfAlive(m: FittedBtyd, x: number, T: number, sch: { days: number[]; factors: number[] }): { purchases: number; discounted: number } {
  let prev = 0;
  let disc = 0;
  for (let i = 0; i < sch.days.length; i++) {
    const e = expectedPurchasesIfAlive(m, sch.days[i]! / m.unitDays, x, T);
    disc += (e - prev) * sch.factors[i]!;
    prev = e;
  }
  return { purchases: prev, discounted: disc };
}

/** CLV of one customer (x, t_x, T in the model's unit) at a given expected value per purchase. */
export function customerClv(m: FittedBtyd, x: number, tx: number, T: number, value: number, opts: ClvOptions): { expectedPurchases: number; clv: number } {
  const r = discountedIfAlive(m, x, T, schedule(opts));
  const pa = probabilityAlive(m, x, tx, T);
  return { expectedPurchases: pa * r.purchases, clv: (opts.margin ?? 1) * value * pa * r.discounted };
}

export interface ScoredCustomers {
  /** E[Y(horizon)] per customer. */
  expectedPurchases: Float64Array;
  pAlive: Float64Array;
  clv: Float64Array;
}

/**
 * Scores many customers: expected purchases over the horizon, P(alive) and CLV, with `values`
 * the expected value per purchase of each customer (see expectedAverageValue). Identical
 * (x, t_x, T) rows are computed once, and the horizon sums once per distinct (x, T).
 * data in the model's unit; `grouped`: groupSummary(data) when the caller already has it.
 */
export function scoreCustomers(m: FittedBtyd, data: BtydSummary, values: Float64Array, opts: ClvOptions, grouped?: GroupedSummary): ScoredCustomers {
  const g = grouped ?? groupSummary(data);
  if (g.rowGroup.length !== data.x.length) throw new RangeError('grouped: not the grouping of these rows');
  const sch = schedule(opts);
  const np = g.pairXT.x.length;
  const pp = new Float64Array(np);
  const pd = new Float64Array(np);
  for (let i = 0; i < np; i++) {
    const r = discountedIfAlive(m, g.pairXT.x[i]!, g.pairXT.t[i]!, sch);
    pp[i] = r.purchases;
    pd[i] = r.discounted;
  }
  const gp = new Float64Array(g.groups);
  const gd = new Float64Array(g.groups);
  const ga = new Float64Array(g.groups);
  for (let k = 0; k < g.groups; k++) {
    const pa = probabilityAlive(m, g.x[k]!, g.tx[k]!, g.T[k]!);
    ga[k] = pa;
    gp[k] = pa * pp[g.xTIdx[k]!]!;
    gd[k] = pa * pd[g.xTIdx[k]!]!;
  }
  const n = data.x.length;
  const out: ScoredCustomers = { expectedPurchases: new Float64Array(n), pAlive: new Float64Array(n), clv: new Float64Array(n) };
  const margin = opts.margin ?? 1;
  for (let i = 0; i < n; i++) {
    const k = g.rowGroup[i]!;
    out.expectedPurchases[i] = gp[k]!;
    out.pAlive[i] = ga[k]!;
    const v = margin * values[i]! * gd[k]!;
    out.clv[i] = Number.isFinite(v) ? v : 0;
  }
  return out;
}

export type ChurnRisk = 'low' | 'medium' | 'high';

/** Churn risk from P(alive): low when ≥ `low` (default 0.7), medium when ≥ `medium` (default 0.3), high below. */
export function churnRisk(pAlive: number, thresholds: { low?: number; medium?: number } = {}): ChurnRisk {
  const low = thresholds.low ?? 0.7;
  const medium = thresholds.medium ?? 0.3;
  return pAlive >= low ? 'low' : pAlive >= medium ? 'medium' : 'high';
}
