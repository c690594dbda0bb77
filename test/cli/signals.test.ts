/**
 * Real custkit processes stopped by SIGINT, SIGTERM and SIGHUP mid-run (#23 items 6, 9): the
 * exit code is 128 + the signal's number, the process's TMPDIR is empty afterwards, the
 * previous output is byte for byte what it was and no `.custkit-tmp-*` file is left beside it.
 * "Mid-run" is made certain, not timed: the command reads standard input that the test keeps
 * open, or writes to a pipe that the test does not read.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { pendingCleanups } from '../../src/io/process-cleanup.js';
import { REPO_ROOT } from '../helpers/shared.js';

let work: string;
let tx: Buffer;

/** A fresh, empty TMPDIR for one custkit process. */
const freshTmp = (): string => mkdtempSync(join(work, 'tmp-'));
const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('.custkit-tmp'));

function start(args: string[], tmp: string): ChildProcess & { stderrText(): string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return Object.assign(child, { stderrText: () => err });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls `ok` until it holds (or fails the test with `what` after a generous deadline). */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * Writes more than a pipe holds to the child's stdin, keeping it open: resolves once the
 * child has read most of it, so its command is running (and its handlers are installed).
 */
async function feedAndHold(child: ChildProcess, bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => child.stdin!.write(bytes, (e) => (e ? reject(e) : resolve())));
}

const cli = (args: string[], tmp: string, input?: Buffer) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: work, input, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'custkit-signals-'));
  const gen = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/gen/cli.js'), '--orders', '20000', '--seed', '7', '--out', join(work, 'raw.csv')]);
  expect(gen.status).toBe(0);
  const ingest = cli(['ingest', 'raw.csv', '-o', 'tx.csv'], freshTmp());
  expect(ingest.status).toBe(0);
  tx = readFileSync(join(work, 'tx.csv'));
  expect(tx.length).toBeGreaterThan(500_000);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s mid-run', (signal, code) => {
  it(`clean -o FILE exits ${code}, removes its spool and temp file, keeps the previous output`, async () => {
    const out = join(work, `clean-${signal}.csv`);
    writeFileSync(out, 'previous output\n');
    const tmp = freshTmp();
    const child = start(['clean', '-', '-o', out], tmp);
    const done = exited(child);
    await feedAndHold(child, tx.subarray(0, 400_000));
    // The number spool (--outliers flag) in TMPDIR and the temporary file beside the output.
    await until(() => readdirSync(tmp, { recursive: true }).length >= 3 && leftovers(work).length === 1, 'spool and temp file');
    child.kill(signal);
    expect(await done).toEqual({ code, signal: null });
    expect(readdirSync(tmp)).toEqual([]);
    expect(leftovers(work)).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('previous output\n');
  });

  it(`run --out DIR exits ${code} and leaves the previous folder as it was`, async () => {
    const dir = join(work, `run-${signal}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'customers.csv'), 'previous customers\n');
    const tmp = freshTmp();
    // --compare off: what --compare auto keeps of the previous run is run's staging (another test).
    const child = start(['run', '-', '--out', dir, '--compare', 'off'], tmp);
    const done = exited(child);
    await feedAndHold(child, tx.subarray(0, 400_000));
    child.kill(signal);
    expect(await done).toEqual({ code, signal: null });
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['customers.csv']);
    expect(readFileSync(join(dir, 'customers.csv'), 'utf8')).toBe('previous customers\n');
  });
});

describe.skipIf(process.platform !== 'linux')('one process', () => {
  it('the command runs in the started process itself: SIGKILL leaves nothing running or writing', async () => {
    const out = join(work, 'killed.csv');
    writeFileSync(out, 'previous output\n');
    const child = start(['clean', '-', '-o', out], freshTmp());
    const done = exited(child);
    await feedAndHold(child, tx.subarray(0, 400_000));
    // Threads are tasks of this pid; a child process would be listed in some task's children.
    const tasks = readdirSync(`/proc/${child.pid}/task`);
    const children = tasks.flatMap((t) => readFileSync(`/proc/${child.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
    expect(children).toEqual([]);
    child.kill('SIGKILL');
    expect(await done).toEqual({ code: null, signal: 'SIGKILL' });
    expect(readFileSync(out, 'utf8')).toBe('previous output\n');
    // SIGKILL cannot be caught: the unfinished temporary file stays (never the output itself).
    expect(leftovers(work)).toHaveLength(1);
    for (const f of leftovers(work)) rmSync(join(work, f));
  });
});

describe('worker threads', () => {
  it('SIGTERM while the reader thread runs: the process ends (its thread with it) with 143', async () => {
    const tmp = freshTmp();
    // --outliers off writes rows straight to stdout, which this test never reads: clean waits
    // for the pipe with its reader thread alive.
    const child = start(['clean', 'tx.csv', '--threads', '2', '--outliers', 'off'], tmp);
    const done = exited(child);
    await until(() => child.stderrText().includes('on a second thread'), 'the reader thread note');
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: 143, signal: null });
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('TMPDIR after a command ends on its own', () => {
  it('in-process main() leaves no cleanup registered and no process temp folder', async () => {
    const out = join(work, 'in-process.csv');
    const r = await runCli(['clean', join(work, 'tx.csv'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(pendingCleanups()).toBe(0);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`custkit-${process.pid}-`))).toEqual([]);
    expect(leftovers(work)).toEqual([]);
  });

  it('is empty after clean with a stdin spool, and after run, each exiting 0', () => {
    const tmp = freshTmp();
    const clean = cli(['clean', '-', '--outliers', 'cap', '-o', 'capped.csv'], tmp, tx);
    expect(clean.status).toBe(0);
    expect(readFileSync(join(work, 'capped.csv'), 'utf8').split('\n')[0]).toBe('customer_id,order_id,order_date,amount,quantity,status');
    const flagged = cli(['clean', 'tx.csv', '-o', 'flagged.csv'], tmp);
    expect(flagged.status).toBe(0);
    const run = cli(['run', 'tx.csv', '--out', 'run-ok'], tmp);
    expect(run.status).toBe(0);
    expect(readdirSync(join(work, 'run-ok'))).toContain('customers.csv');
    // DuckDB's spill folder goes under the process's temp folder too.
    const duck = cli(['run', 'tx.csv', '--out', 'run-duck', '--engine', 'duckdb'], tmp);
    expect(duck.status, duck.stderr.toString('utf8')).toBe(0);
    expect(readFileSync(join(work, 'run-duck', 'customers.csv'))).toEqual(readFileSync(join(work, 'run-ok', 'customers.csv')));
    expect(readdirSync(tmp)).toEqual([]);
    expect(leftovers(work)).toEqual([]);
  });

  it('is empty after clean fails on a malformed line (exit 2), and the output is not replaced', () => {
    const tmp = freshTmp();
    const out = join(work, 'bad-out.csv');
    writeFileSync(out, 'previous output\n');
    const lines = tx.toString('utf8').split('\n').slice(0, 5000);
    lines.push('C1,O1,not-a-date,1.00,1,paid');
    writeFileSync(join(work, 'bad.csv'), lines.join('\n') + '\n');
    const r = cli(['clean', 'bad.csv', '-o', out], tmp);
    expect(r.status).toBe(2);
    expect(r.stderr.toString('utf8')).toMatch(/bad\.csv:5001:/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(leftovers(work)).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('previous output\n');
  });
});
