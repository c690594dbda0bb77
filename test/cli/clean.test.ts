/**
 * `custkit clean` end to end with the default `--outliers flag`: the rows are cleaned once,
 * written with the flag 0 and the flagged ones patched in place (pipeline/clean-stage.ts
 * flagInPlace, io/number-spool.ts): in the -o file, or in a temporary file then copied to stdout.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { fixture, runCli, spawnCli } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-clean-');
afterAll(() => tmp.cleanup());

describe('clean --outliers flag (default)', () => {
  it('writes the rows of --outliers off plus a flag column; quoted newlines, quotes and non-ASCII survive the patching', async () => {
    const ids = ['C1', '"a,b"', '"line\nbreak"', '"say ""hi"""', '客户', '"  padded"'];
    const lines = ['customer_id,order_id,order_date,amount,quantity,status,region'];
    for (let i = 0; i < 60; i++) lines.push(`${ids[i % ids.length]},O${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')},${20 + (i % 31)}.5,1,paid,"n,${i % 3}"`);
    lines.push('C1,O999,2024-03-30,99999,1,paid,north'); // far above the fence
    lines.push('C1,O1000,2024-03-30,-5,1,refunded,north'); // a standalone return row
    const input = tmp.path('in.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const flagged = await runCli(['clean', input, '--audit', tmp.path('audit.json'), '-o', tmp.path('flag.csv')]);
    expect(flagged.code, flagged.stderr).toBe(0);
    const plain = await runCli(['clean', input, '--outliers', 'off', '-o', tmp.path('off.csv')]);
    expect(plain.code, plain.stderr).toBe(0);
    const f: string[][] = parse(readFileSync(tmp.path('flag.csv')));
    const o: string[][] = parse(readFileSync(tmp.path('off.csv')));
    expect(f[0]).toEqual([...o[0]!, 'outlier']);
    expect(f.length).toBe(o.length);
    for (let i = 1; i < f.length; i++) expect(f[i]!.slice(0, -1)).toEqual(o[i]);
    expect(f.map((r) => r[0])).toContain('line\nbreak');
    const ones = f.slice(1).filter((r) => r.at(-1) === '1');
    expect(ones.map((r) => r[1])).toEqual(['O999']);
    expect(f.slice(1).every((r) => r.at(-1) === '0' || r.at(-1) === '1')).toBe(true);
    expect(JSON.parse(readFileSync(tmp.path('audit.json'), 'utf8')).outliers_flagged).toBe(1);
  });
});

describe('clean --outliers flag: -o FILE (patched in place) and stdout (patched in a temporary file, then copied) write the same bytes', () => {
  it('with flagged rows in many blocks of 4,096 rows, at block edges, and quoted cells holding ",0", newlines and quotes', async () => {
    const lines = ['customer_id,order_id,order_date,amount,quantity,status,region'];
    const flaggedIds: string[] = [];
    for (let i = 0; i < 13000; i++) {
      const far = i % 997 === 0 || i === 4095 || i === 4096 || i === 12999;
      if (far) flaggedIds.push(`O${i}`);
      const region = i % 7 === 0 ? '"x,0\ny ""q"",0"' : i % 11 === 0 ? '区域' : 'north';
      lines.push(`C${i % 500},O${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')},${far ? 99999 : 20 + (i % 31)}.25,1,paid,${region}`);
    }
    const input = tmp.path('blocks.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const file = await runCli(['clean', input, '--audit', tmp.path('blocks-file.json'), '-o', tmp.path('blocks.out.csv')]);
    const piped = await runCli(['clean', input, '--audit', tmp.path('blocks-stdout.json')]);
    expect([file.code, piped.code]).toEqual([0, 0]);
    const written = readFileSync(tmp.path('blocks.out.csv'), 'utf8');
    expect(written).toBe(piped.stdout);
    expect(readFileSync(tmp.path('blocks-file.json'), 'utf8')).toBe(readFileSync(tmp.path('blocks-stdout.json'), 'utf8'));
    const rows: string[][] = parse(written);
    expect(rows.length).toBe(13001);
    expect(rows.slice(1).filter((r) => r.at(-1) === '1').map((r) => r[1])).toEqual(flaggedIds);
    expect(rows.filter((r) => r[6] === 'x,0\ny "q",0').length).toBe(1858);
    expect(JSON.parse(readFileSync(tmp.path('blocks-file.json'), 'utf8')).outliers_flagged).toBe(flaggedIds.length);
  });
});

describe('clean --outliers flag from stdin to stdout', () => {
  it('writes the same bytes as -o and leaves no temporary file behind', () => {
    const t = tempDir();
    const input = readFileSync(fixture('clean', 'clean_outliers.csv'));
    const scratch = t.path('scratch');
    mkdirSync(scratch);
    const piped = spawnCli(['clean', '-'], { input, env: { TMPDIR: scratch } });
    const file = spawnCli(['clean', fixture('clean', 'clean_outliers.csv'), '-o', t.path('out.csv')]);
    expect([piped.code, file.code]).toEqual([0, 0]);
    expect(piped.stdout).toBe(readFileSync(t.path('out.csv'), 'utf8'));
    expect(piped.stdout.split('\n').filter((l) => l.endsWith(',1')).length).toBeGreaterThan(0);
    expect(readdirSync(scratch)).toEqual([]);
    t.cleanup();
  });
});

describe('clean with CUSTKIT_THREADS=2 (reader thread screening lines)', () => {
  it.each([
    ['clean_returns.csv', []],
    ['clean_split_order.csv', []],
    ['clean_outliers.csv', []],
    ['clean_outliers.csv', ['--outliers', 'cap']], // two passes, two reader threads
    // The thread screens lines under the same options: late re-openings, returns dropped, guests kept.
    ['clean_split_order.csv', ['--fold-window', '1', '--returns', 'drop', '--guests', 'keep']],
    ['clean_returns.csv', ['--returns', 'keep', '--fold-window', '1']],
  ])('writes the same rows and audit as on one thread (%s %s)', (name, extra) => {
    const t = tempDir();
    const args = (tag: string): string[] => ['clean', fixture('clean', name), ...extra, '--audit', t.path(`audit-${tag}.json`), '-o', t.path(`out-${tag}.csv`)];
    const one = spawnCli(args('1'), { env: { CUSTKIT_THREADS: '1' } });
    const two = spawnCli(args('2'), { env: { CUSTKIT_THREADS: '2' } });
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(readFileSync(t.path('out-2.csv'), 'utf8')).toBe(readFileSync(t.path('out-1.csv'), 'utf8'));
    expect(readFileSync(t.path('audit-2.json'), 'utf8')).toBe(readFileSync(t.path('audit-1.json'), 'utf8'));
    expect(one.stderr).not.toContain('second thread');
    if (availableParallelism() >= 2) expect(two.stderr).toContain('clean: reading and screening lines on a second thread');
    if (name === 'clean_split_order.csv' && extra.length > 0) expect(JSON.parse(readFileSync(t.path('audit-1.json'), 'utf8')).late_order_lines).toBeGreaterThan(0);
    t.cleanup();
  });
  it('--threads: 2 uses the thread for a small file, 1 keeps one thread, anything else is a usage error', () => {
    const t = tempDir();
    const args = (tag: string, n: string): string[] => ['clean', fixture('clean', 'clean_returns.csv'), '--threads', n, '-o', t.path(`out-${tag}.csv`)];
    const one = spawnCli(args('1', '1'), { env: { CUSTKIT_THREADS: '2' } });
    const two = spawnCli(args('2', '2'));
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(one.stderr).not.toContain('second thread');
    if (availableParallelism() >= 2) expect(two.stderr).toContain('second thread');
    expect(readFileSync(t.path('out-2.csv'), 'utf8')).toBe(readFileSync(t.path('out-1.csv'), 'utf8'));
    const bad = spawnCli(args('0', '0'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('custkit: --threads 0 is out of range (hint: allowed: 1 to 256)\n');
    t.cleanup();
  });
  it('CUSTKIT_STATS reports how long each thread waited for the other, only with the reader thread', () => {
    const t = tempDir();
    const stats = (n: string): Record<string, number> => {
      const r = spawnCli(['clean', fixture('clean', 'clean_returns.csv'), '--threads', n, '-o', t.path(`out-${n}.csv`)], { env: { CUSTKIT_STATS: '1' } });
      expect(r.code).toBe(0);
      const line = r.stderr.split('\n').find((l) => l.startsWith('custkit-stats: '));
      return JSON.parse(line!.slice('custkit-stats: '.length)).stages;
    };
    const one = stats('1');
    expect(Object.keys(one)).not.toContain('readerWaitMs');
    if (availableParallelism() >= 2) {
      const two = stats('2');
      for (const k of ['readerWaitMs', 'mainWaitMs']) expect([k, Number.isInteger(two[k]) && two[k]! >= 0]).toEqual([k, true]);
    }
    t.cleanup();
  });
});
