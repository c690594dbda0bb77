/**
 * The DuckDB engine and `custkit sql` from the command line: `run --engine duckdb` and
 * `segment --engine duckdb` write the same customer tables (and audit) as the JavaScript
 * engine on the bundled demo export and on a dirty generated export; inputs DuckDB cannot
 * take as written fall back with a note; `sql` prints every dialect and refuses bad options.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fixture, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-engine-');
afterAll(() => tmp.cleanup());
const read = (p: string): string => readFileSync(p, 'utf8');
const clean = (p: string): unknown => (JSON.parse(read(p)) as { clean: unknown }).clean;
/** The cohorts section of a run's report.json. */
const cohorts = (dir: string): unknown => (JSON.parse(read(`${dir}/report.json`)) as { cohorts?: unknown }).cohorts;

describe('run --engine duckdb', () => {
  it('writes the JavaScript engine\'s customer table and clean audit, in SQL (hand-made and generated exports)', async () => {
    const gen = tmp.path('gen.csv');
    const g = spawnSync(process.execPath, [resolve(REPO_ROOT, 'dist/gen/cli.js'), '--orders', '20000', '--seed', '9', '--out', gen], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    for (const [name, input] of [['basic', fixture('ingest', 'orders_basic.csv')], ['gen', gen]] as const) {
      const js = tmp.path(`${name}-js`);
      const duck = tmp.path(`${name}-duck`);
      const a = await runCli(['run', input, '--out', js, '--outliers', 'cap']);
      const b = await runCli(['run', input, '--out', duck, '--outliers', 'cap', '--engine', 'duckdb']);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stderr).toContain('DuckDB engine: ingest, clean and aggregation ran in SQL');
      expect(read(`${duck}/customers.csv`)).toBe(read(`${js}/customers.csv`));
      expect(clean(`${duck}/audit.json`)).toEqual(clean(`${js}/audit.json`));
      expect(cohorts(duck)).toBeDefined();
      expect(cohorts(duck), name).toEqual(cohorts(js));
    }
  });

  it('computes the cohorts in SQL, the JavaScript engine\'s to the cent: refunds before the first purchase, refund-only customers, rows out of date order, every grain, an earlier --as-of', async () => {
    const rows = ['customer_id,order_id,order_date,amount'];
    let o = 0;
    const add = (c: string, d: string, a: string): void => void rows.push(`${c},O${++o},${d},${a}`);
    for (let k = 0; k < 60; k++) {
      const c = `C${String(k).padStart(2, '0')}`;
      const m = 1 + (k % 12), y = 2023 + (k % 3 === 0 ? 1 : 0);
      const d = (mm: number, dd: number): string => `${y + Math.floor((mm - 1) / 12)}-${String(((mm - 1) % 12) + 1).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
      if (k % 5 === 0) add(c, d(m + 7, 3), `${k}.10`); // a later order first in the file
      add(c, d(m, 1 + (k % 27)), `${10 + k}.25`);
      if (k % 4 === 0) add(c, d(m, 1 + (k % 27)), '3.333333'); // same day
      if (k % 6 === 0) add(c, d(m > 1 ? m - 1 : m, 1), '-2.50'); // a refund before the first purchase
      if (k % 3 === 1) add(c, d(m + 2, 9), `${k % 7}.99`);
      if (k % 7 === 2) add(c, d(m + 14, 28), '-1.75'); // a refund later
    }
    add('REFUND-ONLY', '2023-05-05', '-9.00');
    add('LATE', '2025-03-01', '5.00'); // after --as-of 2025-01-31 below
    const input = tmp.path('cohort-edges.csv');
    writeFileSync(input, rows.join('\n') + '\n');
    for (const extra of [[], ['--cohorts', 'week'], ['--cohorts', 'quarter', '--as-of', '2025-01-31'], ['--outliers', 'drop']]) {
      const tag = extra.join('') || 'month';
      const js = tmp.path(`coh-js-${tag}`), duck = tmp.path(`coh-duck-${tag}`);
      const a = await runCli(['run', input, '--out', js, '--compare', 'off', ...extra]);
      const b = await runCli(['run', input, '--out', duck, '--compare', 'off', '--engine', 'duckdb', ...extra]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stderr, tag).toContain('ran in SQL');
      expect(b.stderr).toContain('the cohorts too');
      const c = cohorts(duck) as { customers: number; cohorts: unknown[]; grain: string };
      expect(c.customers, tag).toBe(extra.includes('2025-01-31') ? 60 : 61);
      expect(c.grain).toBe(extra[0] === '--cohorts' ? extra[1] : 'month');
      expect(cohorts(duck), tag).toEqual(cohorts(js));
      // The markdown and HTML reports carry the same tables; key indicators are said to be missing.
      expect(read(`${duck}/report.md`)).toContain('## Cohorts');
      expect(b.stderr).toContain('run: key indicators are not computed by the DuckDB engine');
    }
  });

  it('gives the same exit code, customer table and audit as the JavaScript engine on every ingest and clean fixture', async () => {
    const inputs = [
      ...readdirSync(fixture('ingest')).filter((f) => /\.(csv|tsv|txt)$/.test(f)).map((f) => fixture('ingest', f)),
      ...readdirSync(fixture('clean')).filter((f) => f.endsWith('.csv')).map((f) => fixture('clean', f)),
    ];
    let viaSql = 0;
    for (const input of inputs) {
      const name = basename(input);
      const js = tmp.path(`fx-js-${name}`);
      const duck = tmp.path(`fx-duck-${name}`);
      const a = await runCli(['run', input, '--out', js, '--as-of', '2026-12-31', '--compare', 'off']);
      const b = await runCli(['run', input, '--out', duck, '--as-of', '2026-12-31', '--compare', 'off', '--engine', 'duckdb']);
      expect(b.code, `${name}: ${b.stderr}`).toBe(a.code);
      if (a.code !== 0 && a.code !== 3) continue; // no output folder to compare (e.g. unmappable columns)
      expect(read(`${duck}/customers.csv`), name).toBe(read(`${js}/customers.csv`));
      expect(clean(`${duck}/audit.json`), name).toEqual(clean(`${js}/audit.json`));
      expect(cohorts(duck), name).toEqual(cohorts(js));
      if (b.stderr.includes('ran in SQL')) viaSql++;
    }
    expect(viaSql).toBeGreaterThanOrEqual(4); // basic, outliers, returns, window at least
  });

  it('on an export that needs ingest (currency symbols) says why and runs in JavaScript, same table', async () => {
    const js = tmp.path('dirty-js');
    const duck = tmp.path('dirty-duck');
    const input = fixture('demo', 'orders.csv');
    const a = await runCli(['run', input, '--out', js]);
    const b = await runCli(['run', input, '--out', duck, '--engine', 'duckdb', '--memory-limit', '256MB']);
    expect(b.code, b.stderr).toBe(a.code);
    expect(b.stderr).toMatch(/--engine duckdb: \d+ rows not in the form ingest writes.*; ingest, clean and aggregation run in JavaScript instead/);
    expect(read(`${duck}/customers.csv`)).toBe(read(`${js}/customers.csv`));
  });

  it('rejects a malformed --memory-limit and --memory-limit with --engine js (exit 1)', async () => {
    const bad = await runCli(['run', fixture('demo', 'orders.csv'), '--out', tmp.path('x'), '--engine', 'duckdb', '--memory-limit', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--memory-limit: "lots" is not a size/);
    const js = await runCli(['segment', fixture('demo', 'orders.csv'), '--engine', 'js', '--memory-limit', '1GB']);
    expect(js.code).toBe(1);
    expect(js.stderr).toMatch(/--engine duckdb only/);
  });
});

describe('--engine auto (the default)', () => {
  it('says which engine it chose and why: JavaScript for a small CSV, DuckDB for gzip', async () => {
    const input = fixture('ingest', 'orders_basic.csv');
    const a = await runCli(['run', input, '--out', tmp.path('auto-js')]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/run: engine auto → js \(input 0\.00 GB, the JavaScript engine's estimated peak 0\.30 GB, [\d.]+ GB of memory available\)/);
    const gz = tmp.path('basic.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(input)));
    const b = await runCli(['run', gz, '--out', tmp.path('auto-gz')]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`run: engine auto → duckdb (${gz} is compressed, which only DuckDB reads)`);
    expect(b.stderr).toContain('DuckDB engine: ingest, clean and aggregation ran in SQL');
    expect(read(tmp.path('auto-gz/customers.csv'))).toBe(read(tmp.path('auto-js/customers.csv')));
    const m = await runCli(['run', input, '--out', tmp.path('auto-m'), '--memory-limit', '512MB', '-q']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).toBe('');
  });
});

describe('segment --engine duckdb', () => {
  it('gives the JavaScript table byte for byte on cleaned transactions, and several files at once', async () => {
    const tx = tmp.path('tx.csv');
    expect((await runCli(['ingest', fixture('demo', 'orders.csv'), '-o', tmp.path('raw.csv')])).code).toBe(0);
    expect((await runCli(['clean', tmp.path('raw.csv'), '-o', tx])).code).toBe(0);
    const a = await runCli(['segment', tx, '--as-of', '2026-06-30']);
    const b = await runCli(['segment', tx, '--as-of', '2026-06-30', '--engine', 'duckdb']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toContain('duckdb engine');
    // The same rows split over two files.
    const lines = read(tx).trimEnd().split('\n');
    const half = Math.floor(lines.length / 2);
    const [p1, p2] = [tmp.path('tx1.csv'), tmp.path('tx2.csv')];
    writeFileSync(p1, lines.slice(0, half).join('\n') + '\n');
    writeFileSync(p2, [lines[0], ...lines.slice(half)].join('\n') + '\n');
    const c = await runCli(['segment', p1, p2, '--as-of', '2026-06-30', '--engine', 'duckdb']);
    expect(c.stdout).toBe(a.stdout);
  });

  it('refuses standard input with a hint (exit 1) and reads a customer table with the JavaScript reader', async () => {
    const r = await runCli(['segment', '-', '--engine', 'duckdb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reads files .*not standard input/);
    const table = tmp.path('customers.csv');
    writeFileSync(table, 'customer_id,orders,revenue,last_order\nA,2,10,2024-01-02\nB,1,5,2024-01-01\n');
    const t = await runCli(['segment', table, '--engine', 'duckdb', '--as-of', '2024-01-31', '--only', 'abc']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/reading it with the JavaScript engine/);
  });
});

describe('custkit sql', () => {
  it('prints the query for each dialect with the mapping and as-of in its header comment', async () => {
    for (const d of ['duckdb', 'postgres', 'spark', 'trino', 'bigquery']) {
      const r = await runCli(['sql', '--dialect', d, '--table', 'sales.orders', '--map', 'customer_id=user_id', '--as-of', '2026-06-30']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`-- dialect: ${d} · source: sales.orders (customer_id=user_id, order_date=order_date, amount=amount) · as of: 2026-06-30`);
      expect(r.stdout.trimEnd().endsWith(';')).toBe(true);
    }
  });

  it('refuses a missing or unknown dialect, a bad --map pair and a bad --as-of (exit 1, one line)', async () => {
    for (const [args, msg] of [
      [[], /missing --dialect/],
      [['--dialect', 'oracle'], /unknown dialect "oracle"/],
      [['--dialect', 'postgres', '--map', 'revenue=x'], /--map: "revenue=x" is not canonical=source/],
      [['--dialect', 'postgres', '--as-of', 'yesterday'], /--as-of: "yesterday" is not a date/],
    ] as [string[], RegExp][]) {
      const r = await runCli(['sql', ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
