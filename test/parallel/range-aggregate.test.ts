/**
 * Parallel aggregation (worker threads, one byte range each, shares merged) must give exactly
 * the sequential result. Runs the compiled worker from dist/ (npm test builds first).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { aggregateRanges } from '../../src/parallel/range-aggregate.js';
import { rangeThreads, threadPolicy } from '../../src/parallel/policy.js';
import { threaded } from '../../src/parallel/threaded.js';
import { aggregateInput } from '../../src/pipeline/aggregate-stage.js';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import { fixture } from '../helpers/cli.js';
import { dayFromCivil } from '../../src/core/time/day.js';

const policy = (env: Record<string, string>, threads: number | null = null) => threadPolicy(env, threads, availableParallelism());
const FORCE = policy({ CUSTKIT_PARALLEL_MIN_MB: '0', CUSTKIT_THREADS: '3' });
/** aggregateRanges under the policy of `env`. */
const aggregateParallel = (path: string, asOf: number | null, p = FORCE) => aggregateRanges(path, asOf, p);

describe('aggregateRanges', () => {
  it('equals one sequential pass on a canonical file (3 threads, refunds and out-of-order rows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-par-'));
    const file = join(dir, 'tx.csv');
    // 3,000 rows over 40 customers, dates not in order, some refunds; values chosen by formula.
    let text = 'customer_id,order_id,order_date,amount,quantity,status\n';
    const seq = new CustomerAccumulator();
    for (let i = 0; i < 3000; i++) {
      const id = 'K' + String((i * 7) % 40).padStart(2, '0');
      const day = dayFromCivil(2024, 1, 1) + ((i * 37) % 300);
      const amount = i % 17 === 0 ? -((i % 50) + 0.25) : (i % 97) + 0.5;
      const d = new Date(day * 86400000).toISOString().slice(0, 10);
      text += `${id},O${i},${d},${amount},1,\n`;
      seq.add(id, day, amount);
    }
    writeFileSync(file, text);
    const par = await aggregateParallel(file, null, FORCE);
    expect(par).not.toBeNull();
    expect(par!.threads).toBe(3);
    expect(par!.rows).toBe(3000);
    expect(par!.acc.summaries(seq.maxDay)).toEqual(seq.summaries(seq.maxDay));
    expect(par!.acc.refundOnly).toBe(seq.refundOnly);
  });

  it('declines quoted input, stdin and small files (the caller reads sequentially)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-par-'));
    const quoted = join(dir, 'q.csv');
    writeFileSync(quoted, 'customer_id,order_id,order_date,amount,quantity,status\n"a,b",1,2024-01-01,5,,\n');
    expect(await aggregateParallel(quoted, null, FORCE)).toBeNull();
    expect(await aggregateParallel('-', null, FORCE)).toBeNull();
    expect(await aggregateParallel(quoted, null, policy({ CUSTKIT_THREADS: '2' }))).toBeNull(); // below 64 MB
  });

  it('thread count: --threads, else CUSTKIT_THREADS, else 1; from CUSTKIT_PARALLEL_MIN_MB (default 64) MB', () => {
    const mb = 64e6;
    expect(rangeThreads(policy({}), mb)).toBe(1);
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '3' }), mb)).toBe(Math.min(3, 2 * availableParallelism()));
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '3' }, 2), mb)).toBe(2);
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '3' }, 1), mb)).toBe(1);
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '2' }), mb - 1)).toBe(1);
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '2', CUSTKIT_PARALLEL_MIN_MB: '1' }), 1e6)).toBe(2);
    expect(rangeThreads(policy({ CUSTKIT_THREADS: '2', CUSTKIT_PARALLEL_MIN_MB: '0' }), 0)).toBe(1); // an empty file
  });

  it('segment on a fixture gives the same customers with and without threads', async () => {
    const f = fixture('cli', 'transactions.csv');
    const asOf = dayFromCivil(2024, 6, 30);
    const a = await aggregateInput(f, asOf);
    const b = await aggregateInput(f, asOf, undefined, threaded(FORCE));
    expect(b.threads).toBe(3);
    expect(b.summaries).toEqual(a.summaries);
    expect([b.rows, b.afterAsOf, b.refundOnly]).toEqual([a.rows, a.afterAsOf, a.refundOnly]);
  });

  it('segment reads a canonical file on a reader thread (32 MB or more by default) with the same result; customer tables stay in-process', async () => {
    const { availableParallelism } = await import('node:os');
    const f = fixture('cli', 'transactions.csv');
    const asOfs = [dayFromCivil(2024, 6, 30), dayFromCivil(2024, 3, 31)]; // the second leaves rows after the as-of date
    const before = await Promise.all(asOfs.map((d) => aggregateInput(f, d)));
    const dir = mkdtempSync(join(tmpdir(), 'custkit-reader-'));
    const table = join(dir, 'customers.csv');
    writeFileSync(table, 'customer_id,orders,revenue,last_order\nA,2,30.5,2024-03-01\nB,1,10,2024-02-01\n');
    const tableBefore = await aggregateInput(table, asOfs[0]!);
    const reader = threaded(policy({ CUSTKIT_READER_THREAD_MIN_MB: '0' }));
    {
      for (let k = 0; k < asOfs.length; k++) {
        const b = await aggregateInput(f, asOfs[k]!, undefined, reader);
        const a = before[k]!;
        expect(b.threads).toBe(availableParallelism() >= 2 ? 2 : undefined);
        expect(b.summaries).toEqual(a.summaries);
        expect([b.rows, b.afterAsOf, b.refundOnly, b.asOf, b.label]).toEqual([a.rows, a.afterAsOf, a.refundOnly, a.asOf, a.label]);
      }
      expect(before[1]!.afterAsOf).toBeGreaterThan(0);
      const tb = await aggregateInput(table, asOfs[0]!, undefined, reader);
      expect(tb.threads).toBeUndefined();
      expect(tb.summaries).toEqual(tableBefore.summaries);
      // --threads 1 reads in-process
      expect((await aggregateInput(f, asOfs[0]!, undefined, threaded(policy({ CUSTKIT_READER_THREAD_MIN_MB: '0' }, 1)))).threads).toBeUndefined();
    }
  });
});
