/**
 * Buffered text output to stdout or to a file (atomic), shared by every command.
 * Writes go out in ~1 MiB blocks; stdout honours back-pressure (await `drain()` between
 * input chunks). A closed pipe (`custkit ... | head`) ends the command quietly; any other
 * failed write (a full disk behind `> file`, /dev/full, EIO) is an OutputError.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { openAtomicFile, writeAll, type AtomicFile } from './atomic-file.js';
import { OutputError } from './output-error.js';

export interface TextSink {
  write(s: string): void;
  /** Writes bytes `b[start, end)` (UTF-8, whole characters) after everything written so far. */
  writeBytes(b: Uint8Array, start: number, end: number): void;
  /** Resolves when the destination can take more (stdout back-pressure). */
  drain(): Promise<void>;
  /** Flushes everything; for files renames into place. */
  close(): Promise<void>;
  /** Discards a partial file output (on error). */
  abort(): void;
}

/**
 * A file sink whose bytes can be found and changed before it is closed: `clean --outliers
 * flag -o FILE` writes each row with the flag 0 and sets the few flagged ones to 1 at the end.
 */
export interface RandomAccessSink extends TextSink {
  /** Exact UTF-8 bytes written so far (encodes the text joined and not yet encoded). */
  position(): number;
  /** Reads up to `buf.length` bytes from `position` (flushes first); returns the bytes read. */
  readAt(buf: Uint8Array, position: number): number;
  /** Overwrites bytes already written at `position` (flushes first). */
  writeAt(bytes: Uint8Array, position: number): void;
}

const BLOCK = 1 << 20;

/** Thrown internally when stdout's reader went away (EPIPE); main() exits 0 quietly. */
export class BrokenPipe extends Error {
  constructor() {
    super('broken pipe');
  }
}

/**
 * The first error process.stdout reported, once {@link watchStdoutErrors} listens. Listening
 * also keeps Node from crashing with a stack trace on it; the sinks turn it into BrokenPipe or
 * an OutputError.
 */
let stdoutError: NodeJS.ErrnoException | null = null;
let watching = false;

/**
 * Starts recording process.stdout's first error (idempotent). Called by the entry point, not
 * on import: importing an output module must not change how the process handles its stdout.
 */
export function watchStdoutErrors(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    stdoutError ??= e;
  });
}

/** Whether an output path names stdout: none given, or `-`. */
export const isStdoutPath = (output: string | undefined | null): output is undefined | null | '-' => output === undefined || output === null || output === '-';

/**
 * What a failed or closed output stream means: its reader went away (EPIPE, or closed with no
 * error) → BrokenPipe, the command ends quietly with 0; any other error (ENOSPC, EIO, EBADF, …)
 * → an OutputError on stdout, exit 2. `e` is the error the stream reported, if any.
 */
export function stdoutFailure(stream: NodeJS.WritableStream, e: NodeJS.ErrnoException | null = null): Error {
  const err = e ?? (stream === process.stdout ? stdoutError : null);
  return err === null || err.code === 'EPIPE' ? new BrokenPipe() : new OutputError('stdout', err);
}

/**
 * Accumulates text into a reusable 1 MiB byte buffer and hands full blocks on. Small writes are
 * first joined into a short string, encoded once it reaches {@link JOIN} code units: one
 * encode call per ~2 KiB instead of per line. Longer joins build a rope that Buffer.write walks
 * slowly when it holds two-byte text. Measured over 1M lines, ms per pass for joins of 0 / 2 Ki /
 * 64 Ki code units:
 * - canonical transactions (ASCII): 78 / 28 / 23;
 * - customer-table lines with `≥`: 47 / 49 / 456.
 */
const JOIN = 2048;

class ByteBuffer {
  private buf = Buffer.allocUnsafe(BLOCK);
  private len = 0;
  private pending = '';
  /** Bytes handed to `emit` so far. */
  private emitted = 0;
  /**
   * `emit` receives a block; with `synchronous`, it is done with the bytes when it returns (a
   * file written with writeSync), so the buffer's own bytes are handed over instead of a copy.
   */
  constructor(private readonly emit: (bytes: Buffer) => void, private readonly synchronous = false) {}
  /** Exact bytes written so far (encodes the pending join). */
  position(): number {
    if (this.pending.length) this.move();
    return this.emitted + this.len;
  }
  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= JOIN) this.move();
  }
  private move(): void {
    const s = this.pending;
    this.pending = '';
    // A UTF-16 code unit needs at most 3 UTF-8 bytes.
    if (this.len + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        const big = Buffer.from(s, 'utf8');
        this.emitted += big.length;
        this.emit(big);
        return;
      }
    }
    this.len += this.buf.write(s, this.len, 'utf8');
  }
  writeBytes(b: Uint8Array, start: number, end: number): void {
    if (this.pending.length) this.move();
    const n = end - start;
    if (this.len + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.emitted += n;
        this.emit(Buffer.from(b.subarray(start, end)));
        return;
      }
    }
    this.buf.set(b.subarray(start, end), this.len);
    this.len += n;
  }
  flush(): void {
    if (this.pending.length) this.move();
    if (this.len === 0) return;
    // Copy out unless synchronous: a stream may hold the chunk while we refill the buffer.
    this.emitted += this.len;
    const block = this.buf.subarray(0, this.len);
    this.emit(this.synchronous ? block : Buffer.from(block));
    this.len = 0;
  }
  clear(): void {
    this.pending = '';
    this.len = 0;
  }
}

/**
 * Whether process.stdout goes to a regular file or a device (`> out.csv`, `> /dev/full`). Node
 * writes those with one writeSync per chunk and ignores a short write: on a disk that fills up
 * the tail is lost and no error comes. The sink then writes fd 1 itself, every byte or an error.
 */
function stdoutIsFile(stream: NodeJS.WritableStream): boolean {
  if (stream !== process.stdout) return false;
  try {
    const st = fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && !isatty(1));
  } catch {
    return false;
  }
}

/** stdout as a file descriptor written synchronously: a failed write throws at once. */
function stdoutFdSink(): TextSink {
  const bb = new ByteBuffer((bytes) => {
    try {
      writeAll(1, bytes);
    } catch (e) {
      throw stdoutFailure(process.stdout, e as NodeJS.ErrnoException);
    }
  }, true);
  return {
    write: (s) => bb.write(s),
    writeBytes: (b, start, end) => bb.writeBytes(b, start, end),
    async drain() { /* synchronous writes */ },
    async close() {
      bb.flush();
    },
    abort() {
      bb.clear();
    },
  };
}

export function stdoutSink(stream: NodeJS.WritableStream = process.stdout): TextSink {
  if (stdoutIsFile(stream)) return stdoutFdSink();
  let pendingDrain: Promise<void> | null = null;
  let release: (() => void) | null = null;
  let broken = false;
  let failure: NodeJS.ErrnoException | null = null;
  /** Writes handed to the stream whose callback has not come yet, and who waits for them all. */
  let inFlight = 0;
  let settled: (() => void) | null = null;
  // A reader that went away (EPIPE, close) never emits 'drain' nor calls back: release any waiter then.
  const gone = (): void => {
    broken = true;
    release?.();
    settled?.();
  };
  const onError = (e: NodeJS.ErrnoException): void => {
    failure ??= e;
    gone();
  };
  stream.once('error', onError);
  stream.once('close', gone);
  const check = (): void => {
    if (broken || failure !== null || (stream === process.stdout && stdoutError !== null)) throw stdoutFailure(stream, failure);
  };
  // A write's error reaches its callback (and 'error') only after write() returned: close()
  // waits for the last callback so a failed final block is not reported as success.
  const written = (e?: Error | null): void => {
    if (e) failure ??= e as NodeJS.ErrnoException;
    if (--inFlight === 0 || e) settled?.();
  };
  const bb = new ByteBuffer((bytes) => {
    check();
    inFlight++;
    const ok = stream.write(bytes, written);
    if (!ok && !pendingDrain) {
      pendingDrain = new Promise((res) => {
        release = () => {
          pendingDrain = null;
          release = null;
          res();
        };
        stream.once('drain', () => release?.());
      });
    }
  });
  const detach = (): void => {
    stream.off('error', onError);
    stream.off('close', gone);
  };
  return {
    write: (s) => bb.write(s),
    writeBytes: (b, start, end) => bb.writeBytes(b, start, end),
    async drain() {
      if (pendingDrain) await pendingDrain;
      check();
    },
    async close() {
      bb.flush();
      if (pendingDrain) await pendingDrain;
      check();
      if (inFlight > 0) {
        await new Promise<void>((res) => {
          settled = res;
        });
        settled = null;
      }
      check();
      detach();
    },
    abort() {
      bb.clear();
      detach();
    },
  };
}

export function fileSink(path: string, opts: { bom?: boolean } = {}): TextSink | RandomAccessSink {
  const f: AtomicFile = openAtomicFile(path);
  const bb = new ByteBuffer((bytes) => f.write(bytes), true);
  if (opts.bom) bb.write('\uFEFF');
  const sink: TextSink = {
    write: (s) => bb.write(s),
    writeBytes: (b, start, end) => bb.writeBytes(b, start, end),
    async drain() { /* synchronous file writes */ },
    async close() {
      bb.flush();
      f.commit();
    },
    abort() {
      bb.clear();
      f.abort();
    },
  };
  const r = f.random;
  if (r === undefined) return sink;
  return {
    ...sink,
    position: () => bb.position(),
    readAt(buf, position) {
      bb.flush();
      return r.readAt(buf, position);
    },
    writeAt(bytes, position) {
      bb.flush();
      r.writeAt(bytes, position);
    },
  };
}

/** Appends the bytes of the file at `path` to `sink` in 1 MiB blocks, awaiting `drain()` after each. */
export async function copyFileTo(path: string, sink: TextSink): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(BLOCK);
    for (;;) {
      const n = readSync(fd, buf, 0, BLOCK, null);
      if (n === 0) break;
      sink.writeBytes(buf, 0, n);
      await sink.drain();
    }
  } finally {
    closeSync(fd);
  }
}

/** Copies the file at `from` to `path` atomically (fileSink), 1 MiB at a time: never the whole file in memory. */
export async function copyFileAtomic(from: string, path: string): Promise<void> {
  const sink = fileSink(path);
  try {
    await copyFileTo(from, sink);
  } catch (e) {
    sink.abort(); // e.g. a missing source: no temporary file is left
    throw e;
  }
  await sink.close();
}

/** Whether `sink` is a RandomAccessSink (a temporary regular file). */
export function isRandomAccess(sink: TextSink): sink is RandomAccessSink {
  return typeof (sink as Partial<RandomAccessSink>).writeAt === 'function';
}

/** stdout when `output` is undefined or '-', else an atomic file. */
export function openSink(output: string | undefined, opts: { bom?: boolean; stdout?: NodeJS.WritableStream } = {}): TextSink {
  if (isStdoutPath(output)) {
    const s = stdoutSink(opts.stdout);
    if (opts.bom) s.write('\uFEFF');
    return s;
  }
  return fileSink(output, opts);
}

/** An in-memory sink (tests and the fused pipeline). */
export function memorySink(): TextSink & { text(): string } {
  const parts: string[] = [];
  return {
    write(s) { parts.push(s); },
    writeBytes(b, start, end) { parts.push(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8')); },
    async drain() {},
    async close() {},
    abort() { parts.length = 0; },
    text: () => parts.join(''),
  };
}
