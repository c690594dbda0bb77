/**
 * Insertion-ordered index of distinct float64 keys: `id(v)` gives each distinct key a dense index
 * 0, 1, 2, … in first-seen order, like a `Map<number, number>` filled with `map.set(v, map.size)`
 * but without boxing doubles. Key equality is SameValueZero, as in Map: +0 and −0 are one key
 * and NaN equals NaN; `keys()` holds the first-seen spelling of each key (so −0 stays −0 if it
 * came first). Open addressing with linear probing over a power-of-two table of index + 1
 * (0 = empty), kept at load ≤ 1/2; the hash mixes both 32-bit halves of the IEEE-754 bits, or
 * an int32 key's value itself (multiply, then MurmurHash3's fmix32 finalizer).
 */

const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);
// Little-endian hosts keep the low mantissa word first; either order only changes the hash.

/** Hash of a non-NaN double; +0 and −0 hash alike. Int32 values skip the IEEE-bits round trip. */
function hashOf(v: number): number {
  let h: number;
  if ((v | 0) === v) h = Math.imul(v, 0xcc9e2d51);
  else {
    bits[0] = v;
    h = Math.imul(halves[0]!, 0xcc9e2d51) ^ halves[1]!;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class FloatKeyIndex {
  /** Distinct keys in first-seen order; entries past `size` are spare capacity. */
  private vals: Float64Array;
  /** Open-addressing table: slot → key index + 1, 0 for an empty slot. */
  private table: Int32Array;
  private mask: number;
  /** Index of NaN, or −1; NaN is kept out of the table (it is never === itself). */
  private nanId = -1;
  /** Number of distinct keys. */
  size = 0;

  /** `expected` is a sizing hint for the number of distinct keys (grows as needed). */
  constructor(expected = 16) {
    let cap = 16;
    while (cap < 2 * expected && cap < 1 << 30) cap *= 2;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    this.vals = new Float64Array(Math.max(8, Math.min(expected, cap >>> 1)));
  }

  /** Index of `v`, adding it as the next index if it is new. */
  id(v: number): number {
    if (v !== v) return this.nanId >= 0 ? this.nanId : (this.nanId = this.push(v));
    const table = this.table;
    const mask = this.mask;
    let s = hashOf(v) & mask;
    for (;;) {
      const e = table[s]!;
      if (e === 0) break;
      if (this.vals[e - 1] === v) return e - 1;
      s = (s + 1) & mask;
    }
    const i = this.push(v);
    table[s] = i + 1;
    if (this.size * 2 > table.length) this.rehash(table.length * 2);
    return i;
  }

  /** Index of `v`, or −1 if absent. */
  get(v: number): number {
    if (v !== v) return this.nanId;
    const table = this.table;
    const mask = this.mask;
    let s = hashOf(v) & mask;
    for (;;) {
      const e = table[s]!;
      if (e === 0) return -1;
      if (this.vals[e - 1] === v) return e - 1;
      s = (s + 1) & mask;
    }
  }

  /** The distinct keys in first-seen order (a fresh array of length `size`). */
  keys(): Float64Array {
    return this.vals.slice(0, this.size);
  }

  private push(v: number): number {
    if (this.size === this.vals.length) {
      const grown = new Float64Array(this.vals.length * 2);
      grown.set(this.vals);
      this.vals = grown;
    }
    this.vals[this.size] = v;
    return this.size++;
  }

  private rehash(cap: number): void {
    const table = new Int32Array(cap);
    const mask = cap - 1;
    const vals = this.vals;
    for (let i = 0; i < this.size; i++) {
      const v = vals[i]!;
      if (v !== v) continue;
      let s = hashOf(v) & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = i + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
