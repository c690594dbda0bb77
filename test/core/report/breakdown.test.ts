import { describe, expect, it } from 'vitest';
import { breakdown } from '../../../src/core/report/breakdown.js';
import { buildReport } from '../../../src/core/report/build-report.js';
import { CustomerTableBuilder } from '../../../src/core/report/customer-record.js';
import { roundMoney } from '../../../src/core/money.js';

const HEADER = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last', 'abc_class', 'value_tier', 'rfm_segment', 'sleep_state', 'clv', 'country'];
const ROWS = [
  ['a', '3', '3', '100.1', '2024-01-01', '2024-06-01', '10', 'A', 'vip', 'Champions', 'active', '50.5', 'DE'],
  ['b', '1', '1', '0.2', '2024-02-01', '2024-02-01', '130', 'C', 'ordinary', 'Lost', 'lost', '0', 'DE'],
  ['c', '2', '2', '40.3', '2024-01-05', '2024-05-01', '41', 'B', 'key', 'Loyal', 'drowsy', '12.25', 'FR'],
  ['d', '1', '1', '10.4', '2024-03-01', '2024-03-01', '101', 'C', 'ordinary', 'Lost', 'lost', '1', ''],
  ['e', '1', '1', '5.5', '2024-03-01', '2024-03-01', '101', 'C', 'ordinary', 'Hibernating', 'deep-sleep', '0.5', 'IT'],
  ['f', '1', '1', '7.7', '2024-04-01', '2024-04-01', '71', 'C', 'ordinary', 'Hibernating', 'active', '2', 'ES'],
];

function table(): ReturnType<CustomerTableBuilder['finish']> {
  const b = new CustomerTableBuilder(HEADER, 16, 'all', undefined, ['country']);
  for (const r of ROWS) b.add(r);
  return b.finish();
}

describe('breakdown by attribute', () => {
  it('top N values by revenue, the rest as "other"; revenue sums to the total', () => {
    const t = table();
    const b = breakdown(t, 'country', t.attrs!.country!, 2);
    expect(b.rows.map((r) => [r.kind, r.value, r.values, r.customers, r.revenue])).toEqual([
      ['value', 'DE', 1, 2, 100.3],
      ['value', 'FR', 1, 1, 40.3],
      ['other', null, 3, 3, 23.6],
    ]);
    const total = b.rows.reduce((s, r) => roundMoney(s + r.revenue), 0);
    expect(total).toBe(b.revenue);
    expect(b.revenue).toBe(164.2);
    expect(b.rows.reduce((s, r) => s + r.customers, 0)).toBe(6);
    expect(b.distinct_values).toBe(5);
  });
  it('each row carries its ABC, pyramid and segment mix, sleeping share and CLV', () => {
    const t = table();
    const [de] = breakdown(t, 'country', t.attrs!.country!, 10).rows;
    expect(de).toEqual({
      value: 'DE', kind: 'value', values: 1, customers: 2, customer_share: 0.333333, revenue: 100.3, revenue_share: 0.610840,
      abc: { A: 1, C: 1 }, tiers: { ordinary: 1, vip: 1 }, segments: { Champions: 1, Lost: 1 }, sleeping_share: 0.5, clv: 50.5,
    });
    const all = breakdown(t, 'country', t.attrs!.country!, 10).rows;
    expect(all.map((r) => r.value)).toEqual(['DE', 'FR', '', 'ES', 'IT']);
  });
  it('the report carries breakdowns only when asked for', () => {
    const t = table();
    const base = { lang: 'en' as const, top: 5, generatedBy: 'test' };
    expect(buildReport(t, base).breakdowns).toBeUndefined();
    const m = buildReport(t, { ...base, by: ['country'], byTop: 3 });
    expect(m.breakdowns!.map((b) => [b.attribute, b.rows.length])).toEqual([['country', 4]]);
    expect(m.meta.sections).toContain('breakdowns');
    expect(m.breakdowns![0]!.revenue).toBe(m.overview.revenue);
  });
  it('an attribute the table lacks is a data error naming the attribute columns it has', () => {
    expect(() => new CustomerTableBuilder(HEADER, 16, 'all', undefined, ['region'])).toThrow('--by region: the customer table has no attribute column region (attributes: country)');
    expect(() => new CustomerTableBuilder(HEADER, 16, 'all', undefined, ['revenue'])).toThrow('no attribute column revenue');
  });
});
