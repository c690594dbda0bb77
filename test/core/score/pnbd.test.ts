import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  pnbdConditionalExpected,
  pnbdExpected,
  pnbdLogLikelihood,
  pnbdLogLikelihoodSum,
  pnbdProbabilityAlive,
} from '../../../src/core/score/pnbd.js';
import { groupSummary } from '../../../src/core/score/grouped-summary.js';

describe('Pareto/NBD', () => {
  it('P(alive | 26, 30.86, 31) = 0.9979 at (0.5534, 10.5802, 0.6061, 11.6562) (lifetimes test, tol 0.001)', () => {
    expect(Math.abs(pnbdProbabilityAlive({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 26, 30.86, 31) - 0.9979)).toBeLessThan(0.001);
  });
  it('customer 1516 matches the R BTYD walkthrough', () => {
    // §4: at 0.553, 10.580, 0.606, 11.656 (3-decimal print of the fit): E[Y(52)] = 25.45647, P(alive) = 0.997874.
    const p = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 };
    expect(Math.abs(pnbdConditionalExpected(p, 52, 26, 30.85714, 31) - 25.45647)).toBeLessThan(0.01);
    expect(pnbdProbabilityAlive(p, 26, 30.85714, 31)).toBeCloseTo(0.997874, 4);
  });
  it('underflow guard: E[Y(10) | 132, 200, 200] ≈ 6.2061 and | 133 ≈ 6.2529 (lifetimes test)', () => {
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    const e132 = pnbdConditionalExpected(p, 10, 132, 200, 200);
    const e133 = pnbdConditionalExpected(p, 10, 133, 200, 200);
    expect(e132).toBeCloseTo(6.2061, 4);
    expect(e133).toBeCloseTo(6.2529, 4);
    expect(Math.abs(e133 - e132)).toBeLessThan(0.05);
  });
  it('unconditional E[X(t)] within 0.01 of the R BTYD table (lifetimes test atol 0.01)', () => {
    const p = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const want = [0, 0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
    want.forEach((w, t) => expect(Math.abs(pnbdExpected(p, t) - w)).toBeLessThan(0.01));
    // R BTYD walkthrough: E[X(52)] = 1.473434 at 0.553, 10.580, 0.606, 11.656.
    expect(pnbdExpected({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 }, 52)).toBeCloseTo(1.473434, 2);
  });
  it('s = 1 uses the logarithmic limit', () => {
    // E[X(t)] → rβ/α · ln((β+t)/β) as s → 1: r = 1, α = 2, β = 3, t = 6: 1.5·ln 3.
    expect(pnbdExpected({ r: 1, alpha: 2, s: 1, beta: 3 }, 6)).toBeCloseTo(1.5 * Math.log(3), 12);
    expect(pnbdExpected({ r: 1, alpha: 2, s: 1 + 1e-7, beta: 3 }, 6)).toBeCloseTo(1.5 * Math.log(3), 6);
  });
  it('likelihood agrees on both 2F1 branches (α ≥ β and α < β meet continuously at α = β)', () => {
    // At α = β, ₂F₁(·; 0) = 1, so A₀ = (α+t_x)^{−(r+s+x)} − (α+T)^{−(r+s+x)} (equivalently
    // (r+s+x)·∫_{t_x}^{T} (α+τ)^{−(r+s+x+1)} dτ, the elementary form of the note's integral).
    const r = 0.5, s = 0.7, a = 10, x = 3, tx = 20, T = 30;
    const k = r + s + x;
    const A0 = Math.pow(a + tx, -k) - Math.pow(a + T, -k);
    const lg = (v: number): number => { let t = 0; for (let i = 0; i < x; i++) t += Math.log(r + i); return t + v; };
    const hand = lg(r * Math.log(a) + s * Math.log(a) + Math.log(Math.pow(a + T, -(r + x)) * Math.pow(a + T, -s) + (s / k) * A0));
    expect(pnbdLogLikelihood({ r, alpha: a, s, beta: a }, x, tx, T)).toBeCloseTo(hand, 10);
    const lo = pnbdLogLikelihood({ r, alpha: a * (1 - 1e-7), s, beta: a }, x, tx, T);
    const hi = pnbdLogLikelihood({ r, alpha: a * (1 + 1e-7), s, beta: a }, x, tx, T);
    expect(Math.abs(lo - hi)).toBeLessThan(1e-5);
  });
  it('grouped sum equals the per-customer sum; P(alive) stays in [0, 1] (property)', () => {
    const p = { r: 0.5532755, alpha: 10.5776118, s: 0.6062135, beta: 11.6679114 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 2000, noNaN: true }), (x, f, T) => {
        const tx = x === 0 ? 0 : f * T;
        const pa = pnbdProbabilityAlive(p, x, tx, T);
        expect(pa >= 0 && pa <= 1).toBe(true);
        expect(Number.isFinite(pnbdConditionalExpected(p, 39, x, tx, T))).toBe(true);
        const g = groupSummary({ x: Float64Array.of(x, x), tx: Float64Array.of(tx, tx), T: Float64Array.of(T, T) });
        expect(pnbdLogLikelihoodSum(p, g)).toBeCloseTo(2 * pnbdLogLikelihood(p, x, tx, T), 8);
      }),
      { numRuns: 100 },
    );
  });
});
