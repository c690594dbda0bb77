/**
 * The upper fence for outlier order amounts (`clean --outliers`), by the modified z-score
 * of Iglewicz & Hoaglin (1993, "How to Detect and Handle Outliers", ASQC, §3.3) on
 * ln(amount):
 *
 *   z = 0.6745 · (ln a − median) / MAD,   outlier when z > 3.5,
 *
 * i.e. ln a > median + 3.5 · MAD / 0.6745. Computed on the log scale because order values
 * are right-skewed (roughly log-normal), where a symmetric rule fits; only the upper tail
 * is fenced, because small orders are ordinary business while huge ones (wholesale
 * buyers, test orders, a misplaced decimal) distort monetary scores and CLV. Amounts ≤ 0
 * are not in the log domain and are never outliers.
 *
 * Streaming: median and MAD come from a LogHistogram (bins of 0.001 in ln), not from the
 * sorted values: median = centre of the bin of the lower-median (⌈n/2⌉-th smallest)
 * amount; MAD = the median absolute distance in whole bins from that bin (log-histogram.ts);
 * both are exact for the binned data and within 0.0005 of the unbinned ones. The fence is
 * then snapped up to the next bin edge, so "outlier" means "bin ≥ edgeBin", the same test
 * for the fence pass and the cleaning pass: the count predicted by the histogram
 * (`expected`) equals the count flagged. When MAD = 0 (more than half the amounts in one
 * bin) the z-score is undefined and nothing is an outlier (threshold = Infinity).
 */
import { binCentre, binEdge, binOf, BIN_COUNT, LogHistogram } from './log-histogram.js';

/** Modified z-score cut-off (Iglewicz & Hoaglin 1993). */
export const OUTLIER_Z = 3.5;
/** 0.6745 = Φ⁻¹(0.75): makes MAD consistent with σ for normal data. */
export const MAD_CONSTANT = 0.6745;

/** A computed fence. */
export interface Fence {
  /** Positive amounts counted. */
  n: number;
  /** Median of ln(amount) (bin centre), 0 when n = 0. */
  median: number;
  /** MAD of ln(amount) (whole bins × 0.001). */
  mad: number;
  /** median + 3.5 · MAD / 0.6745 before snapping (Infinity when MAD = 0). */
  lnFence: number;
  /** First outlier bin: an amount is an outlier when binOf(amount) ≥ edgeBin. */
  edgeBin: number;
  /** Amount at the snapped fence, exp(edge of edgeBin); Infinity when there is no fence. */
  threshold: number;
  /** Amounts of the fence pass that are outliers (exact: counted from the histogram). */
  expected: number;
}

/** Accumulates positive order amounts (one pass), then computes the fence. */
export class OutlierFence {
  readonly histogram = new LogHistogram();

  /** Counts an order amount (amounts ≤ 0 ignored). */
  add(amount: number): void {
    this.histogram.add(amount);
  }

  /** The fence for the amounts added so far. */
  fence(): Fence {
    const h = this.histogram;
    const n = h.size;
    if (n === 0) return { n: 0, median: 0, mad: 0, lnFence: Infinity, edgeBin: BIN_COUNT, threshold: Infinity, expected: 0 };
    const r = Math.ceil(n / 2);
    const m = h.rankBin(r);
    const d = h.madBins(m, r);
    const median = binCentre(m);
    const mad = d / 1000;
    if (d === 0) return { n, median, mad: 0, lnFence: Infinity, edgeBin: BIN_COUNT, threshold: Infinity, expected: 0 };
    // In bin units: fence = m + 0.5 + 3.5·d/0.6745; snap up to a whole bin edge.
    const edgeBin = Math.min(BIN_COUNT, Math.ceil(m + 0.5 + (OUTLIER_Z * d) / MAD_CONSTANT));
    const lnFence = median + (OUTLIER_Z * mad) / MAD_CONSTANT;
    const threshold = edgeBin >= BIN_COUNT ? Infinity : Math.exp(binEdge(edgeBin));
    return { n, median, mad, lnFence, edgeBin, threshold, expected: h.countFrom(edgeBin) };
  }
}

/** True when a positive amount lies at or above the fence's edge bin. */
export function exceedsFence(fence: Fence, amount: number): boolean {
  return amount > 0 && fence.edgeBin < BIN_COUNT && binOf(amount) >= fence.edgeBin;
}
