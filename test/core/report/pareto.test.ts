import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { giniSorted, lorenzPoints, sortedClamped, topShareSorted } from '../../../src/core/report/pareto.js';
import { HAS_SHARED, sharedFile } from '../../helpers/shared.js';

/** Mean-difference Gini Σ_i Σ_j |x_i − x_j| / (2 n² μ), independent of the Lorenz trapezoid. */
function giniPairs(x: number[]): number {
  const n = x.length;
  const mu = x.reduce((a, b) => a + b, 0) / n;
  if (n === 0 || mu === 0) return 0;
  let s = 0;
  for (const a of x) for (const b of x) s += Math.abs(a - b);
  return s / (2 * n * n * mu);
}

describe('Gini coefficient', () => {
  it('matches hand computations', () => {
    // [0,0,0,10]: pairs |10−0| occur 6 times ordered → 60; 60 / (2·16·2.5) = 0.75.
    expect(giniSorted(sortedClamped([10, 0, 0, 0]))).toBeCloseTo(0.75, 12);
    expect(giniSorted([5, 5, 5])).toBe(0); // perfect equality
    // [1,2,3]: Σ|xi−xj| = 2·(1+2+1) = 8; 8 / (2·9·2) = 0.2222…
    expect(giniSorted([1, 2, 3])).toBeCloseTo(2 / 9, 12);
    expect(giniSorted([])).toBe(0);
  });

  it('clamps negative revenue at 0', () => {
    // [-5, 10] → [0, 10]: Gini of one all-holding customer in two = 2·10/(2·4·5) = 0.5.
    expect(giniSorted(sortedClamped([-5, 10]))).toBeCloseTo(0.5, 12);
  });

  it('equals the mean-difference formula on random data (property)', () => {
    fc.assert(
      // Money amounts (whole cents): subnormal doubles such as 7e-323 make both formulas meaningless.
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }).map((c) => c / 100), { minLength: 1, maxLength: 60 }), (xs) => {
        const g = giniSorted(sortedClamped(xs));
        expect(g).toBeCloseTo(giniPairs(xs.map((v) => (v > 0 ? v : 0))), 9);
      }),
    );
  });
});

describe('Lorenz points and top share', () => {
  it('downsamples to ≤ 200 monotone points from (0,0) to (1,1)', () => {
    const asc = sortedClamped(Array.from({ length: 10_000 }, (_, i) => i % 97));
    const pts = lorenzPoints(asc, 200);
    expect(pts.length).toBeLessThanOrEqual(200);
    expect(pts[0]).toEqual([0, 0]);
    expect(pts[pts.length - 1]![0]).toBe(1);
    expect(pts[pts.length - 1]![1]).toBeCloseTo(1, 12);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
      expect(pts[i]![1]).toBeGreaterThanOrEqual(pts[i - 1]![1]);
    }
    // Small input keeps every point: n = 3 → 4 points; cumulative 1, 3, 6 of 6.
    expect(lorenzPoints([1, 2, 3])).toEqual([[0, 0], [1 / 3, 1 / 6], [2 / 3, 0.5], [1, 1]]);
  });

  it('takes the top ⌈p·n⌉ values', () => {
    // 1..10, top ⌈0.2·10⌉ = 2 → (9 + 10) / 55.
    const r = topShareSorted(Array.from({ length: 10 }, (_, i) => i + 1), 0.2);
    expect(r).toEqual({ customers: 2, revenue: 19, share: 19 / 55 });
    // n = 11 → ⌈2.2⌉ = 3 → 9+10+11 = 30 of 66.
    expect(topShareSorted(Array.from({ length: 11 }, (_, i) => i + 1), 0.2).customers).toBe(3);
  });
});

describe.skipIf(!HAS_SHARED)('CDNOW master, top 20 % share (REFERENCE.md §6)', () => {
  it('top 4,714 of 23,570 customers bring 67.7774 % of $2,500,315.63', () => {
    const text = readFileSync(sharedFile('lifetimes_CDNOW_master.txt'), 'utf8');
    const byCustomer = new Map<string, number>();
    for (const line of text.split(/\r?\n/).slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      byCustomer.set(f[0]!, (byCustomer.get(f[0]!) ?? 0) + Number(f[3]));
    }
    expect(byCustomer.size).toBe(23570);
    const asc = sortedClamped([...byCustomer.values()]);
    const top = topShareSorted(asc, 0.2);
    // REFERENCE.md §6: top 20 % = top 4,714 = $1,694,648.50 = 67.7774 % of $2,500,315.63.
    expect(top.customers).toBe(4714);
    expect(top.revenue).toBeCloseTo(1694648.5, 4);
    expect(top.share * 100).toBeCloseTo(67.7774, 4);
  });
});
