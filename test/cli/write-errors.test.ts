/**
 * Write and environment errors are honest (#23), as real processes (bin/custkit.js → dist):
 * a failed write to stdout or to -o/--out exits 2 with one line naming the output and the
 * system error — never 0 with a truncated file, never 70 "internal error" — and leaves no
 * temporary file. Full and read-only disks are small tmpfs mounts (root only; skipped with a
 * note elsewhere); /dev/full fails every write.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture, spawnCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { mountSmallFs } from '../helpers/small-fs.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-write-errors-');
const full = mountSmallFs('64k');
const readOnly = mountSmallFs('64k', ['ro']);
afterAll(() => {
  full.cleanup();
  readOnly.cleanup();
  tmp.cleanup();
});
if (!full.dir) console.warn(`write-errors: full-disk tests skipped: ${full.why}`);
if (!readOnly.dir) console.warn(`write-errors: read-only tests skipped: ${readOnly.why}`);

const ORDERS = fixture('demo', 'orders.csv'); // ~260 KB: its outputs do not fit a 64 KiB disk
const CANONICAL = tmp.path('canonical.csv');
const CUSTOMERS = fixture('report', 'customers_small.csv');
beforeAll(() => {
  if (!existsSync(`${REPO_ROOT}/dist/cli/main.js`)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` before these tests');
  const r = spawnCli(['ingest', ORDERS, '-o', CANONICAL, '-q']);
  if (r.code !== 0) throw new Error(`ingest for the fixture failed: ${r.stderr}`);
});

/** Temporary files left anywhere below `d`. */
const leftovers = (d: string): string[] =>
  (readdirSync(d, { recursive: true }) as string[]).filter((f) => basename(f).startsWith('.custkit-tmp-'));

/** The one line custkit must print: "custkit: <message> (hint: …)", no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^custkit: .* \(hint: [^)]+\)$/);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0]!;
}

/** Runs custkit with stdout on the file `path` (opened here, as a shell's `> path` does; `1< path` with flags 'r'). */
function spawnToFile(args: string[], path: string, flags = 'w'): { code: number | null; stderr: string } {
  const fd = openSync(path, flags);
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', fd, 'pipe'], timeout: 30_000 });
    return { code: r.status, stderr: r.stderr.toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

describe('stdout that cannot be written', () => {
  const cases: [string, string[]][] = [
    ['ingest', ['ingest', ORDERS, '-q']],
    ['clean', ['clean', CANONICAL, '-q']],
    ['segment', ['segment', CANONICAL, '-q']],
    ['report', ['report', CUSTOMERS, '-q']],
  ];
  for (const [name, args] of cases) {
    it(`${name} > /dev/full exits 2 with one line naming stdout and ENOSPC (was exit 0, nothing said)`, () => {
      const r = spawnToFile(args, '/dev/full');
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe('custkit: no space left on device writing stdout (hint: free some space, or write to another disk)');
    });
  }

  it('stdout open for reading only (`1< file`) exits 2 with EBADF (was exit 0)', () => {
    const path = tmp.path('read-only-stdout.txt');
    writeFileSync(path, '');
    const r = spawnToFile(['ingest', ORDERS, '-q'], path, 'r');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('custkit: bad file descriptor writing stdout (hint: the output is not open for writing: check the shell redirection)');
  });

  it.skipIf(!full.dir)('ingest > file on a full disk exits 2 (was 0 with the file cut mid-row)', () => {
    const r = spawnToFile(['ingest', ORDERS, '-q'], `${full.dir}/stdout.csv`);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain('no space left on device writing stdout');
  });
});

describe.skipIf(!full.dir)('-o FILE and --out DIR on a full disk', () => {
  for (const cmd of ['ingest', 'clean'] as const) {
    it(`${cmd} -o exits 2 naming the file, and leaves no temporary file (was 70 and a full disk)`, () => {
      const out = `${full.dir}/${cmd}.csv`;
      const r = spawnCli([cmd, cmd === 'ingest' ? ORDERS : CANONICAL, '-o', out, '-q']);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toBe(`custkit: no space left on device writing ${out} (hint: free some space, or write to another disk)`);
      expect(leftovers(full.dir!)).toEqual([]);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('run --out exits 2 naming the file that did not fit, with no temporary file left', () => {
    const out = `${full.dir}/run`;
    const r = spawnCli(['run', ORDERS, '--out', out, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^custkit: no space left on device writing ${full.dir}/\\S+ \\(hint: free some space`));
    expect(leftovers(full.dir!)).toEqual([]);
  });
});

describe.skipIf(!readOnly.dir)('a read-only output folder', () => {
  it('-o in it exits 2 (was 70)', () => {
    const out = `${readOnly.dir}/x.csv`;
    const r = spawnCli(['ingest', ORDERS, '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`custkit: read-only file system writing ${out} (hint: write to a folder on a writable disk)`);
  });

  it('run --out it, or a folder to be made in it, exits 2 before reading the input', () => {
    const r1 = spawnCli(['run', ORDERS, '--out', readOnly.dir!, '-q']);
    expect(r1.code).toBe(2);
    expect(oneLine(r1.stderr)).toBe(`custkit: cannot write in folder ${readOnly.dir}: read-only file system (hint: write to a folder on a writable disk)`);
    const r2 = spawnCli(['run', ORDERS, '--out', `${readOnly.dir}/sub`, '-q']);
    expect(r2.code).toBe(2);
    expect(oneLine(r2.stderr)).toBe(`custkit: cannot create folder ${readOnly.dir}/sub: read-only file system (hint: write to a folder on a writable disk)`);
  });
});

describe('output paths that name the wrong kind of thing', () => {
  it('--out naming an existing file exits 2 and says so (was 70)', () => {
    const file = tmp.path('a-file');
    writeFileSync(file, 'x');
    const r = spawnCli(['run', ORDERS, '--out', file, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`custkit: ${file} exists and is not a folder (hint: name a new or existing folder, or move the file away)`);
  });

  it('-o naming a folder exits 2 and says so (was 70)', () => {
    const r = spawnCli(['ingest', ORDERS, '-o', tmp.dir, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`custkit: ${tmp.dir} is a folder (hint: name a file, e.g. ${tmp.dir}/out.csv)`);
  });

  it('-o in a folder that does not exist exits 2 (was 70)', () => {
    const out = tmp.path('no/such/x.csv');
    const r = spawnCli(['ingest', ORDERS, '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`custkit: cannot write ${out}: its folder does not exist (hint: create the folder first, or check the path)`);
  });

  it.skipIf(!existsSync('/proc/self'))('--out /proc/x ends with exit 2 (was a loop at 100 % CPU, killed here by the timeout)', () => {
    const r = spawnCli(['run', ORDERS, '--out', '/proc/custkit-x', '-q'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('custkit: cannot create folder /proc/custkit-x: the system does not allow a folder there (hint: choose a folder on a writable disk)');
  });
});
