import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createRowConverter, parseTimeOfDay, REJECT_REASONS, type RowConverterOptions, type RowProblem } from '../../../src/core/ingest/row-converter.js';
import { resolveMapping } from '../../../src/core/ingest/columns.js';
import type { Transaction } from '../../../src/core/types.js';

const converterFor = (header: string[], extra: Partial<RowConverterOptions> = {}, keep: string[] = []) => {
  const m = resolveMapping({ header, columnCount: header.length, overrides: {}, keep });
  return createRowConverter({ fields: m.fields, dims: m.dims, decimal: '.', dateFormat: 'ymd', fileNumber: 1, hasOrderId: m.fields.order_id !== undefined, ...extra });
};
const isProblem = (r: Transaction | RowProblem): r is RowProblem => 'reason' in r;

describe('createRowConverter: accepted rows', () => {
  const conv = converterFor(['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country', 'Status'], {}, ['Country']);
  it('UCI-like row: amount = quantity × unit price, id from float text, time kept', () => {
    // 6 × 2.55 = 15.3 exactly after roundMoney (15.299999999999999 in floating point)
    const r = conv(['536365', '85123A', '6', '2010-12-01 08:26:00', '2.55', '17850.0', ' United Kingdom ', ' paid '], 2);
    expect(r).toEqual({
      customerId: '17850',
      orderId: '536365',
      day: 14944, // 2010-12-01: 40 years × 365 + 10 leap days (1972…2008) = 14610 for 2010-01-01; + 334 (Jan…Nov)
      amount: 15.3,
      quantity: 6,
      status: 'paid',
      time: '08:26:00',
      item: '85123A',
      dims: ['United Kingdom'],
    });
  });
  it('negative quantities stay negative (returns)', () => {
    const r = conv(['C536379', 'D', '-1', '2010-12-01 09:41:00', '27.50', '14527.0', 'UK', ''], 3) as Transaction;
    expect([r.amount, r.quantity, r.status]).toEqual([-27.5, -1, '']);
  });
  it('synthesises order ids `~<file>.<line>` when the source has none', () => {
    const c = converterFor(['customer_id', 'order_date', 'amount'], { fileNumber: 3 });
    expect((c(['a', '2026-03-05', '1'], 17) as Transaction).orderId).toBe('~3.17');
    expect((c(['a', '2026-03-05', '1'], 17) as Transaction).item).toBeNull();
    expect((c(['a', '2026-03-05', '1'], 17) as Transaction).quantity).toBeNull();
    const withId = converterFor(['order_id', 'customer_id', 'order_date', 'amount'], { fileNumber: 2 });
    expect((withId(['', 'a', '2026-03-05', '1'], 9) as Transaction).orderId).toBe('~2.9'); // empty cell too
    expect((withId([' A-1 ', 'a', '2026-03-05', '1'], 9) as Transaction).orderId).toBe('A-1');
  });
  it('withTime false drops the time; order_time column supplies it', () => {
    const c = converterFor(['customer_id', 'order_date', 'amount'], { withTime: false });
    expect((c(['a', '2026-03-05 10:00', '1'], 2) as Transaction).time).toBeNull();
    const t = converterFor(['customer_id', 'order_date', 'time', 'amount']);
    expect((t(['a', '2026-03-05', '9:05', '1'], 2) as Transaction).time).toBe('09:05:00');
    expect((t(['a', '2026-03-05', '', '1'], 2) as Transaction).time).toBeNull();
  });
  it('decimal comma and dmy', () => {
    const c = converterFor(['Kunde', 'customer_id', 'Datum', 'date', 'amount'], { decimal: ',', dateFormat: 'dmy' });
    const r = c(['x', 'K1', '', '05.03.2026', '1.234,50 €'], 2) as Transaction;
    expect([r.customerId, r.amount]).toEqual(['K1', 1234.5]);
    expect(r.day).toBe(20517); // 2026-03-05 (see dates.test.ts)
  });
});

describe('createRowConverter: one reject per reason', () => {
  const conv = converterFor(['order_id', 'customer_id', 'order_date', 'amount', 'quantity']);
  const qp = converterFor(['customer_id', 'order_date', 'qty', 'price']);
  const timed = converterFor(['customer_id', 'order_date', 'order_time', 'amount']);
  const cases: [string, () => Transaction | RowProblem, keyof typeof REJECT_REASONS, string][] = [
    ['empty customer', () => conv(['1', ' ', '2026-03-05', '1', '1'], 2), 'missing_customer_id', 'customer_id'],
    ['NA customer', () => conv(['1', 'NA', '2026-03-05', '1', '1'], 2), 'missing_customer_id', 'customer_id'],
    ['empty date', () => conv(['1', 'c', '', '1', '1'], 2), 'missing_date', 'order_date'],
    ['invalid date', () => conv(['1', 'c', '2026-02-30', '1', '1'], 2), 'bad_date', 'order_date'],
    ['junk date', () => conv(['1', 'c', 'yesterday', '1', '1'], 2), 'bad_date', 'order_date'],
    ['empty amount', () => conv(['1', 'c', '2026-03-05', '', '1'], 2), 'missing_amount', 'amount'],
    ['bad amount', () => conv(['1', 'c', '2026-03-05', '12abc', '1'], 2), 'bad_amount', 'amount'],
    ['bad quantity', () => conv(['1', 'c', '2026-03-05', '1', 'two'], 2), 'bad_quantity', 'quantity'],
    ['qty×price, empty qty', () => qp(['c', '2026-03-05', '', '2'], 2), 'missing_amount', 'quantity'],
    ['qty×price, empty price', () => qp(['c', '2026-03-05', '2', ''], 2), 'missing_amount', 'unit_price'],
    ['qty×price, bad price', () => qp(['c', '2026-03-05', '2', 'free'], 2), 'bad_unit_price', 'unit_price'],
    ['bad time', () => timed(['c', '2026-03-05', '25:99', '1'], 2), 'bad_time', 'order_time'],
    ['short row', () => conv(['1', 'c'], 2), 'missing_date', 'order_date'],
  ];
  for (const [name, run, reason, column] of cases)
    it(`${name} → ${reason}`, () => {
      const r = run();
      expect(isProblem(r) && r.reason).toBe(reason);
      expect((r as RowProblem).column).toBe(column);
      expect((r as RowProblem).detail.length).toBeGreaterThan(0);
    });
  it('names the source column when given the header', () => {
    const c = createRowConverter({ fields: { customer_id: 0, order_date: 1, amount: 2 }, dims: [], decimal: '.', dateFormat: 'ymd', fileNumber: 1, hasOrderId: false, header: ['Email', 'Created at', 'Total'] });
    expect(c(['e', '2026-03-05', 'x'], 2)).toEqual({ reason: 'bad_amount', column: 'Total', detail: '"x" is not a number' });
  });
  it('reject codes are stable snake_case with a description', () => {
    expect(Object.keys(REJECT_REASONS)).toEqual([
      'missing_customer_id', 'missing_date', 'bad_date', 'bad_time', 'missing_amount', 'bad_amount', 'bad_quantity', 'bad_unit_price', 'ragged_row', 'unbalanced_quote', 'truncated_last_line',
    ]);
    for (const d of Object.values(REJECT_REASONS)) expect(d.length).toBeGreaterThan(10);
  });
});

describe('parseTimeOfDay', () => {
  it('accepts H:MM, H:MM:SS, AM/PM', () => {
    expect([parseTimeOfDay('9:05'), parseTimeOfDay('23:59:59'), parseTimeOfDay('2:03 PM'), parseTimeOfDay('24:00')]).toEqual(['09:05:00', '23:59:59', '14:03:00', null]);
  });
});

describe('property: never throws on arbitrary cells', () => {
  it('returns a Transaction or a RowProblem', () => {
    const c = converterFor(['customer_id', 'order_date', 'qty', 'price', 'status', 'sku'], { dateFormat: 'auto' });
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 7 }), fc.nat(), (cells, line) => {
        const r = c(cells, line);
        if (isProblem(r)) expect(Object.keys(REJECT_REASONS)).toContain(r.reason);
        else expect(Number.isFinite(r.amount) && r.customerId !== '').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
