/**
 * An append-only list of strings kept as UTF-8 bytes in one growing buffer, with their offsets:
 * for a column of nearly unique, display-only text (sleep_reason) across a million customers.
 * A JavaScript string of such text costs 100–250 bytes (header, two-byte characters for `≥`
 * and `×`, and the cons-string tree a template literal leaves); its UTF-8 bytes cost ~45.
 * Values are decoded again only when read (the report shows a few dozen).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TextArena {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private ends = new Int32Array(1 << 10);
  private n = 0;

  /** Number of strings held. */
  get length(): number {
    return this.n;
  }

  /** Appends s; returns its index. */
  push(s: string): number {
    // At most 3 UTF-8 bytes per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units).
    const need = this.used + 3 * s.length;
    if (need > this.bytes.length) {
      const b = new Uint8Array(Math.max(need, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    this.used += encoder.encodeInto(s, this.bytes.subarray(this.used)).written;
    if (this.n === this.ends.length) {
      const e = new Int32Array(this.n * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.ends[this.n] = this.used;
    return this.n++;
  }

  /** The string at index k (0 ≤ k < length). */
  get(k: number): string {
    if (!(k >= 0 && k < this.n)) throw new RangeError(`TextArena: index ${k} out of range 0..${this.n - 1}`);
    const start = k === 0 ? 0 : this.ends[k - 1]!;
    return decoder.decode(this.bytes.subarray(start, this.ends[k]!));
  }
}
