import { describe, expect, it } from 'vitest';
import { hyp2f1, logHyp2f1 } from '../../../src/core/math/hyp2f1.js';

describe('hyp2f1', () => {
  it('matches closed forms (Abramowitz & Stegun 15.1.3–15.1.8)', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99, -0.5]) {
      // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 11);
      // ₂F₁(a, b; b; z) = (1 − z)^{−a}
      expect(hyp2f1(0.7, 3.2, 3.2, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 11);
      // ₂F₁(1/2, 1; 3/2; z²) = artanh(z)/z for 0 < z < 1
      if (z > 0) expect(hyp2f1(0.5, 1, 1.5, z * z)).toBeCloseTo(Math.atanh(z) / z, 11);
    }
    // Terminating series: ₂F₁(−2, 1; 1; z) = (1 − z)².
    expect(hyp2f1(-2, 1, 1, 0.3)).toBeCloseTo(0.49, 14);
    expect(hyp2f1(1, 1, 2, 0)).toBe(1);
  });
  it('handles the large-parameter BTYD case through Euler’s transformation without overflow', () => {
    // ₂F₁(a, b; b; z) = (1 − z)^{−a} with a = 2000: ln value = −2000·ln(1 − 0.9) = 4605.17…
    expect(logHyp2f1(2000, 5, 5, 0.9)).toBeCloseTo(-2000 * Math.log(0.1), 8);
    expect(Number.isFinite(hyp2f1(2000, 5, 5, 0.9))).toBe(false); // e^4605 overflows as a plain number
  });
  it('returns NaN outside the domain', () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(logHyp2f1(-2, 1, 1, 3)).toBeNaN();
  });
});
