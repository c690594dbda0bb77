/**
 * Runs every fixture in fixtures/ingest through the pure ingest core (decode → sniff → map →
 * infer dates → convert) and checks the totals fixtures/ingest/README.md promises. Expected
 * numbers are hand sums of the amounts as written in each file (shown per case).
 * The CSV tokenizing here uses csv-parse; the real streaming path (src/io) is the lead's.
 */
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { formatDay } from '../../../src/core/time/day.js';
import { CustkitError } from '../../../src/errors.js';
import { REPO_ROOT } from '../../helpers/shared.js';
import { ingestPath, type Run } from './harness.js';

const ingest = (name: string, o: Parameters<typeof ingestPath>[1] = {}): Run => ingestPath(resolve(REPO_ROOT, 'fixtures/ingest', name), o);

const days = (r: Run): string[] => r.txs.map((t) => formatDay(t.day) + (t.time ? ' ' + t.time : ''));

describe('fixtures/ingest (the totals in fixtures/ingest/README.md)', () => {
  it('orders_basic.csv: 6 rows, Σ 492.85', () => {
    const r = ingest('orders_basic.csv'); // 120 + 35.5 + 80.25 + 15 + 42.1 + 200
    expect([r.encoding, r.delimiter, r.header, r.txs.length, r.sum]).toEqual(['utf-8', ',', true, 6, 492.85]);
    expect(r.txs[3]).toMatchObject({ customerId: 'C003', orderId: 'O1004', amount: 15, quantity: 3, status: 'refunded' });
  });
  it('orders_shopify_like.csv: 4 rows, Σ 3315.99, quoted commas/quotes/newline', () => {
    const r = ingest('orders_shopify_like.csv'); // 1250 + 45.90 + 19.99 + 2000.10
    expect([r.txs.length, r.sum]).toEqual([4, 3315.99]);
    expect(r.describe).toBe('customer_id←Email, order_id←Name, order_date←Created at, amount←Total, status←Financial Status');
    expect(r.txs.map((t) => t.orderId)).toEqual(['#1001', '#1002', '#1003', '#1004']);
    expect(days(r)[0]).toBe('2026-03-01 10:15:00'); // +0100 ignored
  });
  for (const name of ['orders_zh_utf8_bom.csv', 'orders_gb18030.csv'])
    it(`${name}: 5 rows, Σ 15823`, () => {
      const r = ingest(name); // 1234.50 + 88 + 12000 + 0.50 + 2500
      expect([r.encoding, r.txs.length, r.sum]).toEqual([name.includes('gb') ? 'gb18030' : 'utf-8', 5, 15823]);
      expect(r.describe).toBe('customer_id←客户ID, order_id←订单编号, order_date←下单时间, amount←实付金额, quantity←数量, status←订单状态');
      expect(r.txs[0]).toMatchObject({ customerId: '张三', amount: 1234.5, status: '已付款' });
      expect(days(r)).toEqual(['2026-03-05', '2026-03-06 14:03:00', '2026-03-08', '2026-03-10', '2026-03-12 09:30:00']);
    });
  for (const [name, encoding] of [['orders_utf16le.txt', 'utf-16le'], ['orders_utf16be.txt', 'utf-16be']])
    it(`${name}: tab-delimited ${encoding}, 4 rows, Σ 135.75`, () => {
      const r = ingest(name); // 10 + 20.50 + 5.25 + 100
      expect([r.encoding, r.delimiter, r.txs.length, r.sum]).toEqual([encoding, '\t', 4, 135.75]);
      expect(r.txs[3]!.customerId).toBe('客户甲');
    });
  it('orders_semicolon_decimal_comma.csv: 5 rows, Σ 3310.39 with --decimal ,', () => {
    const r = ingest('orders_semicolon_decimal_comma.csv', { decimal: ',' }); // 1234.50 + 89.90 − 15 + 2000 + 0.99
    expect([r.delimiter, r.dateFormat, r.txs.length, r.sum]).toEqual([';', 'dmy', 5, 3310.39]);
  });
  it('orders_pipe.csv: 3 rows, Σ 60.6', () => {
    expect([ingest('orders_pipe.csv').delimiter, ingest('orders_pipe.csv').sum]).toEqual(['|', 60.6]); // 10.10 + 20.20 + 30.30
  });
  it('orders_tab.tsv: 4 rows, Σ 60, items', () => {
    const r = ingest('orders_tab.tsv'); // 9.99 + 19.99 + 29.99 + 0.03
    expect([r.delimiter, r.txs.length, r.sum, r.txs[1]!.item]).toEqual(['\t', 4, 60, 'SKU-2']);
  });
  it('orders_dayfirst.csv and orders_monthfirst.csv: same four days', () => {
    const d = ingest('orders_dayfirst.csv');
    const m = ingest('orders_monthfirst.csv');
    expect([d.dateFormat, m.dateFormat, d.sum, m.sum]).toEqual(['dmy', 'mdy', 100, 100]);
    expect(days(d)).toEqual(['2026-03-05', '2026-03-13', '2026-04-01', '2025-12-25']);
    expect(days(m)).toEqual(['2026-03-05', '2026-03-13', '2026-04-01', '2025-12-25 16:30:00']);
  });
  it('orders_ambiguous_dates.csv: ambiguous, asks for --date-format', () => {
    expect(() => ingest('orders_ambiguous_dates.csv')).toThrow(/ambiguous dates: all 3 dates like "05\/03\/2026"/);
  });
  it('orders_no_amount_qty_price.csv: amount = Quantity × UnitPrice, Σ 62.22', () => {
    const r = ingest('orders_no_amount_qty_price.csv'); // 6×2.55 + 6×3.39 + 32×1.69 − 1×27.50 = 15.30 + 20.34 + 54.08 − 27.50
    expect(r.txs.map((t) => t.amount)).toEqual([15.3, 20.34, 54.08, -27.5]);
    expect([r.sum, r.txs[0]!.customerId, r.txs[3]!.orderId]).toEqual([62.22, '17850', 'C536379']);
  });
  it('orders_no_order_id.csv: ids ~1.<line>', () => {
    const r = ingest('orders_no_order_id.csv');
    expect(r.txs.map((t) => t.orderId)).toEqual(['~1.2', '~1.3', '~1.4']);
    expect(r.sum).toBe(18);
  });
  it('orders_excel_serial.csv', () => {
    const r = ingest('orders_excel_serial.csv'); // 45000 = 2023-03-15; 45352 = 45000 + 352 days = 2024-03-01
    expect([r.dateFormat, r.sum]).toEqual(['excel', 60]);
    expect(days(r)).toEqual(['2023-03-15', '2023-03-16 12:00:00', '2024-03-01']);
  });
  it('orders_epoch.csv', () => {
    const r = ingest('orders_epoch.csv'); // 1704067200 = 2024-01-01T00:00:00Z, so 1704067199 is the last second of 2023
    expect([r.dateFormat, r.sum]).toEqual(['epoch', 60]);
    expect(days(r)).toEqual(['2023-11-14 22:13:20', '2023-11-15 22:13:20', '2023-12-31 23:59:59']);
  });
  it('orders_compact_dates_whitespace.txt: header-less, needs --map', () => {
    expect(() => ingest('orders_compact_dates_whitespace.txt')).toThrow(/no header/);
    const r = ingest('orders_compact_dates_whitespace.txt', { map: { customer_id: '1', order_date: '2', quantity: '3', amount: '4' } });
    expect([r.delimiter, r.header, r.dateFormat, r.txs.length, r.sum]).toEqual(['whitespace', false, 'compact', 5, 142.29]); // 11.77 + 12 + 77 + 20.76 + 20.76
    expect(r.txs[0]).toMatchObject({ customerId: '00001', quantity: 1, orderId: '~1.1' });
  });
  it('orders_accounting_negatives.csv: Σ 562.25', () => {
    const r = ingest('orders_accounting_negatives.csv'); // 100 − 25.50 − 1000 + 1500 − 12.25
    expect(r.txs.map((t) => t.amount)).toEqual([100, -25.5, -1000, 1500, -12.25]);
    expect(r.sum).toBe(562.25);
  });
  it('orders_fullwidth.csv: Σ 1103.5', () => {
    const r = ingest('orders_fullwidth.csv'); // 123.5 + 1000 − 20
    expect(r.txs.map((t) => t.customerId)).toEqual(['１７８５０', 'Ｆ２', '１７８５０']); // ids are kept as written (no folding by default)
    expect(days(r)).toEqual(['2026-03-05', '2026-03-06', '2026-03-07']);
    expect(r.sum).toBe(1103.5);
  });
  it('orders_bad_rows.csv: 2 accepted (Σ 30), one reject per reason', () => {
    const r = ingest('orders_bad_rows.csv');
    expect([r.txs.length, r.sum]).toEqual([2, 30]);
    expect(r.rejects).toEqual({ missing_customer_id: 2, missing_date: 1, bad_date: 1, bad_time: 1, missing_amount: 1, bad_amount: 1, bad_quantity: 1, ragged_row: 1 });
  });
  it('orders_bad_rows_qty_price.csv: 2 accepted (Σ 12.5)', () => {
    const r = ingest('orders_bad_rows_qty_price.csv'); // 2 × 5 + 1 × 2.50
    expect([r.txs.length, r.sum]).toEqual([2, 12.5]);
    expect(r.rejects).toEqual({ bad_unit_price: 1, missing_amount: 2, bad_quantity: 1 });
  });
  it('orders_ragged_rows.csv: 2 accepted (Σ 50), 2 ragged', () => {
    const r = ingest('orders_ragged_rows.csv');
    expect([r.txs.length, r.sum, r.rejects]).toEqual([2, 50, { ragged_row: 2 }]);
  });
  it('orders_no_customer_column.csv: mapping error listing the columns', () => {
    expect(() => ingest('orders_no_customer_column.csv')).toThrow(CustkitError);
    expect(() => ingest('orders_no_customer_column.csv')).toThrow(/^no column for customer_id among \[order_id, order_date, amount, country\]/);
  });
});
