/**
 * Per customer, the size of the first purchase: the summed quantity of the orders (amount ≥ 0)
 * on the earliest purchase day seen, NaN when any of them has no quantity (NaN propagates
 * through the sum, so unknown stays unknown). An earlier day replaces it, the same day adds to
 * it, so any row order and any split of the stream give the same value. 16 bytes a customer.
 */
import { roundMoney } from '../money.js';

export class FirstOrderSize {
  /** 2 per customer: first purchase day (NaN: none yet), quantity on it. */
  private slots: Float64Array;

  constructor(customers = 1024) {
    this.slots = new Float64Array(2 * Math.max(16, customers)).fill(NaN);
  }

  /** An order (amount ≥ 0) of customer i on `day` with `quantity` (NaN: unknown). */
  add(i: number, day: number, quantity: number): void {
    if (2 * i >= this.slots.length) this.grow(i + 1);
    const s = this.slots, b = 2 * i;
    const d = s[b]!;
    if (!(d <= day)) {
      s[b] = day;
      s[b + 1] = roundMoney(quantity);
    } else if (d === day) s[b + 1] = roundMoney(s[b + 1]! + quantity);
  }

  /** Loads customer i's slot (the batch-touching stage of CustomerAccumulator.flush). */
  touch(i: number): number {
    return 2 * i < this.slots.length ? this.slots[2 * i + 1]! : 0;
  }

  /** Quantity on customer i's first purchase day (NaN: unknown or no purchase). */
  quantity(i: number): number {
    return 2 * i < this.slots.length ? this.slots[2 * i + 1]! : NaN;
  }

  /** Adds customer j of `other` to customer i. */
  mergeCustomer(i: number, other: FirstOrderSize, j: number): void {
    if (2 * j >= other.slots.length || Number.isNaN(other.slots[2 * j]!)) return;
    this.add(i, other.slots[2 * j]!, other.slots[2 * j + 1]!);
  }

  toState(customers: number): Float64Array {
    const out = new Float64Array(2 * customers).fill(NaN);
    out.set(this.slots.subarray(0, Math.min(out.length, this.slots.length)));
    return out;
  }

  static fromState(slots: Float64Array): FirstOrderSize {
    const f = new FirstOrderSize(slots.length / 2);
    f.slots.set(slots);
    return f;
  }

  private grow(need: number): void {
    let c = this.slots.length / 2;
    while (c < need) c *= 2;
    const s = new Float64Array(2 * c).fill(NaN);
    s.set(this.slots);
    this.slots = s;
  }
}
