import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FloatKeyIndex } from '../../../src/core/score/float-key-index.js';

/** Reference: Map (SameValueZero keys) giving first-seen indices; keys kept as first spelled. */
class MapIndex {
  map = new Map<number, number>();
  keys: number[] = [];
  id(v: number): number {
    let i = this.map.get(v);
    if (i === undefined) {
      i = this.keys.length;
      this.map.set(v, i);
      this.keys.push(v);
    }
    return i;
  }
}

/** Element-wise Object.is, so −0 and +0 count as different spellings. */
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) expect({ i, value: actual[i] }).toEqual({ i, value: expected[i] });
}

/** A NaN with the given low mantissa word (a payload other than the canonical one). */
function nanWithPayload(lo: number): number {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = NaN;
  u[0] = lo;
  return f[0];
}

describe('FloatKeyIndex', () => {
  it('numbers distinct keys densely in first-seen order', () => {
    const ix = new FloatKeyIndex();
    expect([752 / 7, 3, 752 / 7, 0.1 + 0.2, 3, 0.3, 1e300, -2.5].map((v) => ix.id(v))).toEqual([0, 1, 0, 2, 1, 3, 4, 5]);
    expect(ix.size).toBe(6);
    expectSame(ix.keys(), [752 / 7, 3, 0.1 + 0.2, 0.3, 1e300, -2.5]);
    expect(ix.get(0.3)).toBe(3);
    expect(ix.get(0.30000000000000004)).toBe(2);
    expect(ix.get(4)).toBe(-1);
  });

  it('treats +0 and −0 as one key (SameValueZero) and keeps the first spelling', () => {
    // Several table sizes, so the two zeros cannot share a probe run by luck.
    for (const hint of [1, 20, 1000, 100_000]) {
      const a = new FloatKeyIndex(hint);
      expect([-0, 0, 5, -0].map((v) => a.id(v))).toEqual([0, 0, 1, 0]);
      expectSame(a.keys(), [-0, 5]);
      expect(a.get(0)).toBe(0);
      const b = new FloatKeyIndex(hint);
      expect([0, -0].map((v) => b.id(v))).toEqual([0, 0]);
      expectSame(b.keys(), [0]);
    }
  });

  it('treats every NaN as one key', () => {
    const ix = new FloatKeyIndex();
    expect(ix.get(NaN)).toBe(-1);
    expect([1, NaN, nanWithPayload(12345), 2, NaN].map((v) => ix.id(v))).toEqual([0, 1, 1, 2, 1]);
    expect(ix.size).toBe(3);
    expect(ix.get(nanWithPayload(7))).toBe(1);
    expect(Number.isNaN(ix.keys()[1])).toBe(true);
  });

  it('survives growth from a tiny hint and keys that collide in their low bits', () => {
    // Keys differing only in the high IEEE word (k · 2^20, powers of two), only in the low word
    // (1 + k · 2^-52) and large integers beyond int32: all must stay distinct through rehashes.
    const keys: number[] = [];
    for (let k = 0; k < 20_000; k++) keys.push(k * 2 ** 20, 1 + k * 2 ** -52, 2 ** 40 + k * 2 ** 32, -(k + 1) / 7);
    for (let e = -1000; e <= 1000; e++) keys.push(2 ** e);
    const distinct = [...new Set(keys)];
    const ix = new FloatKeyIndex(1);
    for (const v of keys) ix.id(v);
    expect(ix.size).toBe(distinct.length);
    expectSame(ix.keys(), distinct);
    expect(distinct.map((v) => ix.get(v))).toEqual(distinct.map((_, i) => i));
    expect(ix.get(0.5 + 2 ** -53)).toBe(-1);
  });

  it('agrees with a Map on random doubles, ±0, NaN and many repeats', () => {
    const special = fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 31, -(2 ** 31), 2 ** 53);
    const value = fc.oneof(
      fc.double(),
      special,
      fc.constantFrom(0, -0),
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 0, max: 1092 }).map((d) => d / 7),
      fc.integer({ min: 0, max: 2 ** 20 }).map((k) => k * 2 ** 32),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.integer({ min: 0, max: 4096 }), (vals, hint) => {
        // Feed the values twice, shuffled by a stride, so repeats hit after growth too.
        const input = vals.concat(vals.map((_, i) => vals[(i * 7 + 3) % vals.length]!));
        const ref = new MapIndex();
        const ix = new FloatKeyIndex(hint);
        for (const v of input) expect(ix.id(v)).toBe(ref.id(v));
        expect(ix.size).toBe(ref.keys.length);
        expectSame(ix.keys(), ref.keys);
        for (const v of input) expect(ix.get(v)).toBe(ref.map.get(v));
      }),
    );
  });
});
