import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RankCache, rankOrder, rankOrderVia } from '../../../src/core/segment/rank-order.js';
import { abcClasses } from '../../../src/core/segment/abc-classes.js';
import { valueTiers } from '../../../src/core/segment/value-pyramid.js';

describe('rankOrder', () => {
  it('orders by value descending, ties by id ascending, sorted ids or not', () => {
    expect([...rankOrder(['a', 'b', 'c', 'd'], [5, 9, 5, 1])]).toEqual([1, 0, 2, 3]);
    expect([...rankOrder(['d', 'c', 'b', 'a'], [5, 9, 5, 1])]).toEqual([1, 2, 0, 3]); // tie 5: 'b' (2) before 'd' (0)
  });
});

describe('RankCache', () => {
  it('gives rankOrder’s ranking, computed once per values array and only for its own ids', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 6 }), { minLength: 1, maxLength: 60 }), (vals) => {
        const ids = vals.map((_, i) => `C${String(i).padStart(3, '0')}`);
        const values = Float64Array.from(vals);
        const cache = new RankCache(ids);
        const first = cache.order(values);
        expect([...first]).toEqual([...rankOrder(ids, values)]);
        expect(cache.order(values)).toBe(first); // the same array: not ranked again
        expect(rankOrderVia(cache, ids, values)).toBe(first);
        const other = ids.slice();
        expect(rankOrderVia(cache, other, values)).not.toBe(first); // another id list: ranked itself
        expect([...rankOrderVia(cache, other, values)]).toEqual([...first]);
        // ABC and the pyramid through the cache: the same classes as without.
        expect(abcClasses(ids, values, {}, cache)).toEqual(abcClasses(ids, values));
        expect(valueTiers(ids, values, {}, cache)).toEqual(valueTiers(ids, values));
      }),
      { numRuns: 200 },
    );
  });
});
