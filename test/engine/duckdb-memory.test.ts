/**
 * #29: the DuckDB step completes at a small --memory-limit, spilling, instead of running out of
 * memory. 600,000 generated lines of 150,000 customers under 100MB on two threads: before the
 * fix the query held the final sort's input and 32 MB CSV buffers pinned while the cohorts'
 * groupings ran, and failed in every run ("could not allocate block"); now it passes with the
 * same results as under a roomy limit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithDuckdb } from '../../src/engine/duckdb-clean.js';
import { summariesFromFacts } from '../../src/core/aggregate/summary-facts.js';
import type { IngestOptions } from '../../src/config/ingest-options.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-duckmem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const INGEST: IngestOptions = { encoding: 'auto', delimiter: 'auto', header: true, map: {}, keep: [], decimal: 'auto', dateFormat: 'auto', parser: 'fast' };

/** Canonical lines from a fixed linear congruential sequence; the customers and cents seen. */
function generate(lines: number, customers: number): { path: string; ids: Set<string>; cents: number } {
  let s = 12345;
  const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const day0 = Date.UTC(2023, 0, 1) / 864e5;
  const out = ['customer_id,order_id,order_date,amount,status\n'];
  const ids = new Set<string>();
  let cents = 0;
  for (let i = 0; i < lines; i++) {
    const c = 'C' + String(Math.floor(rnd() * customers)).padStart(7, '0');
    const d = new Date((day0 + Math.floor(rnd() * 1095)) * 864e5).toISOString().slice(0, 10);
    const a = 100 + Math.floor(rnd() * 20000);
    ids.add(c);
    cents += a;
    out.push(`${c},O${String(i).padStart(9, '0')},${d},${(a / 100).toFixed(2)},paid\n`);
  }
  const path = join(dir, 'orders.csv');
  writeFileSync(path, out.join(''));
  return { path, ids, cents };
}

describe('runWithDuckdb under a small memory limit', () => {
  it('spills and completes with the results of a roomy limit (cohorts by month, two threads)', async () => {
    const g = generate(600_000, 150_000);
    const small = await runWithDuckdb([g.path], INGEST, {}, null, { memoryLimit: '100MB', threads: 2 }, 'month');
    if ('why' in small) throw new Error(small.why);
    expect(small.audit.rows_in).toBe(600_000);
    expect(small.audit.rows_out).toBe(600_000);
    expect(small.facts.ids.length).toBe(g.ids.size);
    expect(Math.round((small.audit.amount_out ?? 0) * 100)).toBe(g.cents);
    const roomy = await runWithDuckdb([g.path], INGEST, {}, null, { memoryLimit: '2GB', threads: 2 }, 'month');
    if ('why' in roomy) throw new Error(roomy.why);
    expect(small.audit).toEqual(roomy.audit);
    expect(small.cohorts).toEqual(roomy.cohorts);
    expect(summariesFromFacts(small.facts, small.asOf)).toEqual(summariesFromFacts(roomy.facts, roomy.asOf));
  });
});
