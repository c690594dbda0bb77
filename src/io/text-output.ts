/**
 * Buffered text output to stdout or to a file (atomic), shared by every command.
 * Writes go out in ~1 MiB blocks; stdout honours back-pressure (await `drain()` between
 * input chunks). A closed pipe (`custkit ... | head`) ends the command quietly.
 */
import { openAtomicFile, type AtomicFile } from './atomic-file.js';

export interface TextSink {
  write(s: string): void;
  /** Resolves when the destination can take more (stdout back-pressure). */
  drain(): Promise<void>;
  /** Flushes everything; for files renames into place. */
  close(): Promise<void>;
  /** Discards a partial file output (on error). */
  abort(): void;
}

const BLOCK = 1 << 20;

/** Thrown internally when stdout's reader went away (EPIPE); main() exits 0 quietly. */
export class BrokenPipe extends Error {
  constructor() {
    super('broken pipe');
  }
}

let stdoutBroken = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') stdoutBroken = true;
});

export function stdoutSink(stream: NodeJS.WritableStream = process.stdout): TextSink {
  let buf = '';
  let pendingDrain: Promise<void> | null = null;
  const flush = (): void => {
    if (stdoutBroken) throw new BrokenPipe();
    if (buf.length === 0) return;
    const ok = stream.write(buf);
    buf = '';
    if (!ok && !pendingDrain) {
      pendingDrain = new Promise((res) => stream.once('drain', () => { pendingDrain = null; res(); }));
    }
  };
  return {
    write(s) {
      buf += s;
      if (buf.length >= BLOCK) flush();
    },
    async drain() {
      if (pendingDrain) await pendingDrain;
    },
    async close() {
      flush();
      if (pendingDrain) await pendingDrain;
    },
    abort() {
      buf = '';
    },
  };
}

export function fileSink(path: string, opts: { bom?: boolean } = {}): TextSink {
  const f: AtomicFile = openAtomicFile(path);
  let buf = opts.bom ? '\uFEFF' : '';
  return {
    write(s) {
      buf += s;
      if (buf.length >= BLOCK) { f.write(buf); buf = ''; }
    },
    async drain() { /* synchronous file writes */ },
    async close() {
      if (buf.length) f.write(buf);
      buf = '';
      f.commit();
    },
    abort() {
      buf = '';
      f.abort();
    },
  };
}

/** stdout when `output` is undefined or '-', else an atomic file. */
export function openSink(output: string | undefined, opts: { bom?: boolean } = {}): TextSink {
  if (output === undefined || output === '-') {
    const s = stdoutSink();
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
    async drain() {},
    async close() {},
    abort() { parts.length = 0; },
    text: () => parts.join(''),
  };
}
