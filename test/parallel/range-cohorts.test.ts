/** Cohort tables from the parallel aggregation (worker threads' ledgers merged) equal one sequential pass. Runs dist/'s worker. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { aggregateRanges } from '../../src/parallel/range-aggregate.js';
import { threadPolicy } from '../../src/parallel/policy.js';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import { dayFromCivil, formatDay } from '../../src/core/time/day.js';

describe('parallel aggregation with cohorts', () => {
  it('3 threads, out-of-order rows and refunds: the same cohort tables and first purchases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-parc-'));
    try {
      const file = join(dir, 'tx.csv');
      let text = 'customer_id,order_id,order_date,amount,quantity,status\n';
      const seq = new CustomerAccumulator();
      seq.trackCohorts('week');
      for (let i = 0; i < 3000; i++) {
        const k = (i * 7) % 40;
        const id = 'K' + String(k).padStart(2, '0');
        const day = dayFromCivil(2024, 1, 1) + ((i * 37) % 100) + 5 * k; // later customers start later: many cohorts
        const amount = i % 17 === 0 ? -((i % 50) + 0.25) : (i % 97) + 0.5;
        const q = i % 13 === 0 ? '' : String(1 + (i % 3));
        text += `${id},O${i},${formatDay(day)},${amount},${q},\n`;
        seq.add(id, day, amount, undefined, q === '' ? NaN : Number(q));
      }
      writeFileSync(file, text);
      const par = await aggregateRanges(file, null, threadPolicy({ CUSTKIT_PARALLEL_MIN_MB: '0', CUSTKIT_THREADS: '3' }, null, availableParallelism()), undefined, 'week');
      expect(par?.threads).toBe(3);
      const asOf = seq.maxDay;
      const c = par!.acc.cohorts(asOf)!;
      expect(c.cohorts.length).toBeGreaterThan(20);
      expect(c).toEqual(seq.cohorts(asOf));
      const sortBy = (f: ReturnType<CustomerAccumulator['firstPurchases']>): number[][] => Array.from(f.firstDay, (d, i) => [d, f.secondDay[i]!, f.firstValue[i]!, f.firstQuantity[i]!]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
      expect(sortBy(par!.acc.firstPurchases())).toEqual(sortBy(seq.firstPurchases()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
