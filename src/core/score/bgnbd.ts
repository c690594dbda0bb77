/**
 * BG/NBD model: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275–284.
 *
 * While active, a customer buys with Poisson rate λ ~ Gamma(r, α); after each repeat purchase
 * they drop out with probability p ~ Beta(a, b). A customer is summarised by x repeat purchases,
 * the time t_x of the last one and the age T (time since the first purchase), in one time unit;
 * α has that unit (a rate-scale), r, a and b are unit-free.
 * Model property: a customer with x = 0 cannot have dropped out, so P(alive | x = 0) = 1 exactly.
 */
import { hyp2f1Product, logGammaRatio, nudgeFromOne } from './btyd-common.js';
import { digamma, inverseOnePlusExp, lnGamma, logAddExp, logBeta } from '../math/special.js';
import type { GroupedSummary } from './grouped-summary.js';

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Log-likelihood of one customer (FHL 2005, eq. 6):
 * L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^{r+x})
 *   + δ_{x>0} B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^{r+x}).
 * It is the density of the purchase times, so it depends on the time unit (by −x·ln(scale)).
 */
export function bgnbdLogLikelihood(p: BgnbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const A = logGammaRatio(r, x) + r * Math.log(alpha) - logBeta(a, b);
  const l1 = logBeta(a, b + x) - (r + x) * Math.log(alpha + T);
  const l2 = x > 0 ? logBeta(a + 1, b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return A + logAddExp(l1, l2);
}

/**
 * The terms of eq. 6 that depend on one distinct value only, shared by the likelihood and its
 * gradient: per x, A = r ln α − ln B(a, b) − ln Γ(r) + ln Γ(r+x), B1 = ln B(a, b+x),
 * B2 = ln B(a+1, b+x−1) (−∞ for x = 0) and RX = r + x; per T, ln(α+T); per t_x, ln(α+t_x).
 */
function distinctTerms(p: BgnbdParams, g: GroupedSummary) {
  const { r, alpha, a, b } = p;
  const base = r * Math.log(alpha) - logBeta(a, b) - lnGamma(r);
  const nx = g.uniqueX.length;
  const A = new Float64Array(nx);
  const B1 = new Float64Array(nx);
  const B2 = new Float64Array(nx);
  const lnGab = lnGamma(a);
  for (let i = 0; i < nx; i++) {
    const x = g.uniqueX[i]!;
    A[i] = base + lnGamma(r + x);
    const lgbx = lnGamma(b + x);
    B1[i] = lnGab + lgbx - lnGamma(a + b + x);
    // B(a+1, b+x−1) = B(a, b+x) · a / (b+x−1)
    B2[i] = x > 0 ? B1[i]! + Math.log(a / (b + x - 1)) : -Infinity;
  }
  const lT = g.uniqueT.map((T) => Math.log(alpha + T));
  const ltx = g.uniqueTx.map((t) => Math.log(alpha + t));
  const RX = Float64Array.from(g.uniqueX, (x) => r + x);
  return { A, B1, B2, lT, ltx, RX };
}

/** Σ over groups of weight × eq. 6 — the same value as summing bgnbdLogLikelihood over customers. */
export function bgnbdLogLikelihoodSum(p: BgnbdParams, g: GroupedSummary): number {
  const { A, B1, B2, lT, ltx, RX } = distinctTerms(p, g);
  const { xIdx, TIdx, txIdx, w, groups } = g;
  let sum = 0;
  for (let k = 0; k < groups; k++) {
    const xi = xIdx[k]!;
    const rx = RX[xi]!;
    const l1 = B1[xi]! - rx * lT[TIdx[k]!]!;
    const l2 = B2[xi]! - rx * ltx[txIdx[k]!]!;
    const d = l1 - l2;
    sum += w[k]! * (A[xi]! + (d > 0 ? l1 + Math.log1p(Math.exp(-d)) : l2 + Math.log1p(Math.exp(d))));
  }
  return sum;
}

/**
 * bgnbdLogLikelihoodSum and its gradient ∂/∂(r, α, a, b), written to `grad`, in one pass over the
 * groups; the value is computed exactly as bgnbdLogLikelihoodSum does. Per customer, eq. 6 is
 * LL = A + ln(e^{l₁} + e^{l₂}) with A = ln Γ(r+x) − ln Γ(r) + r ln α − ln B(a, b),
 * l₁ = ln B(a, b+x) − (r+x) ln(α+T), l₂ = l₁ + ln a − ln(b+x−1) + (r+x) ln((α+T)/(α+t_x)) (x > 0);
 * with π₂ = e^{l₂}/(e^{l₁} + e^{l₂}) (0 for x = 0), π₁ = 1 − π₂ and ψ the digamma function:
 * ∂/∂r = ψ(r+x) − ψ(r) + ln α − π₁ ln(α+T) − π₂ ln(α+t_x)
 * ∂/∂α = r/α − (r+x) (π₁/(α+T) + π₂/(α+t_x))
 * ∂/∂a = ψ(a+b) − ψ(a+b+x) + π₂/a
 * ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − π₂/(b+x−1).
 * The ψ terms depend on x only: they are computed once per distinct x and weighted by the
 * customers with that x.
 */
export function bgnbdLogLikelihoodSumWithGradient(p: BgnbdParams, g: GroupedSummary, grad: Float64Array): number {
  const { r, alpha, a, b } = p;
  const lnAlpha = Math.log(alpha);
  const nx = g.uniqueX.length;
  const { A, B1, B2, lT, ltx, RX } = distinctTerms(p, g);
  const iT = g.uniqueT.map((T) => 1 / (alpha + T));
  const itx = g.uniqueTx.map((t) => 1 / (alpha + t));
  const { xIdx, TIdx, txIdx, w, groups } = g;
  // Per distinct x: Σ w and Σ w·π₂; per group only the terms in T and t_x.
  const wX = new Float64Array(nx);
  const wPi2X = new Float64Array(nx);
  let sum = 0;
  let gr = 0;
  let gAlpha = 0;
  for (let k = 0; k < groups; k++) {
    const xi = xIdx[k]!;
    const rx = RX[xi]!;
    const Ti = TIdx[k]!;
    const ti = txIdx[k]!;
    const l1 = B1[xi]! - rx * lT[Ti]!;
    const l2 = B2[xi]! - rx * ltx[ti]!;
    const d = l1 - l2;
    const wk = w[k]!;
    let pi2: number;
    if (d > 0) {
      const e = Math.exp(-d);
      sum += wk * (A[xi]! + (l1 + Math.log1p(e)));
      pi2 = e / (1 + e);
    } else {
      const e = Math.exp(d);
      sum += wk * (A[xi]! + (l2 + Math.log1p(e)));
      pi2 = 1 / (1 + e);
    }
    const pi1 = 1 - pi2;
    wX[xi]! += wk;
    wPi2X[xi]! += wk * pi2;
    gr -= wk * (pi1 * lT[Ti]! + pi2 * ltx[ti]!);
    gAlpha -= wk * rx * (pi1 * iT[Ti]! + pi2 * itx[ti]!);
  }
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  let n = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < nx; i++) {
    const x = g.uniqueX[i]!;
    const wi = wX[i]!;
    if (wi === 0) continue;
    n += wi;
    const psiABX = digamma(a + b + x);
    gr += wi * (digamma(r + x) - psiR);
    ga += wi * (psiAB - psiABX);
    gb += wi * (psiAB - psiB + digamma(b + x) - psiABX);
    if (x > 0) {
      ga += wPi2X[i]! / a;
      gb -= wPi2X[i]! / (b + x - 1);
    }
  }
  grad[0] = gr + n * lnAlpha;
  grad[1] = gAlpha + (n * r) / alpha;
  grad[2] = ga;
  grad[3] = gb;
  return sum;
}

/**
 * P(alive | x, t_x, T) (FHL 2005, eq. 12; appendix): 1 / (1 + δ_{x>0} (a/(b+x−1)) ((α+T)/(α+t_x))^{r+x}).
 * Computed as a logistic of a log-odds, so huge x gives exactly 0 (never NaN); x = 0 gives exactly 1.
 */
export function bgnbdProbabilityAlive(p: BgnbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const d = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return inverseOnePlusExp(d);
}

/**
 * E[Y(t) | x, t_x, T], expected repeat purchases in (T, T + t] (FHL 2005, eq. 10):
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 * The power × ₂F₁ product is evaluated via Euler's transformation (see btyd-common.ts).
 */
export function bgnbdConditionalExpected(p: BgnbdParams, t: number, x: number, tx: number, T: number): number {
  const v = bgnbdExpectedIfAlive(p, t, x, T) * bgnbdProbabilityAlive(p, x, tx, T);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * E[Y(t) | alive at T, x, T] — eq. 10 without its P(alive) factor; it does not depend on t_x,
 * so batch scoring computes it once per distinct (x, T).
 */
export function bgnbdExpectedIfAlive(p: BgnbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const a = nudgeFromOne(p.a);
  const z = t / (alpha + T + t);
  const oneMinus = -Math.expm1(hyp2f1Product(r + x, r + x, b + x, a + b + x - 1, z));
  const v = ((a + b + x - 1) / (a - 1)) * oneMinus;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * E[X(t)], expected repeat purchases in (0, t] for a new customer (FHL 2005, eq. 9):
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]. Needs a + b > 1 (₂F₁ with c > 0);
 * returns NaN otherwise.
 */
export function bgnbdExpected(p: BgnbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const a = nudgeFromOne(p.a);
  if (!(a + b > 1)) return NaN;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * -Math.expm1(hyp2f1Product(r, r, b, a + b - 1, z));
}

/**
 * P(X(t) = n) for a new customer (FHL 2005, eq. 8):
 * B(a, b+n)/B(a, b) · NB(n; r, α/(α+t))
 *   + δ_{n>0} B(a+1, b+n−1)/B(a, b) · P(NB ≥ n),
 * where NB(j; r, π) = Γ(r+j)/(Γ(r) j!) π^r (1−π)^j. The upper tail is summed directly
 * (not 1 − head) so tiny probabilities keep their precision.
 */
export function bgnbdProbabilityOfN(p: BgnbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = p;
  const lb = logBeta(a, b);
  const lp = Math.log(alpha / (alpha + t));
  const lq = Math.log(t / (alpha + t));
  const lnb = (j: number): number => logGammaRatio(r, j) - lnGamma(j + 1) + r * lp + (j > 0 ? j * lq : 0);
  let v = Math.exp(logBeta(a, b + n) - lb + lnb(n));
  if (n > 0) {
    let tail = 0;
    let logTerm = lnb(n);
    let term = Math.exp(logTerm);
    const q = t / (alpha + t);
    for (let j = n; j < n + 1_000_000; j++) {
      tail += term;
      const ratio = ((r + j) / (j + 1)) * q;
      term *= ratio;
      if (ratio < 1 && term * (1 + ratio / (1 - ratio)) <= 1e-17 * tail) break;
    }
    v += Math.exp(logBeta(a + 1, b + n - 1) - lb) * tail;
  }
  return v;
}

