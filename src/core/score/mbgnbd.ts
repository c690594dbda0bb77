/**
 * MBG/NBD model: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
 * models for customer base analysis", Int. J. Research in Marketing 24(3), 201–209.
 *
 * As BG/NBD (bgnbd.ts) but a customer may also drop out right after the first purchase, so
 * one-time buyers (x = 0) get P(alive) < 1. Same summary (x, t_x, T) and parameters r, α, a, b.
 * The formulas below are the ones BTYDplus and lifetimes (ModifiedBetaGeoFitter) implement.
 */
import { hyp2f1Product, logGammaRatio, nudgeFromOne } from './btyd-common.js';
import { inverseOnePlusExp, lnGamma, logAddExp, logBeta } from '../math/special.js';
import type { GroupedSummary } from './grouped-summary.js';
import type { BgnbdParams } from './bgnbd.js';

export type MbgnbdParams = BgnbdParams;

/**
 * Log-likelihood of one customer:
 * L = Γ(r+x) α^r / Γ(r) · B(a, b+x+1)/B(a, b) · [ (α+T)^{−(r+x)} + (a/(b+x)) (α+t_x)^{−(r+x)} ].
 */
export function mbgnbdLogLikelihood(p: MbgnbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const A = logGammaRatio(r, x) + r * Math.log(alpha) + logBeta(a, b + x + 1) - logBeta(a, b);
  return A + logAddExp(-(r + x) * Math.log(alpha + T), Math.log(a / (b + x)) - (r + x) * Math.log(alpha + tx));
}

/** Σ over groups of weight × the per-customer log-likelihood. */
export function mbgnbdLogLikelihoodSum(p: MbgnbdParams, g: GroupedSummary): number {
  const { r, alpha, a, b } = p;
  const base = r * Math.log(alpha) - logBeta(a, b) - lnGamma(r) + lnGamma(a);
  const nx = g.uniqueX.length;
  const A = new Float64Array(nx);
  const C = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    const x = g.uniqueX[i]!;
    A[i] = base + lnGamma(r + x) + lnGamma(b + x + 1) - lnGamma(a + b + x + 1);
    C[i] = Math.log(a / (b + x));
  }
  const lT = g.uniqueT.map((T) => Math.log(alpha + T));
  const ltx = g.uniqueTx.map((t) => Math.log(alpha + t));
  const RX = Float64Array.from(g.uniqueX, (x) => r + x);
  const { xIdx, TIdx, txIdx, w, groups } = g;
  let sum = 0;
  for (let k = 0; k < groups; k++) {
    const xi = xIdx[k]!;
    const rx = RX[xi]!;
    const l1 = -rx * lT[TIdx[k]!]!;
    const l2 = C[xi]! - rx * ltx[txIdx[k]!]!;
    const d = l1 - l2;
    sum += w[k]! * (A[xi]! + (d > 0 ? l1 + Math.log1p(Math.exp(-d)) : l2 + Math.log1p(Math.exp(d))));
  }
  return sum;
}

/** P(alive | x, t_x, T) = 1 / (1 + (a/(b+x)) ((α+T)/(α+t_x))^{r+x}); < 1 also for x = 0. Never NaN. */
export function mbgnbdProbabilityAlive(p: MbgnbdParams, x: number, tx: number, T: number): number {
  const d = Math.log(p.a / (p.b + x)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return inverseOnePlusExp(d);
}

/**
 * E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
 */
export function mbgnbdConditionalExpected(p: MbgnbdParams, t: number, x: number, tx: number, T: number): number {
  const v = mbgnbdExpectedIfAlive(p, t, x, T) * mbgnbdProbabilityAlive(p, x, tx, T);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** E[Y(t) | alive at T, x, T]: the expectation above without P(alive); independent of t_x. */
export function mbgnbdExpectedIfAlive(p: MbgnbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const a = nudgeFromOne(p.a);
  const z = t / (alpha + T + t);
  const oneMinus = -Math.expm1(hyp2f1Product(r + x, r + x, b + x + 1, a + b + x, z));
  const v = ((a + b + x) / (a - 1)) * oneMinus;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]. */
export function mbgnbdExpected(p: MbgnbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const a = nudgeFromOne(p.a);
  const z = t / (alpha + t);
  return (b / (a - 1)) * -Math.expm1(hyp2f1Product(r, r, b + 1, a + b, z));
}
