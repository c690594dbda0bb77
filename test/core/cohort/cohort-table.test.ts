/**
 * Cohort tables against the worked example of the README (fixtures/cohorts/tiny.csv, computed
 * by hand there), and the same tables whatever the row order or the split over accumulators.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import { CohortBuilder, histogramMedian } from '../../../src/core/cohort/cohort-table.js';
import { periodLabel, periodOf } from '../../../src/core/cohort/periods.js';
import { dayFromCivil, parseIsoDay } from '../../../src/core/time/day.js';
import { fixture } from '../../helpers/cli.js';

type Row = [string, number, number, number];
const rows: Row[] = readFileSync(fixture('cohorts', 'tiny.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map((c) => [c[0]!, parseIsoDay(c[2]!)!, Number(c[3]), c[4] === '' ? NaN : Number(c[4])]);
const ASOF = dayFromCivil(2024, 4, 2);

function accumulate(rs: Row[], grain: 'month' | 'quarter' | 'week' = 'month'): CustomerAccumulator {
  const a = new CustomerAccumulator();
  a.trackCohorts(grain);
  for (const [id, day, amount, quantity] of rs) a.add(id, day, amount, undefined, quantity);
  return a;
}

describe('periods', () => {
  it('month, quarter and ISO week (Monday start) indexes and labels', () => {
    const d = dayFromCivil(2024, 3, 31);
    expect(periodLabel(periodOf(d, 'month'), 'month')).toBe('2024-03');
    expect(periodLabel(periodOf(d, 'quarter'), 'quarter')).toBe('2024-Q1');
    expect(periodLabel(periodOf(dayFromCivil(2024, 4, 1), 'quarter'), 'quarter')).toBe('2024-Q2');
    // 2024-03-31 is a Sunday: its week starts on Monday 2024-03-25; the Monday after starts the next.
    expect(periodLabel(periodOf(d, 'week'), 'week')).toBe('2024-03-25');
    expect(periodOf(dayFromCivil(2024, 4, 1), 'week') - periodOf(d, 'week')).toBe(1);
    expect(periodLabel(periodOf(dayFromCivil(1970, 1, 1), 'week'), 'week')).toBe('1969-12-29');
    expect(periodOf(dayFromCivil(2025, 1, 1), 'month') - periodOf(dayFromCivil(2024, 12, 31), 'month')).toBe(1);
  });
  it('median of a histogram: middle value, mean of the two middle ones when even', () => {
    expect(histogramMedian(new Map([[15, 1], [46, 1], [55, 1]]), 3)).toBe(46);
    expect(histogramMedian(new Map([[10, 2], [20, 2]]), 4)).toBe(15);
    expect(histogramMedian(new Map([[7, 4]]), 4)).toBe(7);
    expect(histogramMedian(new Map(), 0)).toBeNull();
  });
});

describe('CohortBuilder: gaps and cells at the edges of its arrays', () => {
  it('medians over gaps both under and over 512 days, and a cell beyond the last period still counted', () => {
    const month = (y: number, m: number): number => periodOf(dayFromCivil(y, m, 1), 'month');
    const d = (y: number, m: number, day: number): number => dayFromCivil(y, m, day);
    const b = new CohortBuilder('month', (x) => periodOf(x, 'month'), d(2024, 3, 31), month(2022, 1), month(2024, 3));
    // Cohort 2022-01: gaps 10, 600, 700 days (median 600), then one without a second purchase.
    for (const g of [10, 600, 700]) {
      b.addCustomer(d(2022, 1, 5), d(2022, 1, 5) + g);
      b.addPeriod(month(2022, 1), 5, true);
    }
    b.addCustomer(d(2022, 1, 9), -1);
    b.addPeriod(month(2022, 1), 2.5, true);
    // A cell at offset 40, past the 27 offsets up to the last period (2024-03): in the totals, not in the rows.
    b.addCell(month(2022, 1), 40, 1, 1.25);
    const r = b.finish();
    expect(r.cohorts.map((c) => [c.cohort, c.customers, c.second_purchase, c.median_days_to_second, c.offsets.length])).toEqual([['2022-01', 4, 3, 600, 27]]);
    expect(r.cohorts[0]!.offsets[0]).toMatchObject({ active: 4, revenue: 17.5, retention: 1 });
    expect(r.revenue).toBe(18.75);
    expect(r.cohorts[0]!.offsets.slice(1).every((o) => o.active === 0 && o.revenue === 0)).toBe(true);
  });
});

describe('cohort tables: the README worked example', () => {
  const c = accumulate(rows).cohorts(ASOF)!;
  it('cohort sizes, retention, revenue and cumulative revenue per customer by offset', () => {
    expect(c.as_of).toBe('2024-04-02');
    expect(c.customers).toBe(6); // F has only a refund: no first purchase, no cohort
    expect(c.revenue).toBe(166); // = Σ revenue of the customer table
    const view = c.cohorts.map((r) => [r.cohort, r.customers, r.offsets.map((o) => [o.period, o.active, o.retention, o.revenue, o.cumulative_revenue_per_customer])]);
    expect(view).toEqual([
      ['2024-01', 3, [['2024-01', 3, 1, 54, 18], ['2024-02', 1, 0.333333, 20, 24.666667], ['2024-03', 2, 0.666667, 17, 30.333333], ['2024-04', 1, 0.333333, 15, 35.333333]]],
      ['2024-02', 2, [['2024-02', 2, 1, 68, 34], ['2024-03', 0, 0, -20, 24], ['2024-04', 0, 0, 0, 24]]],
      ['2024-03', 1, [['2024-03', 1, 1, 12, 12], ['2024-04', 0, 0, 0, 12]]],
    ]);
  });
  it('time to second purchase per cohort', () => {
    expect(c.cohorts.map((r) => [r.second_purchase, r.second_purchase_share, r.median_days_to_second])).toEqual([
      [3, 1, 46], // A 15 d, B 46 d, G 55 d
      [1, 0.5, 22], // C 22 d; D never
      [0, 0, null],
    ]);
  });
  it('revenue of new and returning customers per calendar period', () => {
    expect(c.periods.map((p) => [p.period, p.new_customers, p.new_revenue, p.returning_customers, p.returning_revenue])).toEqual([
      ['2024-01', 3, 54, 0, 0],
      ['2024-02', 2, 68, 1, 20],
      ['2024-03', 1, 12, 2, -3], // B 10 + G 7 − D's refund 20
      ['2024-04', 0, 0, 1, 15],
    ]);
  });
  it('quarters: one cohort of six', () => {
    const q = accumulate(rows, 'quarter').cohorts(ASOF)!;
    expect(q.cohorts.map((r) => [r.cohort, r.customers, r.offsets.map((o) => [o.active, o.revenue])])).toEqual([['2024-Q1', 6, [[6, 151], [1, 15]]]]);
  });
  it('not tracked: null', () => {
    const a = new CustomerAccumulator();
    a.add('A', 1, 1);
    expect(a.cohorts(1)).toBeNull();
  });
});

describe('cohort tables do not depend on row order or on how the stream was split', () => {
  const base = accumulate(rows).cohorts(ASOF);
  it('reversed and shuffled input', () => {
    expect(accumulate([...rows].reverse()).cohorts(ASOF)).toEqual(base);
    const shuffled = rows.map((r, i) => [r, (i * 7) % rows.length] as const).sort((a, b) => a[1] - b[1]).map((x) => x[0]);
    expect(accumulate(shuffled).cohorts(ASOF)).toEqual(base);
  });
  it('merged shares (as worker threads do), through their plain-data state', () => {
    for (let cut = 0; cut <= rows.length; cut += 3) {
      const a = accumulate(rows.slice(0, cut));
      const b = accumulate(rows.slice(cut));
      const m = CustomerAccumulator.fromState(a.toState());
      m.merge(CustomerAccumulator.fromState(b.toState()));
      expect(m.cohorts(ASOF)).toEqual(base);
    }
  });
  it('first purchases for the key indicators: first and second day and the first day net value', () => {
    const f = accumulate(rows).firstPurchases();
    const byFirst = Array.from(f.firstDay, (d, i) => [d, f.secondDay[i]!, f.firstValue[i]!]).sort((x, y) => x[0]! - y[0]!);
    const D = (m: number, d: number): number => dayFromCivil(2024, m, d);
    const qty = Array.from(f.firstDay, (d, i) => [d, f.firstQuantity[i]!]).sort((x, y) => x[0]! - y[0]!).map((x) => x[1]);
    expect(qty).toEqual([1, 1, 1, 2, 1, 1]); // C bought twice on its first day
    expect(byFirst).toEqual([
      [D(1, 5), D(1, 20), 10],
      [D(1, 15), D(3, 1), 30],
      [D(1, 25), D(3, 20), 9],
      [D(2, 3), D(2, 25), 12],
      [D(2, 14), -1, 50],
      [D(3, 10), -1, 12],
    ]);
  });
});

describe('many customers and periods (the records and period lists grow)', () => {
  // 300 customers over two years, a few rows a month, refunds among them: a seeded generator.
  let seed = 7;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = dayFromCivil(2023, 1, 1);
  const many: Row[] = [];
  for (let k = 0; k < 4000; k++) {
    const day = start + Math.floor((k * 730) / 4000);
    const amount = rnd() < 0.1 ? -Math.round(rnd() * 500) / 100 : Math.round(rnd() * 9000) / 100;
    many.push([`C${Math.floor(rnd() * 300)}`, day, amount, rnd() < 0.05 ? NaN : 1 + Math.floor(rnd() * 4)]);
  }
  const asOf = start + 730;

  it('the tables equal those built from each customer\'s periods counted by hand', () => {
    const got = accumulate(many).cohorts(asOf)!;
    const per = new Map<string, { days: Set<number>; rev: Map<number, number>; bought: Set<number> }>();
    for (const [id, day, amount] of many) {
      const c = per.get(id) ?? { days: new Set<number>(), rev: new Map<number, number>(), bought: new Set<number>() };
      per.set(id, c);
      const p = periodOf(day, 'month');
      c.rev.set(p, Math.round(((c.rev.get(p) ?? 0) + amount) * 1e6) / 1e6);
      if (amount >= 0) { c.days.add(day); c.bought.add(p); }
    }
    const b = new CohortBuilder('month', (d) => periodOf(d, 'month'), asOf, periodOf(start, 'month'), periodOf(asOf, 'month'));
    for (const c of per.values()) {
      if (c.days.size === 0) continue;
      const days = [...c.days].sort((x, y) => x - y);
      const ps = [...c.rev.keys()].sort((x, y) => y - x);
      b.add({ firstDay: days[0]!, secondDay: days.length > 1 ? days[1]! : -1, periods: ps, revenue: ps.map((p) => c.rev.get(p)!), bought: ps.map((p) => c.bought.has(p)) });
    }
    expect(got).toEqual(b.finish());
    expect(got.cohorts.length).toBeGreaterThan(3);
  });

  it('first-purchase quantity: the earliest day\'s quantities summed, unknown when one is unknown; any order and split agree', () => {
    const byId = (a: CustomerAccumulator): Map<string, number> => {
      const f = a.firstPurchases();
      return new Map(f.ids.map((id, i) => [id, f.firstQuantity[i]!]));
    };
    const want = new Map<string, [number, number]>(); // id → [first day, quantity]
    for (const [id, day, amount, q] of many) {
      if (amount < 0) continue;
      const w = want.get(id);
      if (!w || day < w[0]) want.set(id, [day, q]);
      else if (day === w[0]) w[1] += q;
    }
    const one = byId(accumulate(many));
    expect(one).toEqual(new Map([...want].map(([id, [, q]]) => [id, q])));
    expect([...one.values()].some((q) => Number.isNaN(q))).toBe(true);
    expect(byId(accumulate([...many].reverse()))).toEqual(one);
    const m = CustomerAccumulator.fromState(accumulate(many.slice(0, 2500)).toState());
    m.merge(CustomerAccumulator.fromState(accumulate(many.slice(2500)).toState()));
    expect(byId(m)).toEqual(one);
    expect(m.cohorts(asOf)).toEqual(accumulate(many).cohorts(asOf));
  });
});
