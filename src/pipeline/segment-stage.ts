/**
 * The segment stage: customer summaries → classification columns (ABC, pyramid, RFM scores
 * and segments, k-means clusters, sleeping states), plus the summary printed on stderr (the
 * table itself: customer-table-writer.ts). Shared by `segment`, `run` and `score --holdout`.
 */
import { usageError } from '../errors.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { addClusters, CLASSIFICATIONS, classifyCustomers, type Classification, type SegmentOptions, type SegmentResult } from '../core/segment/classify.js';
import { clusterFeatures, standardizedFeatures, type ClusterFit, type ClusterFitOptions } from '../core/segment/customer-clusters.js';
import { sleepStates, type SleepOptions } from '../core/segment/sleep-states.js';

export function segmentSummaries(summaries: CustomerSummary[], opts: SegmentOptions): SegmentResult {
  try {
    return classifyCustomers(summaries, opts);
  } catch (e) {
    if (e instanceof RangeError) throw usageError(`segment: ${e.message}`);
    throw e;
  }
}

/** Fits k-means elsewhere (fitClusters on another thread): the standardized features n × d, moved there. */
export type ClusterFitter = (job: { data: Float64Array; n: number; d: number; opts: ClusterFitOptions }) => Promise<{ fit: ClusterFit; ms: number }>;

/**
 * {@link segmentSummaries} with the k-means fit made by `fitter` (run's k-means thread) while the
 * other classifications are made here: the same result (addClusters). `fitMs` is the fit's own
 * time, `waitMs` how long this thread then waited for it.
 */
export async function segmentSummariesFittedElsewhere(summaries: CustomerSummary[], opts: SegmentOptions, fitter: ClusterFitter): Promise<{ seg: SegmentResult; fitMs: number; waitMs: number }> {
  const only = new Set<Classification>(opts.only ?? CLASSIFICATIONS);
  if (!only.has('kmeans')) return { seg: segmentSummaries(summaries, opts), fitMs: 0, waitMs: 0 };
  const k = opts.kmeans ?? {};
  const features = clusterFeatures(k);
  const data = standardizedFeatures(summaries, features);
  const pending = fitter({ data, n: summaries.length, d: features.length, opts: { k: k.k, seed: k.seed, maxIterations: k.maxIterations } });
  pending.catch(() => {}); // awaited below; never unhandled if classifying here throws first
  only.delete('kmeans');
  const seg = segmentSummaries(summaries, { ...opts, only });
  const t = performance.now();
  const { fit, ms } = await pending;
  const waitMs = performance.now() - t;
  addClusters(seg, summaries, fit, k);
  return { seg, fitMs: ms, waitMs };
}

const fmtCounts = (c: [string, number][] | undefined): string => (c ? c.filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') : '');

/** The stderr summary of a segment run. */
export function segmentSummaryLines(summaries: CustomerSummary[], seg: SegmentResult): string[] {
  const L: string[] = [];
  let revenue = 0;
  for (const s of summaries) revenue += s.revenue;
  if (seg.amountless) {
    L.push(`segment: ${summaries.length} customers; transactions without amounts: revenue, average values, M score and value at risk are absent, ABC and the pyramid rank orders, RFM segments read FM as F, k-means (ordered and labelled by spend) is skipped`);
  } else L.push(`segment: ${summaries.length} customers, revenue ${revenue.toFixed(2)}`);
  const c = seg.info.counts;
  if (c.abc) L.push(`segment: ABC ${fmtCounts(c.abc)}`);
  if (c.pyramid) L.push(`segment: pyramid ${fmtCounts(c.pyramid)}`);
  // No customers → no thresholds to show (the quantile lists are empty).
  if (seg.info.rfmThresholds && summaries.length > 0) {
    const t: Record<string, { lower: number[]; upper: number[] }> = seg.info.rfmThresholds;
    const show = (k: string): string => (t[k] ? `[${t[k]!.lower.map((x) => +x.toFixed(2)).join(', ')} | ${+t[k]!.upper[t[k]!.upper.length - 1]!.toFixed(2)})` : '');
    L.push(`segment: RFM bin lower edges (type-7 quantiles; bins [lower, upper)): recency days ${show('recency')}, orders ${show('frequency')}${seg.amountless ? '' : `, revenue ${show('monetary')}`}`);
  }
  if (seg.info.zh8Centers) {
    const z = seg.info.zh8Centers;
    L.push(`segment: zh8 split at days_since_last ${+z.daysSinceLast.toFixed(2)}, orders ${+z.orders.toFixed(2)}, revenue ${+z.revenue.toFixed(2)}`);
  }
  if (c.rfm) L.push(`segment: RFM segments ${fmtCounts(c.rfm)}`);
  const km = seg.info.kmeans;
  if (km) {
    if (km.curve) L.push(`segment: k-means auto k by silhouette: ${km.curve.map((p) => `k=${p.k} ${p.silhouette.toFixed(3)}`).join(', ')}`);
    L.push(`segment: k-means k=${km.k}, inertia ${km.inertia.toFixed(2)}, silhouette ${km.silhouette.toFixed(3)}; ${km.profiles.map((p) => `${p.cluster}: ${p.size} (${p.label})`).join('; ')}`);
  }
  const sl = seg.info.sleep;
  if (sl) {
    L.push(`segment: sleeping (${sl.rule} rule${sl.rule === 'cycle' ? `, population interval ${+sl.populationInterval.toFixed(1)} d, one-time buyers ${+sl.oneTimeInterval.toFixed(1)} d` : ''}): ${fmtCounts(c.sleep)}`);
  }
  return L;
}

/** "Will not buy again" flags of the sleeping rule (deep-sleep or lost), for backtests. */
export function sleepFlags(summaries: CustomerSummary[], opts: SleepOptions): { rule: string; flags: boolean[] } {
  const s = sleepStates(summaries, opts);
  return { rule: `sleeping rule (${s.rule}): deep-sleep or lost`, flags: s.state.map((x) => x === 'deep-sleep' || x === 'lost') };
}
