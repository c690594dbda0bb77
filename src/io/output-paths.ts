/**
 * Checks and makes an output folder (`run --out DIR`) before any work, so a wrong folder fails
 * at once with an OutputError instead of after the input was read — or never:
 * `mkdirSync('/proc/x', { recursive: true })` loops forever in Node (mkdir there says ENOENT
 * though the parent exists, and the recursive walk retries it), so the folders are made here
 * one level at a time.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputError, systemError } from './output-error.js';

/** Whether `path` exists (statSync's ENOENT → false; any other failure is thrown). */
function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The nearest existing ancestor of `dir` (or `dir` itself) and the folders missing below it, top first. */
function nearestExisting(dir: string): { at: string; isDir: boolean; missing: string[] } {
  const missing: string[] = [];
  let at = dir;
  // '/' always exists, so this ends.
  for (;;) {
    const st = statOrNull(at);
    if (st) return { at, isDir: st.isDirectory(), missing: missing.reverse() };
    missing.push(at);
    at = dirname(at);
  }
}

/**
 * Makes folder `dirIn` and its missing parents and checks that files can be made in it.
 * With `makeLast: false` only the parents are made (the caller makes `dirIn` itself, e.g. as
 * a link switched by rename), and `dirIn` must be a folder if it exists.
 * Throws an OutputError naming `dirIn`: EEXIST when it is a file, ENOTDIR when a parent is,
 * the system's error when a level cannot be made (ENOENT in /proc, EROFS, EACCES), and the
 * access error when the folder cannot be written in.
 */
export function prepareOutputFolder(dirIn: string, opts: { makeLast?: boolean } = {}): void {
  const dir = resolve(dirIn);
  let found: ReturnType<typeof nearestExisting>;
  try {
    found = nearestExisting(dir);
  } catch (e) {
    throw new OutputError(dirIn, e as NodeJS.ErrnoException, 'mkdir'); // e.g. ENOTDIR: a parent is a file
  }
  const { at, isDir, missing } = found;
  if (!isDir) {
    if (at === dir) throw new OutputError(dirIn, systemError('EEXIST', `${dirIn} exists and is not a folder`), 'mkdir');
    throw new OutputError(dirIn, systemError('ENOTDIR', `${at} is not a folder`), 'mkdir');
  }
  const make = opts.makeLast === false ? missing.filter((d) => d !== dir) : missing;
  for (const d of make) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Made meanwhile by another process: fine if it is a folder.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrNull(d)?.isDirectory()) continue;
      throw new OutputError(dirIn, e as NodeJS.ErrnoException, 'mkdir');
    }
  }
  // Where the files (or the folder itself) will be made must take them.
  const made = make.length === missing.length;
  try {
    accessSync(made ? dir : dirname(dir), constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new OutputError(dirIn, e as NodeJS.ErrnoException, made ? 'folder' : 'mkdir');
  }
}
