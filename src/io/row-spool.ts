/**
 * A disk spool of finished text rows with one number each, replayed in order.
 *
 * `clean --outliers flag` writing to stdout (a file output is patched in place instead, see
 * clean-stage.ts flagInPlace) must know the outlier fence (from every cleaned order) before it can
 * write the first row's flag. It spools each row's text and amount, then replays them and
 * appends the flag, so the rows are neither parsed nor formatted a second time (reading the
 * spool back as CSV cost 9 of 40 s on 10M lines).
 *
 * Two files in a private temporary directory: the rows as UTF-8 text, and per row its amount
 * (float64) and its length in UTF-8 bytes (uint32), so a row whose text holds a newline (a
 * quoted cell) is replayed whole. `replayBytes` hands each row on as bytes, which `clean`
 * copies to its output with the flag appended, never decoding or encoding the text again
 * (10M lines: decoding, slicing and re-encoding were ~1 in 10 seconds of `clean`). Memory:
 * one block of each file and the longest row, never all the rows.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSink, type TextSink } from './text-output.js';

const ROWS_PER_BLOCK = 1 << 16;
const ENTRY = 12; // float64 amount + uint32 length

export class RowSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'custkit-spool-'));
  private readonly text: TextSink = fileSink(join(this.dir, 'rows.txt'));
  private readonly sideFd = openSync(join(this.dir, 'rows.bin'), 'w');
  private readonly block = Buffer.alloc(ROWS_PER_BLOCK * ENTRY);
  private inBlock = 0;
  private closed = false;
  /** Rows added. */
  rows = 0;

  /** Adds one row (its full text, line ending included) and its number. */
  add(row: string, value: number): void {
    this.text.write(row);
    const o = this.inBlock * ENTRY;
    this.block.writeDoubleLE(value, o);
    this.block.writeUInt32LE(Buffer.byteLength(row, 'utf8'), o + 8);
    this.rows++;
    if (++this.inBlock === ROWS_PER_BLOCK) this.flushBlock();
  }

  /**
   * Calls `each(bytes, start, end, value)` for every row in the order added: the row is
   * `bytes[start, end)` (its UTF-8 text, line ending included), valid only during the call.
   * Awaits `afterBlock` after every block of 65,536 rows.
   */
  async replayBytes(each: (bytes: Buffer, start: number, end: number, value: number) => void, afterBlock?: () => Promise<void>): Promise<void> {
    if (!this.closed) {
      this.flushBlock();
      closeSync(this.sideFd);
      await this.text.close();
      this.closed = true;
    }
    const textFd = openSync(join(this.dir, 'rows.txt'), 'r');
    const sideFd = openSync(join(this.dir, 'rows.bin'), 'r');
    try {
      let buf = Buffer.allocUnsafe(1 << 20);
      const side = Buffer.allocUnsafe(ROWS_PER_BLOCK * ENTRY);
      let pos = 0; // next row's first byte in buf
      let have = 0; // bytes of buf filled
      let textDone = false;
      for (;;) {
        const got = readSync(sideFd, side, 0, side.length, null);
        if (got === 0) break;
        for (let o = 0; o + ENTRY <= got; o += ENTRY) {
          const value = side.readDoubleLE(o);
          const len = side.readUInt32LE(o + 8);
          if (pos + len > have) {
            // Move the unread tail to the front (growing the buffer for a row longer than it), then read on.
            if (len > buf.length) {
              const bigger = Buffer.allocUnsafe(Math.max(len, 2 * buf.length));
              buf.copy(bigger, 0, pos, have);
              buf = bigger;
            } else buf.copy(buf, 0, pos, have);
            have -= pos;
            pos = 0;
            while (have < len) {
              if (textDone) throw new Error('row spool: the text file is shorter than its index');
              const n = readSync(textFd, buf, have, buf.length - have, null);
              if (n === 0) textDone = true;
              have += n;
            }
          }
          each(buf, pos, pos + len, value);
          pos += len;
        }
        if (afterBlock) await afterBlock();
      }
    } finally {
      closeSync(textFd);
      closeSync(sideFd);
    }
  }

  /** Removes the files (call in a finally). */
  dispose(): void {
    if (!this.closed) {
      try { closeSync(this.sideFd); } catch { /* already closed */ }
      this.text.abort();
      this.closed = true;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flushBlock(): void {
    if (this.inBlock === 0) return;
    writeSync(this.sideFd, this.block, 0, this.inBlock * ENTRY);
    this.inBlock = 0;
  }
}
