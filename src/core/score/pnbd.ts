/**
 * Pareto/NBD model: Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are
 * They and What Will They Do Next?", Management Science 33(1), 1–24; expressions as derived in
 * Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions"
 * (brucehardie.com/notes/009).
 *
 * While active a customer buys with Poisson rate λ ~ Gamma(r, α) and has an exponential lifetime
 * with rate μ ~ Gamma(s, β). α and β have the time unit; r, s are unit-free.
 */
import { logGammaRatio } from './btyd-common.js';
import { lnGamma, log1mExp, logAddExp } from '../math/special.js';
import { logHyp2f1 } from '../math/hyp2f1.js';
import type { GroupedSummary } from './grouped-summary.js';

export interface PnbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * ln A₀ of Fader & Hardie (2005 note, eqs. 19–20), with the branch that keeps the ₂F₁ argument
 * in [0, 1): for α ≥ β
 *   A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^{r+s+x} − [same at T],
 * for α < β
 *   A₀ = ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+t_x)) / (β+t_x)^{r+s+x} − [same at T].
 * The difference is taken in log space (ln e^{l1} − e^{l2} = l1 + ln(1 − e^{l2−l1})). −Infinity when t_x = T.
 */
export function pnbdLogA0(p: PnbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const hi = alpha >= beta ? alpha : beta;
  const bArg = alpha >= beta ? s + 1 : r + x;
  const diff = Math.abs(alpha - beta);
  const l1 = logHyp2f1(rsx, bArg, rsx + 1, diff / (hi + tx)) - rsx * Math.log(hi + tx);
  if (tx === T) return -Infinity;
  const l2 = logHyp2f1(rsx, bArg, rsx + 1, diff / (hi + T)) - rsx * Math.log(hi + T);
  if (!(l2 < l1)) return -Infinity;
  return l1 + log1mExp(l2 - l1);
}

/**
 * Log-likelihood of one customer (Fader & Hardie 2005 note, eq. 22):
 * L = Γ(r+x) α^r β^s / Γ(r) · [ 1/((α+T)^{r+x} (β+T)^s) + s/(r+s+x) · A₀ ].
 */
export function pnbdLogLikelihood(p: PnbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = logGammaRatio(r, x) + r * Math.log(alpha) + s * Math.log(beta);
  const t1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const t2 = Math.log(s / (r + s + x)) + pnbdLogA0(p, x, tx, T);
  return head + logAddExp(t1, t2);
}

/**
 * Σ over groups of weight × the per-customer log-likelihood. ln Γ terms are cached per distinct x
 * and the two ₂F₁ terms of A₀ per distinct (x, t_x) and (x, T) pair, which are far fewer than
 * the (x, t_x, T) groups.
 */
export function pnbdLogLikelihoodSum(p: PnbdParams, g: GroupedSummary): number {
  const { r, alpha, s, beta } = p;
  const base = r * Math.log(alpha) + s * Math.log(beta) - lnGamma(r);
  const head = Float64Array.from(g.uniqueX, (x) => base + lnGamma(r + x));
  const hi = alpha >= beta ? alpha : beta;
  const diff = Math.abs(alpha - beta);
  const term = (x: number, t: number): number => {
    const rsx = r + s + x;
    return logHyp2f1(rsx, alpha >= beta ? s + 1 : r + x, rsx + 1, diff / (hi + t)) - rsx * Math.log(hi + t);
  };
  const lTx = Float64Array.from(g.pairXTx.x, (x, i) => term(x, g.pairXTx.t[i]!));
  const lT = Float64Array.from(g.pairXT.x, (x, i) => term(x, g.pairXT.t[i]!));
  let sum = 0;
  for (let k = 0; k < g.groups; k++) {
    const x = g.x[k]!;
    const T = g.T[k]!;
    const l1 = lTx[g.xTxIdx[k]!]!;
    const l2 = lT[g.xTIdx[k]!]!;
    const la0 = g.tx[k]! === T || !(l2 < l1) ? -Infinity : l1 + log1mExp(l2 - l1);
    const t1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const t2 = Math.log(s / (r + s + x)) + la0;
    sum += g.w[k]! * (head[g.xIdx[k]!]! + logAddExp(t1, t2));
  }
  return sum;
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^{r+x} (β+T)^s · A₀) (Fader & Hardie 2005
 * note, eq. 26), via a log-odds so it is exactly 0 or 1 at the extremes and never NaN.
 */
export function pnbdProbabilityAlive(p: PnbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const la0 = pnbdLogA0(p, x, tx, T);
  if (la0 === -Infinity) return 1;
  const d = Math.log(s / (r + s + x)) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + la0;
  if (Number.isNaN(d)) return 0;
  return d > 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
}

/** [1 − ((β+T)/(β+T+t))^{s−1}] / (s−1), with its limit ln((β+T+t)/(β+T)) at s = 1. */
function survivalFactor(s: number, beta: number, T: number, t: number): number {
  const L = Math.log(beta + T) - Math.log(beta + T + t);
  return Math.abs(s - 1) < 1e-10 ? -L : -Math.expm1((s - 1) * L) / (s - 1);
}

/**
 * E[Y(t) | x, t_x, T] = (r+x)(β+T) / (α+T) · [1 − ((β+T)/(β+T+t))^{s−1}] / (s−1) · P(alive)
 * (Fader & Hardie 2005 note, eq. 27; limit ln form at s = 1).
 */
export function pnbdConditionalExpected(p: PnbdParams, t: number, x: number, tx: number, T: number): number {
  const v = pnbdExpectedIfAlive(p, t, x, T) * pnbdProbabilityAlive(p, x, tx, T);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** E[Y(t) | alive at T, x, T] = (r+x)(β+T)/(α+T) · [1 − ((β+T)/(β+T+t))^{s−1}]/(s−1); independent of t_x. */
export function pnbdExpectedIfAlive(p: PnbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = p;
  const v = (((r + x) * (beta + T)) / (alpha + T)) * survivalFactor(s, beta, T, t);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** E[X(t)] = rβ/α · [1 − (β/(β+t))^{s−1}] / (s−1) (Fader & Hardie 2005 note, eq. 17). */
export function pnbdExpected(p: PnbdParams, t: number): number {
  if (t <= 0) return 0;
  return ((p.r * p.beta) / p.alpha) * survivalFactor(p.s, p.beta, 0, t);
}
