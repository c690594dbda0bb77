import { describe, expect, it } from 'vitest';
import { groupSummary } from '../../../src/core/score/grouped-summary.js';

describe('groupSummary', () => {
  it('collapses identical rows and indexes distinct values', () => {
    // Rows: (0,0,10) ×2, (2,5,10), (2,5,12); weights default 1 → groups (0,0,10) w 2, (2,5,10) w 1, (2,5,12) w 1.
    const g = groupSummary({ x: Float64Array.of(0, 2, 0, 2), tx: Float64Array.of(0, 5, 0, 5), T: Float64Array.of(10, 10, 10, 12) });
    expect(g.groups).toBe(3);
    expect(g.n).toBe(4);
    expect(Array.from(g.w)).toEqual([2, 1, 1]);
    expect(Array.from(g.rowGroup)).toEqual([0, 1, 0, 2]);
    expect(Array.from(g.uniqueT)).toEqual([10, 12]);
    expect(Array.from(g.T)).toEqual([10, 10, 12]);
    expect(Array.from(g.x)).toEqual([0, 2, 2]);
  });
  it('sums weights and rejects invalid rows', () => {
    const g = groupSummary({ x: Float64Array.of(1, 1), tx: Float64Array.of(2, 2), T: Float64Array.of(3, 3) }, Float64Array.of(2.5, 4));
    expect(g.n).toBe(6.5);
    expect(g.w[0]).toBe(6.5);
    expect(() => groupSummary({ x: Float64Array.of(0), tx: Float64Array.of(1), T: Float64Array.of(2) })).toThrow(RangeError);
    expect(() => groupSummary({ x: Float64Array.of(NaN), tx: Float64Array.of(0), T: Float64Array.of(2) })).toThrow(RangeError);
    expect(() => groupSummary({ x: Float64Array.of(1), tx: Float64Array.of(0), T: Float64Array.of(2, 3) })).toThrow(/length/);
  });
});
