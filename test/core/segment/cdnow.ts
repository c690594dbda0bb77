/** Test helper: per-customer summaries of the CDNOW master file (../shared/data), parsed here. */
import { readFileSync } from 'node:fs';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { dayFromCivil } from '../../../src/core/time/day.js';
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
