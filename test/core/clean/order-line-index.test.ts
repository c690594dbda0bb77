import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OrderLineIndex } from '../../../src/core/clean/order-line-index.js';

describe('OrderLineIndex', () => {
  it('a repeated line of an order is a duplicate, first line or later line', () => {
    const ix = new OrderLineIndex(16);
    expect(ix.addLine(1, 2, 10, 11)).toBe(true); // first line of order (1, 2)
    expect(ix.addLine(1, 2, 20, 21)).toBe(true); // second line
    expect(ix.addLine(1, 2, 10, 11)).toBe(false); // repeat of the first (kept in the slot)
    expect(ix.addLine(1, 2, 20, 21)).toBe(false); // repeat of the second (kept in the later-lines set)
    expect(ix.addLine(3, 2, 10, 11)).toBe(true); // same line hash, another order
    expect(ix.orders).toBe(2);
  });
  it('open() tells whether the order was opened before', () => {
    const ix = new OrderLineIndex(16);
    ix.addLine(5, 6, 1, 1);
    expect(ix.open()).toBe(false);
    ix.addLine(7, 6, 1, 1); // another order, same home slot
    ix.addLine(5, 6, 2, 2);
    expect(ix.open()).toBe(true);
    ix.addLine(7, 6, 3, 3);
    expect(ix.open()).toBe(false);
  });
  it('keeps every order, its first line and its opened bit across doublings', () => {
    const ix = new OrderLineIndex(16);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      expect(ix.addLine(Math.imul(i, 0x9e3779b1), i & 0x3f, i, ~i)).toBe(true); // many equal b's: long probe runs
      if (i % 3 === 0) expect(ix.open()).toBe(false); // the slot is followed through grow()
    }
    expect(ix.orders).toBe(n);
    // ⌊4096·0.7⌋ = 2867 < 5,000 ≤ ⌊8192·0.7⌋ = 5734: 8,192 slots of 12 bytes, plus the later-lines set's 1,024 slots of 8.
    expect(ix.byteLength).toBe(8192 * 12 + 1024 * 8);
    for (let i = 0; i < n; i++) {
      expect(ix.addLine(Math.imul(i, 0x9e3779b1), i & 0x3f, i, ~i)).toBe(false);
      expect(ix.open()).toBe(i % 3 === 0);
    }
  });
  it('behaves like a map of orders to sets of lines (property)', () => {
    // b takes small values and values across the whole 32-bit range (the home slot is b's high bits).
    const small = fc.integer({ min: 0, max: 12 });
    const wide = fc.oneof(small, fc.integer({ min: 0, max: 0xffffffff }).map((x) => x | 0), fc.constant(-1));
    fc.assert(
      // With a reserve() at some points (sizes up to 2,000 orders), between addLine and open too.
      fc.property(fc.array(fc.tuple(small, wide, small, fc.boolean(), fc.option(fc.integer({ min: 0, max: 2000 }), { freq: 20 })), { maxLength: 400 }), (ops) => {
        const ix = new OrderLineIndex(16);
        const lines = new Map<string, Set<number>>();
        const opened = new Set<string>();
        for (const [a, b, line, open, reserve] of ops) {
          const key = `${a || 1}:${b >>> 0}`; // a = 0 is stored as 1; b as unsigned
          const seen = lines.get(key) ?? new Set<number>();
          lines.set(key, seen);
          // Line fingerprints (line, line * 7 + 1) are distinct for distinct `line` in 31 and 64 bits.
          expect(ix.addLine(a, b, line, line * 7 + 1)).toBe(!seen.has(line));
          seen.add(line);
          if (reserve !== null) ix.reserve(reserve);
          if (open) {
            expect(ix.open()).toBe(opened.has(key));
            opened.add(key);
          }
        }
        expect(ix.orders).toBe(lines.size);
      }),
      { numRuns: 200 },
    );
  });
  it('reserve() sizes the table once for the orders to come: no doubling on the way, contents kept', () => {
    const ix = new OrderLineIndex(16);
    for (let i = 0; i < 100; i++) ix.addLine(i + 1, Math.imul(i, 0x9e3779b1), i, i);
    ix.reserve(10_000); // ⌈10,000 / 0.7⌉ + 1 = 14,287 slots, not rounded up to a power of two (16,384)
    expect(ix.capacity).toBe(14_287);
    expect(Math.floor(14_287 * 0.7)).toBeGreaterThanOrEqual(10_000);
    expect(ix.byteLength).toBe(14_287 * 12 + 1024 * 8);
    for (let i = 100; i < 10_000; i++) expect(ix.addLine(i + 1, Math.imul(i, 0x9e3779b1), i, i)).toBe(true);
    expect(ix.byteLength).toBe(14_287 * 12 + 1024 * 8); // no doubling
    for (let i = 0; i < 10_000; i++) expect(ix.addLine(i + 1, Math.imul(i, 0x9e3779b1), i, i)).toBe(false);
    ix.reserve(10); // never shrinks
    expect(ix.capacity).toBe(14_287);
    // Past the reserve it doubles from there (any capacity works: slots come from b · capacity / 2³²).
    for (let i = 10_000; i < 10_001 + Math.floor(14_287 * 0.7) - 10_000; i++) ix.addLine(i + 1, Math.imul(i, 0x9e3779b1), i, i);
    expect(ix.capacity).toBe(2 * 14_287);
    for (let i = 0; i < 10_001; i++) expect(ix.addLine(i + 1, Math.imul(i, 0x9e3779b1), i, i)).toBe(false);
  });
});
