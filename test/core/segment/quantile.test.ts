import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted, sortedCopy } from '../../../src/core/segment/quantile.js';

/** The reference: the engine's own typed-array sort. */
const native = (v: number[]): Float64Array => Float64Array.from(v).sort();
const same = (a: Float64Array, b: Float64Array): void => {
  expect(a.length).toBe(b.length);
  // Object.is: −0 and 0 differ, NaN equals NaN.
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
};

describe('sortedCopy', () => {
  it('counts small-range integers into the array the native sort gives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -300, max: 5000 }), { minLength: 64, maxLength: 3000 }), (v) => {
        same(sortedCopy(v), native(v));
      }),
    );
  });

  it('sorts fractions, NaN, −0, infinities and wide ranges as the native sort does', () => {
    const gen = fc.array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 0.5, 1e12, -(2 ** 40))), { minLength: 0, maxLength: 500 });
    fc.assert(fc.property(gen, (v) => same(sortedCopy(v), native(v))));
    // Integers enough to be counted, but with −0, which the native sort puts before 0.
    const withMinusZero = Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? -0 : (i * 13) % 7));
    const sorted = sortedCopy(withMinusZero);
    same(sorted, native(withMinusZero));
    expect(Object.is(sorted[0], -0)).toBe(true);
    const wide = Array.from({ length: 100 }, (_, i) => (i % 2 ? i * 1e7 : i));
    same(sortedCopy(wide), native(wide));
  });

  it('is a copy: the input is left alone', () => {
    const v = new Float64Array(Array.from({ length: 100 }, (_, i) => (i * 37) % 11));
    const before = Array.from(v);
    const s = sortedCopy(v);
    expect(Array.from(v)).toEqual(before);
    expect(s[0]).toBe(0);
    expect(s[99]).toBe(10);
    // 100 values of (37·i) mod 11: residues 0 (i = 0, 11, …, 99: ten of them) first.
    expect(Array.from(s.subarray(0, 11))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('feeds the R type-7 quantile', () => {
    // R: quantile(c(1, 2, 3, 4, 10), 0.3) = 2.2
    expect(quantileSorted(sortedCopy([10, 3, 1, 4, 2]), 0.3)).toBeCloseTo(2.2, 12);
    const days = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 365);
    expect(quantileSorted(sortedCopy(days), 0.5)).toBe(quantileSorted(native(days), 0.5));
  });
});
