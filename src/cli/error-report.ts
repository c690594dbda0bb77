/**
 * How main() reports an error: the one line it prints, and the system errors (full disk,
 * read-only folder…) it reports as the user's environment (exit 2) rather than a bug. Used by
 * src/cli/main.ts alone.
 */
import { join } from 'node:path';
import { CustkitError, EXIT } from '../errors.js';
import { OutputError, isSystemError, type OutputOp } from '../io/output-error.js';
import { quoteDatum } from '../core/terminal-text.js';

/**
 * Most characters of a message or hint printed: a backstop for data quoted without
 * quoteDatum (which caps each datum at DATUM_MAX), so no error line grows with the input.
 */
const PART_MAX = 1000;

/**
 * One line: "custkit: file:line:col: message (hint: ...)". Control characters and bidi
 * overrides in any part (they may come from file names, headers or cells) are shown escaped.
 */
export function formatError(err: CustkitError): string {
  const w = err.where;
  let loc = '';
  if (w && (w.file || w.line)) {
    loc = quoteDatum(`${w.file ?? '<stdin>'}`, PART_MAX);
    if (w.line !== undefined) loc += `:${w.line}`;
    if (w.column !== undefined) loc += `:${quoteDatum(String(w.column))}`;
    loc += ': ';
  }
  const hint = err.hint ? ` (hint: ${quoteDatum(err.hint, PART_MAX)})` : '';
  return `custkit: ${loc}${quoteDatum(err.message, PART_MAX)}${hint}`;
}

/** System errors that are the user's environment, not a bug: what happened and what to change. */
const SYSTEM: Record<string, [what: string, hint: string]> = {
  ENOSPC: ['no space left on device', 'free some space, or write to another disk'],
  EDQUOT: ['disk quota exceeded', 'free some space, or write to another disk'],
  EFBIG: ['file too large for this file system', 'write to another disk'],
  EIO: ['input/output error', 'the disk or device failed: check it, or write elsewhere'],
  EBADF: ['bad file descriptor', 'the output is not open for writing: check the shell redirection'],
  EACCES: ['permission denied', 'choose a path you can write to, or change its permissions'],
  EPERM: ['operation not permitted', 'choose a path you can write to, or change its permissions'],
  EROFS: ['read-only file system', 'write to a folder on a writable disk'],
  EISDIR: ['is a folder', 'name a file'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'check the path'],
  EEXIST: ['already exists', 'check the path'],
  ENOENT: ['no such file or folder', 'check the path, or create the folder first'],
  ENAMETOOLONG: ['file name too long', 'use a shorter path'],
};

/** One line for a system error on output `target` (a path or 'stdout'), exit 2. */
export function ioError(target: string, cause: NodeJS.ErrnoException, op: OutputOp = 'write'): CustkitError {
  const code = cause.code ?? '';
  const [what, hint] = SYSTEM[code] ?? [cause.message, 'check the path and the disk'];
  if (op === 'mkdir') {
    if (code === 'EEXIST') return new CustkitError(`${target} exists and is not a folder`, EXIT.DATA, 'name a new or existing folder, or move the file away');
    if (code === 'ENOENT') return new CustkitError(`cannot create folder ${target}: the system does not allow a folder there`, EXIT.DATA, 'choose a folder on a writable disk');
    return new CustkitError(`cannot create folder ${target}: ${what}`, EXIT.DATA, hint);
  }
  if (op === 'folder') return new CustkitError(`cannot write in folder ${target}: ${what}`, EXIT.DATA, hint);
  if (code === 'EISDIR') return new CustkitError(`${target} is a folder`, EXIT.DATA, `name a file, e.g. ${join(target, 'out.csv')}`);
  if (code === 'ENOENT') return new CustkitError(`cannot write ${target}: its folder does not exist`, EXIT.DATA, 'create the folder first, or check the path');
  if (code === 'ENOTDIR') return new CustkitError(`cannot write ${target}: ${what}`, EXIT.DATA, hint);
  return new CustkitError(`${what} writing ${target}`, EXIT.DATA, hint);
}

/**
 * A system error as a CustkitError (exit 2), or null when `e` is not one: an OutputError names
 * its output; any other error with one of the codes above names the path the system gave.
 */
export function environmentError(e: unknown): CustkitError | null {
  if (e instanceof OutputError) return ioError(e.target, e.cause, e.op);
  if (!isSystemError(e) || !(e.code! in SYSTEM)) return null;
  const path = e.path ?? (e as { dest?: string }).dest;
  const [what, hint] = SYSTEM[e.code!]!;
  return new CustkitError(path ? `${path}: ${what}` : what, EXIT.DATA, hint);
}
