import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HUGE_PAGES_MIN_BYTES, HUGE_PAGES_TUNABLE, hugePagesEnv, type HostFacts } from '../../src/cli/huge-pages.js';
import { BIN, fixture, spawnCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const BIG = HUGE_PAGES_MIN_BYTES;
const host = (over: Partial<HostFacts> = {}, sizes: Record<string, number> = { 'big.csv': BIG, 'small.csv': 1000, 'half.csv': BIG / 2 }): HostFacts => ({
  platform: 'linux',
  thp: 'madvise',
  sizeOf: (p) => sizes[p] ?? null,
  ...over,
});

describe('hugePagesEnv', () => {
  it('relaunches clean on 32 MB of input with the tunable set', () => {
    const env = hugePagesEnv(['clean', 'big.csv'], { PATH: '/bin' }, host());
    expect(env).toEqual({ PATH: '/bin', GLIBC_TUNABLES: HUGE_PAGES_TUNABLE });
  });

  it('adds to tunables already set, and never relaunches twice', () => {
    const env = hugePagesEnv(['clean', 'big.csv'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, host());
    expect(env?.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
    // The child sees its own setting (and a user's own choice of the tunable is kept).
    expect(hugePagesEnv(['clean', 'big.csv'], env!, host())).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, host())).toBeNull();
  });

  it('counts every file named after the command, and only regular files', () => {
    expect(hugePagesEnv(['clean', 'half.csv'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean', 'half.csv', 'half.csv', '-o', 'out.csv'], {}, host())).not.toBeNull();
    expect(hugePagesEnv(['clean', '-o', 'out.csv', 'small.csv'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean', '-'], {}, host())).toBeNull();
    // The command is the first word: a file of that name before it does not count.
    expect(hugePagesEnv(['big.csv', 'clean'], {}, host())).toBeNull();
  });

  it('leaves other commands, help, other THP modes, other systems and CUSTKIT_HUGEPAGES=0 alone', () => {
    // run and segment too: every malloc of the process takes huge pages, and run's peak grew.
    for (const cmd of ['run', 'segment', 'ingest', 'score', 'report', 'init']) expect(hugePagesEnv([cmd, 'big.csv'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv', '--help'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean', '-h', 'big.csv'], {}, host())).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], {}, host({ thp: 'always' }))).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], {}, host({ thp: 'never' }))).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], {}, host({ thp: null }))).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], {}, host({ platform: 'darwin' }))).toBeNull();
    expect(hugePagesEnv(['clean', 'big.csv'], { CUSTKIT_HUGEPAGES: '0' }, host())).toBeNull();
  });

  it('CUSTKIT_HUGEPAGES=1 relaunches any command on Linux', () => {
    expect(hugePagesEnv(['--version'], { CUSTKIT_HUGEPAGES: '1' }, host({ thp: 'never' }))?.GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
    expect(hugePagesEnv(['--version'], { CUSTKIT_HUGEPAGES: '1' }, host({ platform: 'win32' }))).toBeNull();
  });
});

const linux = process.platform === 'linux';

describe.skipIf(!linux)('the relaunched process (CUSTKIT_HUGEPAGES=1)', () => {
  const ON = { CUSTKIT_HUGEPAGES: '1' };
  const OFF = { CUSTKIT_HUGEPAGES: '0' };

  it('reads stdin and writes stdout and stderr as the process itself would', () => {
    const input = readFileSync(fixture('ingest', 'orders_shopify_like.csv'));
    const a = spawnCli(['ingest', '-'], { input, env: OFF });
    const b = spawnCli(['ingest', '-'], { input, env: ON });
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(b.stdout.split('\n').length).toBeGreaterThan(3);
  });

  it('passes the exit code and the error line through', () => {
    const a = spawnCli(['clean', 'no-such-file.csv'], { env: OFF });
    const b = spawnCli(['clean', 'no-such-file.csv'], { env: ON });
    expect(a.code).toBe(2);
    expect(b).toEqual(a);
    expect(spawnCli(['clean', '--no-such-option'], { env: ON }).code).toBe(1);
  });

  it('passes SIGTERM on: the child ends with the launcher, which dies of the same signal', async () => {
    // `clean -` with stdin left open waits for input for ever.
    const p = spawn(process.execPath, [BIN, 'clean', '-'], { cwd: REPO_ROOT, env: { ...process.env, ...ON }, stdio: ['pipe', 'pipe', 'pipe'] });
    const children = (): number[] => {
      try {
        return readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    let kids: number[] = [];
    for (let i = 0; i < 1000 && kids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      kids = children();
    }
    expect(kids).toHaveLength(1);
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((r) => p.on('close', (code, sig) => r([code, sig])));
    p.kill('SIGTERM');
    // 'close' waits for stdout and stderr, which the child holds open as long as it lives.
    expect(await closed).toEqual([null, 'SIGTERM']);
    expect(() => process.kill(kids[0]!, 0)).toThrow();
  }, 20_000);
});
