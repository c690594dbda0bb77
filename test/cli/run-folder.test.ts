/**
 * `run`'s output folder (issue #23 items 4, 5, 8): DIR is one complete run at every moment
 * (SIGKILLed real processes), one run at a time (the lock), the run id in every file and
 * run.json, and empty input never replacing a result.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-run-folder-');
afterAll(() => tmp.cleanup());

const TX = fixture('cli', 'transactions.csv');
const runsOf = (out: string): string => join(out, '..', `.${out.split('/').at(-1)}.runs`);
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Checks that `out` is one complete run: every file listed in run.json with its size and
 * SHA-256, nothing else, the run id in each file that carries one, and customers.csv's rows
 * = report.json's customer total. Returns the run id.
 */
function completeRun(out: string): string {
  expect(lstatSync(out).isSymbolicLink()).toBe(true);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  const id: string = manifest.run_id;
  expect(id).toMatch(/^[0-9a-f]{16}$/);
  const names = manifest.files.map((f: { name: string }) => f.name);
  expect(readdirSync(out).filter((f) => f !== 'previous').sort()).toEqual([...names, 'run.json'].sort());
  for (const f of manifest.files) expect([f.name, f.bytes, f.sha256]).toEqual([f.name, lstatSync(join(out, f.name)).size, sha(join(out, f.name))]);
  expect(JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).run_id).toBe(id);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  expect(report.meta.run_id).toBe(id);
  if (names.includes('fit.json')) expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).run_id).toBe(id);
  expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`<!-- run_id: ${id} -->`);
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<meta name="custkit-run-id" content="${id}">`);
  expect(csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8')).length).toBe(report.overview.customers);
  return id;
}

describe('run: one complete run in DIR', () => {
  it('DIR links to a complete set; a second run keeps the first as previous/; a third drops the oldest', async () => {
    const out = tmp.path('sets');
    expect((await runCli(['run', TX, '--out', out, '--as-of', '2024-05-31'])).code).toBe(0);
    const first = completeRun(out);
    const firstTable = readFileSync(join(out, 'customers.csv'), 'utf8');
    expect((await runCli(['run', TX, '--out', out, '--as-of', '2024-06-30'])).code).toBe(0);
    const second = completeRun(out);
    expect(second).not.toBe(first);
    expect(readFileSync(join(out, 'previous', 'customers.csv'), 'utf8')).toBe(firstTable);
    expect(JSON.parse(readFileSync(join(out, 'previous', 'run.json'), 'utf8')).run_id).toBe(first);
    expect((await runCli(['run', TX, '--out', out])).code).toBe(0);
    completeRun(out);
    expect(JSON.parse(readFileSync(join(out, 'previous', 'run.json'), 'utf8')).run_id).toBe(second);
    expect(existsSync(join(out, 'previous', 'previous'))).toBe(false);
    // Current and previous set, the lock released: nothing else in .DIR.runs.
    expect(readdirSync(runsOf(out)).length).toBe(2);
  });

  it('same input and options → the same run id and byte-identical files; other options → another id', async () => {
    const a = tmp.path('same-a');
    const b = tmp.path('same-b');
    const args = [TX, '--as-of', '2024-06-30', '--k', '3'];
    expect((await runCli(['run', ...args, '--out', a])).code).toBe(0);
    expect((await runCli(['run', ...args, '--out', b, '--threads', '1'])).code).toBe(0);
    expect(completeRun(a)).toBe(completeRun(b));
    for (const f of readdirSync(a)) expect([f, readFileSync(join(b, f), 'utf8')]).toEqual([f, readFileSync(join(a, f), 'utf8')]);
    const c = tmp.path('same-c');
    expect((await runCli(['run', TX, '--as-of', '2024-06-30', '--k', '4', '--out', c])).code).toBe(0);
    expect(completeRun(c)).not.toBe(completeRun(a));
  });

  it('a file of the previous run that this run does not write does not survive into the new set', async () => {
    const out = tmp.path('stale');
    expect((await runCli(['run', TX, '--out', out, '--excel'])).code).toBe(0);
    expect(existsSync(join(out, 'customers.excel.csv'))).toBe(true);
    expect((await runCli(['run', TX, '--out', out])).code).toBe(0);
    completeRun(out);
    expect(existsSync(join(out, 'customers.excel.csv'))).toBe(false);
    expect(existsSync(join(out, 'report.csv'))).toBe(false);
    expect(existsSync(join(out, 'previous', 'customers.excel.csv'))).toBe(true);
  });

  it('a folder written by an earlier custkit (a real folder) becomes previous/; one with other files is refused', async () => {
    const out = tmp.path('legacy');
    mkdirSync(join(out, 'previous'), { recursive: true });
    writeFileSync(join(out, 'customers.csv'), 'old table\n');
    writeFileSync(join(out, 'report.md'), 'old report\n');
    expect((await runCli(['run', TX, '--out', out, '--compare', 'off'])).code).toBe(0);
    completeRun(out);
    expect(readFileSync(join(out, 'previous', 'customers.csv'), 'utf8')).toBe('old table\n');
    const mixed = tmp.path('mixed');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'orders.csv'), 'mine\n');
    const r = await runCli(['run', TX, '--out', mixed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${mixed}: --out folder holds files custkit run did not write: orders.csv`);
    expect(readdirSync(mixed)).toEqual(['orders.csv']);
  });
});

describe('run: SIGKILL at any moment leaves one complete run', () => {
  let input = '';
  beforeAll(() => {
    input = tmp.path('gen.csv');
    const g = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/gen/cli.js'), '--orders', '50000', '--seed', '5', '--out', input]);
    expect(g.status, g.stderr.toString()).toBe(0);
  });

  /** Starts `run`, SIGKILLs it when stderr shows `when` (or after `afterMs`), resolves once it is gone. */
  function runAndKill(args: string[], when: RegExp | null, afterMs: number): Promise<{ killed: boolean; code: number | null }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let killed = false;
      const kill = (): void => {
        if (!killed && child.exitCode === null) killed = child.kill('SIGKILL');
      };
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (when && when.test(err)) kill();
      });
      const timer = when ? null : setTimeout(kill, afterMs);
      child.on('exit', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ killed, code });
      });
    });
  }

  it('killed after ingest, after segmenting, after the fit and at times: DIR is the old run or the new one', async () => {
    const out = tmp.path('killed');
    const base = [input, '--out', out];
    // A whole run first, as a real process: how long one takes places the kills below (no timing is asserted).
    const t0 = performance.now();
    expect((await runAndKill([...base, '--as-of', '2025-06-30'], null, 600_000)).code).toBe(0);
    const whole = performance.now() - t0;
    completeRun(out);
    const asOf = (): string => JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).segment.as_of;
    const points: [RegExp | null, number][] = [
      [/rows read/, 0], [/run: as of/, 0], [/run: score:/, 0], [/run: wrote/, 0],
      ...[0.6, 0.95].map((f): [null, number] => [null, Math.round(f * whole)]),
    ];
    let i = 0;
    let killedBefore = 0;
    for (const [when, ms] of points) {
      // Each attempt writes a different run (its own --as-of), so the old and new sets differ.
      const before = asOf();
      const next = `2025-0${(i++ % 5) + 1}-28`;
      const r = await runAndKill([...base, '--as-of', next], when, ms);
      completeRun(out);
      expect([before, next]).toContain(asOf());
      // The note "wrote" comes after the switch: the new run.
      if (when?.source === 'run: wrote') expect(asOf()).toBe(next);
      killedBefore += r.killed && asOf() === before ? 1 : 0;
    }
    // The kills on the notes before "wrote" come before the switch: those leave the old run.
    expect(killedBefore).toBeGreaterThanOrEqual(3);
    // A kill leaves a stale lock and a staging folder: the next run takes the lock over and removes them.
    expect((await runCli(['run', ...base, '--as-of', '2025-06-30'])).code).toBe(0);
    completeRun(out);
    expect(readdirSync(runsOf(out)).length).toBeLessThanOrEqual(2);
  }, 180_000);
});

describe('run: one run at a time per folder', () => {
  it('a live lock: exit 2 at once naming the running one, DIR untouched; --wait-lock waits for it', async () => {
    const out = tmp.path('locked');
    expect((await runCli(['run', TX, '--out', out])).code).toBe(0);
    const before = completeRun(out);
    const lock = join(runsOf(out), 'lock');
    const started = new Date().toISOString();
    writeFileSync(lock, JSON.stringify({ pid: process.pid, started }) + '\n');
    const r = await runCli(['run', TX, '--out', out, '--as-of', '2024-06-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${lock}: ${out} is being written by another custkit run (pid ${process.pid}, started ${started})`);
    expect(completeRun(out)).toBe(before);
    expect(existsSync(lock)).toBe(true); // not ours to remove
    // The holder finishes after a while; the waiting run then writes its set.
    const done = setTimeout(() => rmSync(lock), 800);
    const w = await runCli(['run', TX, '--out', out, '--as-of', '2024-06-30', '--wait-lock']);
    clearTimeout(done);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toContain(`run: waiting for the custkit run writing ${out} (pid ${process.pid}`);
    expect(completeRun(out)).not.toBe(before);
    expect(existsSync(lock)).toBe(false);
  }, 30_000);

  it('a stale lock (its pid is gone, or reused by a process started after the lock) is taken over', async () => {
    const out = tmp.path('stale-lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(gone.stdout.toString());
    mkdirSync(runsOf(out), { recursive: true });
    writeFileSync(join(runsOf(out), 'lock'), JSON.stringify({ pid, started: '2026-01-01T00:00:00.000Z' }) + '\n');
    const r = await runCli(['run', TX, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    completeRun(out);
    expect(existsSync(join(runsOf(out), 'lock'))).toBe(false);
    if (existsSync('/proc/self/stat')) {
      // A live pid whose process started after the lock was written (a reboot reuses pids).
      writeFileSync(join(runsOf(out), 'lock'), JSON.stringify({ pid: process.pid, started: '2000-01-01T00:00:00.000Z' }) + '\n');
      const again = await runCli(['run', TX, '--out', out]);
      expect(again.code, again.stderr).toBe(0);
      expect(existsSync(join(runsOf(out), 'lock'))).toBe(false);
    }
  });
});

describe('run: empty input', () => {
  it('a header-only export exits 2 and leaves the previous result; --allow-empty still never replaces it', async () => {
    const out = tmp.path('empty-over');
    expect((await runCli(['run', TX, '--out', out])).code).toBe(0);
    const before = completeRun(out);
    const empty = tmp.path('header-only.csv');
    writeFileSync(empty, 'customer_id,order_id,order_date,amount\n');
    const r = await runCli(['run', empty, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${empty}: no data rows (the input is empty or only a header); the output folder is left as it was (hint: an empty export usually means the export upstream failed; --allow-empty accepts it)`);
    expect(completeRun(out)).toBe(before);
    const zero = tmp.path('zero.csv');
    writeFileSync(zero, '');
    const a = await runCli(['run', zero, '--out', out, '--allow-empty']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`custkit: ${zero}: no customers in this input; ${out} keeps the previous result`);
    expect(completeRun(out)).toBe(before);
    expect(readdirSync(runsOf(out)).length).toBe(1); // the refused runs' staging folders are gone
  });

  it('--allow-empty into a new folder writes an empty result: a header-only table, no fit.json', async () => {
    const out = tmp.path('empty-new');
    const empty = tmp.path('header-only-2.csv');
    writeFileSync(empty, 'customer_id,order_id,order_date,amount\n');
    const r = await runCli(['run', empty, '--out', out, '--allow-empty']);
    expect(r.code, r.stderr).toBe(0);
    completeRun(out);
    expect(existsSync(join(out, 'fit.json'))).toBe(false);
    expect(csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'))).toEqual([]);
  });

  it('clean refuses an input with no rows (exit 2, no -o file); --allow-empty writes the header', async () => {
    const empty = tmp.path('clean-empty.csv');
    writeFileSync(empty, 'customer_id,order_id,order_date,amount,quantity,status\n');
    const r = await runCli(['clean', empty, '-o', tmp.path('clean-out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`custkit: ${empty}: no data rows (the input is empty or only a header)`);
    expect(existsSync(tmp.path('clean-out.csv'))).toBe(false);
    const a = await runCli(['clean', empty, '--allow-empty']);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[0]).toMatch(/^customer_id,order_id,order_date,amount/);
  });
});
