/**
 * The fixtures in fixtures/clean/ (the lead's CLI golden tests use them) through the clean
 * core under default options (returns net, guests drop, outliers flag with the two-pass fence,
 * fold window 10,000), and a few under other options. Every expected number is hand-computed
 * in fixtures/clean/README.md (and repeated in the comments here).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { reconciles, type Reason } from '../../../src/core/clean/audit.js';
import { cleanAll } from '../../../src/core/clean/clean-all.js';
import type { CleanOptions } from '../../../src/core/clean/clean-options.js';
import { formatDay, parseIsoDay } from '../../../src/core/time/day.js';
import type { Transaction } from '../../../src/core/types.js';
import { REPO_ROOT } from '../../helpers/shared.js';

/** Reads a canonical fixture (header customer_id,order_id,order_date,amount,quantity,status[,order_time][,item]). */
function readFixture(name: string): Transaction[] {
  const recs: Record<string, string>[] = parse(readFileSync(resolve(REPO_ROOT, 'fixtures/clean', name)), { columns: true });
  return recs.map((r) => ({
    customerId: r.customer_id!,
    orderId: r.order_id!,
    day: parseIsoDay(r.order_date!)!,
    amount: Number(r.amount),
    quantity: r.quantity === '' ? null : Number(r.quantity),
    status: r.status ?? '',
    time: r.order_time === undefined || r.order_time === '' ? null : r.order_time,
    item: r.item === undefined || r.item === '' ? null : r.item,
    dims: [],
  }));
}

const removedBy = (removed: Record<Reason, number>): Partial<Record<Reason, number>> =>
  Object.fromEntries(Object.entries(removed).filter(([, v]) => v > 0));
const rowsOf = (r: ReturnType<typeof cleanAll>) => r.rows.map((t) => [t.orderId, t.amount]);
const summary = (name: string, o: CleanOptions = {}) => {
  const r = cleanAll(readFixture(name), o);
  expect(reconciles(r.audit)).toBe(true);
  const a = r.audit;
  return { r, s: { rows_in: a.rows_in, rows_out: a.rows_out, folded: a.folded, removed: removedBy(a.removed), flagged: a.outliers_flagged, amount_in: a.amount_in, amount_out: a.amount_out } };
};

describe('fixtures/clean under default options', () => {
  it('clean_duplicates.csv', () => {
    // 8 lines; duplicates: line 3 (= line 2), lines 6 and 7 (= line 5) → 3. Orders: 1001 = 10 + 10 (item B) = 20,
    // 1002 = 25.5, 1003 = 7 + 7 (time differs) = 14 → 3 rows, folded 2. 8 = 3 + 2 + 3.
    // amount_in = 30 + 76.5 + 14 = 120.5, amount_out = 59.5. Fence: MAD 0.243 wide, nothing flagged.
    const { r, s } = summary('clean_duplicates.csv');
    expect(s).toEqual({ rows_in: 8, rows_out: 3, folded: 2, removed: { duplicate: 3 }, flagged: 0, amount_in: 120.5, amount_out: 59.5 });
    expect(rowsOf(r)).toEqual([['1001', 20], ['1002', 25.5], ['1003', 14]]);
    expect(r.rows[0]).toMatchObject({ quantity: 2, item: null, time: '09:00:00' });
    expect(r.removed.map((x) => x.line)).toEqual([3, 6, 7]);
  });
  it('clean_equal_lines.csv (no item, time or line column: equal lines are kept unless --duplicates drop)', () => {
    // 536365: 15.3 + 15.3 + 20.34 = 50.94 (folded 2), 536366 (customer 0, a real id): 11.1 + 11.1 = 22.2 (folded 1),
    // 536367: 54.08; guest 9.9 removed. 7 = 3 + 3 + 1. amount_in = 137.12, out = 127.22.
    const { r, s } = summary('clean_equal_lines.csv');
    expect(s).toEqual({ rows_in: 7, rows_out: 3, folded: 3, removed: { guest: 1 }, flagged: 0, amount_in: 137.12, amount_out: 127.22 });
    expect(rowsOf(r)).toEqual([['536365', 50.94], ['536366', 22.2], ['536367', 54.08]]);
    expect(r.audit.duplicate_rule).toEqual({ mode: 'auto', applied: 'keep', identity: [], equal_lines_kept: 2 });
    // drop: the second 15.3 and 11.1 lines go as duplicates: 7 = 3 + 1 + 3; out 35.64 + 11.1 + 54.08 = 100.82.
    const drop = summary('clean_equal_lines.csv', { duplicates: 'drop' });
    expect(drop.s).toEqual({ rows_in: 7, rows_out: 3, folded: 1, removed: { guest: 1, duplicate: 2 }, flagged: 0, amount_in: 137.12, amount_out: 100.82 });
    expect(drop.r.audit.duplicate_rule).toEqual({ mode: 'drop', applied: 'drop', identity: [], equal_lines_kept: 0 });
  });
  it('clean_returns.csv', () => {
    // 2001: 30 − 30 = 0 with purchase + refund → fully_refunded (2 lines); 2002: 50 − 20 = 30 (qty 5 − 2 = 3, folded 1);
    // C2003: −15 standalone; 2004: 40 'cancelled' alone → cancelled; 2005: 60. rows_out 3, folded 1, removed 3: 7 = 3 + 1 + 3.
    // amount_in = 115, removed 0 + 40, out = 30 − 15 + 60 = 75. Fence on 30, 60: MAD 0 → no fence.
    const { r, s } = summary('clean_returns.csv');
    expect(s).toEqual({ rows_in: 7, rows_out: 3, folded: 1, removed: { cancelled: 1, fully_refunded: 2 }, flagged: 0, amount_in: 115, amount_out: 75 });
    expect(rowsOf(r)).toEqual([['2002', 30], ['C2003', -15], ['2005', 60]]);
    expect(r.rows[0]).toMatchObject({ quantity: 3, status: 'paid', day: parseIsoDay('2024-03-02') });
    expect(r.audit.outlier_rule.threshold).toBeNull();
  });
  it("clean_returns.csv with --returns drop / keep", () => {
    // drop: refunded, returned → returned 2; C2003, cancelled → cancelled 2; out 2001 30, 2002 50, 2005 60.
    expect(summary('clean_returns.csv', { returns: 'drop' }).s).toMatchObject({ rows_out: 3, folded: 0, removed: { cancelled: 2, returned: 2 }, amount_out: 140 });
    // keep: 5 orders (2001 0, 2002 30, C2003 −15, 2004 40, 2005 60), folded 2, Σ 115.
    expect(summary('clean_returns.csv', { returns: 'keep' }).s).toMatchObject({ rows_out: 5, folded: 2, removed: {}, amount_out: 115 });
  });
  it('clean_guests.csv', () => {
    // guest: '', guest, N/A, 匿名 → 4; kept G1 12, 0 5 (a numeric id is real), test 13, G2 14.
    // amount_in = 12 + 8 + 9 + 11 + 5 + 6 + 13 + 14 = 78, out = 44.
    const { r, s } = summary('clean_guests.csv');
    expect(s).toEqual({ rows_in: 8, rows_out: 4, folded: 0, removed: { guest: 4 }, flagged: 0, amount_in: 78, amount_out: 44 });
    expect(r.rows.map((t) => t.customerId)).toEqual(['G1', '0', 'test', 'G2']);
    expect(r.audit.guests_removed).toEqual({ '(blank)': 1, guest: 1, 'n/a': 1, '匿名': 1 });
    expect(summary('clean_guests.csv', { guests: 'keep' }).s.rows_out).toBe(8);
    // --guest-ids 0: 0 joins the placeholders → 5 guests, out 39.
    const zero = summary('clean_guests.csv', { guestIds: ['0'] });
    expect(zero.s).toMatchObject({ rows_out: 3, removed: { guest: 5 }, amount_out: 39 });
    expect(zero.r.audit.guests_removed).toEqual({ '(blank)': 1, '0': 1, guest: 1, 'n/a': 1, '匿名': 1 });
    expect(summary('clean_guests.csv', { exclude: new Set(['test']) }).s.removed).toEqual({ guest: 4, excluded: 1 });
  });
  it('clean_window.csv (no window by default; then --since 2024-03-02 --until 2024-03-30 --as-of 2024-03-20)', () => {
    expect(summary('clean_window.csv').s).toEqual({ rows_in: 6, rows_out: 6, folded: 0, removed: {}, flagged: 0, amount_in: 210, amount_out: 210 });
    // 03-01 before_since; 03-02 and 03-20 kept (inclusive); 03-21, 03-30 after_as_of; 03-31 after_until (checked first).
    const { r, s } = summary('clean_window.csv', { since: parseIsoDay('2024-03-02'), until: parseIsoDay('2024-03-30'), asOf: parseIsoDay('2024-03-20') });
    expect(s.removed).toEqual({ before_since: 1, after_until: 1, after_as_of: 2 });
    expect(r.rows.map((t) => formatDay(t.day))).toEqual(['2024-03-02', '2024-03-20']);
  });
  it('clean_outliers.csv', () => {
    // 20 … 31 and 5000. n = 13, lower median (7th) = 26 → bin 17258, median ln 3.2585; bin distances
    // 0, 37 (27), 40 (25), 74 (28), 80 (24), 109 (29), 123 (23), … → 7th = 123 → MAD 0.123.
    // Fence: 17258.5 + 3.5·123/0.6745 = 17896.75 → bin 17897 → threshold e^3.897 = 49.254464…; only 5000 flagged.
    const { r, s } = summary('clean_outliers.csv');
    expect(s).toEqual({ rows_in: 13, rows_out: 13, folded: 0, removed: {}, flagged: 1, amount_in: 5306, amount_out: 5306 });
    expect(r.rows.filter((t) => t.outlier).map((t) => t.orderId)).toEqual(['6099']);
    expect(r.audit.outlier_rule.threshold).toBeCloseTo(Math.exp(3.897), 9);
    expect(r.audit.outlier_rule.mad_ln).toBeCloseTo(0.123, 12);
    expect(summary('clean_outliers.csv', { outliers: 'drop' }).s.removed).toEqual({ outlier: 1 });
    const cap = summary('clean_outliers.csv', { outliers: 'cap' });
    expect(cap.s.amount_out).toBe(355.254464); // 20 + … + 31 = 306, plus the cap roundMoney(e^3.897) = 49.254464
  });
  it('clean_split_order.csv (non-adjacent lines of order 5001)', () => {
    // 5001 = 10 + 15 + 1 = 26, quantity 3, earliest line 2024-02-29 08:00:00, items A, B → null; 5002 20; 5003 5.
    const { r, s } = summary('clean_split_order.csv');
    expect(s).toEqual({ rows_in: 5, rows_out: 3, folded: 2, removed: {}, flagged: 0, amount_in: 51, amount_out: 51 });
    expect(r.rows[0]).toMatchObject({ orderId: '5001', amount: 26, quantity: 3, day: parseIsoDay('2024-02-29'), time: '08:00:00', item: null, status: 'paid' });
    // --fold-window 1: every new order emits the previous one; lines 4 and 6 of 5001 arrive after it left → late rows.
    const w = cleanAll(readFixture('clean_split_order.csv'), { foldWindow: 1 });
    expect(rowsOf(w)).toEqual([['5001', 10], ['5002', 20], ['5001', 15], ['5003', 5], ['5001', 1]]);
    expect([w.audit.rows_out, w.audit.orders_out, w.audit.late_order_lines, w.audit.folded]).toEqual([5, 3, 2, 0]);
  });
});
