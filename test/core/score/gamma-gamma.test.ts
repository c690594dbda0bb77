import { describe, expect, it } from 'vitest';
import {
  gammaGammaConditionalValue,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodSum,
  gammaGammaPopulationMean,
} from '../../../src/core/score/gamma-gamma.js';
import { lnGamma } from '../../../src/core/math/special.js';

const PUB = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma', () => {
  it('E[M | x, m_x] for lifetimes customers 1 and 6 (Hardie spreadsheet, atol 0.1)', () => {
    // REFERENCE.md §2: customer 1 (x 2, m_x 22.35) 24.65; customer 6 (x 7, m_x 73.74) 71.46.
    expect(Math.abs(gammaGammaConditionalValue(PUB, 2, 22.35) - 24.65)).toBeLessThan(0.1);
    expect(Math.abs(gammaGammaConditionalValue(PUB, 7, 73.74) - 71.46)).toBeLessThan(0.1);
    // By hand: 6.25·(15.44 + 2·22.35)/(12.5 + 2.74) = 6.25·60.14/15.24 = 24.66371…
    expect(gammaGammaConditionalValue(PUB, 2, 22.35)).toBeCloseTo((6.25 * 60.14) / 15.24, 12);
  });
  it('population mean pγ/(q−1) = 35.2190 at the published values (REFERENCE.md §6)', () => {
    expect(gammaGammaPopulationMean(PUB)).toBeCloseTo(35.219, 3);
    expect(gammaGammaPopulationMean({ p: 1, q: 0.5, gamma: 1 })).toBeNaN();
  });
  it('log-likelihood equals the CLVTools formula term by term', () => {
    // x = 1, m = 10, p = 2, q = 3, γ = 4: lnΓ(5) − lnΓ(2) − lnΓ(3) + 3 ln 4 + 1·ln 10 + 2 ln 1 − 5 ln 14.
    const hand = lnGamma(5) - lnGamma(2) - lnGamma(3) + 3 * Math.log(4) + Math.log(10) - 5 * Math.log(14);
    expect(gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 4 }, 1, 10)).toBeCloseTo(hand, 12);
    // ln 24 − 0 − ln 2 + … = 3.178… − 0.693 + 4.159 + 2.303 − 13.195 = −4.248…
    expect(hand).toBeCloseTo(Math.log(24) - Math.log(2) + 3 * Math.log(4) + Math.log(10) - 5 * Math.log(14), 12);
    // Rows with x = 0 are skipped by the sum.
    const s = gammaGammaLogLikelihoodSum({ p: 2, q: 3, gamma: 4 }, Float64Array.of(1, 0), Float64Array.of(10, 0));
    expect(s).toBeCloseTo(hand, 12);
  });
});
