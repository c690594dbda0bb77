/**
 * `custkit run` end to end (in-process through main()): the output folder, --compare auto
 * across two runs, byte-identity with the piped subcommands
 * (ingest | clean | segment | score, each with the same options), --fail-if, and the bundled
 * demo input. The CDNOW comparison reads ../shared/data and skips when it is absent.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli, spawnCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-run-');
afterAll(() => tmp.cleanup());

const FILES = ['customers.csv', 'report.html', 'report.md', 'report.json', 'audit.json', 'rejects.csv', 'fit.json'];
const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.custkit-tmp'));

/** ingest → clean → segment → score as four commands through files, each with its own share of the options. */
async function piped(input: string, name: string, o: { ingest?: string[]; clean?: string[]; segment?: string[]; score?: string[] } = {}): Promise<string> {
  const p = (s: string): string => tmp.path(`${name}.${s}.csv`);
  const steps: [string, string[], string, string][] = [
    ['ingest', o.ingest ?? [], input, p('tx')],
    ['clean', o.clean ?? [], p('tx'), p('clean')],
    ['segment', o.segment ?? [], p('clean'), p('seg')],
    ['score', o.score ?? [], p('seg'), p('scored')],
  ];
  for (const [cmd, args, from, to] of steps) {
    const r = await runCli([cmd, from, ...args, '-o', to]);
    expect(r.code, `${cmd}: ${r.stderr}`).toBe(0);
  }
  return readFileSync(p('scored'), 'utf8');
}

describe('run: output folder', () => {
  it('writes the seven files atomically (no temporary files left) and the table matches the input', async () => {
    const out = tmp.path('basic');
    const r = await runCli(['run', fixture('ingest', 'orders_basic.csv'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of FILES) expect(existsSync(join(out, f)), f).toBe(true);
    expect(leftovers(out)).toEqual([]);
    // orders_basic.csv (fixtures/ingest/README.md): C001 120 + 80.25, C002 35.50 + 42.10, C003 15 (status refunded →
    // removed by clean as cancelled), C004 200 → three customers, revenue 477.85.
    const rows = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(rows.map((x) => [x.customer_id, x.revenue])).toEqual([['C001', '200.25'], ['C002', '77.6'], ['C004', '200']]);
    const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    expect(audit.ingest.rows_read).toBe(6);
    expect(audit.clean.rows_in).toBe(6);
    expect(audit.clean.customers_out).toBe(3); // counted by run's accumulator, not the cleaner
    expect(audit.segment.customers).toBe(3);
    // The same audit as the piped commands (the cleaner counts customers itself there).
    const piped = tmp.path('basic-piped');
    mkdirSync(piped, { recursive: true });
    expect((await runCli(['ingest', fixture('ingest', 'orders_basic.csv'), '-o', join(piped, 'tx.csv')])).code).toBe(0);
    expect((await runCli(['clean', join(piped, 'tx.csv'), '--audit', join(piped, 'audit.json'), '-o', join(piped, 'clean.csv')])).code).toBe(0);
    expect(audit.clean).toEqual(JSON.parse(readFileSync(join(piped, 'audit.json'), 'utf8')));
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).overview.customers).toBe(3);
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toBe('file,line,reason,detail,raw\n');
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).customers).toBe(3);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('a second run into the same folder keeps previous/customers.csv and reports the changes', async () => {
    const out = tmp.path('twice');
    const input = fixture('cli', 'transactions.csv');
    const first = await runCli(['run', input, '--out', out, '--as-of', '2024-05-31']);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(out, 'previous'))).toBe(false);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain('## Changes since the previous report');
    const firstTable = readFileSync(join(out, 'customers.csv'), 'utf8');
    const second = await runCli(['run', input, '--out', out, '--as-of', '2024-06-30', '--compare', 'auto']);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(out, 'previous', 'customers.csv'), 'utf8')).toBe(firstTable);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Changes since the previous report');
    // At 2024-05-31 K09 (first order 06-25) and K18 (06-10) had not bought yet: 2 new customers; nobody left.
    expect(md).toContain('| New customers | 2 |');
    expect(md).toContain('| Customers no longer in the table | 0 |');
    expect(leftovers(out)).toEqual([]);
    expect(leftovers(join(out, 'previous'))).toEqual([]);
  });

  it('--compare naming the folder\'s own customers.csv compares with the previous run, not with the table it writes', async () => {
    const out = tmp.path('named');
    const input = fixture('cli', 'transactions.csv');
    expect((await runCli(['run', input, '--out', out, '--as-of', '2024-05-31'])).code).toBe(0);
    const firstTable = readFileSync(join(out, 'customers.csv'), 'utf8');
    const second = await runCli(['run', input, '--out', out, '--as-of', '2024-06-30', '--compare', join(out, 'customers.csv')]);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(out, 'previous', 'customers.csv'), 'utf8')).toBe(firstTable);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| New customers | 2 |');
  });

  it('--compare naming a file that is no customer table fails with exit 2 before anything is written', async () => {
    const out = tmp.path('bad-compare');
    const bad = tmp.path('not-a-table.csv');
    writeFileSync(bad, 'a,b\n1,2\n');
    const r = await runCli(['run', fixture('cli', 'transactions.csv'), '--out', out, '--compare', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('customer table lacks columns customer_id');
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(out, 'customers.csv'))).toBe(false);
    expect(existsSync(join(out, '..', '.bad-compare.runs'))).toBe(false); // nor a run store beside it
  });

  it('--compare auto across identical runs finds no changes, also for ids a spreadsheet guard would rewrite', async () => {
    // customers.csv is exact: =BAD and 'BAD-like ids ('=BAD) are two customers, written and read back as they are.
    const input = tmp.path('inject.csv');
    writeFileSync(input, "customer_id,order_id,order_date,amount\n=BAD,1,2024-01-01,10\n=BAD,2,2024-02-01,20\n@X,3,2024-01-05,30\nok,4,2024-02-03,40\n'=BAD,5,2024-02-04,50\n");
    const out = tmp.path('inject');
    expect((await runCli(['run', input, '--out', out])).code).toBe(0);
    const ids = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8')).map((r) => r.customer_id);
    expect(ids.sort()).toEqual(["'=BAD", '=BAD', '@X', 'ok']);
    expect((await runCli(['run', input, '--out', out])).code).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(j.metrics.new_customers).toBe(0);
    expect(j.metrics.lost_customers).toBe(0);
    expect(j.changes.in_both).toBe(4);
  });

  it('--fail-if exits 4 after writing every file; a condition that does not hold exits 0', async () => {
    const out = tmp.path('alert');
    const r = await runCli(['run', fixture('cli', 'transactions.csv'), '--out', out, '--fail-if', 'customers>10']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('alert: customers>10 (value 19)'); // K01…K18 + K20 (as-of = last date 2024-07-10)
    for (const f of FILES) expect(existsSync(join(out, f)), f).toBe(true);
    const ok = await runCli(['run', fixture('cli', 'transactions.csv'), '--out', tmp.path('alert2'), '--fail-if', 'customers>19']);
    expect(ok.code).toBe(0);
  });

  it('with no input it runs on the bundled demo export fixtures/demo/orders.csv', async () => {
    const demo = fixture('demo', 'orders.csv');
    if (!existsSync(demo)) {
      console.warn('[custkit tests] fixtures/demo/orders.csv does not exist yet: demo run test skipped');
      return;
    }
    const out = tmp.path('demo');
    const r = await runCli(['run', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('using the bundled demo export');
    const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    expect(audit.inputs.map((i: { file: string }) => i.file)).toEqual([demo]);
    // Every data line of the demo file is read: line count − 1 header (LF endings).
    const lines = readFileSync(demo, 'utf8').split('\n').filter((l) => l.length > 0).length - 1;
    expect(audit.ingest.rows_read).toBe(lines);
  });
});

describe('run --threads', () => {
  it('--threads 2 reads and scores on a second thread (on a multi-core machine) and writes the same folder as --threads 1', async () => {
    const a = tmp.path('threads-1');
    const b = tmp.path('threads-2');
    const args = [fixture('cli', 'transactions.csv'), '--as-of', '2024-06-30', '--compare', 'off'];
    expect((await runCli(['run', ...args, '--out', a, '--threads', '1'])).code).toBe(0);
    const r = await runCli(['run', ...args, '--out', b, '--threads', '2']);
    expect(r.code, r.stderr).toBe(0);
    if (availableParallelism() >= 2) expect(r.stderr).toContain('reading on a second thread');
    if (availableParallelism() >= 2) expect(r.stderr).toContain('scoring on a second thread');
    for (const f of ['customers.csv', 'audit.json', 'rejects.csv', 'fit.json', 'report.md']) expect([f, readFileSync(join(b, f), 'utf8')]).toEqual([f, readFileSync(join(a, f), 'utf8')]);
  });
  it('--threads 2 ends the process once the folder is written (the score thread that wrote cells exits)', () => {
    // A thread left listening kept `run` alive after its last file: a real process must exit.
    const out = tmp.path('threads-2-exit');
    const r = spawnCli(['run', fixture('cli', 'transactions.csv'), '--as-of', '2024-06-30', '--out', out, '--threads', '2'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toBe(readFileSync(join(tmp.path('threads-1'), 'customers.csv'), 'utf8'));
  });
  it('--threads 0 is a usage error that names the allowed range', async () => {
    const r = await runCli(['run', fixture('cli', 'transactions.csv'), '--out', tmp.path('threads-0'), '--threads', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('custkit: --threads 0 is out of range (hint: allowed: 1 to 256)\n');
  });
});

describe('run = the piped subcommands, byte for byte (customers.csv)', () => {
  it('fixtures/ingest/orders_basic.csv (a cancelled order removed by clean)', async () => {
    const out = tmp.path('same-basic');
    expect((await runCli(['run', fixture('ingest', 'orders_basic.csv'), '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toBe(await piped(fixture('ingest', 'orders_basic.csv'), 'basic'));
  });
  it('fixtures/cli/transactions.csv with --as-of, --returns drop and segment/score options', async () => {
    const out = tmp.path('same-tx');
    const r = await runCli(['run', fixture('cli', 'transactions.csv'), '--out', out, '--as-of', '2024-06-30', '--returns', 'drop', '--bins', '4', '--k', '3', '--seed', '9', '--horizon', '6m', '--unit', 'day']);
    expect(r.code, r.stderr).toBe(0);
    const p = await piped(fixture('cli', 'transactions.csv'), 'tx', {
      clean: ['--as-of', '2024-06-30', '--returns', 'drop'],
      segment: ['--as-of', '2024-06-30', '--bins', '4', '--k', '3', '--seed', '9'],
      score: ['--horizon', '6m', '--unit', 'day'],
    });
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toBe(p);
    expect(csvRecords(p).length).toBe(18);
  });
  it.skipIf(!HAS_SHARED)(HAS_SHARED ? 'CDNOW sample (2,357 customers, a converged BG/NBD fit)' : SKIP_SHARED_REASON, async () => {
    const ing = ['--delimiter', 'whitespace', '--map', 'customer_id=2,order_date=3,amount=5'];
    const out = tmp.path('same-cdnow');
    const r = await runCli(['run', sharedFile('lifetimes_CDNOW_sample.txt'), ...ing, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const p = await piped(sharedFile('lifetimes_CDNOW_sample.txt'), 'cdnow', { ingest: ing });
    const table = readFileSync(join(out, 'customers.csv'), 'utf8');
    expect(table).toBe(p);
    // REFERENCE §6 sample at 1998-06-30: revenue $244,091.94 over 2,357 customers.
    const rows = csvRecords(table);
    expect(rows.length).toBe(2357);
    expect(rows.reduce((a, x) => a + Math.round(Number(x.revenue) * 100), 0)).toBe(24_409_194);
  });
});
