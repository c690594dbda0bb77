/**
 * DuckDB's errors as custkit reports them. DuckDB's messages start with their type
 * ("Out of Memory Error: …", "IO Error: …", "Invalid Input Error: CSV Error on Line: 3 …"):
 * a resource limit (memory, spill disk) or an interrupted query is the environment, a file
 * DuckDB cannot read is the input, a number overflowing the query's types is a limit of the
 * SQL engine (the JavaScript engine computes it) — all exit 2, one line with a hint. Any
 * other type (Binder, Parser, Catalog, INTERNAL…) is a bug in custkit's SQL and stays exit 70.
 */
import { CustkitError, EXIT, type Location } from '../errors.js';
import { sizeBytes } from '../core/size-bytes.js';

/** What went wrong, by what the user can do about it. */
export type DuckdbErrorKind =
  /** the memory limit (--memory-limit) was too small for a structure that cannot spill */
  | 'memory'
  /** spilling to the temporary folder failed: the disk is full, or the temp size limit hit */
  | 'disk'
  /** the query was interrupted */
  | 'interrupt'
  /** a number outside the query's column types (e.g. a 32-bit count) */
  | 'overflow'
  /** an input file DuckDB cannot find, open or read (CSV structure, encoding, Parquet) */
  | 'input';

/** The DuckDB session's context for the message: the files read and the memory limit in force. */
export interface DuckdbErrorContext {
  files: readonly string[];
  memoryLimit: string;
}

/** A DuckDB failure that is not a bug: exit 2, with what DuckDB said (type and first line). */
export class DuckdbError extends CustkitError {
  constructor(
    readonly kind: DuckdbErrorKind,
    /** What happened, in custkit's words. */
    readonly what: string,
    /** DuckDB's type and first line, e.g. "Out of Memory Error: could not allocate block …". */
    readonly said: string,
    hint: string,
    where?: Location,
  ) {
    super(`${what} (${said})`, EXIT.DATA, hint, where);
    this.name = 'DuckdbError';
  }

  /** One clause for a fallback's note: what happened, where, and DuckDB's words. */
  get why(): string {
    const at = this.where?.file ? ` at ${this.where.file}${this.where.line !== undefined ? `:${this.where.line}` : ''}` : '';
    return `${this.what}${at} (${this.said})`;
  }
}

/**
 * DuckDB's "<Type> Error: …" prefix and its first line; for a CSV error ("CSV Error on Line: 3")
 * also the line saying what is wrong (not "Original Line:", which quotes the data).
 */
export function duckdbType(e: unknown): { type: string; first: string } | null {
  // custkit's own errors are never DuckDB's.
  const msg = e instanceof Error && !(e instanceof CustkitError) ? e.message : null;
  if (msg === null) return null;
  const lines = msg.split('\n').map((l) => l.trim());
  const m = /^([A-Za-z][A-Za-z -]*?) Error: /.exec(lines[0]!);
  if (!m) return null;
  let first = lines[0]!;
  if (/CSV Error on Line: \d+$/.test(first)) {
    const reason = lines.slice(1, 4).find((l) => l !== '' && !l.startsWith('Original Line'));
    if (reason) first += `: ${reason}`;
  }
  return { type: m[1]!, first };
}

const SPACE = /no space left|disk quota|max_temp_directory_size|temp(orary)? (directory|file)/i;
const OVERFLOW = /out of range|overflow/i;

/** The kind of a DuckDB error, or null when it is not a DuckDB error or is a bug (exit 70). */
export function duckdbErrorKind(e: unknown): DuckdbErrorKind | null {
  const t = duckdbType(e);
  if (!t) return null;
  const msg = (e as Error).message;
  switch (t.type.toLowerCase()) {
    case 'out of memory':
      // Raised also when the spill folder reached its size or the disk is full.
      return SPACE.test(msg) ? 'disk' : 'memory';
    case 'io':
      return SPACE.test(msg) || /could not write/i.test(msg) ? 'disk' : 'input';
    case 'interrupt':
      return 'interrupt';
    case 'out of range':
    case 'decimal':
      return 'overflow';
    case 'conversion':
      // The input is read as text and cast with TRY_CAST: a failing CAST is one of the query's own narrowings.
      return OVERFLOW.test(msg) ? 'overflow' : 'input';
    case 'invalid input':
      return 'input';
    case 'binder':
      // DuckDB's CSV sniffer read other columns than the header check saw (e.g. a ragged
      // row): an order field is missing. Any other binder error is custkit's SQL.
      return /^Binder Error: Referenced column "(customer_id|order_id|order_date|amount|quantity|status|order_time|item)" not found/.test(t.first) ? 'input' : null;
    default:
      return null;
  }
}

/** A limit to suggest after running out under `limit` ("600MB", "2GB", "4GiB"): twice it, at least 2GB. */
export function largerLimit(limit: string): string {
  const twice = 2 * (sizeBytes(limit) ?? 0);
  return twice <= 2e9 ? '2GB' : `${Math.ceil(twice / 1e9)}GB`;
}

/** The file and line DuckDB names ("CSV Error on Line: 3", "file = x.csv", a quoted path), else the only file. */
export function duckdbLocation(msg: string, files: readonly string[]): Location | undefined {
  const line = /CSV Error on Line: (\d+)/.exec(msg);
  const named = /^\s*file = (.+)$/m.exec(msg)?.[1]?.trim() ?? files.find((f) => msg.includes(`"${f}"`) || msg.includes(`'${f}'`));
  const file = named ?? (files.length === 1 ? files[0] : undefined);
  if (file === undefined) return undefined;
  return line ? { file, line: Number(line[1]) } : { file };
}

/**
 * `e` as a DuckdbError (exit 2) when it is one of the kinds above; null otherwise (not from
 * DuckDB, or a bug in custkit's SQL: the caller rethrows it).
 */
export function duckdbError(e: unknown, ctx: DuckdbErrorContext): DuckdbError | null {
  if (e instanceof DuckdbError) return e;
  const kind = duckdbErrorKind(e);
  if (kind === null) return null;
  const said = duckdbType(e)!.first;
  const msg = (e as Error).message;
  // The JavaScript engine reads uncompressed files only.
  const js = ctx.files.some((f) => /\.(gz|zst)$/i.test(f)) ? null : '--engine js';
  switch (kind) {
    case 'memory':
      return new DuckdbError(kind, `DuckDB ran out of memory under --memory-limit ${ctx.memoryLimit}`, said, `raise --memory-limit (e.g. ${largerLimit(ctx.memoryLimit)})${js ? `, or use ${js}` : ''}`);
    case 'disk':
      return new DuckdbError(kind, 'DuckDB could not spill to its temporary folder (the disk is full or the folder at its size limit)', said, `free space in the temporary folder or set TMPDIR to a larger disk, raise --memory-limit${js ? `, or use ${js}` : ''}`);
    case 'interrupt':
      return new DuckdbError(kind, "DuckDB's query was interrupted", said, 'run the command again');
    case 'overflow':
      return new DuckdbError(kind, "a number overflowed DuckDB's query types", said, js ? `use ${js}, which computes it` : 'decompress the file and use --engine js, which computes it');
    case 'input':
      return new DuckdbError(kind, 'DuckDB cannot read the input', said, js ? `check the file; ${js} reads it and names the bad line and column` : 'check the file: decompressed, --engine js reads it and names the bad line and column', duckdbLocation(msg, ctx.files));
  }
}
