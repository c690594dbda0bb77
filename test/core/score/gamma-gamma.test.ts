import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  gammaGammaConditionalValue,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGrouped,
  gammaGammaLogLikelihoodGroupedWithGradient,
  gammaGammaLogLikelihoodSum,
  gammaGammaPopulationMean,
  type GammaGammaGroups,
  type GammaGammaParams,
} from '../../../src/core/score/gamma-gamma.js';
import { lnGamma } from '../../../src/core/math/special.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { loadCdnowWithValue } from './cdnow.js';

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

/** Groups for the grouped likelihood: one per row (weights w), distinct x indexed in first-seen order. */
function groupsOf(x: Float64Array, w: Float64Array): GammaGammaGroups {
  const ux: number[] = [];
  const xIdx = Int32Array.from(x, (v) => {
    const i = ux.indexOf(v);
    return i >= 0 ? i : ux.push(v) - 1;
  });
  return { ux: Float64Array.from(ux), xIdx, x, logX: x.map(Math.log), w };
}

describe('Gamma-Gamma grouped log-likelihood and its analytic gradient', () => {
  const KEYS = ['p', 'q', 'gamma'] as const;
  /** Five-point central difference in each parameter, h = 1e-4·θ (truncation O(h⁴)). */
  const fdGradient = (f: (p: GammaGammaParams) => number, p: GammaGammaParams): number[] =>
    KEYS.map((k) => {
      const h = 1e-4 * p[k];
      const at = (d: number): number => f({ ...p, [k]: p[k] + d });
      return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    });
  /** The grouped value equals the per-customer sum; returns the gradient's relative error. */
  const check = (p: GammaGammaParams, x: Float64Array, m: Float64Array, w: Float64Array, step = 1): number => {
    const gr = groupsOf(x, w);
    const lm = m.map(Math.log);
    const grad = new Float64Array(3);
    const v = gammaGammaLogLikelihoodGroupedWithGradient(p, gr, m, lm, step, grad);
    expect(v).toBe(gammaGammaLogLikelihoodGrouped(p, gr, m, lm, step));
    if (step === 1) expect(v).toBeCloseTo(gammaGammaLogLikelihoodSum(p, x, m, w), 8);
    const fd = fdGradient((q) => gammaGammaLogLikelihoodGrouped(q, gr, m, lm, step), p);
    const scale = Math.max(1, ...fd.map(Math.abs));
    return Math.max(...fd.map((d, j) => Math.abs(grad[j]! - d))) / scale;
  };

  it('equals a central-difference gradient at random parameters on random weighted data (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ p: fc.double({ min: 0.1, max: 20, noNaN: true }), q: fc.double({ min: 0.1, max: 20, noNaN: true }), gamma: fc.double({ min: 0.1, max: 100, noNaN: true }) }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.5, max: 500, noNaN: true }), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        (p, rows, step) => {
          const x = Float64Array.from(rows, ([x]) => x);
          const m = Float64Array.from(rows, ([, m]) => m);
          const w = Float64Array.from(rows, ([, , w]) => w / 2);
          expect(check(p, x, m, w, step)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });
  it.skipIf(!HAS_SHARED)(HAS_SHARED ? 'on the 946 CDNOW repeaters: zero at the fit (to its printed digits), equal to differences elsewhere' : SKIP_SHARED_REASON, () => {
    const v = loadCdnowWithValue();
    const keep = Array.from(v.x.keys()).filter((i) => v.x[i]! > 0);
    const x = Float64Array.from(keep, (i) => v.x[i]!);
    const m = Float64Array.from(keep, (i) => v.mx[i]!);
    const w = new Float64Array(x.length).fill(1);
    // REFERENCE §6 [computed] 6.248803, 3.744588, 15.447747.
    const fit = { p: 6.248803, q: 3.744588, gamma: 15.447747 };
    const grad = new Float64Array(3);
    gammaGammaLogLikelihoodGroupedWithGradient(fit, groupsOf(x, w), m, m.map(Math.log), 1, grad);
    // |θ·∂LL/∂θ| is about 4e-4 at these 7 digits; moving p by 1e-4 relative makes it about 0.27.
    KEYS.forEach((k, j) => expect(Math.abs(grad[j]! * fit[k])).toBeLessThan(1e-3));
    for (const p of [fit, PUB, { p: 1, q: 1, gamma: 1 }, { p: 0.5, q: 5, gamma: 5 }]) expect(check(p, x, m, w)).toBeLessThan(1e-6);
  });
});
