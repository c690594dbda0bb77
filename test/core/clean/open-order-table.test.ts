import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { OpenOrder } from '../../../src/core/clean/open-order.js';
import { OpenOrderTable } from '../../../src/core/clean/open-order-table.js';
import { L } from './tx.js';

const order = (c: string, o: string, a: number, b: number): OpenOrder => new OpenOrder(c, o, a, b, false, L(c, o, 1, 1), false);

describe('OpenOrderTable', () => {
  it('equal fingerprints of different orders are told apart by their ids', () => {
    const t = new OpenOrderTable(4);
    const x = order('A', '1', 5, 5), y = order('B', '2', 5, 5);
    t.set(x);
    t.set(y);
    expect(t.get(5, 5, 'A', '1')).toBe(x);
    expect(t.get(5, 5, 'B', '2')).toBe(y);
    expect(t.get(5, 5, 'A', '2')).toBeUndefined();
    t.delete(x);
    expect(t.get(5, 5, 'A', '1')).toBeUndefined();
    expect(t.get(5, 5, 'B', '2')).toBe(y);
    expect(t.size).toBe(1);
  });
  it('behaves like a Map under random inserts and deletes with clustered hashes (backward-shift deletion)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 })), { maxLength: 400 }), (ops) => {
        const t = new OpenOrderTable(40);
        const ref = new Map<number, OpenOrder>();
        for (const [ins, k] of ops) {
          const b = k % 5; // only 5 distinct home slots: long probe clusters
          if (ins && !ref.has(k) && ref.size < 40) {
            const o = order('c' + k, 'o', k + 1, b);
            t.set(o);
            ref.set(k, o);
          } else if (!ins && ref.has(k)) {
            t.delete(ref.get(k)!);
            ref.delete(k);
          }
          for (let j = 0; j <= 30; j++) expect(t.get(j + 1, j % 5, 'c' + j, 'o')).toBe(ref.get(j));
        }
        expect(t.size).toBe(ref.size);
      }),
      { numRuns: 100 },
    );
  });
});
