/**
 * The changes section from a previous table streamed in blocks (PreviousStream: one reading,
 * no row kept) equals the one from the whole table (changes), on generated sorted tables that
 * mix the 11-segment map, zh8 names, unknown and empty names, ties and NaN revenues.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { changes, PREVIOUS_TABLE_FIELDS, PreviousStream } from '../../../src/core/report/changes.js';
import { CustomerTableBuilder, readCustomerTable, type CustomerTable } from '../../../src/core/report/customer-record.js';

const HEADER = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last', 'abc_class', 'value_tier', 'rfm_segment', 'rfm_segment_en', 'sleep_state', 'churn_risk', 'value_at_risk'];
const NAMES = ['Champions', 'Lost', 'At Risk', 'Hibernating', '重要价值客户', '一般挽留客户', 'someday', ''];
const row = fc.record({
  orders: fc.integer({ min: 1, max: 4 }),
  revenue: fc.oneof(fc.constantFrom('10', '20', '', '-5'), fc.integer({ min: 0, max: 50 }).map(String)),
  dsl: fc.integer({ min: 0, max: 9 }),
  abc: fc.constantFrom('A', 'B', 'C'),
  tier: fc.constantFrom('vip', 'key', 'ordinary'),
  seg: fc.constantFrom(...NAMES),
  segEn: fc.constantFrom('', 'important value', 'general winback', 'Champions'),
  state: fc.constantFrom('active', 'light-sleep', 'deep-sleep', 'lost', ''),
  churn: fc.constantFrom('low', 'high', ''),
  risk: fc.constantFrom('', '0', '3.5', '7'),
});
type Row = typeof row extends fc.Arbitrary<infer R> ? R : never;
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
const table = fc.tuple(fc.subarray(IDS), fc.array(row, { minLength: IDS.length, maxLength: IDS.length }), fc.boolean());

function cells(ids: string[], rows: Row[], segments: boolean): string[][] {
  return ids.map((id, i) => {
    const r = rows[i]!;
    return [id, String(r.orders), String(r.orders), r.revenue, '2024-01-01', '2024-02-01', String(r.dsl), r.abc, r.tier, segments ? r.seg : '', segments ? r.segEn : '', r.state, r.churn, r.risk];
  });
}

/** The previous table as the stream sees it: blocks of `size` rows of the lean table, read once. */
function streamed(cur: CustomerTable, prevCells: string[][], size: number, top: number) {
  const blocks: CustomerTable[] = [];
  for (let s = 0; s < prevCells.length; s += size) {
    const b = new CustomerTableBuilder(HEADER, 16, PREVIOUS_TABLE_FIELDS.numeric, PREVIOUS_TABLE_FIELDS.text);
    for (const r of prevCells.slice(s, s + size)) b.add(r);
    blocks.push(b.finish());
  }
  const st = new PreviousStream(cur, top);
  for (const b of blocks) st.add(b);
  return st.streamable ? st.finish() : undefined;
}

describe('PreviousStream', () => {
  it('gives the changes of the whole table, for any block size', () => {
    fc.assert(
      fc.property(table, table, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), ([ci, cr, cs], [pi, pr, ps], size, top) => {
        const cur = readCustomerTable(HEADER, cells(ci, cr, cs));
        const prevCells = cells(pi, pr, ps);
        const whole = changes(cur, readCustomerTable(HEADER, prevCells, PREVIOUS_TABLE_FIELDS.numeric), top);
        expect(streamed(cur, prevCells, size, top)).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('counts a hand-made pair: migration, new, lost (top by revenue, ties by id), newly sleeping', () => {
    const cur = readCustomerTable(HEADER, [
      ['a', '2', '2', '50', '2024-01-01', '2024-02-01', '3', 'A', 'vip', 'Lost', '', 'deep-sleep', 'high', '7'],
      ['c', '1', '1', '10', '2024-01-01', '2024-02-01', '3', 'C', 'ordinary', 'Champions', '', 'active', 'low', '0'],
    ]);
    const prev = [
      ['a', '2', '2', '40', '2024-01-01', '2024-02-01', '1', 'A', 'vip', 'Champions', '', 'active', 'low', '0'],
      ['b', '1', '1', '30', '2024-01-01', '2024-02-01', '1', 'C', 'ordinary', 'At Risk', '', 'lost', 'high', '2'],
      ['d', '1', '1', '30', '2024-01-01', '2024-02-01', '1', 'C', 'ordinary', 'Lost', '', 'lost', 'high', ''],
    ];
    const c = streamed(cur, prev, 2, 5)!;
    expect(c.in_both).toBe(1);
    expect(c.migration).toEqual({ from: ['champions'], to: ['lost'], counts: [[1]] });
    expect(c.newly_sleeping.customers).toBe(1);
    expect(c.newly_sleeping.value_at_risk).toBe(7);
    expect(c.high_value_at_risk.top.map((p) => [p.customer_id, p.previous_segment])).toEqual([['a', 'champions']]);
    expect(c.new_customers.top.map((p) => p.customer_id)).toEqual(['c']);
    expect(c.lost_from_table).toEqual({
      customers: 2,
      revenue: 60,
      top: [
        { customer_id: 'b', segment: null, previous_segment: 'at_risk', state: 'lost', revenue: 30, value_at_risk: 2 },
        { customer_id: 'd', segment: null, previous_segment: 'lost', state: 'lost', revenue: 30, value_at_risk: null },
      ],
    });
  });

  it('computes zh8 keys against the means of all previous rows when the previous table has no segment columns', () => {
    const keep = HEADER.map((_, c) => c).filter((c) => !HEADER[c]!.startsWith('rfm_segment'));
    const r = (id: string, dsl: string, rev: string) => [id, '1', '1', rev, '2024-01-01', '2024-02-01', dsl, 'C', 'ordinary', 'Lost', 'Lost', 'lost', 'low', '1'];
    const cur = readCustomerTable(HEADER, [r('a', '1', '10'), r('c', '9', '90'), r('e', '2', '5')]);
    const prevCells = [r('a', '2', '50'), r('b', '1', '80'), r('c', '3', '1'), r('d', '8', '5')].map((row) => keep.map((c) => row[c]!));
    const prevHeader = keep.map((c) => HEADER[c]!);
    const whole = changes(cur, readCustomerTable(prevHeader, prevCells, PREVIOUS_TABLE_FIELDS.numeric), 3);
    expect(whole.map).toBe('zh8');
    const st = new PreviousStream(cur, 3);
    for (let s = 0; s < prevCells.length; s += 3) {
      const b = new CustomerTableBuilder(prevHeader, 4, PREVIOUS_TABLE_FIELDS.numeric, PREVIOUS_TABLE_FIELDS.text);
      for (const row of prevCells.slice(s, s + 3)) b.add(row);
      st.add(b.finish());
    }
    const c = st.finish();
    expect(c).toEqual(whole);
    // Means of the previous rows: 3.5 days, 1 order, 34 revenue: a recent with high revenue, c recent with low.
    expect(c.migration.from).toEqual(['important_develop', 'general_develop']);
    expect(c.lost_from_table.top.map((p) => [p.customer_id, p.previous_segment])).toEqual([['b', 'important_develop'], ['d', 'general_winback']]);
  });

  it('is not streamable when either table is out of id order', () => {
    const r = (id: string) => [id, '1', '1', '10', '2024-01-01', '2024-02-01', '3', 'C', 'ordinary', 'Lost', '', 'lost', 'high', '1'];
    const sorted = readCustomerTable(HEADER, [r('a'), r('b')]);
    expect(streamed(sorted, [r('b'), r('a')], 1, 3)).toBeUndefined();
    expect(streamed(sorted, [r('a'), r('a')], 1, 3)).toBeUndefined();
    expect(streamed(readCustomerTable(HEADER, [r('b'), r('a')]), [r('a'), r('b')], 1, 3)).toBeUndefined();
  });
});
