import { describe, expect, it } from 'vitest';
import { sampleBgnbdPopulation, sampleGamma } from '../../../src/core/score/btyd-population.js';
import { createRng } from '../../../src/core/math/rng.js';
import { fitBtyd } from '../../../src/core/score/fit.js';

describe('sampleBgnbdPopulation', () => {
  it('is deterministic in the seed and consistent with its own summary', () => {
    const a = sampleBgnbdPopulation(500, { r: 0.5, alpha: 20, a: 0.8, b: 2.5 }, 365, 11);
    const b = sampleBgnbdPopulation(500, { r: 0.5, alpha: 20, a: 0.8, b: 2.5 }, 365, 11);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    for (let i = 0; i < 500; i++) {
      const t = a.purchases[i]!;
      expect(t[0]).toBe(0);
      expect(a.x[i]).toBe(t.length - 1);
      expect(a.tx[i]).toBe(t[t.length - 1]);
      expect(a.tx[i]!).toBeLessThanOrEqual(365);
      // Death only right after a repeat purchase: never at time 0 (BG/NBD P(alive | x = 0) = 1).
      if (a.deathTime[i] !== Infinity) expect(a.deathTime[i]).toBe(a.tx[i]);
      if (a.x[i] === 0) expect(a.deathTime[i]).toBe(Infinity);
    }
  });
  it('samples Gamma(k) with mean k and variance k (Marsaglia & Tsang 2000)', () => {
    // Sample mean of 40,000 draws: standard error sqrt(k/40000) = 0.0035 (k = 0.5), 0.011 (k = 5).
    const rng = createRng(3);
    for (const k of [0.5, 5]) {
      let s = 0, s2 = 0;
      for (let i = 0; i < 40000; i++) {
        const v = sampleGamma(rng, k);
        s += v;
        s2 += v * v;
      }
      const mean = s / 40000;
      expect(Math.abs(mean - k)).toBeLessThan(4 * Math.sqrt(k / 40000));
      expect(Math.abs(s2 / 40000 - mean * mean - k) / k).toBeLessThan(0.05);
    }
  });
  it('parameter recovery: n = 20,000 from a known BG/NBD population, each parameter within 10 % and 3 standard errors', () => {
    // Population r 0.5, α 20 days, a 0.8, b 2.5; customers observed 365…730 days (seed 1).
    const truth = { r: 0.5, alpha: 20, a: 0.8, b: 2.5 };
    const T = new Float64Array(20000).map((_, i) => 365 + (i % 366));
    const pop = sampleBgnbdPopulation(20000, truth, T, 1);
    const f = fitBtyd('bgnbd', pop);
    expect(f.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      const est = f.params[k]!;
      expect(Math.abs(est - truth[k]) / truth[k]).toBeLessThan(0.1);
      expect(Math.abs(est - truth[k])).toBeLessThan(3 * f.stdErrors[k]!);
    }
  });
});
