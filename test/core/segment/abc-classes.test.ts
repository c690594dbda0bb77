import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { abcClasses, abcGrid, checkAbcCuts } from '../../../src/core/segment/abc-classes.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { cdnowMaster } from './reference-data.js';

const count = (xs: string[]): Record<string, number> => xs.reduce<Record<string, number>>((a, x) => ((a[x] = (a[x] ?? 0) + 1), a), {});

describe('abcClasses', () => {
  const ids = Object.freeze(['a', 'b', 'c', 'd', 'e']) as string[];
  const v = Object.freeze([50, 30, 10, 5, 5]) as number[];
  it('the customer crossing the cut belongs to the earlier class', () => {
    // total 100; value ranked before: a 0, b 50 (<80 → A), c 80 (≥80 → B), d 90 (<95 → B), e 95 (≥95 → C)
    expect(abcClasses(ids, v)).toEqual(['A', 'A', 'B', 'B', 'C']);
  });
  it("ties: 'split' cuts a run of equal values in id order, 'group' lifts the run to the earlier class", () => {
    expect(abcClasses(['e', 'd', 'c', 'b', 'a'], [5, 5, 10, 30, 50])).toEqual(['C', 'B', 'B', 'A', 'A']); // same ranks, input reversed
    expect(abcClasses(ids, v, { ties: 'group' })).toEqual(['A', 'A', 'B', 'B', 'B']);
  });
  it('non-positive values are C; shares use positive value only', () => {
    // total positive 10: x (value ranked before it 0) → A; y has value 0 and z is negative → last class C
    expect(abcClasses(['x', 'y', 'z'], [10, 0, -4])).toEqual(['A', 'C', 'C']);
    expect(abcClasses(['x', 'y'], [0, 0])).toEqual(['C', 'C']);
  });
  it('custom cuts with four classes and validation', () => {
    // 40/30/20/10 on 50,30,10,5,5: thresholds 40, 70, 90 → a A (0); b 50 ≥ 40 → B; c 80 ≥ 70 → C; d 90 ≥ 90 → D; e 95 → D
    expect(abcClasses(ids, v, { cuts: [40, 30, 20, 10] })).toEqual(['A', 'B', 'C', 'D', 'D']);
    expect(checkAbcCuts([80, 15])).toBe('ABC class shares must sum to 100 (they sum to 95)');
    expect(() => abcClasses(ids, v, { cuts: [80, 20, 0] })).toThrow('positive');
  });
  it('grid mode: orders class then revenue class', () => {
    // orders [1, 9] → total 10: q before 0 → A... rank: r (9) A, q (1) before 9 ≥ 8 → B; revenue [90, 10]: q A, r before 90 ≥ 80 → B
    expect(abcGrid(['q', 'r'], [1, 9], [90, 10])).toEqual(['BA', 'AB']);
  });
  it('property: classes never improve as value falls, and the A share is the smallest prefix reaching the cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 }), (vals) => {
        const ids2 = vals.map((_, i) => `c${String(i).padStart(3, '0')}`);
        const cls = abcClasses(ids2, vals);
        const ord = vals.map((x, i) => [x, i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
        const total = vals.reduce((a, b) => a + b, 0);
        let cum = 0, prevCls = 'A', nA = 0;
        for (const [x, i] of ord) {
          expect(cls[i]! >= prevCls).toBe(true);
          prevCls = cls[i]!;
          if (cls[i] === 'A') { nA++; cum += x; }
        }
        expect(cum * 100 >= 80 * total).toBe(true);
        expect((cum - ord[nA - 1]![0]) * 100 < 80 * total).toBe(true);
      }),
    );
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'ABC on CDNOW master at 1998-06-30 (REFERENCE.md §6)' : SKIP_SHARED_REASON, () => {
  it('80/15/5 → A 7,695, B 8,044, C 7,831; 70/20/10 → A 5,149, B 6,875, C 11,546', () => {
    const s = cdnowMaster();
    const ids = s.map((x) => x.customerId);
    const rev = s.map((x) => x.revenue);
    expect(count(abcClasses(ids, rev))).toEqual({ A: 7695, B: 8044, C: 7831 });
    expect(count(abcClasses(ids, rev, { cuts: [70, 20, 10] }))).toEqual({ A: 5149, B: 6875, C: 11546 });
  });
});

describe('rankOrder fast path (ids already sorted)', () => {
  it('equals the comparator definition: value descending, then id ascending (property)', async () => {
    const { rankOrder } = await import('../../../src/core/segment/rank-order.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 80 }), (vals) => {
        const ids = vals.map((_, i) => 'c' + String(i).padStart(3, '0'));
        const expected = vals.map((_, i) => i).sort((a, b) => vals[b]! - vals[a]! || a - b);
        expect(Array.from(rankOrder(ids, vals))).toEqual(expected);
      }),
    );
  });
});
