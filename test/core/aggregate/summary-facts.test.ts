/**
 * Summary facts (summary-facts.ts): the accumulator's facts make its summaries, and a view of
 * the facts reads, field by field, the very values of the plain summary makeSummary builds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import { makeSummary, type CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { SUMMARY_COLUMNS } from '../../../src/core/customer-table/schema.js';
import { summariesFromFacts, summaryFacts, summaryViews, type SummaryFacts } from '../../../src/core/aggregate/summary-facts.js';

/** Every field of the CustomerSummary interface, in declaration order. */
const FIELDS = Object.keys(makeSummary('x', 1, 1, 1, 0, 0, 0, null)) as (keyof CustomerSummary)[];

/** A summary's fields as a plain object (a view's values, read through its getters). */
const plain = (s: CustomerSummary): Record<string, unknown> => Object.fromEntries(FIELDS.map((k) => [k, s[k]]));

describe('summary facts', () => {
  it('the interface has the 14 fields of the customer table, in its column order', () => {
    expect(FIELDS.length).toBe(SUMMARY_COLUMNS.length);
  });

  it('the accumulator makes its summaries from its facts: refund-only customers left out, ids sorted', () => {
    const acc = new CustomerAccumulator();
    acc.add('b', 100, 10);
    acc.add('b', 103, 5.5);
    acc.add('a', 101, 7);
    acc.add('r', 102, -4); // refunds only: no purchase day
    acc.add('a', 101, -2);
    const f = acc.facts();
    expect(f.ids).toEqual(['a', 'b']);
    expect(Array.from(f.orders)).toEqual([1, 2]);
    expect(Array.from(f.purchaseDays)).toEqual([1, 2]);
    expect(Array.from(f.revenue)).toEqual([5, 15.5]);
    expect(Array.from(f.firstDay)).toEqual([101, 100]);
    expect(Array.from(f.lastDay)).toEqual([101, 103]);
    expect(Array.from(f.repeatRevenue)).toEqual([0, 5.5]);
    expect(acc.summaries(110)).toEqual(summariesFromFacts(f, 110));
  });

  it('a view reads the values of makeSummary, field for field (property test)', () => {
    const money = fc.double({ min: -1e7, max: 1e7, noNaN: true });
    const fact = fc.record({
      orders: fc.integer({ min: 0, max: 5000 }),
      purchaseDays: fc.integer({ min: 1, max: 400 }),
      revenue: fc.oneof(money, money.map((v) => Math.round(v * 100) / 100)),
      firstDay: fc.integer({ min: -50_000, max: 60_000 }),
      span: fc.integer({ min: 0, max: 5000 }),
      repeatRevenue: fc.oneof(money, fc.constant(0)),
    });
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 3000 }), (rows, ahead) => {
        const f: SummaryFacts = summaryFacts(rows.length);
        let maxLast = -Infinity;
        rows.forEach((r, i) => {
          f.ids.push(`c${i}`);
          f.orders[i] = r.orders;
          f.purchaseDays[i] = r.purchaseDays;
          f.revenue[i] = r.revenue;
          f.firstDay[i] = r.firstDay;
          f.lastDay[i] = r.firstDay + r.span;
          f.repeatRevenue[i] = r.repeatRevenue;
          maxLast = Math.max(maxLast, r.firstDay + r.span);
        });
        const asOf = maxLast + ahead;
        const views = summaryViews(f, asOf);
        const built = summariesFromFacts(f, asOf);
        expect(views.map(plain)).toEqual(built.map(plain));
        // toEqual treats 0 and −0 alike; the table's bytes would not.
        views.forEach((v, i) => FIELDS.forEach((k) => expect(Object.is(v[k], built[i]![k])).toBe(true)));
      }),
      { numRuns: 300 },
    );
  });
});
