/**
 * Customer id → dense index (0, 1, 2, … in first-seen order), for the accumulator.
 *
 * Not a `Map<string, number>`, which cost a large `run` much of its time (docs/performance.md):
 * each lookup chased the bucket, the entry and the stored key string through memory. Here
 * one lookup touches one 16-byte slot of an open-addressing table (linear probing, slot
 * `b & mask`, doubled past load 0.7) holding a 96-bit fingerprint of the id and its index.
 *
 * The id is not compared as text: two ids are taken as the same customer when all 96 bits
 * agree. Three 32-bit hashes over the UTF-16 code units and the length (FNV-1a; a MurmurHash3
 * x86_32 round; a multiply-xorshift round, each with its own seed, each finished with
 * MurmurHash3's fmix32). Treating the 96 bits as uniform, the chance that any two of n
 * distinct ids collide is ≈ n² / 2⁹⁷: 6 × 10⁻¹⁶ for 10M customers, far below the rate of
 * undetected memory errors.
 */
import { fmix32 } from '../clean/fingerprint-hash.js';

export class CustomerIdIndex {
  /** [a, b, c, index + 1] per slot; index + 1 = 0 marks an empty slot. */
  private keys: Int32Array;
  private mask: number;
  private limit: number;
  /** Ids by index (the first spelling seen). */
  readonly ids: string[] = [];

  /** `initialCapacity` is rounded up to a power of two (at least 16). */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.keys = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.7);
  }

  /** Number of distinct ids. */
  get size(): number {
    return this.ids.length;
  }

  /** Bytes held by the table (the id strings not included). */
  get byteLength(): number {
    return this.keys.byteLength;
  }

  /** The index of `id`, added (as the next index) when new. */
  indexOf(id: string): number {
    this.hash(id);
    return this.indexOfHashed(id, this.ha, this.hb, this.hc);
  }

  /** The three hashes of the last `hash` call. */
  ha = 0;
  hb = 0;
  hc = 0;

  /** Sets `ha`, `hb`, `hc` to the id's 96-bit fingerprint (see the module comment). */
  hash(id: string): void {
    const len = id.length;
    let ha = 0x811c9dc5 | 0, hb = 0x9747b28c | 0, hc = 0x3c6ef372 | 0;
    for (let i = 0; i < len; i++) {
      const k = id.charCodeAt(i);
      ha = Math.imul(ha ^ k, 16777619);
      let x = Math.imul(k, 0xcc9e2d51);
      x = (x << 15) | (x >>> 17);
      hb ^= Math.imul(x, 0x1b873593);
      hb = (hb << 13) | (hb >>> 19);
      hb = (Math.imul(hb, 5) + 0xe6546b64) | 0;
      hc = Math.imul(hc ^ k, 0x27d4eb2d);
      hc ^= hc >>> 15;
    }
    this.ha = fmix32(ha ^ len) | 0;
    this.hb = fmix32(hb ^ len) | 0;
    this.hc = fmix32(hc ^ len) | 0;
  }

  /**
   * Reads the first slot that each of `n` fingerprints probes (`h` holds a, b, c per id) and
   * nothing else; returns the XOR of what it read, for the caller to keep so that the loads are
   * not optimised away. Done for a batch of ids before their lookups, it brings their slots into
   * cache with the misses overlapping (see CustomerAccumulator.flush).
   */
  touchAll(h: Int32Array, n: number): number {
    const keys = this.keys, mask = this.mask;
    let sink = 0;
    for (let k = 0; k < n; k++) sink ^= keys[4 * (h[3 * k + 1]! & mask) + 3]!;
    return sink;
  }

  /** `indexOf` for an id whose fingerprint (`hash`) is a, b, c. */
  indexOfHashed(id: string, a: number, b: number, c: number): number {
    const keys = this.keys, mask = this.mask;
    let s = b & mask;
    for (;;) {
      const v = keys[4 * s + 3]!;
      if (v === 0) break;
      if (keys[4 * s] === a && keys[4 * s + 1] === b && keys[4 * s + 2] === c) return v - 1;
      s = (s + 1) & mask;
    }
    const index = this.ids.length;
    this.ids.push(id);
    keys[4 * s] = a;
    keys[4 * s + 1] = b;
    keys[4 * s + 2] = c;
    keys[4 * s + 3] = index + 1;
    if (this.ids.length > this.limit) this.grow();
    return index;
  }

  private grow(): void {
    const old = this.keys;
    const cap = (this.mask + 1) * 2;
    const keys = new Int32Array(cap * 4);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 3] === 0) continue;
      let s = old[j + 1]! & mask;
      while (keys[4 * s + 3] !== 0) s = (s + 1) & mask;
      keys[4 * s] = old[j]!;
      keys[4 * s + 1] = old[j + 1]!;
      keys[4 * s + 2] = old[j + 2]!;
      keys[4 * s + 3] = old[j + 3]!;
    }
    this.keys = keys;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.7);
  }
}
