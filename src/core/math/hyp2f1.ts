/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and −1 < z < 1.
 *
 * Definition (Abramowitz & Stegun 15.1.1): Σ_k (a)_k (b)_k / ((c)_k k!) z^k.
 * Method: the power series, after Euler's transformation (A&S 15.3.3)
 *   ₂F₁(a, b; c; z) = (1 − z)^{c−a−b} ₂F₁(c − a, c − b; c; z)
 * whenever it makes the numerator parameters smaller (|c−a| + |c−b| < |a| + |b|). For the BTYD
 * arguments this turns series whose terms first grow like (1 − z)^{−x} into short, bounded ones
 * (e.g. ₂F₁(r+x, b+x; a+b+x−1; z) → (1−z)^{a−1−r−x} ₂F₁(a+b−1−r, a−1; a+b+x−1; z)).
 * The running sum is rescaled when it gets large, so the log form never overflows.
 * Cost: O(terms); about 1/(1 − z) terms for z near 1 (capped at 200,000).
 */

const MAX_TERMS = 200_000;
const EPS = 1e-16;

/** Series Σ (a)_k (b)_k/((c)_k k!) z^k as sum × e^{logScale}. */
function series(a: number, b: number, c: number, z: number): { sum: number; logScale: number } {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    const ratio = ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    term *= ratio;
    sum += term;
    if (term === 0) break;
    const absRatio = Math.abs(ratio);
    if (absRatio < 1 && Math.abs(term) * (absRatio / (1 - absRatio) + 1) <= EPS * Math.abs(sum)) break;
    if (Math.abs(sum) > 1e250 || Math.abs(term) > 1e250) {
      const s = Math.abs(sum) > Math.abs(term) ? Math.abs(sum) : Math.abs(term);
      sum /= s;
      term /= s;
      logScale += Math.log(s);
    }
  }
  return { sum, logScale };
}

function transformed(a: number, b: number, c: number, z: number): { sum: number; logScale: number } {
  if (z > 0 && Math.abs(c - a) + Math.abs(c - b) < Math.abs(a) + Math.abs(b)) {
    const s = series(c - a, c - b, c, z);
    return { sum: s.sum, logScale: s.logScale + (c - a - b) * Math.log1p(-z) };
  }
  return series(a, b, c, z);
}

/** ₂F₁(a, b; c; z) for −1 < z < 1 and c not a non-positive integer. NaN outside that domain. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1) || (c <= 0 && c === Math.floor(c))) return NaN;
  if (z === 0) return 1;
  const { sum, logScale } = transformed(a, b, c, z);
  return sum * Math.exp(logScale);
}

/**
 * ln ₂F₁(a, b; c; z) for −1 < z < 1 when the value is positive (always the case when a, b, c > 0
 * and z ≥ 0, as in every BTYD use). NaN when the value is not positive or outside the domain.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1) || (c <= 0 && c === Math.floor(c))) return NaN;
  if (z === 0) return 0;
  const { sum, logScale } = transformed(a, b, c, z);
  return sum > 0 ? logScale + Math.log(sum) : NaN;
}
