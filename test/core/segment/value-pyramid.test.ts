import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { valueTiers } from '../../../src/core/segment/value-pyramid.js';

const count = (xs: string[]): Record<string, number> => xs.reduce<Record<string, number>>((a, x) => ((a[x] = (a[x] ?? 0) + 1), a), {});

describe('valueTiers', () => {
  it('n = 250 distinct values: ceil(2.5) = 3 VIP, ceil(12.5) − 3 = 10 key, 50 − 13 = 37 medium, 200 ordinary', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    const vals = ids.map((_, i) => 1000 - i);
    expect(count(valueTiers(ids, vals))).toEqual({ vip: 3, key: 10, medium: 37, ordinary: 200 });
  });
  it('small n: one customer is VIP (ceil rule), and values <= 0 are ordinary', () => {
    expect(valueTiers(['a'], [5])).toEqual(['vip']);
    // n = 4: bounds ceil(0.04) = 1, ceil(0.2) = 1, ceil(0.8) = 1 → only the best is VIP; 0 and −1 ordinary
    expect(valueTiers(['a', 'b', 'c', 'd'], [3, 9, 0, -1])).toEqual(['ordinary', 'vip', 'ordinary', 'ordinary']);
  });
  it('ties stay together by default (the run goes to the higher tier); split follows id order', () => {
    // n = 10, bounds 1, 1, 2: ranks a(9) VIP, b & c (both 5) straddle the medium boundary at rank 2
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const vals = [9, 5, 5, 4, 3, 2, 1, 1, 1, 1];
    expect(valueTiers(ids, vals).slice(0, 4)).toEqual(['vip', 'medium', 'medium', 'ordinary']);
    expect(valueTiers(ids, vals, { ties: 'split' }).slice(0, 4)).toEqual(['vip', 'medium', 'ordinary', 'ordinary']);
  });
  it('configurable percentages', () => {
    const ids = ['a', 'b', 'c', 'd'];
    // 25/25/25 of 4 → one each
    expect(valueTiers(ids, [4, 3, 2, 1], { percents: [25, 25, 25] })).toEqual(['vip', 'key', 'medium', 'ordinary']);
    expect(() => valueTiers(ids, [1, 1, 1, 1], { percents: [50, 40, 20] })).toThrow(RangeError);
  });
  it('property: equal values always share a tier, and tiers never improve as value falls', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 300 }), (vals) => {
        const ids = vals.map((_, i) => `k${i}`);
        const t = valueTiers(ids, vals);
        const rank = { vip: 0, key: 1, medium: 2, ordinary: 3 };
        for (let i = 0; i < vals.length; i++)
          for (let j = 0; j < vals.length; j++) {
            if (vals[i] === vals[j]) expect(t[i]).toBe(t[j]);
            if (vals[i]! > vals[j]!) expect(rank[t[i]!] <= rank[t[j]!]).toBe(true);
          }
      }),
      { numRuns: 50 },
    );
  });
});
