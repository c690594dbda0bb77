/**
 * Random canonical transactions for engine-equivalence tests: a small pool of customer ids
 * (ASCII, Chinese, a BMP character above the surrogates and an emoji, so UTF-16 and
 * code-point orders differ), same-day orders, refunds before, on and after the first
 * purchase day, refund-only customers and zero amounts.
 */
import fc from 'fast-check';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../../src/core/aggregate/customer-summary.js';
import { summaryToCells } from '../../src/core/customer-table/cells.js';
import { formatMoney, roundMoney } from '../../src/core/money.js';
import { dayFromCivil, formatDay } from '../../src/core/time/day.js';

export interface Tx { customer: string; day: number; amount: number }

export const CUSTOMER_POOL = ['C001', 'C002', 'c001', '客户7', '\uff5a', '\u{1f600}x', 'Z 9', 'q"uote', 'comma,id'];
export const DAY0 = dayFromCivil(2024, 1, 1);

export const txArb: fc.Arbitrary<Tx> = fc.record({
  customer: fc.constantFrom(...CUSTOMER_POOL),
  day: fc.integer({ min: DAY0, max: DAY0 + 60 }),
  amount: fc.oneof(
    fc.integer({ min: 0, max: 2_000_000 }).map((c) => c / 100),
    fc.integer({ min: -50_000, max: -1 }).map((c) => c / 100),
    fc.constant(0),
    fc.integer({ min: 1, max: 9_999_999 }).map((m) => m / 1e6),
  ),
});

/** Canonical CSV text of the rows (order ids synthesised, RFC 4180 quoting). */
export function canonicalCsv(rows: Tx[]): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  let out = 'customer_id,order_id,order_date,amount,quantity,status\n';
  rows.forEach((t, i) => {
    out += `${q(t.customer)},O${i + 1},${formatDay(t.day)},${formatMoney(t.amount)},1,${t.amount < 0 ? 'refunded' : 'paid'}\n`;
  });
  return out;
}

/** The JavaScript engine's summaries for the rows at `asOf` (null: latest day), as segment computes them. */
export function jsSummaries(rows: Tx[], asOf: number | null): { summaries: CustomerSummary[]; asOf: number; refundOnly: number; afterAsOf: number } {
  const acc = new CustomerAccumulator();
  let afterAsOf = 0;
  for (const t of rows) {
    if (asOf !== null && t.day > asOf) { afterAsOf++; continue; }
    acc.add(t.customer, t.day, roundMoney(t.amount));
  }
  const a = asOf ?? (acc.size > 0 ? acc.maxDay : 0);
  return { summaries: acc.summaries(a), asOf: a, refundOnly: acc.refundOnly, afterAsOf };
}

/** Text cells of a customer-table row that an SQL engine returned (JSON-ish values), in summaryToCells form. */
export function sqlRowToCells(r: Record<string, unknown>): string[] {
  const num = (v: unknown): number => Number(v);
  const int = (v: unknown): string => (v === null || v === undefined ? '' : String(num(v)));
  const money = (v: unknown): string => (v === null || v === undefined ? '' : formatMoney(num(v)));
  const day = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
  const dec6 = (v: unknown): string => (v === null || v === undefined ? '' : String(roundMoney(num(v))));
  const T = r['T'] ?? r['t'];
  return [
    String(r['customer_id']), int(r['orders']), int(r['purchase_days']), money(r['revenue']), money(r['avg_order_value']),
    day(r['first_order']), day(r['last_order']), int(r['days_since_last']), int(r['tenure_days']), dec6(r['mean_interval_days']),
    int(r['frequency']), int(r['recency']), int(T), money(r['repeat_avg_value']),
  ];
}

export const summaryCells = (s: CustomerSummary[]): string[][] => s.map(summaryToCells);

/** Sorts rows of cells by customer id in UTF-16 order (custkit's), for engines that sort by code point. */
export const byCustomer = (rows: string[][]): string[][] => [...rows].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
