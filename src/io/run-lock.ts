/**
 * One `run` at a time per output folder: a lock file made atomically (written in full under a
 * temporary name, then hard-linked to its name: link(2) fails if the name exists, so a reader
 * never sees a lock without its contents). It holds the pid and start time of its run; it is
 * stale when that pid is gone (a SIGKILLed run), and a stale lock is taken over.
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
        if (holder !== null && pidAlive(holder.pid)) return { heldBy: holder };
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
