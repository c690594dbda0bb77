import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createRowConverter, parseTimeOfDay, REJECT_REASONS, type RowConverterOptions, type RowProblem } from '../../../src/core/ingest/row-converter.js';
import { resolveMapping } from '../../../src/core/ingest/columns.js';
import type { Transaction } from '../../../src/core/types.js';
import { dayFromCivil } from '../../../src/core/time/day.js';
import { formatMoney } from '../../../src/core/money.js';
import { canonicalLayout, parseCanonicalRow } from '../../../src/pipeline/canonical.js';

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
  const windowed = converterFor(['customer_id', 'order_date', 'amount'], { dateWindow: { from: dayFromCivil(1900, 1, 1), to: dayFromCivil(2026, 12, 6) } });
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
    ['NUL in the customer id', () => conv(['1', 'C1\u0000', '2026-03-05', '1', '1'], 2), 'bad_customer_id', 'customer_id'],
    ['line break inside the customer id', () => conv(['1', 'C\n1', '2026-03-05', '1', '1'], 2), 'bad_customer_id', 'customer_id'],
    ['amount 1e303', () => conv(['1', 'c', '2026-03-05', '1e303', '1'], 2), 'amount_out_of_range', 'amount'],
    ['amount -1e400', () => conv(['1', 'c', '2026-03-05', '-1e400', '1'], 2), 'amount_out_of_range', 'amount'],
    ['30-digit amount', () => conv(['1', 'c', '2026-03-05', '123456789012345678901234567890', '1'], 2), 'amount_out_of_range', 'amount'],
    ['quantity 1e13', () => conv(['1', 'c', '2026-03-05', '1', '1e13'], 2), 'amount_out_of_range', 'quantity'],
    ['qty×price, price 1e300', () => qp(['c', '2026-03-05', '2', '1e300'], 2), 'amount_out_of_range', 'unit_price'],
    ['qty×price, product ≥ 1e12', () => qp(['c', '2026-03-05', '200000', '9999999.5'], 2), 'amount_out_of_range', 'quantity×unit_price'],
    ['date 9999-12-31, window to 2026-12-06', () => windowed(['c', '9999-12-31', '1'], 2), 'implausible_date', 'order_date'],
    ['date 0001-01-01', () => windowed(['c', '0001-01-01', '1'], 2), 'implausible_date', 'order_date'],
    ['date 1899-12-31', () => windowed(['c', '1899-12-31', '1'], 2), 'implausible_date', 'order_date'],
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
      'missing_customer_id', 'bad_customer_id', 'missing_date', 'bad_date', 'implausible_date', 'bad_time', 'missing_amount', 'bad_amount', 'bad_quantity', 'bad_unit_price', 'amount_out_of_range', 'bad_refund', 'bad_paid_at', 'ragged_row', 'unbalanced_quote',
      'truncated_last_line',
    ]);
    for (const d of Object.values(REJECT_REASONS)) expect(d.length).toBeGreaterThan(10);
  });
});

describe('createRowConverter: date window, ids', () => {
  const window = { from: dayFromCivil(1900, 1, 1), to: dayFromCivil(2026, 12, 6) };
  it('the window is inclusive at both ends; without an upper bound any later date passes', () => {
    const c = converterFor(['customer_id', 'order_date', 'amount'], { dateWindow: window });
    expect((c(['a', '1900-01-01', '1'], 2) as Transaction).day).toBe(window.from);
    expect((c(['a', '2026-12-06', '1'], 2) as Transaction).day).toBe(window.to);
    expect(c(['a', '2026-12-07', '1'], 2)).toEqual({ reason: 'implausible_date', column: 'order_date', detail: '"2026-12-07" is after 2026-12-06, outside the plausible window (--date-window)' });
    const open = converterFor(['customer_id', 'order_date', 'amount'], { dateWindow: { from: window.from, to: null } });
    expect((open(['a', '9999-12-31', '1'], 2) as Transaction).day).toBe(dayFromCivil(9999, 12, 31));
  });
  it('ids are kept as written; --fold-ids folds them and reports each fold', () => {
    const c = converterFor(['customer_id', 'order_date', 'amount']);
    expect((c(['＝1+1', '2026-03-05', '1'], 2) as Transaction).customerId).toBe('＝1+1');
    expect((c([' =1+1 ', '2026-03-05', '1'], 2) as Transaction).customerId).toBe('=1+1');
    const folds: [string, string][] = [];
    const f = converterFor(['customer_id', 'order_date', 'amount'], { foldIds: true, onFold: (a, b) => folds.push([a, b]) });
    expect((f(['＝1+1', '2026-03-05', '1'], 2) as Transaction).customerId).toBe('=1+1');
    expect((f(['=1+1', '2026-03-05', '1'], 3) as Transaction).customerId).toBe('=1+1');
    expect(folds).toEqual([['＝1+1', '=1+1']]);
  });
});

describe('parseTimeOfDay', () => {
  it('accepts H:MM, H:MM:SS, AM/PM', () => {
    expect([parseTimeOfDay('9:05'), parseTimeOfDay('23:59:59'), parseTimeOfDay('2:03 PM'), parseTimeOfDay('24:00')]).toEqual(['09:05:00', '23:59:59', '14:03:00', null]);
  });
});

describe('property: what ingest accepts, the canonical reader reads back unchanged', () => {
  it('amounts and quantity × unit price of any magnitude and precision (up to 20 digits)', () => {
    const c = converterFor(['customer_id', 'order_date', 'qty', 'price']);
    const a = converterFor(['customer_id', 'order_date', 'amount', 'quantity']);
    const L = canonicalLayout(['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status'], 'tx.csv');
    const decimal = fc.tuple(fc.boolean(), fc.stringMatching(/^[1-9][0-9]{0,12}$/), fc.stringMatching(/^[0-9]{0,7}$/)).map(([neg, w, f]) => `${neg ? '-' : ''}${w}${f ? '.' + f : ''}`);
    fc.assert(
      fc.property(decimal, decimal, (x, y) => {
        for (const r of [c(['k', '2026-03-05', x, y], 2), a(['k', '2026-03-05', x, y], 2)]) {
          if (isProblem(r)) {
            expect(['amount_out_of_range']).toContain(r.reason);
            continue;
          }
          const back = parseCanonicalRow(['k', 'o', '2026-03-05', formatMoney(r.amount), r.quantity === null ? '' : formatMoney(r.quantity), ''], 2, L, 'tx.csv');
          expect([x, y, back.amount, back.quantity]).toEqual([x, y, r.amount, r.quantity]);
          expect(formatMoney(back.amount)).toBe(formatMoney(r.amount));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('property: never throws on arbitrary cells', () => {
  it('returns a Transaction or a RowProblem', () => {
    const c = converterFor(['customer_id', 'order_date', 'qty', 'price', 'status', 'sku'], { dateFormat: 'auto' });
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 7 }), fc.nat(), (cells, line) => {
        const r = c(cells, line);
        if (isProblem(r)) expect(Object.keys(REJECT_REASONS)).toContain(r.reason);
        else expect(Number.isFinite(r.amount) && Math.abs(r.amount) < 1e12 && r.customerId !== '').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('createRowConverter: refund and paid_at columns', () => {
  const conv = converterFor(['customer_id', 'order_date', 'amount', '退款金额', '订单付款时间']);
  it('reads the refund (empty = 0) and the payment time (empty = unpaid)', () => {
    expect(conv(['C1', '2024-03-01', '100', '30.5', '2024-03-01 10:00:02'], 2)).toMatchObject({ amount: 100, refund: 30.5, paidAt: '2024-03-01 10:00:02' });
    expect(conv(['C1', '2024-03-01', '100', '', ''], 3)).toMatchObject({ refund: 0, paidAt: '' });
    expect(conv(['C1', '2024-03-01', '100', '0', '2024-03-02'], 3)).toMatchObject({ paidAt: '2024-03-02' });
  });
  it('rejects a refund that is not a number and a payment time that is not a date', () => {
    expect(conv(['C1', '2024-03-01', '100', 'yes', ''], 4)).toEqual({ reason: 'bad_refund', column: 'refund', detail: '"yes" is not a number' });
    expect(conv(['C1', '2024-03-01', '100', '0', 'soon'], 5)).toEqual({ reason: 'bad_paid_at', column: 'paid_at', detail: '"soon" is not a valid ymd date' });
  });
  it('leaves both fields out of transactions from files without those columns', () => {
    const r = converterFor(['customer_id', 'order_date', 'amount'])(['C1', '2024-03-01', '5'], 2) as Transaction;
    expect('refund' in r || 'paidAt' in r).toBe(false);
  });
});
