/**
 * Breakdowns by a customer attribute (`report --by ATTR`): for each value of the attribute
 * (a column kept with `ingest --keep` and carried by `segment`), the customers, revenue and its
 * share, the mix of ABC classes, pyramid tiers and RFM segments, the sleeping share and the
 * CLV. The N values with the most revenue are listed (ties: more customers, then the value in
 * UTF-16 order); the rest are summed as one "other" row, so the rows always add up to the whole
 * table. Revenue sums are rounded to 1e-6 after every addition (core/money.ts): exact, and
 * independent of the order of rows, for amounts on a 1e-6 grid.
 */
import { roundMoney } from '../money.js';
import type { CustomerTable, TextColumn } from './customer-record.js';
import { textAt } from './customer-record.js';

export interface BreakdownRow {
  /** The attribute value; '' for customers without one. Null on the "other" row. */
  value: string | null;
  /** 'value', or 'other' for the values beyond the top N. */
  kind: 'value' | 'other';
  /** Distinct values in this row (1, or how many the "other" row holds). */
  values: number;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number;
  /** Customers per ABC class / value tier / RFM segment (sorted by name; empty without the column). */
  abc: Record<string, number>;
  tiers: Record<string, number>;
  segments: Record<string, number>;
  /** Share of the row's customers in any sleep state but active; null without sleep_state. */
  sleeping_share: number | null;
  /** Sum of clv; null when the table is not scored. */
  clv: number | null;
}

export interface Breakdown {
  attribute: string;
  /** Distinct values of the attribute (the empty value included). */
  distinct_values: number;
  /** Values listed before "other". */
  top: number;
  customers: number;
  revenue: number;
  rows: BreakdownRow[];
}

interface Acc {
  customers: number;
  revenue: number;
  abc: Map<string, number>;
  tiers: Map<string, number>;
  segments: Map<string, number>;
  sleeping: number;
  clv: number;
}

const newAcc = (): Acc => ({ customers: 0, revenue: 0, abc: new Map(), tiers: new Map(), segments: new Map(), sleeping: 0, clv: 0 });

function bump(m: Map<string, number>, k: string | null, n = 1): void {
  if (k !== null) m.set(k, (m.get(k) ?? 0) + n);
}

function mergeInto(a: Acc, b: Acc): void {
  a.customers += b.customers;
  a.revenue = roundMoney(a.revenue + b.revenue);
  for (const [k, n] of b.abc) bump(a.abc, k, n);
  for (const [k, n] of b.tiers) bump(a.tiers, k, n);
  for (const [k, n] of b.segments) bump(a.segments, k, n);
  a.sleeping += b.sleeping;
  a.clv = roundMoney(a.clv + b.clv);
}

const sorted = (m: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...m.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));

const share = (a: number, b: number): number => (b > 0 ? roundMoney(a / b) : 0);

/** The breakdown of `tab` by the attribute column `col` named `attribute`, top `top` values. */
export function breakdown(tab: CustomerTable, attribute: string, col: TextColumn, top: number): Breakdown {
  const n = tab.length;
  const revenue = tab.num.revenue, clv = tab.num.clv;
  const scored = tab.present.has('clv');
  const hasSleep = tab.present.has('sleepState');
  const byValue = new Map<string, Acc>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = textAt(col, i) ?? '';
    let a = byValue.get(v);
    if (!a) byValue.set(v, (a = newAcc()));
    a.customers++;
    a.revenue = roundMoney(a.revenue + revenue[i]!);
    total = roundMoney(total + revenue[i]!);
    bump(a.abc, textAt(tab.txt.abcClass, i));
    bump(a.tiers, textAt(tab.txt.valueTier, i));
    bump(a.segments, textAt(tab.txt.rfmSegment, i));
    const s = textAt(tab.txt.sleepState, i);
    if (s !== null && s !== 'active') a.sleeping++;
    if (scored && Number.isFinite(clv[i]!)) a.clv = roundMoney(a.clv + clv[i]!);
  }
  const ranked = [...byValue.entries()].sort(
    (x, y) => y[1].revenue - x[1].revenue || y[1].customers - x[1].customers || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0),
  );
  const row = (value: string | null, kind: BreakdownRow['kind'], values: number, a: Acc): BreakdownRow => ({
    value,
    kind,
    values,
    customers: a.customers,
    customer_share: share(a.customers, n),
    revenue: a.revenue,
    revenue_share: share(a.revenue, total),
    abc: sorted(a.abc),
    tiers: sorted(a.tiers),
    segments: sorted(a.segments),
    sleeping_share: hasSleep ? share(a.sleeping, a.customers) : null,
    clv: scored ? a.clv : null,
  });
  const rows = ranked.slice(0, top).map(([v, a]) => row(v, 'value', 1, a));
  const rest = ranked.slice(top);
  if (rest.length) {
    const other = newAcc();
    for (const [, a] of rest) mergeInto(other, a);
    rows.push(row(null, 'other', rest.length, other));
  }
  return { attribute, distinct_values: byValue.size, top, customers: n, revenue: total, rows };
}
