import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { detectCustomerTable, layoutNeedsAsOf, rowToSummary } from '../../../src/core/aggregate/customer-table-input.js';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { summaryToCells } from '../../../src/core/customer-table/cells.js';
import { SUMMARY_COLUMNS } from '../../../src/core/customer-table/schema.js';
import { parseIsoDay } from '../../../src/core/time/day.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';

const d = (s: string): number => parseIsoDay(s)!;

describe('summaryToCells', () => {
  it('formats one hand-built customer', () => {
    const acc = new CustomerAccumulator();
    acc.add('c1', d('2024-01-01'), 10.5);
    acc.add('c1', d('2024-01-04'), 20);
    acc.add('c1', d('2024-01-11'), 0.1);
    const [s] = acc.summaries(d('2024-01-31'));
    // orders 3, days 3, revenue 30.6, aov 10.2, days since last 20, tenure 30,
    // mean interval 10/2 = 5, frequency 2, recency 10, T 30, repeat avg (20 + 0.1)/2 = 10.05
    expect(SUMMARY_COLUMNS.length).toBe(14);
    expect(summaryToCells(s!)).toEqual(['c1', '3', '3', '30.6', '10.2', '2024-01-01', '2024-01-11', '20', '30', '5', '2', '10', '30', '10.05']);
  });

  it('writes null as empty and rounds the mean interval to 6 decimals', () => {
    const acc = new CustomerAccumulator();
    acc.add('x', 0, 1);
    acc.add('x', 1, 1);
    acc.add('x', 3, 1);
    acc.add('x', 10, 1);
    acc.add('y', 5, 2);
    const [x, y] = acc.summaries(10);
    expect(summaryToCells(x!)[9]).toBe('3.333333'); // 10 / 3
    expect(summaryToCells(y!).slice(9)).toEqual(['', '0', '0', '5', '']);
  });
});

describe('detectCustomerTable / rowToSummary', () => {
  it('custkit layout round-trips its own cells, recovering as-of from days_since_last', () => {
    const acc = new CustomerAccumulator();
    const rows: [string, number, number][] = [['a', 3, 10], ['a', 9, 5.25], ['a', 9, 1], ['b', 7, 3], ['c', 1, 2], ['c', 2, -1], ['c', 30, 7.125]];
    for (const [id, day, m] of rows) acc.add(id, day, m);
    const orig = acc.summaries(40);
    const layout = detectCustomerTable([...SUMMARY_COLUMNS])!;
    expect(layout.kind).toBe('custkit');
    expect(layoutNeedsAsOf(layout)).toBe(false);
    const back = orig.map((s) => rowToSummary(layout, summaryToCells(s), null) as CustomerSummary);
    expect(back).toEqual(orig);
  });

  it('last-order layout: needs as-of, fills purchase_days = orders and unknown first day with null', () => {
    const layout = detectCustomerTable(['Customer_ID', 'last_order', 'orders', 'revenue'])!;
    expect(layout.kind).toBe('last-order');
    expect(rowToSummary(layout, ['k', '2024-03-01', '4', '100'], null)).toEqual({
      error: 'an as-of date is needed to compute days since the last order', column: 'last_order',
    });
    const s = rowToSummary(layout, ['k', '2024-03-01', '4', '100'], d('2024-03-31')) as CustomerSummary;
    // days since last = 30; frequency = 4 - 1; aov 25; spans unknown
    expect([s.daysSinceLast, s.purchaseDays, s.frequency, s.avgOrderValue, s.firstDay, s.recency, s.T, s.meanIntervalDays, s.repeatAvgValue]).toEqual([
      30, 4, 3, 25, null, null, null, null, null,
    ]);
  });

  it('recency layout (R rfm customer-level names) and row errors naming the column', () => {
    const layout = detectCustomerTable(['customer_id', 'revenue', 'number_of_orders', 'recency_days'])!;
    expect(layout.kind).toBe('recency');
    const s = rowToSummary(layout, ['1', '777', '9', '232'], d('2007-01-01')) as CustomerSummary;
    // last order = 2007-01-01 − 232 days = 2006-05-14 (the file's most_recent_visit for this customer)
    expect([s.lastDay, s.daysSinceLast, s.orders, s.revenue]).toEqual([d('2006-05-14'), 232, 9, 777]);
    expect(rowToSummary(layout, ['1', '777', '9.5', '232'], 0)).toEqual({ error: 'order count is not a non-negative integer: "9.5"', column: 'number_of_orders' });
    expect(rowToSummary(layout, ['1', 'x', '9', '232'], 0)).toEqual({ error: 'not a number: "x"', column: 'revenue' });
    expect(rowToSummary(layout, ['1', '7', '9', '-2'], 0)).toMatchObject({ column: 'recency_days' });
  });

  it('rejects headers that are not per-customer tables', () => {
    expect(detectCustomerTable(['customer_id', 'order_date', 'amount'])).toBeNull();
    expect(detectCustomerTable(['id', 'orders', 'revenue', 'last_order'])).toBeNull();
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'rfm_data_customer.csv (REFERENCE.md §5 "Customer-level data")' : SKIP_SHARED_REASON, () => {
  it('39,999 customers, Σ orders 393,223, revenue 37,537,400; most_recent_visit agrees with recency_days at 2007-01-01', () => {
    const lines = readFileSync(sharedFile('rfm_data_customer.csv'), 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const layout = detectCustomerTable(header)!;
    expect(layout.kind).toBe('last-order'); // a date column wins over recency_days
    const rIdx = header.indexOf('recency_days');
    let orders = 0, revenue = 0, mismatch = 0;
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const s = rowToSummary(layout, cells, d('2007-01-01')) as CustomerSummary;
      orders += s.orders;
      revenue += s.revenue;
      if (s.daysSinceLast !== +cells[rIdx]!) mismatch++;
    }
    expect(lines.length - 1).toBe(39999);
    expect(orders).toBe(393223);
    expect(revenue).toBe(37537400);
    expect(mismatch).toBe(0);
  });
});
