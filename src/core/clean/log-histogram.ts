/**
 * A fixed-resolution histogram of ln(amount) for positive amounts: bins of width 0.001 in
 * ln space (0.1 % in amount) over ln ∈ [−14, 28) — amounts from 8.3 × 10⁻⁷ to 1.4 × 10¹²;
 * amounts outside are clamped into the first / last bin. 42,000 Float64 counters (336 KB),
 * whatever the number of amounts, and the result does not depend on the order of `add`s.
 */

/** Lower edge of bin 0, in ln units. */
export const LN_MIN = -14;
/** Upper edge of the last bin, in ln units. */
export const LN_MAX = 28;
/** Bins per ln unit (bin width 0.001). */
export const BINS_PER_UNIT = 1000;
/** Number of bins. */
export const BIN_COUNT = (LN_MAX - LN_MIN) * BINS_PER_UNIT;

/** Bin of a positive amount: ⌊(ln a − LN_MIN) · 1000⌋, clamped to [0, BIN_COUNT − 1]. */
export function binOf(amount: number): number {
  const i = Math.floor((Math.log(amount) - LN_MIN) * BINS_PER_UNIT);
  return i < 0 ? 0 : i >= BIN_COUNT ? BIN_COUNT - 1 : i;
}

/** ln value of the lower edge of bin i. */
export const binEdge = (i: number): number => LN_MIN + i / BINS_PER_UNIT;

/** ln value of the centre of bin i. */
export const binCentre = (i: number): number => LN_MIN + (i + 0.5) / BINS_PER_UNIT;

export class LogHistogram {
  readonly counts = new Float64Array(BIN_COUNT);
  private n = 0;

  /** Counts a positive finite amount; other values are ignored (returns false). */
  add(amount: number): boolean {
    if (!(amount > 0) || !Number.isFinite(amount)) return false;
    this.counts[binOf(amount)]!++;
    this.n++;
    return true;
  }

  /** Number of amounts counted. */
  get size(): number {
    return this.n;
  }

  /** Adds another histogram's counts into this one. */
  merge(other: LogHistogram): void {
    for (let i = 0; i < BIN_COUNT; i++) this.counts[i]! += other.counts[i]!;
    this.n += other.n;
  }

  /** Bin holding the r-th smallest amount (1-based r, 1 ≤ r ≤ size). */
  rankBin(r: number): number {
    let cum = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      cum += this.counts[i]!;
      if (cum >= r) return i;
    }
    return BIN_COUNT - 1;
  }

  /** Number of amounts in bins ≥ k. */
  countFrom(k: number): number {
    let s = 0;
    for (let i = Math.max(0, k); i < BIN_COUNT; i++) s += this.counts[i]!;
    return s;
  }

  /**
   * Median absolute deviation around bin m, in bins: the smallest d such that at least
   * r amounts lie in bins m − d … m + d (r = ⌈n/2⌉, the lower-median rank). Every amount
   * stands for its bin centre, so deviations are whole numbers of bins.
   */
  madBins(m: number, r: number): number {
    let cum = this.counts[m]!;
    for (let d = 0; ; d++) {
      if (d > 0) cum += (m - d >= 0 ? this.counts[m - d]! : 0) + (m + d < BIN_COUNT ? this.counts[m + d]! : 0);
      if (cum >= r) return d;
      if (m - d < 0 && m + d >= BIN_COUNT) return d;
    }
  }
}
