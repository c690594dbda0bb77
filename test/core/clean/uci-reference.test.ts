/**
 * The clean core on UCI Online Retail, first 8,000 lines (../shared/data, skipped when absent).
 * Facts from /work/shared/REFERENCE.md §7 and /work/shared/data/SOURCES.md: 8,000 lines,
 * 89 C-lines on 38 C-invoices, 119 negative quantities (30 not on C-invoices), 2,290 lines
 * without CustomerID, 114 exact duplicate lines; Σ Quantity×UnitPrice all lines £159,046.86,
 * lines with CustomerID £123,008.71; customer 17850 nets £5,391.21 (297 lines, 34 invoices).
 *
 * The file is parsed here (csv-parse/sync) into canonical lines the way ingest maps it:
 * amount = Quantity × UnitPrice (roundMoney), customer `17850.0` → `17850` (blank stays blank),
 * day and time from InvoiceDate, item = StockCode, status ''.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { reconciles } from '../../../src/core/clean/audit.js';
import { cleanAll } from '../../../src/core/clean/clean-all.js';
import { isCancellationInvoice } from '../../../src/core/clean/return-lines.js';
import { roundMoney } from '../../../src/core/money.js';
import { parseIsoDay } from '../../../src/core/time/day.js';
import type { Transaction } from '../../../src/core/types.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';

const sum = (xs: number[]): number => xs.reduce((s, x) => roundMoney(s + x), 0);

function uciLines(withDims: boolean): Transaction[] {
  const recs: Record<string, string>[] = parse(readFileSync(sharedFile('uci_online_retail_first8000_mamtayadav28.csv')), { columns: true });
  return recs.map((r) => ({
    customerId: r.CustomerID!.replace(/\.0$/, ''),
    orderId: r.InvoiceNo!,
    day: parseIsoDay(r.InvoiceDate!.slice(0, 10))!,
    time: r.InvoiceDate!.slice(11),
    amount: roundMoney(Number(r.Quantity) * Number(r.UnitPrice)),
    quantity: Number(r.Quantity),
    status: '',
    item: r.StockCode!,
    dims: withDims ? [r.Description!, r.Country!] : [],
  }));
}

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'UCI Online Retail first 8,000 lines' : SKIP_SHARED_REASON, () => {
  const lines = HAS_SHARED ? uciLines(false) : [];

  it('the parsed lines carry the published dirt (sanity of the parsing above)', () => {
    expect(lines).toHaveLength(8000);
    expect(lines.filter((t) => isCancellationInvoice(t.orderId)).length).toBe(89);
    expect(new Set(lines.filter((t) => isCancellationInvoice(t.orderId)).map((t) => t.orderId)).size).toBe(38);
    expect(lines.filter((t) => t.quantity! < 0).length).toBe(119);
    expect(lines.filter((t) => t.customerId === '').length).toBe(2290);
    expect(sum(lines.map((t) => t.amount))).toBe(159046.86);
  });

  it('114 exact duplicates, with or without Description and Country in the identity', () => {
    // SOURCES.md counts lines equal in all 8 columns. The canonical identity has customer, invoice,
    // day+time, amount (= Quantity × UnitPrice), quantity, item (StockCode), and Description/Country
    // only when kept as dims. Both give 114: in this file no two lines differ only in Description or
    // Country, and amount determines UnitPrice whenever Quantity ≠ 0 (no line has Quantity 0).
    expect(lines.some((t) => t.quantity === 0)).toBe(false);
    for (const withDims of [false, true]) {
      const r = cleanAll(uciLines(withDims), { guests: 'keep', returns: 'keep', outliers: 'off' });
      expect(r.audit.removed.duplicate).toBe(114);
    }
  });

  it('default options: guest 2,290, duplicate 114 (none of them guest lines), C-invoices kept as negative rows', () => {
    const r = cleanAll(lines, { outliers: 'off' });
    const a = r.audit;
    expect(reconciles(a)).toBe(true);
    // Guests run first, so duplicate counts only duplicates among lines with a CustomerID; here that is
    // still 114, i.e. the 2,290 lines without CustomerID hold no exact duplicates.
    expect([a.removed.guest, a.removed.duplicate, a.rows_removed]).toEqual([2290, 114, 2404]);
    // amount_in = Σ all lines £159,046.86 (§7); guest lines remove 159,046.86 − 123,008.71 = £36,038.15.
    expect(a.amount_in).toBe(159046.86);
    expect(sum(r.removed.filter((x) => x.reason === 'guest').map((x) => x.tx.amount))).toBe(36038.15);
    // Out = lines with CustomerID £123,008.71 minus the duplicate lines' amounts; nothing negated (C-lines are negative already).
    const dup = sum(r.removed.filter((x) => x.reason === 'duplicate').map((x) => x.tx.amount));
    expect(a.amount_out).toBe(roundMoney(123008.71 - dup));
    expect(a.amount_negated).toBe(0);
    // 277 distinct CustomerIDs (§7), all with at least one output row; one row per invoice and customer.
    expect(a.customers_out).toBe(277);
    expect(a.late_order_lines).toBe(0);
    expect(a.orders_out).toBe(a.rows_out);
    // C-invoices are their own orders: standalone returns, every one a negative row.
    const cRows = r.rows.filter((t) => isCancellationInvoice(t.orderId));
    expect(cRows.every((t) => t.amount < 0)).toBe(true);
    expect(a.removed.fully_refunded + a.removed.cancelled).toBe(0);
  });

  it('customer 17850 nets £5,391.21 over 34 purchase invoices (297 lines, none removed)', () => {
    const r = cleanAll(lines, { outliers: 'off' });
    const rows = r.rows.filter((t) => t.customerId === '17850');
    expect(lines.filter((t) => t.customerId === '17850').length).toBe(297);
    expect(r.removed.filter((x) => x.tx.customerId === '17850').length).toBe(0);
    expect(rows.length).toBe(34);
    expect(sum(rows.map((t) => t.amount))).toBe(5391.21);
  });

  it('without the product and time columns, equal lines are not provably duplicates: auto keeps them, drop would remove 2,267', () => {
    // The export as invoice, customer, date and line amount (StockCode, Description, Quantity,
    // UnitPrice and the time of InvoiceDate removed): lines of one invoice that differ only in
    // product, quantity or time become equal. Removing them took 2,267 lines instead of the 114 true
    // repeats and cut customer 17850 from £5,391.21 to £3,760.23 (issue #24, item 2).
    const bare = lines.map((t) => ({ ...t, item: null, time: null, quantity: null }));
    const net17850 = (r: ReturnType<typeof cleanAll>): number => sum(r.rows.filter((t) => t.customerId === '17850').map((t) => t.amount));
    const drop = cleanAll(bare, { outliers: 'off', duplicates: 'drop' });
    expect([drop.audit.removed.duplicate, net17850(drop)]).toEqual([2267, 3760.23]);
    const auto = cleanAll(bare, { outliers: 'off' });
    expect(auto.audit.removed.duplicate).toBe(0);
    expect(auto.audit.duplicate_rule).toEqual({ mode: 'auto', applied: 'keep', identity: [], equal_lines_kept: 2267 });
    expect(net17850(auto)).toBe(5391.21);
    // With the columns, auto removes the 114 (the tests above); the rule names them.
    expect(cleanAll(lines, { outliers: 'off' }).audit.duplicate_rule).toEqual({ mode: 'auto', applied: 'drop', identity: ['order_time', 'item'], equal_lines_kept: 0 });
  });

  it("returns 'drop': 89 C-lines cancelled, 30 other negative quantities returned", () => {
    // guests kept so that every return line is seen; §7: 119 negative quantities = 89 C-lines + 30 others;
    // none of them is an exact duplicate (removed.duplicate stays 114 from the test above).
    const r = cleanAll(lines, { guests: 'keep', returns: 'drop', outliers: 'off' });
    expect([r.audit.removed.cancelled, r.audit.removed.returned, r.audit.removed.duplicate]).toEqual([89, 30, 114]);
    expect(r.rows.every((t) => t.amount >= 0)).toBe(true);
  });

  it('outlier fence on the cleaned invoices: flagged count equals the fence pass prediction', () => {
    const r = cleanAll(lines);
    expect(r.audit.outlier_rule.applied).toBe(true);
    expect(r.audit.outliers_flagged).toBe(r.fence!.expected);
    // The fence counts positive invoice amounts only (C-invoices are negative).
    expect(r.fence!.n).toBe(r.rows.filter((t) => t.amount > 0).length);
    for (const t of r.rows) expect(t.outlier).toBe(t.amount >= r.audit.outlier_rule.threshold!);
  });
});
