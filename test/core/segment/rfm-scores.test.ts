import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { rfmBins, rfmScores, rfmScore } from '../../../src/core/segment/rfm-scores.js';
import { quantileSorted } from '../../../src/core/segment/quantile.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';
import { rfmOrders } from './reference-data.js';

const counts = (a: Uint8Array, n = 5): number[] => {
  const c = new Array<number>(n).fill(0);
  for (const x of a) c[x - 1]!++;
  return c;
};

describe('quantileSorted (type 7) and rfmBins', () => {
  it("R's bins() on mtcars$mpg, 5 bins → 16.20, 18.92, 22.00, 25.08 (REFERENCE §5: quantiles + 1)", () => {
    const mpg = [21, 21, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26, 30.4, 15.8, 19.7, 15, 21.4];
    const b = rfmBins(mpg, 5);
    expect(b.lower.slice(1).map((x) => +x.toFixed(2))).toEqual([16.2, 18.92, 22, 25.08]);
    expect(b.lower[0]).toBe(10.4);
    expect(b.upper[4]).toBe(34.9); // max 33.9 + 1
  });
  it('hand example: 1..10 at p = 0.25 → h = 2.25 → 3.25', () => {
    expect(quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.25)).toBe(3.25);
    expect(quantileSorted([7], 0.8)).toBe(7);
  });
});

describe('rfmScores', () => {
  it('hand example with 5 bins: reversed recency, half-open bins, rfm_score', () => {
    // days 0..9: quantiles at h = 9k/5 → 1.8, 3.6, 5.4, 7.2; breaks = quantile + 1 → 2.8, 4.6, 6.4, 8.2
    // → bins {0,1,2} {3,4} {5,6} {7,8} {9}; upper of the last = max + 1 = 10
    const days = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const s = rfmScores(days, days, days);
    expect(Array.from(s.r)).toEqual([5, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
    expect(Array.from(s.f)).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    const b = s.thresholds.frequency;
    expect(b.lower.map((x) => +x.toFixed(9))).toEqual([0, 2.8, 4.6, 6.4, 8.2]);
    expect(b.upper.map((x) => +x.toFixed(9))).toEqual([2.8, 4.6, 6.4, 8.2, 10]);
    expect(rfmScore(s.r[0]!, s.f[0]!, s.m[0]!)).toBe(511);
  });
  it('many equal values: coinciding breaks leave empty bins and equal values share a score', () => {
    // orders [1×8, 2, 5]: quantiles 1, 1, 1, 1.2 (h = 7.2 → 0.8·1 + 0.2·2) → breaks 2, 2, 2, 2.2
    // → 1 scores 1; 2 is >= three breaks → 4; 5 → 5; bins 2 and 3 are empty
    const s = rfmScores([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 2, 5], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(s.thresholds.frequency.lower.map((x) => +x.toFixed(9))).toEqual([1, 2, 2, 2, 2.2]);
    expect(Array.from(s.f)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 4, 5]);
    // all-equal days: every break = 0 + 1 → everyone in bin 1 → recency score 5
    expect(Array.from(s.r)).toEqual(new Array(10).fill(5));
  });
  it('property: scores are monotone in the value, equal values equal scores, and in 1..N', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 2, max: 9 }), (v, n) => {
        const s = rfmScores(v, v, v, n);
        for (let i = 0; i < v.length; i++) {
          expect(s.f[i]! >= 1 && s.f[i]! <= n).toBe(true);
          expect(s.r[i]).toBe(n + 1 - s.f[i]!);
          for (let j = 0; j < v.length; j++) if (v[i]! <= v[j]!) expect(s.f[i]! <= s.f[j]!).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'R rfm package data (REFERENCE.md §5)' : SKIP_SHARED_REASON, () => {
  it('orders file at 2006-12-31: break points, score counts and first rows', () => {
    const s = rfmOrders();
    expect(s.length).toBe(995);
    const sc = rfmScores(s.map((x) => x.daysSinceLast), s.map((x) => x.orders), s.map((x) => x.revenue));
    const r1 = (b: { lower: number[]; upper: number[] }): number[][] => [b.lower.map((x) => +x.toFixed(1)), b.upper.map((x) => +x.toFixed(1))];
    expect(r1(sc.thresholds.recency)).toEqual([[1, 115, 181, 297.4, 482], [115, 181, 297.4, 482, 977]]);
    expect(r1(sc.thresholds.frequency)).toEqual([[1, 4, 5, 6, 8], [4, 5, 6, 8, 15]]);
    expect(r1(sc.thresholds.monetary)).toEqual([[12, 255.8, 382, 506.4, 666], [255.8, 382, 506.4, 666, 1489]]);
    expect(counts(sc.r)).toEqual([197, 200, 199, 199, 200]);
    expect(counts(sc.f)).toEqual([268, 187, 176, 244, 120]);
    expect(counts(sc.m)).toEqual([200, 200, 198, 202, 195]);
    const row = (name: string): number[] => {
      const i = s.findIndex((x) => x.customerId === name);
      return [s[i]!.daysSinceLast, s[i]!.orders, s[i]!.revenue, rfmScore(sc.r[i]!, sc.f[i]!, sc.m[i]!)];
    };
    expect(row("Abbey O'Reilly")).toEqual([205, 6, 472, 343]);
    expect(row('Add Senger')).toEqual([140, 3, 340, 412]);
    expect(row('Aden Lesch')).toEqual([194, 4, 405, 323]);
    expect(row('Aden Murphy')).toEqual([98, 7, 596, 544]);
    expect(row('Admiral Senger')).toEqual([132, 5, 448, 433]);
  });

  it('customer-level file: break points and score counts on recency_days, number_of_orders, revenue', () => {
    const lines = readFileSync(sharedFile('rfm_data_customer.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const rec: number[] = [], ord: number[] = [], rev: number[] = [];
    for (const l of lines) {
      const c = l.split(',');
      rev.push(+c[1]!); ord.push(+c[3]!); rec.push(+c[4]!);
    }
    const sc = rfmScores(rec, ord, rev);
    expect(sc.thresholds.recency.lower).toEqual([2, 77, 126, 177, 266]);
    expect(sc.thresholds.recency.upper[4]).toBe(1033);
    expect(sc.thresholds.frequency.lower).toEqual([1, 8, 10, 11, 13]);
    expect(sc.thresholds.monetary.lower).toEqual([11, 641, 827, 1003, 1226]);
    expect(sc.thresholds.monetary.upper[4]).toBe(2594);
    expect(counts(sc.r)).toEqual([7994, 7957, 7889, 8108, 8051]);
    expect(counts(sc.f)).toEqual([9427, 9764, 4945, 8204, 7659]);
    expect(counts(sc.m)).toEqual([8016, 7998, 8008, 7997, 7980]);
  });
});
