/**
 * A file read while another thread writes it: the writer says how many bytes are in the file
 * (written), then that it is complete (end) or failed (abort); the reader reads up to what it
 * was told, from its own descriptor, and waits for more. Nothing is queued between the two: a
 * slow reader reads later from the file (the page cache), so memory stays bounded.
 */
import { readSync } from 'node:fs';

const CHUNK = 1 << 20;

export class GrowingFile {
  private available = 0;
  private complete = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private endWaiters: (() => void)[] = [];

  /** `fd`: open for reading; the owner closes it once the reader is done. */
  constructor(private readonly fd: number) {}

  written(total: number): void {
    if (total > this.available) this.available = total;
    this.poke();
  }

  end(total: number): void {
    this.written(total);
    this.complete = true;
    for (const w of this.endWaiters.splice(0)) w();
  }

  abort(reason: string): void {
    this.failure = new Error(reason);
    this.poke();
    for (const w of this.endWaiters.splice(0)) w();
  }

  /** Resolves once the file is complete; rejects when the writer failed. */
  async ended(): Promise<void> {
    while (!this.complete && this.failure === null) await new Promise<void>((r) => this.endWaiters.push(r));
    if (this.failure) throw this.failure;
  }

  /** The file's bytes from the start, in chunks of at most 1 MiB, as they are written. */
  async *chunks(): AsyncGenerator<Buffer> {
    let at = 0;
    for (;;) {
      if (this.failure) throw this.failure;
      if (at < this.available) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, this.available - at));
        const n = readSync(this.fd, buf, 0, buf.length, at);
        if (n === 0) throw new Error(`the file ended at byte ${at}, before the ${this.available} bytes written`);
        at += n;
        yield n === buf.length ? buf : buf.subarray(0, n);
      } else if (this.complete) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
