/**
 * A set of 64-bit fingerprints (pairs of 32-bit hashes, see fingerprint-hash.ts) in an
 * open-addressing hash table: one Uint32Array of [a, b] slot pairs (one cache line per
 * probe), linear probing.
 *
 * - Slot of a fingerprint: `b & (capacity − 1)`; capacity is a power of two and doubles
 *   when the load would pass 0.7, so memory is 8 bytes × capacity ≤ 8 / 0.35 ≈ 23 bytes
 *   per member in the worst case just after a doubling (10 M members: 128 MiB table,
 *   plus the old 64 MiB table while it grows).
 * - An empty slot holds a = 0; a fingerprint whose `a` is 0 is stored with a = 1.
 * - False positives: two different records are taken as equal only when both hashes agree.
 *   Treating the 64 bits as uniform, the chance that any two of n distinct records collide
 *   is ≈ n² / 2⁶⁵ (birthday bound): 2.7 × 10⁻⁶ for n = 10 M, 2.7 × 10⁻⁸ for n = 1 M.
 */
export class FingerprintSet {
  private keys: Uint32Array;
  private mask: number;
  private limit: number;
  private count = 0;

  /** `initialCapacity` is rounded up to a power of two (at least 16). */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.keys = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.7);
  }

  /** Number of members. */
  get size(): number {
    return this.count;
  }

  /** Table slots (a power of two). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get byteLength(): number {
    return this.keys.byteLength;
  }

  /** Sink of `touch`'s loads, so that they are not optimised away. */
  private touched = 0;

  /**
   * Reads the first slot a fingerprint with second hash b would probe, and nothing else:
   * called for a batch of fingerprints before their `add`s, it brings their slots into cache
   * with the misses overlapping (see Cleaner.drain).
   */
  touch(b: number): void {
    this.touched ^= this.keys[2 * ((b >>> 0) & this.mask)]!;
  }

  /** True when (a, b) is a member. */
  has(a: number, b: number): boolean {
    a = a >>> 0 || 1;
    b = b >>> 0;
    const keys = this.keys, mask = this.mask;
    for (let i = b & mask; ; i = (i + 1) & mask) {
      const x = keys[2 * i]!;
      if (x === 0) return false;
      if (x === a && keys[2 * i + 1] === b) return true;
    }
  }

  /** Adds (a, b); returns true when it was new, false when it was already a member. */
  add(a: number, b: number): boolean {
    a = a >>> 0 || 1;
    b = b >>> 0;
    const keys = this.keys, mask = this.mask;
    let i = b & mask;
    for (;;) {
      const x = keys[2 * i]!;
      if (x === 0) break;
      if (x === a && keys[2 * i + 1] === b) return false;
      i = (i + 1) & mask;
    }
    keys[2 * i] = a;
    keys[2 * i + 1] = b;
    if (++this.count > this.limit) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.keys;
    const cap = (this.mask + 1) * 2;
    const keys = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const a = old[j]!;
      if (a === 0) continue;
      const b = old[j + 1]!;
      let i = b & mask;
      while (keys[2 * i] !== 0) i = (i + 1) & mask;
      keys[2 * i] = a;
      keys[2 * i + 1] = b;
    }
    this.keys = keys;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.7);
  }
}
