/**
 * The thread policy (src/parallel/policy.ts): each decision from the environment handed in and
 * --threads, and the README's environment table naming every variable the policy reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY, cellsThreadWanted, rangeThreads, readerThreadWanted, scoreThreadWanted, threadPolicy } from '../../src/parallel/policy.js';

const TWO_CORES = 2;

describe('thread policy', () => {
  it('takes --threads before CUSTKIT_THREADS; empty variables count as unset; defaults from the table', () => {
    expect(threadPolicy({}, null, TWO_CORES)).toEqual({ threads: null, cores: 2, readerThreadMinMb: 32, rangeAggregateMinMb: 64, scoreThreadMinCustomers: 50_000, cellsThreadMinCustomers: 100_000, workbookThreadMinCustomers: 50_000 });
    expect(threadPolicy({ CUSTKIT_THREADS: '4' }, null, TWO_CORES).threads).toBe(4);
    expect(threadPolicy({ CUSTKIT_THREADS: '4' }, 1, TWO_CORES).threads).toBe(1);
    expect(threadPolicy({ CUSTKIT_THREADS: '', CUSTKIT_READER_THREAD_MIN_MB: '', CUSTKIT_PARALLEL_MIN_MB: '' }, null, TWO_CORES)).toEqual(threadPolicy({}, null, TWO_CORES));
    expect(threadPolicy({ CUSTKIT_READER_THREAD_MIN_MB: '8', CUSTKIT_PARALLEL_MIN_MB: '0.5' }, null, TWO_CORES)).toMatchObject({ readerThreadMinMb: 8, rangeAggregateMinMb: 0.5 });
    expect(threadPolicy({ CUSTKIT_PARALLEL_MIN_MB: '-1' }, null, TWO_CORES).rangeAggregateMinMb).toBe(64);
  });

  it('reader thread: from 32 MB by default; threads set decide alone; never stdin or one core', () => {
    const p = threadPolicy({}, null, TWO_CORES);
    expect(readerThreadWanted(p, false, 32e6)).toBe(true);
    expect(readerThreadWanted(p, false, 32e6 - 1)).toBe(false);
    expect(readerThreadWanted(p, false, null)).toBe(false); // a missing file: ingest reports it
    expect(readerThreadWanted(p, true, 1e9)).toBe(false);
    expect(readerThreadWanted(threadPolicy({}, null, 1), false, 1e9)).toBe(false);
    expect(readerThreadWanted(threadPolicy({}, 2, TWO_CORES), false, 0)).toBe(true);
    expect(readerThreadWanted(threadPolicy({}, 1, TWO_CORES), false, 1e9)).toBe(false);
    expect(readerThreadWanted(threadPolicy({ CUSTKIT_THREADS: 'many' }, null, TWO_CORES), false, 1e9)).toBe(false);
  });

  it('score thread from 50,000 customers, its cells from 100,000; threads ≥ 2 force both', () => {
    const p = threadPolicy({}, null, TWO_CORES);
    expect([scoreThreadWanted(p, 49_999), scoreThreadWanted(p, 50_000), scoreThreadWanted(p, 0)]).toEqual([false, true, false]);
    expect([cellsThreadWanted(p, 99_999), cellsThreadWanted(p, 100_000)]).toEqual([false, true]);
    const forced = threadPolicy({ CUSTKIT_THREADS: '2' }, null, TWO_CORES);
    expect([scoreThreadWanted(forced, 10), cellsThreadWanted(forced, 10)]).toEqual([true, true]);
    expect(scoreThreadWanted(threadPolicy({}, null, 1), 1e6)).toBe(false);
  });

  it('byte ranges: only with threads set, at most twice the cores, from CUSTKIT_PARALLEL_MIN_MB', () => {
    expect(rangeThreads(threadPolicy({}, null, TWO_CORES), 1e9)).toBe(1);
    expect(rangeThreads(threadPolicy({}, 8, TWO_CORES), 1e9)).toBe(4);
    expect(rangeThreads(threadPolicy({}, 3, TWO_CORES), 64e6 - 1)).toBe(1);
    expect(rangeThreads(threadPolicy({ CUSTKIT_PARALLEL_MIN_MB: '0' }, 3, TWO_CORES), 1)).toBe(3);
  });

  it("every variable the policy reads is in the README's environment table", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Environment variables'), readme.indexOf('\n## ', readme.indexOf('## Environment variables') + 1));
    const vars: string[] = Object.values(POLICY).flatMap((e) => (e.env === null ? [] : [e.env]));
    expect(vars).toEqual(['CUSTKIT_THREADS', 'CUSTKIT_READER_THREAD_MIN_MB', 'CUSTKIT_PARALLEL_MIN_MB']);
    for (const v of vars) expect(section).toContain(`| \`${v}\` |`);
  });
});
