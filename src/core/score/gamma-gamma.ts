/**
 * Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
 * Customer Base Analysis", J. Marketing Research 42(4), 415–430; Fader & Hardie (2013), "The
 * Gamma-Gamma Model of Monetary Value". A customer's purchase values are Gamma(p, ν) with
 * ν ~ Gamma(q, γ); m_x is the mean value of the x repeat purchases (x > 0 only). γ has the money
 * unit; p, q are unit-free.
 */
import { lnGamma } from '../math/special.js';

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
