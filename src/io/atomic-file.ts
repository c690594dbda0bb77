/**
 * Atomic file output: write to a temporary file beside the target, then rename over it,
 * so a reader (a cron job, a spreadsheet) never sees half a file. On failure the
 * temporary file is removed and the target is left as it was.
 *
 * Only regular files are replaced: a target that exists and is not one (`/dev/null`, a
 * FIFO, `/dev/stderr`) is written in place — renaming over it would replace the device
 * with a plain file — and a symbolic link is followed, so the file it points to is
 * replaced, not the link.
 */
import { closeSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

export function openAtomicFile(pathIn: string): AtomicFile {
  const { real: path, inPlace } = target(pathIn);
  if (inPlace) {
    const fd = openSync(path, 'w');
    let open = true;
    const close = (): void => { if (open) { closeSync(fd); open = false; } };
    return {
      path: pathIn,
      write(text) {
        if (typeof text === 'string') writeSync(fd, text, null, 'utf8');
        else writeAll(fd, text);
      },
      commit: close,
      abort: close,
    };
  }
  const tmp = join(dirname(path), `.custkit-tmp-${process.pid}-${counter++}-${basename(path)}`);
  const fd = openSync(tmp, 'w+');
  let open = true;
  let done = false;
  return {
    path: pathIn,
    write(text) {
      if (typeof text === 'string') writeSync(fd, text, null, 'utf8');
      else writeAll(fd, text);
    },
    random: {
      readAt: (buf, position) => readSync(fd, buf, 0, buf.length, position),
      // Positional: later `write`s still append.
      writeAt: (bytes, position) => writeAll(fd, bytes, position),
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
export function writeFileAtomic(pathIn: string, content: string | Uint8Array): void {
  const { real: path, inPlace } = target(pathIn);
  if (inPlace) {
    writeFileSync(path, content);
    return;
  }
  const tmp = join(dirname(path), `.custkit-tmp-${process.pid}-${counter++}-${basename(path)}`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
