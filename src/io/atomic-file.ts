/**
 * Atomic file output: write to a temporary file beside the target, then rename over it,
 * so a reader (a cron job, a spreadsheet) never sees half a file. On failure the
 * temporary file is removed and the target is left as it was.
 *
 * Only regular files are replaced: a target that exists and is not one (`/dev/null`, a
 * FIFO, `/dev/stderr`) is written in place — renaming over it would replace the device
 * with a plain file — and a symbolic link is followed, so the file it points to is
 * replaced, not the link.
 *
 * Every system error (a full disk, a read-only folder, a path naming a folder) is thrown as an
 * OutputError naming the target, after the temporary file is removed: a failed write must not
 * leave a full disk full. While the temporary file exists it is registered with atCleanup, so
 * a signal or an early exit removes it too.
 */
import { closeSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { asOutputError } from './output-error.js';
import { atCleanup } from './process-cleanup.js';

export interface AtomicFile {
  readonly path: string;
  write(text: string | Uint8Array): void;
  /** Flushes and renames into place. */
  commit(): void;
  /** Removes the temporary file. Safe to call after commit (no-op). */
  abort(): void;
  /**
   * Random access to the bytes written so far, before commit: present only when the output
   * goes to a temporary regular file (not written in place to a device or FIFO).
   */
  random?: {
    /** Reads into `buf` from byte `position`; returns the bytes read. */
    readAt(buf: Uint8Array, position: number): number;
    /** Overwrites bytes at `position` (within what was written). */
    writeAt(bytes: Uint8Array, position: number): void;
  };
}

let counter = 0;

/**
 * writeSync until every byte is written (a write may take fewer bytes than asked): at the
 * file's offset, or from `position` (a positional write, which leaves the offset alone).
 */
export function writeAll(fd: number, bytes: Uint8Array, position: number | null = null): void {
  let put = 0;
  while (put < bytes.length) put += writeSync(fd, bytes, put, bytes.length - put, position === null ? null : position + put);
}

/** Where to write `path`: its real path, and whether it must be written in place (not a regular file). */
function target(path: string): { real: string; inPlace: boolean } {
  try {
    const st = statSync(path);
    return { real: realpathSync(path), inPlace: !st.isFile() };
  } catch {
    return { real: path, inPlace: false };
  }
}

/** Runs `fn`; a system error becomes an OutputError on `target`. */
function on<T>(target: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asOutputError(e, target);
  }
}

function writeText(fd: number, text: string | Uint8Array): void {
  if (typeof text === 'string') writeSync(fd, text, null, 'utf8');
  else writeAll(fd, text);
}

/** A device, FIFO or other non-regular file, written where it is. */
function openInPlace(pathIn: string, path: string): AtomicFile {
  const fd = on(pathIn, () => openSync(path, 'w'));
  let open = true;
  const close = (): void => { if (open) { open = false; on(pathIn, () => closeSync(fd)); } };
  return {
    path: pathIn,
    write: (text) => on(pathIn, () => writeText(fd, text)),
    commit: close,
    abort() {
      try { close(); } catch { /* discarding anyway */ }
    },
  };
}

const tempPath = (path: string): string => join(dirname(path), `.custkit-tmp-${process.pid}-${counter++}-${basename(path)}`);

export function openAtomicFile(pathIn: string): AtomicFile {
  const { real: path, inPlace } = target(pathIn);
  if (inPlace) return openInPlace(pathIn, path);
  const tmp = tempPath(path);
  const fd = on(pathIn, () => openSync(tmp, 'w+'));
  const unregister = atCleanup(() => rmSync(tmp, { force: true }));
  let open = true;
  let done = false;
  /** The first failure: later calls throw it again instead of writing to a removed file. */
  let failed: unknown = null;
  const discard = (): void => {
    if (done) return;
    done = true;
    if (open) { open = false; try { closeSync(fd); } catch { /* already closed */ } }
    rmSync(tmp, { force: true });
    unregister();
  };
  /** Runs `fn`; on a failure removes the temporary file and throws an OutputError on the target. */
  const guarded = <T>(fn: () => T): T => {
    if (failed !== null) throw failed;
    try {
      return fn();
    } catch (e) {
      failed = asOutputError(e, pathIn);
      discard();
      throw failed;
    }
  };
  return {
    path: pathIn,
    write: (text) => guarded(() => writeText(fd, text)),
    random: {
      readAt: (buf, position) => guarded(() => readSync(fd, buf, 0, buf.length, position)),
      // Positional: later `write`s still append.
      writeAt: (bytes, position) => guarded(() => writeAll(fd, bytes, position)),
    },
    commit() {
      if (failed !== null) throw failed;
      if (done) return;
      guarded(() => {
        // close can report a write the kernel deferred (NFS, quotas): only a clean close is renamed.
        if (open) { open = false; closeSync(fd); }
        renameSync(tmp, path);
      });
      done = true;
      unregister();
    },
    abort: discard,
  };
}

/** Writes a whole small file atomically. */
export function writeFileAtomic(pathIn: string, content: string | Uint8Array): void {
  const { real: path, inPlace } = target(pathIn);
  if (inPlace) {
    on(pathIn, () => writeFileSync(path, content));
    return;
  }
  const tmp = tempPath(path);
  const unregister = atCleanup(() => rmSync(tmp, { force: true }));
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw asOutputError(e, pathIn);
  } finally {
    unregister();
  }
}
