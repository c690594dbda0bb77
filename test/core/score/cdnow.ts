/** Loaders for the CDNOW reference files in ../shared/data (used only by tests that skip without them). */
import { readFileSync } from 'node:fs';
import { sharedFile } from '../../helpers/shared.js';
import { dayFromCivil } from '../../../src/core/time/day.js';

export interface Summary {
  id: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

/** lifetimes_cdnow_customers_summary.csv: ID,frequency,recency,T (weeks, 2 decimals). */
export function loadCdnowSummary(): Summary {
  const rows = readFileSync(sharedFile('lifetimes_cdnow_customers_summary.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  return {
    id: rows.map((r) => r[0]!),
    x: Float64Array.from(rows, (r) => Number(r[1])),
    tx: Float64Array.from(rows, (r) => Number(r[2])),
    T: Float64Array.from(rows, (r) => Number(r[3])),
  };
}

/** lifetimes_cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar. */
export function loadCdnowWithValue(): Summary & { mx: Float64Array } {
  const rows = readFileSync(sharedFile('lifetimes_cdnow_customers_summary_with_transactions.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  return {
    id: rows.map((r) => r[0]!),
    x: Float64Array.from(rows, (r) => Number(r[1])),
    tx: Float64Array.from(rows, (r) => Number(r[2])),
    T: Float64Array.from(rows, (r) => Number(r[3])),
    mx: Float64Array.from(rows, (r) => Number(r[4])),
  };
}

/**
 * (x, t_x, T) in exact weeks from the raw sample transactions, REFERENCE.md §0 convention:
 * same-day purchases merged, calibration 1997-01-01…1997-09-30 inclusive; plus the number of
 * holdout purchase-days 1997-10-01…1998-06-30 per customer.
 */
export function cdnowFromTransactions(): Summary & { holdout: Float64Array } {
  const lines = readFileSync(sharedFile('lifetimes_CDNOW_sample.txt'), 'utf8').trim().split(/\r?\n/);
  const days = new Map<string, Set<number>>();
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    const d = f[2]!;
    const day = dayFromCivil(Number(d.slice(0, 4)), Number(d.slice(4, 6)), Number(d.slice(6, 8)));
    let s = days.get(f[1]!);
    if (!s) days.set(f[1]!, (s = new Set()));
    s.add(day);
  }
  const calEnd = dayFromCivil(1997, 9, 30);
  const ids = [...days.keys()].sort();
  const out = { id: ids, x: new Float64Array(ids.length), tx: new Float64Array(ids.length), T: new Float64Array(ids.length), holdout: new Float64Array(ids.length) };
  ids.forEach((id, i) => {
    const all = [...days.get(id)!].sort((a, b) => a - b);
    const cal = all.filter((d) => d <= calEnd);
    out.x[i] = cal.length - 1;
    out.tx[i] = (cal[cal.length - 1]! - cal[0]!) / 7;
    out.T[i] = (calEnd - cal[0]!) / 7;
    out.holdout[i] = all.length - cal.length;
  });
  return out;
}
