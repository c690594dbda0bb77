/**
 * 64-bit fingerprints of records as two independent 32-bit hashes, computed in one pass
 * over the fields without building a joined string.
 *
 * - `a`: FNV-1a (Fowler, Noll & Vo; 32-bit offset basis 2166136261, prime 16777619) over
 *   UTF-16 code units, finished with the murmur3 `fmix32` avalanche so its low bits are usable.
 * - `b`: a murmur3-style hash (Appleby's MurmurHash3 x86_32 round: multiply by 0xcc9e2d51,
 *   rotate 15, multiply by 0x1b873593, mix into h, rotate 13, h·5 + 0xe6546b64), one round
 *   per code unit, seeded differently, finished with `fmix32` over the fed length.
 *
 * Field encoding: every string is fed as (its length + 2¹⁷) followed by its code units, and every
 * null / number has its own tag. A length prefix is an injective ("prefix-free") encoding,
 * so no field content can imitate a field boundary: this is the "separator that cannot
 * occur" of the design, made exact. Numbers are fed as their IEEE-754 bits (−0 fed as 0).
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

const TAG_NULL = 0x1_0001; // out of the UTF-16 range: cannot be a code unit or a short length
const TAG_NUMBER = 0x1_0002;

/** Final avalanche of MurmurHash3 (fmix32). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An incremental two-hash fingerprint. `reset()`, feed fields, then read `a` and `b`
 * (`done()` finalises). One instance is reused for every row (no allocation per row).
 */
export class Fingerprinter {
  private ha = 0x811c9dc5;
  private hb = 0x9747b28c;
  private n = 0;
  /** First 32-bit hash (FNV-1a + fmix32), valid after `done()`. */
  a = 0;
  /** Second 32-bit hash (murmur3-style), valid after `done()`. */
  b = 0;
  /** `a` of the prefix fed before the last `mark()`. */
  markA = 0;
  /** `b` of the prefix fed before the last `mark()`. */
  markB = 0;

  reset(): this {
    this.ha = 0x811c9dc5;
    this.hb = 0x9747b28c;
    this.n = 0;
    return this;
  }

  /** Feeds one 32-bit word (a code unit, a length or a tag). */
  word(k: number): void {
    this.ha = Math.imul(this.ha ^ k, 16777619);
    let x = Math.imul(k, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    x = Math.imul(x, 0x1b873593);
    let h = this.hb ^ x;
    h = (h << 13) | (h >>> 19);
    this.hb = (Math.imul(h, 5) + 0xe6546b64) | 0;
    this.n++;
  }

  /** Feeds a string as its length and its UTF-16 code units; null gets its own tag. */
  str(s: string | null): void {
    if (s === null) { this.word(TAG_NULL); return; }
    const len = s.length;
    // Inlined `word` for the hot loop.
    let ha = Math.imul(this.ha ^ (len + 0x2_0000), 16777619);
    let hb = this.hb;
    let x = Math.imul(len + 0x2_0000, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    x = Math.imul(x, 0x1b873593);
    hb ^= x;
    hb = (hb << 13) | (hb >>> 19);
    hb = (Math.imul(hb, 5) + 0xe6546b64) | 0;
    for (let i = 0; i < len; i++) {
      const k = s.charCodeAt(i);
      ha = Math.imul(ha ^ k, 16777619);
      x = Math.imul(k, 0xcc9e2d51);
      x = (x << 15) | (x >>> 17);
      x = Math.imul(x, 0x1b873593);
      hb ^= x;
      hb = (hb << 13) | (hb >>> 19);
      hb = (Math.imul(hb, 5) + 0xe6546b64) | 0;
    }
    this.ha = ha;
    this.hb = hb;
    this.n += len + 1;
  }

  /** Feeds a number by its IEEE-754 bits (−0 as 0); null gets its own tag. */
  num(v: number | null): void {
    if (v === null) { this.word(TAG_NULL); return; }
    if (Number.isInteger(v) && v >= 0 && v < 0x1_0000) { this.word(TAG_NUMBER); this.word(v); return; }
    F64[0] = v === 0 ? 0 : v;
    this.word(TAG_NUMBER + 1);
    this.word(U32[0]!);
    this.word(U32[1]!);
  }

  /**
   * Fingerprints the fields fed so far into `markA` / `markB` and goes on: one pass gives
   * the fingerprint of a key prefix (customer, order) and of the whole record.
   */
  mark(): void {
    this.markA = fmix32(this.ha);
    this.markB = fmix32((this.hb ^ this.n) >>> 0);
  }

  /** Finalises `a` and `b`. */
  done(): this {
    this.a = fmix32(this.ha);
    this.b = fmix32((this.hb ^ this.n) >>> 0);
    return this;
  }
}
