import { describe, it, expect } from 'vitest';
import { BIN_COUNT, binCentre, binEdge, binOf, LogHistogram } from '../../../src/core/clean/log-histogram.js';

describe('binOf', () => {
  it('bins of 0.001 in ln starting at ln = −14, clamped', () => {
    // ln 1 = 0 → ⌊(0 + 14)·1000⌋ = 14000; ln e^0.0125 = 0.0125 → ⌊14012.5⌋ = 14012.
    expect(binOf(1)).toBe(14000);
    expect(binOf(Math.exp(0.0125))).toBe(14012);
    expect(binOf(Math.exp(-0.0005))).toBe(13999);
    expect(binOf(1e-9)).toBe(0); // ln = −20.7 < −14: clamped
    expect(binOf(1e15)).toBe(BIN_COUNT - 1); // ln = 34.5 ≥ 28: clamped
    expect(BIN_COUNT).toBe(42_000);
    expect(binEdge(14000)).toBe(0);
    expect(binCentre(14000)).toBeCloseTo(0.0005, 12);
  });
});

describe('LogHistogram', () => {
  it('ignores amounts ≤ 0 and non-finite ones', () => {
    const h = new LogHistogram();
    expect([h.add(0), h.add(-3), h.add(NaN), h.add(Infinity), h.add(2)]).toEqual([false, false, false, false, true]);
    expect(h.size).toBe(1);
  });
  it('rank bins, tail counts and MAD in bins (hand example)', () => {
    // ln values 0.0005, 0.1005, 0.2005, 0.3005, 0.4005 → bins 14000, 14100, 14200, 14300, 14400.
    const h = new LogHistogram();
    for (const x of [0.4005, 0.0005, 0.2005, 0.1005, 0.3005]) h.add(Math.exp(x));
    expect(h.rankBin(1)).toBe(14000);
    expect(h.rankBin(3)).toBe(14200);
    expect(h.rankBin(5)).toBe(14400);
    expect(h.countFrom(14200)).toBe(3);
    // |bin − 14200| = 200, 100, 0, 100, 200 → sorted 0, 100, 100, 200, 200; 3rd = 100.
    expect(h.madBins(14200, 3)).toBe(100);
  });
  it('merge adds counts (order of adds does not matter)', () => {
    const a = new LogHistogram(), b = new LogHistogram(), all = new LogHistogram();
    [3, 5, 7].forEach((x) => { a.add(x); all.add(x); });
    [11, 13].forEach((x) => { b.add(x); all.add(x); });
    a.merge(b);
    expect(a.size).toBe(5);
    expect(Array.from(a.counts)).toEqual(Array.from(all.counts));
  });
});
