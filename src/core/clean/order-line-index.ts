/**
 * Everything the cleaner remembers about past orders, in one open-addressing table keyed
 * by the 64-bit (customer, order) fingerprint: which orders were ever opened (so a line of
 * an already emitted order is a late re-opening) and which lines were kept (so an exact
 * repeat is a duplicate).
 *
 * Why one table: on ten million orders the cleaner's time went to cache misses, one per
 * lookup in each of three tables of 128 MB (distinct lines, closed orders looked up when an
 * order opens, closed orders added when it is emitted). Most orders have one line, so the
 * slot of the order also holds the hash of its first kept line: one miss per line instead
 * of three (docs/performance.md).
 *
 * - Slot: three 32-bit words `[a, b, w]` of the order fingerprint (a, b) and
 *   `w = opened bit (2³¹) | low 31 bits of the first kept line's hash`. An empty slot has
 *   a = 0; an order whose `a` is 0 is stored with a = 1. Linear probing from slot
 *   ⌊b · capacity / 2³²⌋ (Lemire's multiply-shift range reduction, so the capacity need not be
 *   a power of two), doubled past load 0.7: ≤ 12 / 0.35 ≈ 34 bytes per order just after a
 *   doubling. `reserve` sizes it for an expected count exactly: 12 / 0.7 ≈ 17 bytes per order
 *   (11M expected orders: 180 MiB). Rounding that up to a power of two would cost up to twice
 *   as much.
 * - Later kept lines of the same order go to a FingerprintSet of full 64-bit line
 *   fingerprints (`more`), which stays small when orders have few lines.
 * - False duplicates: a line is taken for a repeat of its order's first line when the
 *   31-bit hashes agree, chance 2⁻³¹ per pair of distinct lines *of the same order* (the
 *   order fingerprint already matched); for later lines, the 64-bit bound of
 *   fingerprint-set.ts.
 */
import { FingerprintSet } from './fingerprint-set.js';

const OPENED = 0x8000_0000;
const HASH = 0x7fff_ffff;
/** Largest load before the table doubles. */
const LOAD = 0.7;
/** Most slots (3 words each: a 12 GiB table), well past what fits in memory here. */
const MAX_SLOTS = 2 ** 30;

/**
 * The home slot of fingerprint word b in a table of `cap` slots: ⌊b · cap / 2³²⌋. Above 2⁵³ the
 * product is rounded, by at most cap · 2⁻²¹, which moves no slot past cap − 1 (b · cap ≤
 * cap · 2³² − cap) and is the same on every call.
 */
const home = (b: number, cap: number): number => Math.floor(((b >>> 0) * cap) / 4294967296);

export class OrderLineIndex {
  private keys: Uint32Array;
  /** Slots (any count ≥ 16). */
  private cap: number;
  private limit: number;
  private count = 0;
  private readonly more = new FingerprintSet(1 << 10);
  /** Slot of the order given to the last `addLine` (valid until the next `addLine`). */
  private slot = 0;

  /** `initialCapacity` is rounded up to a power of two (at least 16). */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.keys = new Uint32Array(cap * 3);
    this.cap = cap;
    this.limit = Math.floor(cap * LOAD);
  }

  /** Sink of `touch`'s loads, so that they are not optimised away. */
  private touched = 0;

  /**
   * Reads the first slot an order with fingerprint b would probe, and nothing else: called for
   * a batch of lines before their `addLine`s, it brings their slots into cache with the
   * misses overlapping (see Cleaner.drain).
   */
  touch(ob: number): void {
    this.touched ^= this.keys[3 * home(ob, this.cap)]!;
  }

  /** Orders seen (opened or not). */
  get orders(): number {
    return this.count;
  }

  /** Bytes held by the order table and the later-lines set. */
  get byteLength(): number {
    return this.keys.byteLength + this.more.byteLength;
  }

  /**
   * Records a line of order (oa, ob) whose line fingerprint is (la, lb); returns false when
   * the line was recorded before (a duplicate), true when it is new. Remembers the order's
   * slot for `open`.
   */
  addLine(oa: number, ob: number, la: number, lb: number): boolean {
    oa = oa >>> 0 || 1;
    ob = ob >>> 0;
    const h = la & HASH;
    const keys = this.keys, cap = this.cap;
    let i = home(ob, cap);
    for (;;) {
      const x = keys[3 * i]!;
      if (x === 0) break;
      if (x === oa && keys[3 * i + 1] === ob) {
        this.slot = i;
        if ((keys[3 * i + 2]! & HASH) === h) return false;
        return this.more.add(la, lb);
      }
      if (++i === cap) i = 0;
    }
    keys[3 * i] = oa;
    keys[3 * i + 1] = ob;
    keys[3 * i + 2] = h;
    this.slot = i;
    if (++this.count > this.limit) this.grow(oa, ob);
    return true;
  }

  /**
   * Marks the order of the last `addLine` as opened; returns true when it had been opened
   * before (the cleaner asks only for orders not open now, so: opened and since emitted).
   */
  open(): boolean {
    const w = 3 * this.slot + 2;
    const was = (this.keys[w]! & OPENED) !== 0;
    this.keys[w] = (this.keys[w]! | OPENED) >>> 0;
    return was;
  }

  /**
   * Sizes the table for `orders` orders (load ≤ 0.7) now, so that it is not doubled and rehashed
   * on the way there: each doubling rehashes every order so far into freshly allocated memory,
   * a cost that grows with the orders. Never shrinks; contents and answers are unchanged.
   */
  reserve(orders: number): void {
    const cap = Math.min(Math.ceil(orders / LOAD) + 1, MAX_SLOTS);
    if (cap > this.cap) this.rehash(cap, this.keys[3 * this.slot]!, this.keys[3 * this.slot + 1]!);
  }

  /** Slots in the table (for tests). */
  get capacity(): number {
    return this.cap;
  }

  /** Doubles the table; keeps `slot` pointing at the order (oa, ob). */
  private grow(oa: number, ob: number): void {
    this.rehash(Math.min(this.cap * 2, MAX_SLOTS), oa, ob);
  }

  /** Moves every order into a table of `cap` slots; keeps `slot` pointing at the order (oa, ob). */
  private rehash(cap: number, oa: number, ob: number): void {
    const old = this.keys;
    if (cap <= this.cap) throw new RangeError(`OrderLineIndex: more than ${Math.floor(this.cap * LOAD)} orders`);
    const keys = new Uint32Array(cap * 3);
    for (let j = 0; j < old.length; j += 3) {
      const a = old[j]!;
      if (a === 0) continue;
      const b = old[j + 1]!;
      let i = home(b, cap);
      while (keys[3 * i] !== 0) if (++i === cap) i = 0;
      keys[3 * i] = a;
      keys[3 * i + 1] = b;
      keys[3 * i + 2] = old[j + 2]!;
      if (a === oa && b === ob) this.slot = i;
    }
    this.keys = keys;
    this.cap = cap;
    this.limit = Math.floor(cap * LOAD);
  }
}
