/**
 * One `run` at a time per output folder: a lock file made atomically (written in full under a
 * temporary name, then hard-linked to its name: link(2) fails if the name exists, so a reader
 * never sees a lock without its contents). It holds the pid and start time of its run; it is
 * stale when that pid is gone (a SIGKILLed run) or now names a process started after the lock
 * (a reused pid), and a stale lock is taken over.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { atCleanup } from './process-cleanup.js';

export interface LockHolder {
  pid: number;
  started: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isInteger(h.pid) && h.pid > 0 ? h : null;
  } catch {
    return null;
  }
}

/** The holder written in a lock file, or null when it is missing or unreadable. */
export function readLock(path: string): LockHolder | null {
  const t = readText(path);
  return t === null ? null : parseHolder(t);
}

/** Whether process `pid` exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started (ms since the epoch), from Linux's /proc (start time in clock
 * ticks after boot, USER_HZ = 100; proc(5)); null where /proc is not there.
 */
function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + ticks * 10 : null;
  } catch {
    return null;
  }
}

/**
 * Whether the lock's run is still going: its pid exists and, where the start time of that
 * process is known, it started before the lock was written (else the pid was reused, e.g.
 * after a reboot, and the lock is stale).
 */
export function holderAlive(h: LockHolder): boolean {
  if (!pidAlive(h.pid)) return false;
  const started = processStartMs(h.pid);
  const locked = Date.parse(h.started);
  return started === null || !Number.isFinite(locked) || started <= locked + 2000;
}

/** Outcome of one attempt: the release function, or the live holder. */
type Attempt = { release: () => void } | { heldBy: LockHolder | null };

/** One attempt to take the lock; a stale lock is removed and the attempt repeated. */
export function tryLock(path: string): Attempt {
  const mine: LockHolder = { pid: process.pid, started: new Date().toISOString() };
  const text = JSON.stringify(mine) + '\n';
  const tmp = join(dirname(path), `.${basename(path)}-${process.pid}-${Date.now()}`);
  writeFileSync(tmp, text);
  try {
    for (let tries = 0; tries < 5; tries++) {
      try {
        linkSync(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const seen = readText(path);
        const holder = seen === null ? null : parseHolder(seen);
        if (holder !== null && holderAlive(holder)) return { heldBy: holder };
        // Stale (or unreadable: a lock is written in full before it has its name, so an
        // unreadable one was not made by custkit). Removed only if unchanged since it was read,
        // so a lock another run took over meanwhile stays.
        if (seen !== null && readText(path) === seen) rmSync(path, { force: true });
        continue;
      }
      const unregister = atCleanup(() => releaseIfMine(path, text));
      return {
        release() {
          unregister();
          releaseIfMine(path, text);
        },
      };
    }
    return { heldBy: readLock(path) };
  } finally {
    rmSync(tmp, { force: true });
  }
}

function releaseIfMine(path: string, text: string): void {
  if (readText(path) === text) rmSync(path, { force: true });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the lock at `path`, waiting for the holder to finish when `wait` (polling; `onWait`
 * is told once who holds it), else returning the live holder. Resolves to the release function.
 */
export async function acquireLock(path: string, wait: boolean, onWait: (h: LockHolder | null) => void): Promise<{ release: () => void } | { heldBy: LockHolder | null }> {
  let told = false;
  for (;;) {
    const a = tryLock(path);
    if ('release' in a || !wait) return a;
    if (!told) onWait(a.heldBy);
    told = true;
    await sleep(200);
  }
}
