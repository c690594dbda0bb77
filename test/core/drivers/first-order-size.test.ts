/** First purchase size: an earlier day replaces, the same day adds, unknown stays unknown; any order and split agree. */
import { describe, expect, it } from 'vitest';
import { FirstOrderSize } from '../../../src/core/drivers/first-order-size.js';

describe('FirstOrderSize', () => {
  it('earliest day wins, same-day quantities add, NaN propagates', () => {
    const f = new FirstOrderSize(1);
    f.add(0, 10, 2);
    f.add(0, 12, 5); // later: ignored
    f.add(0, 10, 1.5);
    expect(f.quantity(0)).toBe(3.5);
    f.add(0, 8, 1); // earlier: replaces
    expect(f.quantity(0)).toBe(1);
    f.add(0, 8, NaN);
    expect(f.quantity(0)).toBeNaN();
    f.add(40, 3, 4); // grows
    expect([f.quantity(40), f.quantity(39), f.quantity(1000)]).toEqual([4, NaN, NaN]);
  });
  it('merged halves equal one pass, through the plain-data state', () => {
    const rows: [number, number][] = [[20, 1], [15, 2], [15, 3], [30, 9], [15, 0.5]];
    const one = new FirstOrderSize();
    for (const [d, q] of rows) one.add(0, d, q);
    for (let cut = 0; cut <= rows.length; cut++) {
      const a = new FirstOrderSize(), b = new FirstOrderSize();
      rows.slice(0, cut).forEach(([d, q]) => a.add(0, d, q));
      rows.slice(cut).forEach(([d, q]) => b.add(0, d, q));
      const m = FirstOrderSize.fromState(a.toState(1));
      m.mergeCustomer(0, FirstOrderSize.fromState(b.toState(1)), 0);
      expect(m.quantity(0)).toBe(one.quantity(0));
    }
    expect(one.quantity(0)).toBe(5.5);
  });
});
