/**
 * Special functions for the BTYD likelihoods: log-gamma, digamma, log-beta and log-sum-exp.
 * All work in log space so that Γ(r + x) for x in the thousands never overflows.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for real x > 0 (and non-integer x < 0 via the reflection formula).
 * Lanczos approximation with g = 7, n = 9 (Lanczos 1964; coefficients as in Press et al.,
 * Numerical Recipes 3rd ed. §6.1 / Godfrey's table): relative error of Γ about 1e-15, so the
 * absolute error of ln Γ is about 1e-15·max(1, |ln Γ(x)|). Returns +Infinity at the poles 0, −1, −2, …
 */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  const xm = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (xm + i);
  const t = xm + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Digamma ψ(x) = d ln Γ(x)/dx for real x > 0 (and non-integer x < 0 via the reflection
 * ψ(1−x) − ψ(x) = π cot(πx)); NaN at the poles 0, −1, −2, … Below 10 the recurrence
 * ψ(x) = ψ(x+1) − 1/x moves x up, then the asymptotic series
 * ψ(x) = ln x − 1/(2x) − Σ_k B_{2k}/(2k x^{2k}) (Abramowitz & Stegun 6.3.18; k = 1…7) is summed:
 * error about 1e-15 for x ≥ 1, about 1e-15·|ψ(x)| below.
 */
export function digamma(x: number): number {
  if (!(x > 0)) {
    if (x === Math.floor(x) || Number.isNaN(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  if (x === Infinity) return Infinity;
  const z = 1 / (x * x);
  // B2/2 = 1/12, B4/4 = −1/120, B6/6 = 1/252, B8/8 = −1/240, B10/10 = 1/132, B12/12 = −691/32760, B14/14 = 1/12.
  const series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132 - z * (691 / 32760 - z / 12))))));
  return acc + Math.log(x) - 0.5 / x - series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ln(e^a + e^b) without overflow; −Infinity when both are −Infinity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln Σ e^{v_i} over an array, shifted by the maximum (the standard log-sum-exp trick). */
export function logSumExp(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/** ln(1 − e^{x}) for x ≤ 0, accurate near both ends (Mächler 2012, "Accurately computing log(1 − exp(−|a|))"). */
export function log1mExp(x: number): number {
  if (x > 0) return NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** 1 / (1 + e^{d}) without overflow: exactly 0 for d beyond about 745, exactly 1 for very negative d. */
export function inverseOnePlusExp(d: number): number {
  if (d > 0) {
    const e = Math.exp(-d);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(d));
}
