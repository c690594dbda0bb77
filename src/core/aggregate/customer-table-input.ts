/**
 * Reading an already aggregated per-customer table (one row per customer) as CustomerSummary.
 *
 * Three layouts, tried in this order (header names are trimmed, BOM-stripped, case-insensitive):
 * - `custkit`: custkit's own summary columns — customer_id, orders, revenue, first_order,
 *   last_order required; purchase_days, days_since_last, repeat_avg_value used when present.
 *   Writing with summaryToCells (customer-table/cells.ts) and reading back gives the same
 *   summary (round trip).
 * - `last-order`: customer_id + a last-order date (last_order, last_order_date,
 *   most_recent_visit, last_purchase) + an order count (orders, number_of_orders,
 *   transaction_count, frequency) + a total (revenue, monetary, amount); first_order optional.
 * - `recency`: customer_id + days since last order (recency_days, days_since_last, recency)
 *   + order count + total — the R rfm package's customer-level convention (REFERENCE.md §5
 *   "Customer-level data": recency_days, number_of_orders, revenue).
 *
 * What an aggregated table cannot tell is filled by documented defaults: purchase_days =
 * orders when absent (one order per purchase day); first purchase day unknown → firstDay,
 * tenureDays, recency, T, meanIntervalDays = null; repeatAvgValue = null unless given.
 * Dates are ISO YYYY-MM-DD (a trailing time ' HH:MM:SS' is ignored).
 */
import { parseIsoDay } from '../time/day.js';
import { makeSummary, type CustomerSummary } from './customer-summary.js';

export type CustomerTableKind = 'custkit' | 'last-order' | 'recency';

/** Column positions for one header (−1 = absent). */
export interface CustomerTableLayout {
  kind: CustomerTableKind;
  id: number;
  orders: number;
  revenue: number;
  firstOrder: number;
  lastOrder: number;
  daysSinceLast: number;
  purchaseDays: number;
  repeatAvgValue: number;
  /** Header names of the columns used, for messages ("recency_days" …). */
  names: Record<'orders' | 'revenue' | 'lastOrder' | 'daysSinceLast' | 'firstOrder', string>;
}

/** The error of one row: what is wrong and in which column. */
export interface RowError {
  error: string;
  column: string;
}

const ORDERS = ['orders', 'number_of_orders', 'transaction_count', 'frequency'];
const REVENUE = ['revenue', 'monetary', 'amount'];
const LAST = ['last_order', 'last_order_date', 'most_recent_visit', 'last_purchase'];
const RECENCY = ['recency_days', 'days_since_last', 'recency'];

/** Finds the table layout of a header, or null when it is not a per-customer table. */
export function detectCustomerTable(header: string[]): CustomerTableLayout | null {
  const pos = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.replace(/^\uFEFF/, '').trim().toLowerCase();
    if (!pos.has(k)) pos.set(k, i);
  });
  const at = (k: string): number => pos.get(k) ?? -1;
  const first = (ks: string[]): [number, string] => {
    for (const k of ks) if (pos.has(k)) return [pos.get(k)!, k];
    return [-1, ''];
  };
  const id = at('customer_id');
  if (id < 0) return null;
  const base = { id, purchaseDays: at('purchase_days'), repeatAvgValue: at('repeat_avg_value'), firstOrder: at('first_order') };
  if (at('orders') >= 0 && at('revenue') >= 0 && at('first_order') >= 0 && at('last_order') >= 0) {
    return {
      kind: 'custkit', ...base, orders: at('orders'), revenue: at('revenue'), lastOrder: at('last_order'),
      daysSinceLast: at('days_since_last'),
      names: { orders: 'orders', revenue: 'revenue', lastOrder: 'last_order', daysSinceLast: 'days_since_last', firstOrder: 'first_order' },
    };
  }
  const [orders, oName] = first(ORDERS);
  const [revenue, mName] = first(REVENUE);
  if (orders < 0 || revenue < 0) return null;
  const [last, lName] = first(LAST);
  const [rec, rName] = first(RECENCY);
  if (last < 0 && rec < 0) return null;
  return {
    kind: last >= 0 ? 'last-order' : 'recency', ...base, orders, revenue, lastOrder: last,
    daysSinceLast: last >= 0 ? -1 : rec,
    names: { orders: oName, revenue: mName, lastOrder: lName, daysSinceLast: rName, firstOrder: 'first_order' },
  };
}

/** True when rows of this layout need an as-of date (everything but custkit's own table with days_since_last). */
export function layoutNeedsAsOf(layout: CustomerTableLayout): boolean {
  return !(layout.kind === 'custkit' && layout.daysSinceLast >= 0);
}

function num(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const t = cell.trim();
  if (t.length === 0 || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return +t;
}

function day(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const t = cell.trim();
  return parseIsoDay(t.length > 10 && (t[10] === ' ' || t[10] === 'T') ? t.slice(0, 10) : t);
}

/**
 * One row as a summary, or the first problem found. `asOf` null: custkit tables recover it as
 * last_order + days_since_last; the other layouts need it and return an error without it.
 * Orders must be a non-negative integer; days since last a non-negative integer.
 */
export function rowToSummary(layout: CustomerTableLayout, cells: string[], asOf: number | null): CustomerSummary | RowError {
  const L = layout;
  const customerId = cells[L.id] ?? '';
  if (customerId.length === 0) return { error: 'empty customer id', column: 'customer_id' };
  const orders = num(cells[L.orders]);
  if (orders === null || !Number.isInteger(orders) || orders < 0) {
    return { error: `order count is not a non-negative integer: ${JSON.stringify(cells[L.orders] ?? '')}`, column: L.names.orders };
  }
  const revenue = num(cells[L.revenue]);
  if (revenue === null) return { error: `not a number: ${JSON.stringify(cells[L.revenue] ?? '')}`, column: L.names.revenue };

  let lastDay: number;
  if (L.lastOrder >= 0) {
    const v = day(cells[L.lastOrder]);
    if (v === null) return { error: `not a YYYY-MM-DD date: ${JSON.stringify(cells[L.lastOrder] ?? '')}`, column: L.names.lastOrder };
    lastDay = v;
    if (asOf === null && L.daysSinceLast >= 0) {
      const ds = num(cells[L.daysSinceLast]);
      if (ds === null || !Number.isInteger(ds)) return { error: 'days since last is not an integer', column: L.names.daysSinceLast };
      asOf = lastDay + ds;
    }
    if (asOf === null) return { error: 'an as-of date is needed to compute days since the last order', column: L.names.lastOrder };
  } else {
    const ds = num(cells[L.daysSinceLast]);
    if (ds === null || !Number.isInteger(ds) || ds < 0) {
      return { error: `days since last order is not a non-negative integer: ${JSON.stringify(cells[L.daysSinceLast] ?? '')}`, column: L.names.daysSinceLast };
    }
    if (asOf === null) return { error: 'an as-of date is needed to place the last order in time', column: L.names.daysSinceLast };
    lastDay = asOf - ds;
  }

  let firstDay: number | null = null;
  if (L.firstOrder >= 0 && (cells[L.firstOrder] ?? '').trim() !== '') {
    firstDay = day(cells[L.firstOrder]);
    if (firstDay === null || firstDay > lastDay) return { error: `not a YYYY-MM-DD date on or before the last order: ${JSON.stringify(cells[L.firstOrder])}`, column: 'first_order' };
  }
  let purchaseDays = orders;
  if (L.purchaseDays >= 0) {
    const p = num(cells[L.purchaseDays]);
    if (p === null || !Number.isInteger(p) || p < 0 || p > Math.max(orders, 1)) {
      return { error: `purchase days is not an integer in 0..orders: ${JSON.stringify(cells[L.purchaseDays] ?? '')}`, column: 'purchase_days' };
    }
    purchaseDays = p;
  }
  // purchase days of a customer with any order is at least 1 (a row exists because they bought)
  if (purchaseDays === 0 && orders > 0) purchaseDays = 1;
  const s = makeSummary(customerId, orders, purchaseDays, revenue, firstDay, lastDay, asOf, null);
  if (L.repeatAvgValue >= 0 && (cells[L.repeatAvgValue] ?? '').trim() !== '') {
    const r = num(cells[L.repeatAvgValue]);
    if (r === null) return { error: `not a number: ${JSON.stringify(cells[L.repeatAvgValue])}`, column: 'repeat_avg_value' };
    if (s.frequency > 0) s.repeatAvgValue = r;
  }
  return s;
}
