/**
 * Transparent huge pages for `clean`'s order index.
 *
 * The cleaner's order/line index (10M orders: ~180 MB) is a typed array probed at random, one
 * probe per order line, on the reader thread. With 4 KiB pages nearly every probe also misses
 * the TLB, and in a VM a TLB miss walks two page tables. Linux backs memory with 2 MiB pages
 * where a program asks for them (`madvise(MADV_HUGEPAGE)`; "madvise" is the default mode of
 * `/sys/kernel/mm/transparent_hugepage/enabled`), but Node has no madvise. glibc (2.35+) asks
 * for them on every allocation of its own when started with
 * `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, and typed arrays are allocated by glibc's calloc. A
 * tunable is read when the process starts, so the launcher (bin/custkit.js) starts custkit
 * again, once, with it set.
 *
 * When: Linux, THP mode "madvise", `clean` with files named on its command line of
 * HUGE_PAGES_MIN_BYTES or more in total (the size from which it also starts its reader
 * thread), and GLIBC_TUNABLES not already naming the tunable (set by the user, or by the first
 * start). `CUSTKIT_HUGEPAGES=0` never relaunches; `=1` relaunches on Linux whatever the command
 * and sizes (tests use it on small files).
 *
 * Measured on 10M lines on the 2-core development VM, pairs run one after the other: the index
 * went to 184 MB of huge pages (AnonHugePages); `clean` without/with 12.32/11.56, 12.48/11.79,
 * 13.49/11.64, 12.51/13.18, 15.88/14.44, 16.26/15.46, 17.68/16.01, 18.98/15.15, 14.57/13.63,
 * 16.17/17.57, 14.80/14.81 s (median difference −0.8 s), peak −3 to +8 MB. `run` gained too (8 of 11 pairs faster, median −1.8 s)
 * but its memory did not stay put: every malloc of the process takes huge pages, and in a pair
 * `run --threads 1` peaked at 967 MB instead of 728 MB, against a 1 GB target; so `run` and
 * `segment` are left as they were.
 * The second start costs one more Node start-up (~0.15 s). Outputs are the same bytes: only
 * where memory comes from changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';

export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';
/** Inputs from this size on (all files named on the command line, together). */
export const HUGE_PAGES_MIN_BYTES = 32 * 2 ** 20;
const HEAVY = new Set(['clean']);

export interface HostFacts {
  platform: string;
  /** Bracketed mode of /sys/kernel/mm/transparent_hugepage/enabled, or null when unknown. */
  thp: string | null;
  /** Size of a regular file, or null (missing, a directory, not a path at all). */
  sizeOf(path: string): number | null;
}

/**
 * The environment to start custkit again with (rules in the module comment), or null to run in
 * this process. `argv` is custkit's (without node and the script).
 */
export function hugePagesEnv(argv: readonly string[], env: NodeJS.ProcessEnv, host: HostFacts): NodeJS.ProcessEnv | null {
  const mode = env.CUSTKIT_HUGEPAGES;
  if (mode === '0' || host.platform !== 'linux') return null;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.includes('glibc.malloc.hugetlb')) return null;
  if (mode !== '1') {
    if (host.thp !== 'madvise') return null;
    const at = argv.findIndex((a) => !a.startsWith('-'));
    if (at < 0 || !HEAVY.has(argv[at]!)) return null;
    if (argv.includes('--help') || argv.includes('-h')) return null;
    let bytes = 0;
    for (const a of argv.slice(at + 1)) if (!a.startsWith('-')) bytes += host.sizeOf(a) ?? 0;
    if (bytes < HUGE_PAGES_MIN_BYTES) return null;
  }
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE };
}

/** This machine's facts for hugePagesEnv. */
export function hostFacts(): HostFacts {
  let thp: string | null = null;
  if (process.platform === 'linux') {
    try {
      thp = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? null;
    } catch {
      thp = null;
    }
  }
  return {
    platform: process.platform,
    thp,
    sizeOf(path) {
      try {
        const s = statSync(path);
        return s.isFile() ? s.size : null;
      } catch {
        return null;
      }
    },
  };
}

/** Signals passed on to the child (SIGUSR1 stays Node's: it opens the inspector). */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs this same command line again in a child process with `env` (same Node flags, stdin,
 * stdout and stderr) and resolves to its exit code, or to null when the child could not be
 * started (the caller then runs here). Signals sent to this process are passed on; a child
 * killed by a signal kills this process with the same signal, so a caller (a shell, cron,
 * `timeout`) sees what it would have seen without the relaunch.
 */
export function relaunch(env: NodeJS.ProcessEnv): Promise<number | null> {
  // Handlers first: a signal that comes while the child starts is then queued, and passed on
  // once spawn has returned, instead of killing this process and orphaning the child.
  let child: ChildProcess | null = null;
  const handlers = FORWARDED.map((sig) => [sig, () => void child?.kill(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const done = () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
  const started = child;
  return new Promise((resolve) => {
    started.on('error', () => {
      // Only a child that never started runs the command here instead; an error of a running
      // child (a failed kill) must not run it twice: its exit still comes.
      if (started.pid !== undefined) return;
      done();
      resolve(null);
    });
    started.on('exit', (code, signal) => {
      done();
      if (signal !== null) {
        process.kill(process.pid, signal);
        // Reached only if this process survives the signal: report it as shells do.
        resolve(128 + (osConstants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? 70);
    });
  });
}
