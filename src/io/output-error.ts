/**
 * A system error on an output — a file custkit was asked to write, the folder for it, or
 * stdout: a full disk, a read-only folder, a path that names a folder. It is the user's
 * environment, not a bug; the CLI reports it in one line (src/cli/error-report.ts `ioError`).
 */
export type OutputOp =
  /** writing (or opening, or renaming into place) the output file or stdout */
  | 'write'
  /** making the output folder */
  | 'mkdir'
  /** the output folder exists but cannot be written in */
  | 'folder';

export class OutputError extends Error {
  constructor(
    /** The output as the user named it (a path, or 'stdout'). */
    readonly target: string,
    /** The system error (its `code`: ENOSPC, EROFS, EISDIR, …). */
    override readonly cause: NodeJS.ErrnoException,
    readonly op: OutputOp = 'write',
  ) {
    super(`${op === 'mkdir' ? 'cannot create folder' : 'cannot write'} ${target}: ${cause.message}`);
    this.name = 'OutputError';
  }
  get code(): string | undefined {
    return this.cause.code;
  }
}

/** Whether `e` is a system error (an Error with a string errno `code` like ENOSPC). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/** `e` as an OutputError on `target` when it is a system error; anything else unchanged. */
export function asOutputError(e: unknown, target: string, op: OutputOp = 'write'): unknown {
  return !(e instanceof OutputError) && isSystemError(e) ? new OutputError(target, e, op) : e;
}

/** A system error made here (a check before the system would fail, or fail worse). */
export function systemError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
