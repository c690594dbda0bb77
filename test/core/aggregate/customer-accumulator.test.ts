import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import { dayFromCivil, parseIsoDay } from '../../../src/core/time/day.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';

const d = (s: string): number => parseIsoDay(s)!;

describe('CustomerAccumulator: lifetimes oracles (REFERENCE.md §2 "Summary from transactions")', () => {
  it('small set, end 2015-02-07: id1 (1,5,6), id2 (0,0,37), id3 (2,4,37)', () => {
    const acc = new CustomerAccumulator();
    for (const [id, day] of [
      ['1', '2015-02-01'], ['1', '2015-02-06'], ['2', '2015-01-01'],
      ['3', '2015-01-01'], ['3', '2015-01-02'], ['3', '2015-01-05'],
    ] as const) acc.add(id, d(day), 1);
    const s = acc.summaries(d('2015-02-07'));
    expect(s.map((x) => [x.customerId, x.frequency, x.recency, x.T])).toEqual([
      ['1', 1, 5, 6], ['2', 0, 0, 37], ['3', 2, 4, 37],
    ]);
  });

  it('large set with monetary: (frequency, recency, T, monetary) per id', () => {
    const rows: [string, string, number][] = [
      ['1', '2015-01-01', 1], ['1', '2015-02-06', 2], ['2', '2015-01-01', 2], ['3', '2015-01-01', 3],
      ['3', '2015-01-02', 1], ['3', '2015-01-05', 5], ['4', '2015-01-16', 6], ['4', '2015-02-02', 3],
      ['4', '2015-02-05', 3], ['5', '2015-01-16', 3], ['5', '2015-01-17', 1], ['5', '2015-01-18', 8],
      ['6', '2015-02-02', 5],
    ];
    const acc = new CustomerAccumulator();
    for (const [id, day, m] of rows) acc.add(id, d(day), m);
    const s = acc.summaries(d('2015-02-07'));
    // lifetimes writes monetary 0 when frequency = 0; custkit writes null (undefined, not zero).
    expect(s.map((x) => [x.frequency, x.recency, x.T, x.repeatAvgValue])).toEqual([
      [1, 36, 37, 2], [0, 0, 37, null], [2, 4, 37, 3], [2, 20, 22, 3], [2, 2, 22, 4.5], [0, 0, 5, null],
    ]);
    // id 3 by hand: orders 3, revenue 9, aov 3, purchase days 3, mean interval 4/2 = 2, days since last 2015-02-07 − 01-05 = 33
    const c3 = s[2]!;
    expect([c3.orders, c3.purchaseDays, c3.revenue, c3.avgOrderValue, c3.meanIntervalDays, c3.daysSinceLast, c3.tenureDays]).toEqual([
      3, 3, 9, 3, 2, 33, 37,
    ]);
    expect(c3.firstDay).toBe(d('2015-01-01'));
    expect(c3.lastDay).toBe(d('2015-01-05'));
    expect(acc.minDay).toBe(d('2015-01-01'));
    expect(acc.maxDay).toBe(d('2015-02-06'));
    expect(acc.size).toBe(6);
  });

  it('unordered input: first purchase by date is excluded, not the first row → 22.5', () => {
    const acc = new CustomerAccumulator();
    acc.add('2', d('2014-04-09'), 20);
    acc.add('2', d('2014-03-14'), 10);
    acc.add('2', d('2014-05-21'), 25);
    // (20 + 25) / 2 = 22.5
    expect(acc.summaries(d('2014-06-01'))[0]!.repeatAvgValue).toBe(22.5);
  });
});

describe('CustomerAccumulator: orders, refunds and purchase days', () => {
  it('zero-amount orders count; same-day orders merge into one purchase day', () => {
    const acc = new CustomerAccumulator();
    acc.add('a', 100, 0);
    acc.add('a', 100, 10);
    acc.add('a', 105, 4);
    const [s] = acc.summaries(110);
    // 3 orders on 2 days; revenue 14; aov 14/3 = 4.666667 (rounded to 1e-6); repeat day value 4
    expect([s!.orders, s!.purchaseDays, s!.revenue, s!.avgOrderValue, s!.frequency, s!.repeatAvgValue]).toEqual([3, 2, 14, 4.666667, 1, 4]);
  });

  it('refunds lower revenue only; on/before the first purchase day they lower the first day, after it the repeat value', () => {
    const acc = new CustomerAccumulator();
    acc.add('a', 10, 50); // first purchase day 10
    acc.add('a', 10, -5); // refund on first day → first day 45
    acc.add('a', 20, 30);
    acc.add('a', 25, -10); // refund after first day → repeat revenue 30 + 20 - 10
    acc.add('a', 30, 20);
    acc.add('a', 40, -1); // refund on a non-purchase day: revenue only
    const [s] = acc.summaries(40);
    // orders 3 (refunds never count), purchase days 3 (10, 20, 30), revenue 50-5+30-10+20-1 = 84
    // repeat revenue = 84 - 45 = 39 over frequency 2 → 19.5; last purchase day 30 (day 40 holds only a refund)
    expect([s!.orders, s!.purchaseDays, s!.revenue, s!.repeatAvgValue, s!.lastDay, s!.daysSinceLast]).toEqual([3, 3, 84, 19.5, 30, 10]);
  });

  it('a refund dated before the first purchase day counts against the first day, whatever the row order', () => {
    const a = new CustomerAccumulator();
    a.add('x', 5, -7); // arrives before any order
    a.add('x', 8, -3); // will be after the first purchase day 6 → repeat period
    a.add('x', 9, 10);
    a.add('x', 6, 20);
    const [s] = a.summaries(9);
    // first day 6: 20 - 7 = 13; repeat: 10 - 3 = 7 over 1 repeat day
    expect([s!.revenue, s!.repeatAvgValue]).toEqual([20, 7]);
  });

  it('refund-only customers get no summary and are counted', () => {
    const acc = new CustomerAccumulator();
    acc.add('r', 3, -5);
    acc.add('b', 4, 1);
    expect(acc.summaries(4).map((s) => s.customerId)).toEqual(['b']);
    expect(acc.refundOnly).toBe(1);
    expect(acc.size).toBe(2);
    expect(acc.minDay).toBe(3);
  });

  it('sorts by plain code-unit order', () => {
    const acc = new CustomerAccumulator();
    for (const id of ['b', 'B', 'a', '10', '9', 'é']) acc.add(id, 1, 1);
    // '1' (0x31) < '9' (0x39) < 'B' (0x42) < 'a' < 'b' < 'é' (0xe9)
    expect(acc.summaries(1).map((s) => s.customerId)).toEqual(['10', '9', 'B', 'a', 'b', 'é']);
  });

  it('keeps exact days when a customer grows past many segment relocations, unordered', () => {
    const acc = new CustomerAccumulator(16);
    const days: number[] = [];
    for (let k = 0; k < 200; k++) days.push((k * 37) % 200); // a permutation of 0..199
    for (let c = 0; c < 50; c++) for (const x of days) acc.add(`c${c}`, x + c, 1);
    const s = acc.summaries(1000);
    expect(s.length).toBe(50);
    for (const x of s) expect([x.purchaseDays, x.recency, x.orders]).toEqual([200, 199, 200]);
  });
});

describe('CustomerAccumulator: purchase-day blocks reused from the free lists', () => {
  /** Purchase days, orders, first and last day per customer, the plain way. */
  const reference = (rows: [string, number][]): Map<string, { days: Set<number>; orders: number }> => {
    const m = new Map<string, { days: Set<number>; orders: number }>();
    for (const [id, day] of rows) {
      const e = m.get(id) ?? { days: new Set<number>(), orders: 0 };
      e.days.add(day);
      e.orders++;
      m.set(id, e);
    }
    return m;
  };
  const check = (acc: CustomerAccumulator, rows: [string, number][]): void => {
    const ref = reference(rows);
    const got = acc.summaries(1000);
    expect(got.map((s) => s.customerId)).toEqual([...ref.keys()].sort());
    for (const s of got) {
      const e = ref.get(s.customerId)!;
      const days = [...e.days];
      expect([s.orders, s.purchaseDays, s.firstDay, s.lastDay]).toEqual([e.orders, e.days.size, Math.min(...days), Math.max(...days)]);
    }
  };
  const row = fc.tuple(fc.integer({ min: 0, max: 24 }).map((c) => `c${c}`), fc.integer({ min: 0, max: 300 }));

  it('property: customers growing through every block size in any interleaving keep exactly their own days', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 1500 }), (rows) => {
        const acc = new CustomerAccumulator(16);
        for (const [id, day] of rows) acc.add(id, day, 1);
        check(acc, rows);
      }),
      { numRuns: 60 },
    );
  });

  it('property: after fromState (blocks of exact, not power-of-two, sizes) new days still land in the right customers', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 600 }), fc.array(row, { maxLength: 600 }), (before, after) => {
        const first = new CustomerAccumulator(16);
        for (const [id, day] of before) first.add(id, day, 1);
        const acc = CustomerAccumulator.fromState(structuredClone(first.toState()));
        for (const [id, day] of after) acc.add(id, day, 1);
        check(acc, [...before, ...after]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('CustomerAccumulator.merge', () => {
  const row = fc.tuple(
    fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: -3000, max: 10000 }).map((c) => c / 100), // money on a cent grid
  );
  it('property: accumulating two halves and merging equals accumulating the whole stream', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.nat(), (rows, cut) => {
        const k = rows.length === 0 ? 0 : cut % (rows.length + 1);
        const whole = new CustomerAccumulator(16);
        const left = new CustomerAccumulator(16);
        const right = new CustomerAccumulator(16);
        rows.forEach(([id, day, m], i) => {
          whole.add(id, day, m);
          (i < k ? left : right).add(id, day, m);
        });
        right.merge(left); // merge in the "wrong" order on purpose: the later half absorbs the earlier
        expect(right.summaries(70)).toEqual(whole.summaries(70));
        expect([right.size, right.refundOnly, right.minDay, right.maxDay]).toEqual([whole.size, whole.refundOnly, whole.minDay, whole.maxDay]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CustomerAccumulator batches', () => {
  const row = fc.tuple(
    fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '客', '𝔘'),
    fc.integer({ min: 0, max: 400 }),
    fc.integer({ min: -3000, max: 10000 }).map((c) => c / 100),
  );
  it('property: rows applied in batches of 64 equal rows applied one at a time (every read flushes)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400 }), (rows) => {
        const batched = new CustomerAccumulator(16);
        const single = new CustomerAccumulator(16);
        const sizes: number[] = [];
        const expectedSizes: number[] = [];
        const seen = new Set<string>();
        for (const [id, day, m] of rows) {
          batched.add(id, day, m);
          single.add(id, day, m);
          seen.add(id);
          sizes.push(single.size); // reading flushes: `single` applies each row as it comes
          expectedSizes.push(seen.size);
        }
        expect(sizes).toEqual(expectedSizes);
        expect(batched.summaries(400)).toEqual(single.summaries(400));
        expect([batched.size, batched.refundOnly, batched.minDay, batched.maxDay]).toEqual([single.size, single.refundOnly, single.minDay, single.maxDay]);
        expect(batched.toState()).toEqual(single.toState());
      }),
      { numRuns: 200 },
    );
  });
});

describe('CustomerAccumulator.toState / fromState (worker threads)', () => {
  const row = fc.tuple(
    fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: -3000, max: 10000 }).map((c) => c / 100),
  );
  it('property: shares rebuilt from plain data and merged equal the whole stream', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.nat(), (rows, cut) => {
        const k = rows.length === 0 ? 0 : cut % (rows.length + 1);
        const whole = new CustomerAccumulator(16);
        const left = new CustomerAccumulator(16);
        const right = new CustomerAccumulator(16);
        rows.forEach(([id, day, m], i) => {
          whole.add(id, day, m);
          (i < k ? left : right).add(id, day, m);
        });
        // structuredClone = what postMessage does between threads
        const a = CustomerAccumulator.fromState(structuredClone(left.toState()));
        const b = CustomerAccumulator.fromState(structuredClone(right.toState()));
        expect(a.summaries(70)).toEqual(left.summaries(70));
        a.merge(b);
        a.add('z', 61, 5); // a rebuilt accumulator keeps accepting rows
        whole.add('z', 61, 5);
        expect(a.summaries(70)).toEqual(whole.summaries(70));
        expect([a.size, a.refundOnly, a.minDay, a.maxDay]).toEqual([whole.size, whole.refundOnly, whole.minDay, whole.maxDay]);
      }),
    );
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'CustomerAccumulator on CDNOW sample (REFERENCE.md §6)' : SKIP_SHARED_REASON, () => {
  it('calibration end 1997-09-30: 2,357 customers, Σ frequency 2,457, 1,411 zeros, mean recency/T in weeks, revenue', () => {
    const end = dayFromCivil(1997, 9, 30);
    const acc = new CustomerAccumulator();
    let lines = 0;
    for (const line of readFileSync(sharedFile('lifetimes_CDNOW_sample.txt'), 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      const ymd = f[2]!;
      const day = dayFromCivil(+ymd.slice(0, 4), +ymd.slice(4, 6), +ymd.slice(6, 8));
      if (day > end) continue;
      lines++;
      acc.add(f[1]!, day, +f[4]!);
    }
    const s = acc.summaries(end);
    const sum = (g: (x: (typeof s)[number]) => number): number => s.reduce((a, x) => a + g(x), 0);
    expect(lines).toBe(4960);
    expect(s.length).toBe(2357);
    expect(sum((x) => x.purchaseDays)).toBe(4814);
    expect(sum((x) => x.frequency)).toBe(2457);
    expect(s.filter((x) => x.frequency === 0).length).toBe(1411);
    expect(sum((x) => x.revenue)).toBeCloseTo(173115.55, 6);
    expect(sum((x) => x.recency!) / 7 / 2357).toBeCloseTo(6.8458, 4);
    expect(sum((x) => x.T!) / 7 / 2357).toBeCloseTo(32.7159, 4);
    // Gamma-Gamma input over the 946 repeaters: mean 35.0778, min 2.99, max 299.63 (REFERENCE §2)
    const m = s.filter((x) => x.repeatAvgValue !== null).map((x) => x.repeatAvgValue!);
    expect(m.length).toBe(946);
    expect(m.reduce((a, b) => a + b, 0) / 946).toBeCloseTo(35.0778, 4);
    expect(Math.min(...m)).toBeCloseTo(2.99, 2);
    expect(Math.max(...m)).toBeCloseTo(299.63, 2); // REFERENCE prints it to 2 decimals
    // and each customer's zbar matches lifetimes' file to its 2-decimal rounding (SOURCES.md: max abs diff 0.01)
    const zbar = readFileSync(sharedFile('lifetimes_cdnow_customers_summary_with_transactions.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    let worst = 0;
    for (const line of zbar) {
      const [id, x, , , z] = line.split(',');
      const c = s[+id! - 1]!;
      expect(c.frequency).toBe(+x!);
      if (c.repeatAvgValue !== null) worst = Math.max(worst, Math.abs(c.repeatAvgValue - +z!));
    }
    expect(worst).toBeLessThanOrEqual(0.0100001);
  });
});

describe('CustomerAccumulator: summaries are sorted by id in UTF-16 code-unit order', () => {
  it('equals sorting with a < b, for ASCII, prefixes, case, non-ASCII and astral ids; refund-only customers left out (property)', () => {
    const pieces = ['C', 'c', '0', '1', '9', '10', ' ', '-', 'é', 'Z', '客', '户', '😀', '\uffff', 'ﬀ', '\u0000'];
    const id = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.integer({ min: -50, max: 100 })), { maxLength: 80 }), (rows) => {
        const acc = new CustomerAccumulator();
        rows.forEach(([cid, amount], k) => acc.add(cid, 20000 + k, amount));
        const withPurchase = new Set(rows.filter(([, a]) => a >= 0).map(([cid]) => cid));
        const want = [...withPurchase].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(acc.summaries(20100).map((s) => s.customerId)).toEqual(want);
        expect(acc.refundOnly).toBe(new Set(rows.map(([cid]) => cid)).size - withPurchase.size);
      }),
      { numRuns: 500 },
    );
  });
});
