/**
 * Sheet XML built as UTF-8 bytes straight into a buffer, cell by cell: no string per row or
 * cell, no concatenation and no separate encoding pass (a million-row sheet has tens of
 * millions of cells). Full buffers are handed to the zip entry, which copies them into its chunks.
 * Fixed markup goes in four bytes at a time ({@link Markup}): most of a sheet's bytes are markup.
 */

const AMP = 38, LT = 60, GT = 62;
/** Bytes a buffer holds before it goes to the zip (the zip deflates chunks of this size). */
const BUFFER = 1 << 20;

export type BufferSink = (full: Buffer) => Promise<void> | void;

/**
 * Fixed ASCII markup as little-endian 32-bit words, written with one DataView store per four
 * bytes instead of one store per byte. The last word's padding lands past the markup's end
 * and is overwritten by what follows (writers make room for 3 bytes more).
 */
export class Markup {
  readonly words: Uint32Array;
  readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    const b = Buffer.alloc((text.length + 3) & ~3);
    b.write(text, 'latin1');
    this.words = new Uint32Array(b.length >> 2);
    for (let k = 0; k < this.words.length; k++) this.words[k] = b.readUInt32LE(4 * k);
  }
}

/** Writes `m` at `p` (room for m.length + 3 bytes made); returns the position after it. */
export function putMarkup(view: DataView, p: number, m: Markup): number {
  const w = m.words;
  for (let k = 0; k < w.length; k++) view.setUint32(p + 4 * k, w[k]!, true);
  return p + m.length;
}

export class SheetBytes {
  /** The buffer and the bytes written into it (writers that made room may write directly). */
  buf: Buffer = Buffer.allocUnsafe(BUFFER);
  /** The same bytes as 32-bit words' view (putMarkup). */
  view: DataView = viewOf(this.buf);
  pos = 0;
  private wait: Promise<void> | undefined;

  constructor(private readonly sink: BufferSink) {}

  /** Makes room for `n` more bytes (hands the full buffer on first). */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.setBuffer(Buffer.allocUnsafe(n));
  }

  /** Hands what is written so far to the zip. */
  flush(): void {
    if (this.pos === 0) return;
    const w = this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
    if (this.buf.length > BUFFER) this.setBuffer(Buffer.allocUnsafe(BUFFER));
    if (w) {
      const both = this.wait ? Promise.all([this.wait, w]).then(() => undefined) : w;
      // Awaited by settle(); a table given up on after a failure must not leave it unhandled.
      both.catch(() => {});
      this.wait = both;
    }
  }

  private setBuffer(b: Buffer): void {
    this.buf = b;
    this.view = viewOf(b);
  }

  /** Waits until the zip has taken what was handed on (bounded memory). */
  async settle(): Promise<void> {
    const w = this.wait;
    this.wait = undefined;
    if (w) await w;
  }

  /** Whether a buffer's worth is waiting to be handed on. */
  get full(): boolean {
    return this.pos >= BUFFER - (BUFFER >> 4);
  }

  /** Text known to be ASCII without XML specials (markup, numbers); caller made room. */
  ascii(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Text as XML character data (& < > escaped), UTF-8; makes its own room. */
  text(s: string): void {
    this.room(6 * s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === AMP || c === LT || c === GT) {
          b[p++] = AMP;
          if (c === AMP) { b[p++] = 97; b[p++] = 109; b[p++] = 112; } // amp
          else { b[p++] = c === LT ? 108 : 103; b[p++] = 116; } // lt, gt
          b[p++] = 59;
        } else b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            i++;
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            b[p++] = 0xf0 | (c >> 18);
            b[p++] = 0x80 | ((c >> 12) & 63);
            b[p++] = 0x80 | ((c >> 6) & 63);
            b[p++] = 0x80 | (c & 63);
            continue;
          }
        }
        // A lone surrogate is written as U+FFFD, as TextEncoder would.
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 63);
        b[p++] = 0x80 | (c & 63);
      }
    }
    this.pos = p;
  }
}

const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.length);
