/**
 * The ingest core on the reference files in ../shared/data. Expected numbers come from
 * /work/shared/REFERENCE.md §5 and §7 and /work/shared/data/SOURCES.md (as cited per case).
 */
import { describe, it, expect } from 'vitest';
import { formatDay } from '../../../src/core/time/day.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';
import { ingestPath } from './harness.js';

const span = (r: ReturnType<typeof ingestPath>): [string, string] => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of r.txs) {
    if (t.day < lo) lo = t.day;
    if (t.day > hi) hi = t.day;
  }
  return [formatDay(lo), formatDay(hi)];
};

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'reference files' : SKIP_SHARED_REASON, () => {
  it('UCI Online Retail first 8000: 2,290 lines without CustomerID; Σ Quantity×UnitPrice of the rest £123,008.71', () => {
    // REFERENCE.md §7: "lines with CustomerID £123,008.71"; SOURCES.md: 2,290 lines without CustomerID.
    const r = ingestPath(sharedFile('uci_online_retail_first8000_mamtayadav28.csv'));
    expect([r.txs.length, r.sum, r.rejects]).toEqual([8000 - 2290, 123008.71, { missing_customer_id: 2290 }]);
    expect(r.txs[0]).toMatchObject({ customerId: '17850', orderId: '536365', amount: 15.3, time: '08:26:00', item: '85123A' });
    expect(new Set(r.txs.map((t) => t.customerId)).size).toBe(277); // §7: 277 distinct CustomerIDs
    expect(span(r)).toEqual(['2010-12-01', '2010-12-05']); // SOURCES.md: 2010-12-01 08:26 … 2010-12-05 12:00
  });
  it('UCI Online Retail random 2709 (R write.csv): month-first dates, NA ids', () => {
    // REFERENCE.md §7: dates 2010-12-01 … 2011-12-09 when parsed as M/D/YYYY; 668 NA CustomerID.
    const r = ingestPath(sharedFile('uci_online_retail_random2709_jerryaoverton.csv'));
    expect(r.dateFormat).toBe('mdy');
    expect(r.rejects).toEqual({ missing_customer_id: 668 });
    expect(span(r)).toEqual(['2010-12-01', '2011-12-09']);
  });
  it('rfm orders: 4,906 rows, revenue Σ 464,158, 995 customers', () => {
    // REFERENCE.md §5: "4,906 rows, 995 customers, revenue sum 464,158".
    const r = ingestPath(sharedFile('rfm_data_orders.csv'));
    expect([r.txs.length, r.sum, new Set(r.txs.map((t) => t.customerId)).size]).toEqual([4906, 464158, 995]);
    expect(span(r)).toEqual(['2001-10-29', '2006-12-30']); // SOURCES.md
  });
  it('CDNOW master (whitespace, header, YYYYMMDD): 69,659 lines, 23,570 customers, 1997-01-01 … 1998-06-30', () => {
    // SOURCES.md: 69,659 lines + header, 23,570 distinct ids, dates 1997-01-01…1998-06-30.
    const r = ingestPath(sharedFile('lifetimes_CDNOW_master.txt'));
    expect([r.delimiter, r.header, r.dateFormat, r.txs.length]).toEqual(['whitespace', true, 'compact', 69659]);
    expect(new Set(r.txs.map((t) => t.customerId)).size).toBe(23570);
    expect(span(r)).toEqual(['1997-01-01', '1998-06-30']);
  });
  it('CDNOW sample (no header): revenue $244,091.94, 16,479 CDs', () => {
    // REFERENCE.md §6: sample, end 1998-06-30: 6,919 lines, revenue $244,091.94, 16,479 CDs.
    const r = ingestPath(sharedFile('lifetimes_CDNOW_sample.txt'), { map: { customer_id: '1', order_date: '3', quantity: '4', amount: '5' } });
    expect([r.header, r.txs.length, r.sum]).toEqual([false, 6919, 244091.94]);
    expect(r.txs.reduce((s, t) => s + t.quantity!, 0)).toBe(16479);
  });
  it('Tmall with a forced customer column: order totals and refunds, paid amount Σ 1,902,487.15 over 28,010 orders', () => {
    // REFERENCE.md §7: Σ 买家实际支付金额 1,902,487.15; 28,010 orders, created 2020-02-01…2020-02-29.
    // With its refund column the amount is 总金额 (total), and total − refund over paid orders is that sum.
    const r = ingestPath(sharedFile('tmall_order_report_zh.csv'), { map: { customer_id: '收货地址' } });
    expect(r.txs.length).toBe(28010);
    const paid = r.txs.filter((t) => t.paidAt !== '');
    expect(paid.length).toBe(28010 - 3923);
    const micro = (f: (t: (typeof r.txs)[number]) => number): number => paid.reduce((s, t) => s + Math.round(f(t) * 100), 0) / 100;
    expect(micro((t) => t.amount - t.refund!)).toBe(1902487.15);
    expect(micro((t) => t.refund!)).toBe(572335.92);
    expect(span(r)).toEqual(['2020-02-01', '2020-02-29']);
  });
});
