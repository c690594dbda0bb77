/** Test helpers: per-customer summaries of reference files in ../shared/data, parsed here. */
import { readFileSync } from 'node:fs';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { dayFromCivil, parseIsoDay } from '../../../src/core/time/day.js';
import { sharedFile } from '../../helpers/shared.js';

let cache: CustomerSummary[] | null = null;

/** CDNOW master (whitespace, header line) summarised at 1998-06-30. */
export function cdnowMaster(): CustomerSummary[] {
  if (cache) return cache;
  const acc = new CustomerAccumulator(25000);
  const lines = readFileSync(sharedFile('lifetimes_CDNOW_master.txt'), 'utf8').split('\n');
  for (let k = 1; k < lines.length; k++) {
    const f = lines[k]!.trim().split(/\s+/);
    if (f.length < 4) continue;
    const ymd = f[1]!;
    acc.add(f[0]!, dayFromCivil(+ymd.slice(0, 4), +ymd.slice(4, 6), +ymd.slice(6, 8)), +f[3]!);
  }
  return (cache = acc.summaries(dayFromCivil(1998, 6, 30)));
}

/** Per-customer summaries of rfm_data_orders.csv at 2006-12-31 (no quoted fields in the file). */
export function rfmOrders(): CustomerSummary[] {
  const acc = new CustomerAccumulator();
  const lines = readFileSync(sharedFile('rfm_data_orders.csv'), 'utf8').trim().split(/\r?\n/);
  for (const line of lines.slice(1)) {
    const [id, date, rev] = line.split(',');
    acc.add(id!, parseIsoDay(date!)!, +rev!);
  }
  return acc.summaries(parseIsoDay('2006-12-31')!);
}
