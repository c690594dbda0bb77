/**
 * Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
 * Customer Base Analysis", J. Marketing Research 42(4), 415–430; Fader & Hardie (2013), "The
 * Gamma-Gamma Model of Monetary Value". A customer's purchase values are Gamma(p, ν) with
 * ν ~ Gamma(q, γ); m_x is the mean value of the x repeat purchases (x > 0 only). γ has the money
 * unit; p, q are unit-free.
 */
import { digamma, lnGamma } from '../math/special.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/**
 * Log-density of m_x given x, with the constant CLVTools uses (REFERENCE.md §6):
 * ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + x m_x).
 * (The FHL 2005 paper reports −4,659 for the CDNOW fit with another normalisation; this one gives −4,055.9.)
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  const px = p * x;
  return (
    lnGamma(px + q) - lnGamma(px) - lnGamma(q) + q * Math.log(gamma) + (px - 1) * Math.log(mx) + px * Math.log(x) -
    (px + q) * Math.log(gamma + x * mx)
  );
}

/** Σ of weights × per-customer log-likelihoods; rows with x ≤ 0 or m_x ≤ 0 are skipped. */
export function gammaGammaLogLikelihoodSum(params: GammaGammaParams, x: Float64Array, mx: Float64Array, w?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0 && mx[i]! > 0) s += (w ? w[i]! : 1) * gammaGammaLogLikelihood(params, x[i]!, mx[i]!);
  }
  return s;
}

/**
 * Repeat customers grouped by identical (x, m_x): per group its x, ln x, weight and the index of
 * its x among the distinct values `ux` (terms in x alone are computed once per distinct x).
 */
export interface GammaGammaGroups {
  ux: Float64Array;
  xIdx: Int32Array;
  x: Float64Array;
  logX: Float64Array;
  w: Float64Array;
}

/**
 * Σ weight × gammaGammaLogLikelihood over every `step`-th group (step 1: all of them), with the
 * group means m (in whatever money unit γ is in) and lm = ln m passed separately so that scaled
 * and unscaled data share the groups.
 */
export function gammaGammaLogLikelihoodGrouped(params: GammaGammaParams, gr: GammaGammaGroups, m: Float64Array, lm: Float64Array, step = 1): number {
  const { p, q, gamma } = params;
  const { ux, xIdx, x: X, logX, w: W } = gr;
  const lq = lnGamma(q);
  const cache = Float64Array.from(ux, (xv) => lnGamma(p * xv + q) - lnGamma(p * xv) - lq);
  let s = 0;
  const lg = Math.log(gamma);
  for (let k = 0; k < X.length; k += step) {
    const px = p * X[k]!;
    const mk = m[k]!;
    s += W[k]! * (cache[xIdx[k]!]! + q * lg + (px - 1) * lm[k]! + px * logX[k]! - (px + q) * Math.log(gamma + X[k]! * mk));
  }
  return s;
}

/**
 * gammaGammaLogLikelihoodGrouped (the same value, computed the same way) and its gradient
 * ∂/∂(p, q, γ), written to `grad`, in one pass. Per customer, with ψ the digamma function
 * (differentiating the log-density above):
 * ∂/∂p = x [ψ(px+q) − ψ(px) + ln m_x + ln x − ln(γ + x m_x)]
 * ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x m_x)
 * ∂/∂γ = q/γ − (px+q)/(γ + x m_x).
 * The ψ terms are computed once per distinct x and weighted by the customers with that x.
 */
export function gammaGammaLogLikelihoodGroupedWithGradient(
  params: GammaGammaParams,
  gr: GammaGammaGroups,
  m: Float64Array,
  lm: Float64Array,
  step: number,
  grad: Float64Array,
): number {
  const { p, q, gamma } = params;
  const { ux, xIdx, x: X, logX, w: W } = gr;
  const lq = lnGamma(q);
  const cache = Float64Array.from(ux, (xv) => lnGamma(p * xv + q) - lnGamma(p * xv) - lq);
  const wX = new Float64Array(ux.length);
  let s = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  const lg = Math.log(gamma);
  for (let k = 0; k < X.length; k += step) {
    const xk = X[k]!;
    const px = p * xk;
    const mk = m[k]!;
    const wk = W[k]!;
    const den = gamma + xk * mk;
    const lden = Math.log(den);
    s += wk * (cache[xIdx[k]!]! + q * lg + (px - 1) * lm[k]! + px * logX[k]! - (px + q) * lden);
    wX[xIdx[k]!]! += wk;
    gp += wk * xk * (lm[k]! + logX[k]! - lden);
    gq -= wk * lden;
    gg -= (wk * (px + q)) / den;
  }
  const psiQ = digamma(q);
  let n = 0;
  for (let i = 0; i < ux.length; i++) {
    const wi = wX[i]!;
    if (wi === 0) continue;
    const xv = ux[i]!;
    const psiPXQ = digamma(p * xv + q);
    n += wi;
    gp += wi * xv * (psiPXQ - digamma(p * xv));
    gq += wi * (psiPXQ - psiQ);
  }
  grad[0] = gp;
  grad[1] = gq + n * lg;
  grad[2] = gg + (n * q) / gamma;
  return s;
}

/**
 * E[M | x, m_x] = p(γ + x m_x) / (px + q − 1) (FHL 2005 "RFM and CLV", eq. 5): a weighted mean of
 * the population mean pγ/(q−1) and the customer's observed mean m_x.
 */
export function gammaGammaConditionalValue(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  return (p * (gamma + x * mx)) / (p * x + q - 1);
}

/** Population mean value pγ/(q − 1); NaN when q ≤ 1 (the mean does not exist). */
export function gammaGammaPopulationMean(params: GammaGammaParams): number {
  return params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : NaN;
}
