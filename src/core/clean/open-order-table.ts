/**
 * The fold window's index: open orders by their (customer, order) fingerprint, in an
 * open-addressing table (linear probing, backward-shift deletion) sized for the window,
 * so looking up a line's order allocates nothing (no joined key string, no Map entry).
 * A fingerprint match is confirmed by comparing the customer and order id strings, so two
 * different orders are never folded together even if their fingerprints collide.
 */
import type { OpenOrder } from './open-order.js';

export class OpenOrderTable {
  private readonly keys: Uint32Array; // [a, b] per slot; a = 0 marks an empty slot
  private readonly vals: (OpenOrder | undefined)[];
  private readonly mask: number;
  private count = 0;

  /** A table for up to `maxOpen` orders (load factor ≤ 0.5). */
  constructor(readonly maxOpen: number) {
    let cap = 16;
    while (cap < maxOpen * 2 + 2) cap *= 2;
    this.keys = new Uint32Array(cap * 2);
    this.vals = new Array<OpenOrder | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Reads the home slot (key and value) of an order with second fingerprint b and nothing
   * else; returns something derived from them for the caller to keep. Cleaner.warmEvictions
   * calls it for the orders about to be deleted, so that their slots are in cache by then.
   */
  touch(b: number): number {
    const i = (b >>> 0) & this.mask;
    return this.keys[2 * i]! ^ (this.vals[i] === undefined ? 1 : 0);
  }

  /** The open order (customerId, orderId) with fingerprint (a, b), or undefined. */
  get(a: number, b: number, customerId: string, orderId: string): OpenOrder | undefined {
    a = a >>> 0 || 1;
    b = b >>> 0;
    const keys = this.keys, mask = this.mask;
    for (let i = b & mask; ; i = (i + 1) & mask) {
      const x = keys[2 * i]!;
      if (x === 0) return undefined;
      if (x === a && keys[2 * i + 1] === b) {
        const o = this.vals[i]!;
        if (o.customerId === customerId && o.orderId === orderId) return o;
      }
    }
  }

  /** Adds an order (not already present) under its fingerprint (order.fpA, order.fpB). */
  set(order: OpenOrder): void {
    if (this.count >= this.maxOpen + 1) throw new Error('OpenOrderTable full');
    const a = order.fpA >>> 0 || 1;
    const b = order.fpB >>> 0;
    const keys = this.keys, mask = this.mask;
    let i = b & mask;
    while (keys[2 * i] !== 0) i = (i + 1) & mask;
    keys[2 * i] = a;
    keys[2 * i + 1] = b;
    this.vals[i] = order;
    this.count++;
  }

  /** Removes this order object. */
  delete(order: OpenOrder): void {
    const keys = this.keys, mask = this.mask, vals = this.vals;
    let i = (order.fpB >>> 0) & mask;
    while (vals[i] !== order) {
      if (keys[2 * i] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R).
    let j = i;
    for (;;) {
      keys[2 * i] = 0;
      vals[i] = undefined;
      for (;;) {
        j = (j + 1) & mask;
        if (keys[2 * j] === 0) { this.count--; return; }
        const home = keys[2 * j + 1]! & mask;
        // Move j to i when its home slot is not cyclically within (i, j].
        if (i <= j ? home <= i || home > j : home <= i && home > j) break;
      }
      keys[2 * i] = keys[2 * j]!;
      keys[2 * i + 1] = keys[2 * j + 1]!;
      vals[i] = vals[j];
      i = j;
    }
  }
}
