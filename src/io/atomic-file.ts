/**
 * Atomic file output: write to a temporary file beside the target, then rename over it,
 * so a reader (a cron job, a spreadsheet) never sees half a file. On failure the
 * temporary file is removed and the target is left as it was.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  readonly path: string;
  write(text: string | Uint8Array): void;
  /** Flushes and renames into place. */
  commit(): void;
  /** Removes the temporary file. Safe to call after commit (no-op). */
  abort(): void;
}

let counter = 0;

export function openAtomicFile(path: string): AtomicFile {
  const tmp = join(dirname(path), `.custkit-tmp-${process.pid}-${counter++}-${basename(path)}`);
  const fd = openSync(tmp, 'w');
  let open = true;
  let done = false;
  return {
    path,
    write(text) {
      if (typeof text === 'string') writeSync(fd, text, null, 'utf8');
      else writeSync(fd, text);
    },
    commit() {
      if (done) return;
      if (open) { closeSync(fd); open = false; }
      renameSync(tmp, path);
      done = true;
    },
    abort() {
      if (done) return;
      if (open) { try { closeSync(fd); } catch { /* already closed */ } open = false; }
      rmSync(tmp, { force: true });
      done = true;
    },
  };
}

/** Writes a whole small file atomically. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.custkit-tmp-${process.pid}-${counter++}-${basename(path)}`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
