import { describe, it, expect } from 'vitest';
import { parseCustomerTable, readCustomerTable, tableFromRecords, textAt } from '../../../src/core/report/customer-record.js';
import { dayFromCivil } from '../../../src/core/time/day.js';
import { CustkitError } from '../../../src/errors.js';

const HEADER = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last', 'mean_interval_days', 'rfm_segment', 'extra'];

describe('parseCustomerTable', () => {
  it('decodes numbers, dates as day numbers, empty optional cells as null, ignores unknown columns', () => {
    const d = parseCustomerTable(HEADER);
    const r = d.decode(['C1', '3', '2', '-12.5', '2024-01-31', '2024-03-01', '30', '', 'Champions', 'whatever']);
    expect(r.customerId).toBe('C1');
    expect(r.orders).toBe(3);
    expect(r.revenue).toBe(-12.5);
    // 2024-01-31 → dayFromCivil; 2024-03-01 is 30 days later (Feb 2024 has 29 days: 29 + 1).
    expect(r.firstOrder).toBe(dayFromCivil(2024, 1, 31));
    expect(r.lastOrder! - r.firstOrder!).toBe(30);
    expect(r.meanIntervalDays).toBeNull();
    expect(r.rfmSegment).toBe('Champions');
    expect(r.clv).toBeNull(); // column absent
    expect(d.present.has('rfmSegment')).toBe(true);
    expect(d.present.has('clv')).toBe(false);
  });

  it('names the column and line of a bad number', () => {
    const d = parseCustomerTable(HEADER);
    for (const bad of ['abc', '0x1f', ' 5', '5 ', 'Infinity', '1,5']) {
      const e = (() => { try { d.decode(['C1', '3', '2', bad, '2024-01-31', '2024-03-01', '30', '', '', ''], 7); } catch (x) { return x; } })();
      expect(e).toBeInstanceOf(CustkitError);
      expect((e as CustkitError).message).toContain('column revenue');
      expect((e as CustkitError).where?.line).toBe(7);
    }
    expect(() => d.decode(['C1', '3', '2', '1', '2024-02-30', '2024-03-01', '30', '', '', ''])).toThrow(/column first_order/);
    expect(() => d.decode(['C1', '', '2', '1', '2024-01-31', '2024-03-01', '30', '', '', ''])).toThrow(/column orders: empty/);
  });

  it('lists every missing required column', () => {
    expect(() => parseCustomerTable(['customer_id', 'orders', 'revenue'])).toThrow(
      'customer table lacks columns purchase_days, last_order, days_since_last',
    );
  });
});

describe('CustomerTable (columnar)', () => {
  it('holds the same values as decode, with NaN / -1 for empty cells, and interns text', () => {
    const rows = [
      ['A', '1', '1', '10', '2024-01-01', '2024-01-01', '5', '', 'Lost', ''],
      ['B', '4', '3', '99.99', '2023-12-01', '2024-01-03', '3', '16.5', 'Lost', ''],
    ];
    const tab = readCustomerTable(HEADER, rows, 'all');
    expect(tab.length).toBe(2);
    expect(Array.from(tab.num.revenue)).toEqual([10, 99.99]);
    expect(Number.isNaN(tab.num.meanIntervalDays[0]!)).toBe(true);
    expect(tab.num.meanIntervalDays[1]).toBe(16.5);
    expect(tab.txt.rfmSegment.values).toEqual(['Lost']); // one interned value for both rows
    expect(textAt(tab.txt.rfmSegment, 1)).toBe('Lost');
    expect(textAt(tab.txt.sleepState, 0)).toBeNull();
    // Round trip through records keeps every value.
    const d = parseCustomerTable(HEADER);
    const again = tableFromRecords(rows.map((r) => d.decode(r)));
    expect(again.ids).toEqual(['A', 'B']);
    expect(Array.from(again.num.lastOrder)).toEqual(Array.from(tab.num.lastOrder));
    expect(again.present.has('meanIntervalDays')).toBe(true);
  });

  it('by default parses only the numeric columns the report reads', () => {
    const rows = [['A', '1', '1', '10', '2024-01-01', '2024-01-01', '5', 'not-a-number', '', '']];
    const tab = readCustomerTable(HEADER, rows); // mean_interval_days is not read by the report
    expect(Number.isNaN(tab.num.meanIntervalDays[0]!)).toBe(true);
    expect(tab.present.has('meanIntervalDays')).toBe(false);
    expect(() => readCustomerTable(HEADER, rows, 'all')).toThrow(/column mean_interval_days/);
  });

  it('grows past its initial capacity', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`C${i}`, '1', '1', String(i), '2024-01-01', '2024-01-01', '0', '', '', '']);
    const tab = readCustomerTable(HEADER, rows);
    expect(tab.length).toBe(5000);
    // Σ 0..4999 = 4999·5000/2
    expect(tab.num.revenue.reduce((a, b) => a + b, 0)).toBe(12497500);
  });
});

describe('CustomerTableBuilder with a nearly unique sleep_reason column', () => {
  it('keeps every value readable past the interning limit (60,000 distinct reasons)', async () => {
    const { CustomerTableBuilder, textAt } = await import('../../../src/core/report/customer-record.js');
    const header = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last', 'abc_class', 'sleep_reason'];
    const b = new CustomerTableBuilder(header, 16);
    for (let i = 0; i < 60_000; i++) b.add([`c${i}`, '1', '1', '10', '2024-01-01', '2024-01-01', '5', i % 2 ? 'A' : 'B', `cycle: ${i}× expected 1 d`]);
    const t = b.finish();
    expect(t.length).toBe(60_000);
    for (const i of [0, 49_999, 50_000, 59_999]) expect(textAt(t.txt.sleepReason, i)).toBe(`cycle: ${i}× expected 1 d`);
    // low-cardinality columns stay interned: two values, equal values share a code
    expect(t.txt.abcClass.values.length).toBe(2);
    expect(t.txt.abcClass.codes[1]).toBe(t.txt.abcClass.codes[59_999]);
  });
});
