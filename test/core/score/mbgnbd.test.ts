import { describe, expect, it } from 'vitest';
import {
  mbgnbdConditionalExpected,
  mbgnbdExpected,
  mbgnbdLogLikelihood,
  mbgnbdLogLikelihoodSum,
  mbgnbdProbabilityAlive,
} from '../../../src/core/score/mbgnbd.js';
import { groupSummary } from '../../../src/core/score/grouped-summary.js';

// lifetimes/BTYDplus fit on the CDNOW summary (REFERENCE.md §2, decimal=3).
const P = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

describe('MBG/NBD (Batislam, Denizel & Filiztekin 2007)', () => {
  it('gives one-time buyers P(alive) < 1, by the closed form', () => {
    // x = 0, t_x = 0, T = 1: 1/(1 + (a/b)·((α+1)/α)^r) = 1/(1 + 0.55204·(7.183/6.183)^0.525).
    const hand = 1 / (1 + (0.891 / 1.614) * Math.pow(7.183 / 6.183, 0.525));
    expect(mbgnbdProbabilityAlive(P, 0, 0, 1)).toBeCloseTo(hand, 14);
    expect(mbgnbdProbabilityAlive(P, 0, 0, 1)).toBeLessThan(1);
    expect(mbgnbdProbabilityAlive(P, 1000, 10, 100)).toBe(0);
  });
  it('E[Y(39) | 2, 30.43, 38.86] within 0.05 of the BG/NBD 1.226 (lifetimes test)', () => {
    expect(Math.abs(mbgnbdConditionalExpected(P, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
  });
  it('log-likelihood for x = 0 by hand, and grouped sum = direct sum', () => {
    // x = 0, t_x = 0: L = α^r · B(a, b+1)/B(a, b) · [(α+T)^{−r} + (a/b) α^{−r}]
    //   = b/(a+b) · (α/(α+T))^r + a/(a+b)  (alive without a purchase, or dropped out at time 0).
    const hand = (P.b / (P.a + P.b)) * Math.pow(P.alpha / (P.alpha + 30), P.r) + P.a / (P.a + P.b);
    expect(mbgnbdLogLikelihood(P, 0, 0, 30)).toBeCloseTo(Math.log(hand), 12);
    const x = Float64Array.of(0, 2, 2, 7);
    const tx = Float64Array.of(0, 30.43, 30.43, 29.43);
    const T = Float64Array.of(27, 38.86, 38.86, 38.86);
    const direct = [0, 1, 2, 3].reduce((s, i) => s + mbgnbdLogLikelihood(P, x[i]!, tx[i]!, T[i]!), 0);
    expect(mbgnbdLogLikelihoodSum(P, groupSummary({ x, tx, T }))).toBeCloseTo(direct, 10);
  });
  it('E[X(t)] equals the mean implied by the simulation-free limit t → 0 slope', () => {
    // d/dt E[X(t)] at 0 = b/(a−1) · (a−1)/(a+b) · r/α = b r / ((a+b) α) (rate of the first repeat,
    // since a customer dies at time 0 with probability a/(a+b)). Check by a small-t difference.
    const h = 1e-6;
    expect(mbgnbdExpected(P, h) / h).toBeCloseTo((P.b * P.r) / ((P.a + P.b) * P.alpha), 5);
    expect(mbgnbdExpected(P, 0)).toBe(0);
  });
});
