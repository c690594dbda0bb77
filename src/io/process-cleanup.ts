/**
 * What this process must remove however it ends: temporary files beside outputs, the
 * process's own temporary folder, a staging folder, a lock. Every action is synchronous, so
 * it can run from a signal handler or an 'exit' listener. Registering returns the function
 * that unregisters (call it once the thing was committed or removed normally).
 *
 * The signal handlers that call {@link runCleanup} are installed by the CLI (src/cli), not here:
 * importing this module has no side effect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const actions = new Map<number, () => void>();
let next = 0;

/** Registers `fn` to run on cleanup; returns a function that unregisters it. */
export function atCleanup(fn: () => void): () => void {
  const id = next++;
  actions.set(id, fn);
  return () => {
    actions.delete(id);
  };
}

/** Runs every registered action once, newest first; an action that throws does not stop the rest. */
export function runCleanup(): void {
  const fns = [...actions.values()].reverse();
  actions.clear();
  for (const fn of fns) {
    try {
      fn();
    } catch {
      /* best effort: the process is ending */
    }
  }
  tempRoot = null;
}

/** How many cleanup actions are registered (tests). */
export function pendingCleanups(): number {
  return actions.size;
}

let tempRoot: string | null = null;

/**
 * The one temporary folder of this process (`$TMPDIR/custkit-<pid>-XXXXXX`), made on first use
 * and removed by {@link runCleanup}. Spools and engine temp files go below it.
 */
export function processTempDir(): string {
  if (tempRoot === null) {
    const dir = mkdtempSync(join(tmpdir(), `custkit-${process.pid}-`));
    tempRoot = dir;
    atCleanup(() => rmSync(dir, { recursive: true, force: true }));
  }
  return tempRoot;
}

/** A fresh sub-folder of {@link processTempDir} named after `prefix`. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(processTempDir(), `${prefix}-`));
}
