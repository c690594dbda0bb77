import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CustomerIdIndex } from '../../../src/core/aggregate/customer-id-index.js';

describe('CustomerIdIndex', () => {
  it('gives dense indexes in first-seen order and the same index to the same id', () => {
    const ix = new CustomerIdIndex(16);
    expect(ix.indexOf('C1')).toBe(0);
    expect(ix.indexOf('C2')).toBe(1);
    expect(ix.indexOf('C1')).toBe(0);
    expect(ix.indexOf('')).toBe(2);
    expect(ix.indexOf('客户1')).toBe(3);
    expect(ix.indexOf('C1 ')).toBe(4); // text is not trimmed here: ids arrive normalised
    expect(ix.ids).toEqual(['C1', 'C2', '', '客户1', 'C1 ']);
    expect(ix.size).toBe(5);
  });
  it('tells apart ids that differ in one code unit, in order or in length (100,000 similar ids)', () => {
    const ix = new CustomerIdIndex(16);
    const n = 100_000;
    for (let i = 0; i < n; i++) expect(ix.indexOf(`C${String(i).padStart(7, '0')}`)).toBe(i);
    expect(ix.indexOf('C0000001')).toBe(1);
    expect(ix.indexOf('C1000000')).toBe(n); // a permutation of an existing id's digits is new
    expect(ix.indexOf('C00000001')).toBe(n + 1); // a longer spelling is new
    // ⌊131072·0.7⌋ = 91750 < 100,002 ≤ ⌊262144·0.7⌋: 262,144 slots of 16 bytes.
    expect(ix.byteLength).toBe(262144 * 16);
  });
  it('behaves like a Map from id to first-seen index (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 500 }), (ids) => {
        const ix = new CustomerIdIndex(16);
        const ref = new Map<string, number>();
        for (const id of ids) {
          if (!ref.has(id)) ref.set(id, ref.size);
          expect(ix.indexOf(id)).toBe(ref.get(id));
        }
        expect(ix.ids).toEqual([...ref.keys()]);
      }),
      { numRuns: 200 },
    );
  });
});
