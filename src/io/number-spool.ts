/**
 * A disk spool of numbers (float64), replayed in the order added: `clean --outliers flag -o
 * FILE` keeps each written row's amount here until the outlier fence is known (clean-stage.ts).
 * One file in a private folder under the process's temp folder (removed on any exit); memory is one block of 65,536 numbers (512 KiB),
 * never all of them (10M rows: an 80 MB file).
 */
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAll } from './atomic-file.js';
import { makeTempDir } from './process-cleanup.js';

const PER_BLOCK = 1 << 16;

export class NumberSpool {
  private readonly dir = makeTempDir('numbers');
  private readonly file = join(this.dir, 'numbers.f64');
  private fd = openSync(this.file, 'w');
  private readonly block = new Float64Array(PER_BLOCK);
  private inBlock = 0;
  private writing = true;
  /** Numbers added. */
  count = 0;

  add(value: number): void {
    this.block[this.inBlock] = value;
    this.count++;
    if (++this.inBlock === PER_BLOCK) this.flush();
  }

  /** Calls `each(value, index)` for every number in the order added (after the last `add`). */
  replay(each: (value: number, index: number) => void): void {
    if (this.writing) {
      this.flush();
      closeSync(this.fd);
      this.fd = openSync(this.file, 'r');
      this.writing = false;
    }
    const bytes = new Uint8Array(this.block.buffer);
    let index = 0;
    let position = 0;
    while (index < this.count) {
      const want = Math.min(PER_BLOCK, this.count - index) * 8;
      let got = 0;
      while (got < want) {
        const n = readSync(this.fd, bytes, got, want - got, position + got);
        if (n === 0) throw new Error('number spool: the file is shorter than the numbers added');
        got += n;
      }
      position += want;
      for (let i = 0; i < want / 8; i++) each(this.block[i]!, index++);
    }
  }

  /** Closes and removes the file (call in a finally). */
  dispose(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.inBlock === 0) return;
    writeAll(this.fd, new Uint8Array(this.block.buffer, 0, this.inBlock * 8));
    this.inBlock = 0;
  }
}
