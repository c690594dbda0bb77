import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digamma, inverseOnePlusExp, lnGamma, log1mExp, logAddExp, logBeta, logSumExp } from '../../../src/core/math/special.js';

describe('lnGamma', () => {
  it('matches exact values', () => {
    // Γ(n) = (n−1)!: ln 9! = ln 362880; Γ(1/2) = √π; Γ(1) = Γ(2) = 1.
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(Math.abs(lnGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(lnGamma(2))).toBeLessThan(1e-14);
    // Γ(−1/2) = −2√π, so ln|Γ(−1/2)| = ln(2√π) (reflection branch).
    expect(lnGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 12);
    // ln 170! = 706.5730622457874 (well-known value, e.g. Wolfram Alpha LogGamma[171]).
    expect(lnGamma(171)).toBeCloseTo(706.5730622457874, 9);
    expect(lnGamma(0)).toBe(Infinity);
  });
  it('satisfies the recurrence ln Γ(x+1) = ln Γ(x) + ln x (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (x) => {
        expect(lnGamma(x + 1)).toBeCloseTo(lnGamma(x) + Math.log(x), 9);
      }),
    );
  });
});

describe('logBeta, logAddExp, logSumExp, log1mExp, inverseOnePlusExp', () => {
  it('computes known values', () => {
    // B(2, 3) = 1!2!/4! = 1/12.
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
    // ln(e^1000 + e^1000) = 1000 + ln 2, no overflow.
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 10);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logSumExp([1000, 1000, 1000])).toBeCloseTo(1000 + Math.log(3), 10);
    expect(logSumExp([])).toBe(-Infinity);
    // ln(1 − e^{−1e-20}) = ln(1e-20) (expm1 branch), ln(1 − e^{−50}) ≈ −e^{−50}.
    expect(log1mExp(-1e-20)).toBeCloseTo(Math.log(1e-20), 10);
    expect(log1mExp(-50)).toBeCloseTo(-Math.exp(-50), 30);
    expect(inverseOnePlusExp(1e6)).toBe(0);
    expect(inverseOnePlusExp(-1e6)).toBe(1);
    expect(inverseOnePlusExp(0)).toBe(0.5);
  });
});

describe('digamma', () => {
  it('matches exact values', () => {
    // ψ(1) = −γ (Euler–Mascheroni), ψ(1/2) = −γ − 2 ln 2, ψ(n) = −γ + Σ_{k<n} 1/k (A&S 6.3.2–6.3.4).
    const EULER = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-EULER, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 14);
    expect(digamma(10)).toBeCloseTo(-EULER + 1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6 + 1 / 7 + 1 / 8 + 1 / 9, 14);
    // ψ(1/4) = −γ − π/2 − 3 ln 2; ψ(−1/2) = ψ(3/2) − π cot(−π/2) = 2 − γ − 2 ln 2 (reflection branch).
    expect(digamma(0.25)).toBeCloseTo(-EULER - Math.PI / 2 - 3 * Math.LN2, 13);
    expect(digamma(-0.5)).toBeCloseTo(2 - EULER - 2 * Math.LN2, 13);
    // Large x: ln x − 1/(2x) − 1/(12x²) + …; ψ(1e6) = 13.815510057964...
    expect(digamma(1e6)).toBeCloseTo(Math.log(1e6) - 0.5e-6 - 1 / 12e12, 14);
    expect(digamma(0)).toBeNaN();
    expect(digamma(-2)).toBeNaN();
  });
  it('satisfies ψ(x+1) = ψ(x) + 1/x and is the derivative of ln Γ (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (x) => {
        expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 10);
        // Five-point difference of lnGamma, h = 1e-3·x: truncation ~1e-13, rounding ~1e-12·max(1, |ln Γ|)/x.
        const h = 1e-3 * x;
        const d = (-lnGamma(x + 2 * h) + 8 * lnGamma(x + h) - 8 * lnGamma(x - h) + lnGamma(x - 2 * h)) / (12 * h);
        expect(Math.abs(digamma(x) - d)).toBeLessThan(1e-8 * Math.max(1, Math.abs(d)));
      }),
    );
  });
});
