import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FingerprintSet } from '../../../src/core/clean/fingerprint-set.js';

describe('FingerprintSet', () => {
  it('add returns true once per member; has agrees', () => {
    const s = new FingerprintSet();
    expect(s.add(1, 2)).toBe(true);
    expect(s.add(1, 2)).toBe(false);
    expect(s.add(2, 1)).toBe(true);
    expect(s.has(1, 2)).toBe(true);
    expect(s.has(1, 3)).toBe(false);
    expect(s.size).toBe(2);
  });
  it('a = 0 is stored as 1 (0 marks empty slots): (0, b) and (1, b) are one member', () => {
    const s = new FingerprintSet();
    expect(s.add(0, 7)).toBe(true);
    expect(s.has(0, 7)).toBe(true);
    expect(s.has(1, 7)).toBe(true);
    expect(s.add(1, 7)).toBe(false);
  });
  it('grows by doubling past load 0.7 and keeps every member', () => {
    // Start 16 slots: limit ⌊16·0.7⌋ = 11, so the 12th member doubles to 32, …, 1,000 members → 2,048 slots
    // (1,000 > ⌊1024·0.7⌋ = 716 and ≤ ⌊2048·0.7⌋ = 1433).
    const s = new FingerprintSet(16);
    for (let i = 0; i < 1000; i++) s.add(Math.imul(i, 0x9e3779b1), i & 0xff); // many equal b's: long probe runs
    expect(s.size).toBe(1000);
    expect(s.capacity).toBe(2048);
    expect(s.byteLength).toBe(2048 * 8);
    for (let i = 0; i < 1000; i++) expect(s.has(Math.imul(i, 0x9e3779b1), i & 0xff)).toBe(true);
    expect(s.has(Math.imul(1000, 0x9e3779b1), 1000 & 0xff)).toBe(false);
  });
  it('behaves like a Set of pairs (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }), (pairs) => {
        const s = new FingerprintSet(16);
        const ref = new Set<string>();
        for (const [a, b] of pairs) {
          const key = `${a || 1}:${b}`; // a = 0 is stored as 1
          expect(s.add(a, b)).toBe(!ref.has(key));
          ref.add(key);
        }
        expect(s.size).toBe(ref.size);
      }),
      { numRuns: 200 },
    );
  });
});
