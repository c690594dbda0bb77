/**
 * Behaviour every custkit command shares, checked on `ingest`, as real processes where it
 * matters (bin/custkit.js → dist, so `npx tsc -p tsconfig.json` must have run): `-` is stdin, empty and
 * header-only inputs, a BOM, several files in one run, atomic --output, a reader that closes
 * the pipe early (`| head -1`), and no ANSI escapes on stderr when it is not a TTY or NO_COLOR
 * is set.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture, runCli, spawnCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { csvRecords, sumAmounts, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-contract-');
afterAll(() => tmp.cleanup());
beforeAll(() => {
  if (!existsSync(`${REPO_ROOT}/dist/cli/main.js`)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` before these tests');
});

const golden = (name: string): string => readFileSync(fixture('ingest', 'expected', name), 'utf8');
const BASIC = fixture('ingest', 'orders_basic.csv');
const HEADER = 'customer_id,order_id,order_date,amount,quantity,status\n';
const tmpLeftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('.custkit-tmp-'));

describe('stdin', () => {
  it('`-` reads stdin: same output as the file', () => {
    const r = spawnCli(['ingest', '-'], { input: readFileSync(BASIC) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('orders_basic.csv'));
    expect(r.stderr).toContain('ingest: <stdin>: utf-8, delimiter ,');
  });
  it('no file arguments means stdin too', () => {
    const r = spawnCli(['ingest'], { input: readFileSync(BASIC) });
    expect([r.code, r.stdout]).toEqual([0, golden('orders_basic.csv')]);
  });
  it('a UTF-8 BOM on stdin is removed before the header is read', () => {
    const r = spawnCli(['ingest', '-'], { input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(BASIC)]) });
    expect([r.code, r.stdout]).toEqual([0, golden('orders_basic.csv')]);
    // and a GB18030 file on stdin is detected like a file
    const g = spawnCli(['ingest', '-'], { input: readFileSync(fixture('ingest', 'orders_gb18030.csv')) });
    expect([g.code, g.stdout]).toEqual([0, golden('orders_zh_utf8_bom.csv')]);
  });
});

describe('empty and header-only inputs', async () => {
  // An empty export usually means it failed upstream: exit 2 in one line, unless --allow-empty.
  const EMPTY = 'no data rows (the input is empty or only a header) (hint: an empty export usually means the export upstream failed; --allow-empty accepts it)';
  it('empty stdin: exit 2 naming <stdin>; with --allow-empty exit 0, the canonical header and nothing else', () => {
    const r = spawnCli(['ingest', '-'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`custkit: <stdin>: ${EMPTY}`);
    const a = spawnCli(['ingest', '-', '--allow-empty'], { input: '' });
    expect([a.code, a.stdout]).toEqual([0, HEADER]);
  });
  it('an empty file: exit 2 and no -o file; with --allow-empty the header', async () => {
    const f = tmp.path('empty.csv');
    writeFileSync(f, '');
    const r = await runCli(['ingest', f, '-o', tmp.path('empty-out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${f}: ${EMPTY}`);
    expect(existsSync(tmp.path('empty-out.csv'))).toBe(false);
    const a = await runCli(['ingest', f, '--allow-empty']);
    expect([a.code, a.stdout]).toEqual([0, HEADER]);
    expect(a.stderr).toContain(`ingest: ${f}: empty, no rows\ningest: 0 rows read, 0 written, 0 rejected`);
  });
  it('a header-only file: exit 2 (header only with --allow-empty); its mapping is still checked', async () => {
    const f = tmp.path('header-only.csv');
    writeFileSync(f, 'customer_id,order_id,order_date,amount\r\n');
    expect((await runCli(['ingest', f])).code).toBe(2);
    const r = await runCli(['ingest', f, '--allow-empty']);
    expect([r.code, r.stdout]).toEqual([0, HEADER]);
    const bad = tmp.path('header-only-bad.csv');
    writeFileSync(bad, 'order_id,order_date,amount\n');
    const b = await runCli(['ingest', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^custkit: no column for customer_id among \[order_id, order_date, amount\]/);
  });
});

describe('several files in one run', async () => {
  it('two monthly files: rows of both in order, synthesised ids distinct (~1.<line>, ~2.<line>)', async () => {
    const jan = tmp.path('2026-01.csv');
    const feb = tmp.path('2026-02.csv');
    writeFileSync(jan, 'customer_id,order_date,amount\nA,2026-01-05,10\nB,2026-01-20,20.5\n');
    writeFileSync(feb, 'customer_id,order_date,amount\nA,2026-02-03,30\nC,2026-02-14,40.25\n');
    const r = await runCli(['ingest', jan, feb]);
    expect(r.code).toBe(0);
    const rows = csvRecords(r.stdout);
    expect(rows.map((x) => [x.customer_id, x.order_id, x.order_date])).toEqual([
      ['A', '~1.2', '2026-01-05'],
      ['B', '~1.3', '2026-01-20'],
      ['A', '~2.2', '2026-02-03'],
      ['C', '~2.3', '2026-02-14'],
    ]);
    expect(new Set(rows.map((x) => x.order_id)).size).toBe(4);
    expect(sumAmounts(rows)).toBe(100.75); // 10 + 20.5 + 30 + 40.25
    expect(r.stderr.match(/^ingest: .*2026-0[12]\.csv: utf-8/gm)).toHaveLength(2);
    expect(r.stderr).toContain('ingest: 4 rows read, 4 written');
  });
  it('files with different encodings and headers that map to the same fields are concatenated', async () => {
    const r = await runCli(['ingest', fixture('ingest', 'orders_zh_utf8_bom.csv'), fixture('ingest', 'orders_gb18030.csv')]);
    expect(r.code).toBe(0);
    const body = golden('orders_zh_utf8_bom.csv').split('\n').slice(1).join('\n');
    expect(r.stdout).toBe(golden('orders_zh_utf8_bom.csv') + body);
  });
  it('a file whose columns map to other fields stops the run (exit 2), naming it', async () => {
    const tab = fixture('ingest', 'orders_tab.tsv');
    const r = await runCli(['ingest', BASIC, tab]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${tab}:1: columns map to different fields than the first file's`);
  });
});

describe('--output is atomic', () => {
  it('the target appears only when the run has succeeded', async () => {
    const dir = tempDir('custkit-atomic-');
    const out = dir.path('tx.csv');
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '-o', out], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
    const text = readFileSync(BASIC, 'utf8');
    child.stdin.write(text.slice(0, 60)); // header and part of the first row
    // While the input is still open, only the temporary file exists.
    for (let i = 0; i < 100 && tmpLeftovers(dir.dir).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tmpLeftovers(dir.dir)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    child.stdin.end(text.slice(60));
    expect(await exited).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(golden('orders_basic.csv'));
    expect(tmpLeftovers(dir.dir)).toEqual([]);
    expect(stderr).toContain('6 rows read, 6 written');
    dir.cleanup();
  });
  it('on a data error: no output file, no rejects file, no temporary file; an existing target is left as it was', async () => {
    const dir = tempDir('custkit-atomic-');
    const out = dir.path('tx.csv');
    const rej = dir.path('rejects.csv');
    const r = await runCli(['ingest', fixture('ingest', 'orders_ambiguous_dates.csv'), '-o', out, '--rejects', rej]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir.dir)).toEqual([]);
    writeFileSync(out, 'previous run\n');
    const again = await runCli(['ingest', fixture('ingest', 'orders_ambiguous_dates.csv'), '-o', out]);
    expect(again.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous run\n');
    expect(readdirSync(dir.dir)).toEqual(['tx.csv']);
    dir.cleanup();
  });
  it('an error in a later file also leaves nothing behind (rows of the first file were already buffered)', async () => {
    const dir = tempDir('custkit-atomic-');
    const out = dir.path('tx.csv');
    const r = await runCli(['ingest', BASIC, fixture('ingest', 'orders_ambiguous_dates.csv'), '-o', out]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir.dir)).toEqual([]);
    dir.cleanup();
  });
});

describe('a reader that closes the pipe early', () => {
  it('`custkit ingest big.csv | head -1`: custkit exits 0 with nothing on stderr', () => {
    // 50,000 generated lines ≈ 2.9 MB of output: far more than a pipe buffer, so custkit is
    // blocked on a full pipe when head exits.
    const big = tmp.path('big.csv');
    const lines = ['customer_id,order_id,order_date,amount,quantity,status,channel'];
    for (let i = 1; i <= 50_000; i++) lines.push(`C${String(i % 5000).padStart(7, '0')},O${String(i).padStart(12, '0')},2024-03-05,123.45,2,paid,web`);
    writeFileSync(big, lines.join('\n') + '\n');
    const rc = tmp.path('rc.txt');
    const err = tmp.path('err.txt');
    // custkit's own exit status and stderr are captured inside the pipeline (sh has no PIPESTATUS).
    const r = spawnSync('sh', ['-c', `{ "${process.execPath}" "${BIN}" ingest "${big}" 2>"${err}"; echo $? >"${rc}"; } | head -1`], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe(HEADER);
    expect(readFileSync(rc, 'utf8').trim()).toBe('0'); // was 13 (unsettled await on 'drain') before the fix
    expect(readFileSync(err, 'utf8')).toBe('');
  });
});

describe('no ANSI escapes on stderr when it is not a TTY or NO_COLOR is set', () => {
  const run = (args: string[], env: Record<string, string | undefined>): { code: number | null; stderr: string } => {
    const e: NodeJS.ProcessEnv = { ...process.env };
    delete e.NO_COLOR;
    delete e.FORCE_COLOR;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) e[k] = v;
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: e });
    return { code: r.status, stderr: r.stderr.toString() };
  };
  const cases: [string, string[], number][] = [
    ['notes of a good run', ['ingest', BASIC], 0],
    ['reject budget', ['ingest', fixture('ingest', 'orders_bad_rows.csv')], 3],
    ['data error', ['ingest', fixture('ingest', 'orders_ambiguous_dates.csv')], 2],
  ];
  for (const [name, args, code] of cases) {
    it(`${name}: piped stderr, NO_COLOR and FORCE_COLOR unset`, () => {
      const r = run(args, {});
      expect(r.code).toBe(code);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\x1b\[/);
    });
  }
  it('NO_COLOR=1 wins over FORCE_COLOR=1 (notes and the budget error line)', () => {
    const r = run(['ingest', fixture('ingest', 'orders_bad_rows.csv')], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('custkit: reject rate 63.64% is above --max-reject-rate 5.00%');
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });
});
