/**
 * The segment stage: customer summaries → classification columns (ABC, pyramid, RFM scores
 * and segments, k-means clusters, sleeping states) and the customer-table lines, plus the
 * summary printed on stderr. Shared by `segment`, `run` and `score --holdout`.
 */
import { usageError } from '../errors.js';
import { SUMMARY_COLUMNS, summaryToCells, type CustomerSummary } from '../core/aggregate/customer-summary.js';
import { addClusters, CLASSIFICATIONS, classifyCustomers, segmentCells as classCells, type Classification, type SegmentOptions, type SegmentResult } from '../core/segment/classify.js';
import { clusterFeatures, standardizedFeatures, type ClusterFit, type ClusterFitOptions } from '../core/segment/customer-clusters.js';
import { rfmScore } from '../core/segment/rfm-scores.js';
import { sleepStates, type SleepOptions } from '../core/segment/sleep-states.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import { csvLine, quoteCell } from '../io/csv-format.js';
import type { CsvRecordBytes } from '../io/csv-record-bytes.js';
import { writeSummaryCells } from './summary-cells.js';

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

/** The customer table's columns: summary, classifications, then the kept attributes (named as kept). */
export function segmentHeader(seg: SegmentResult, attrs?: AttributeCells | null): string[] {
  return [...SUMMARY_COLUMNS, ...seg.columns, ...(attrs ? attrs.specs.map((s) => s.name) : [])];
}

/** Summary + classification (+ attribute) cells of customer i. */
export function segmentCells(summaries: CustomerSummary[], seg: SegmentResult, i: number, attrs?: AttributeCells | null): string[] {
  const cells = summaryToCells(summaries[i]!);
  for (const c of classCells(seg, i)) cells.push(c);
  if (attrs) for (let k = 0; k < attrs.specs.length; k++) cells.push(attrs.text(k, i));
  return cells;
}

/**
 * The attribute cells of customer i, exact (quoted as csvLine quotes, never spreadsheet-guarded,
 * so that `run`'s table and `segment`'s carry the same bytes: the customer table is data).
 */
export function writeAttributeCells(attrs: AttributeCells | null | undefined, i: number, rec: CsvRecordBytes): void {
  if (!attrs) return;
  for (let k = 0; k < attrs.specs.length; k++) rec.raw(quoteCell(attrs.text(k, i)));
}

/**
 * Writes {@link segmentCells}(i) into a people-facing CSV record as bytes (the same bytes
 * safeCsvLine gives those cells): summaryToCells and the classification cells of classify.ts,
 * column for column, without a string per cell. Tested against the cells on every option set.
 */
export function writeSegmentCells(summaries: readonly CustomerSummary[], seg: SegmentResult, i: number, rec: CsvRecordBytes): void {
  const x = summaries[i]!;
  rec.id(x.customerId);
  writeSummaryCells(x, rec);
  writeClassCells(seg, i, rec);
}

/** The classification cells of customer i (abc_class … sleep_reason), as {@link writeSegmentCells} writes them. */
export function writeClassCells(seg: SegmentResult, i: number, rec: CsvRecordBytes): void {
  const r = seg.rfm, c = seg.clusters, s = seg.sleep;
  rec.label(seg.abcClass?.[i] ?? '');
  rec.label(seg.valueTier?.[i] ?? '');
  if (r) {
    rec.int(r.r[i]!);
    rec.int(r.f[i]!);
    if (seg.amountless) {
      rec.empty();
      rec.empty();
    } else {
      rec.int(r.m[i]!);
      rec.int(rfmScore(r.r[i]!, r.f[i]!, r.m[i]!));
    }
  } else for (let k = 0; k < 4; k++) rec.empty();
  rec.label(seg.rfmSegment?.[i] ?? '');
  if (seg.rfmSegmentEn) rec.label(seg.rfmSegmentEn[i]!);
  if (c) {
    rec.int(c.cluster[i]!);
    rec.label(c.profiles[c.cluster[i]! - 1]!.label);
  } else {
    rec.empty();
    rec.empty();
  }
  if (s) {
    rec.label(s.state[i]!);
    if (Number.isNaN(s.overdueFactor[i]!)) rec.empty();
    else rec.rounded(s.overdueFactor[i]!, 6);
    rec.text(s.reasonAt(i));
  } else for (let k = 0; k < 3; k++) rec.empty();
}

/** The customer table as CSV lines (header first). */
export function* segmentTableLines(summaries: CustomerSummary[], seg: SegmentResult, attrs?: AttributeCells | null): Generator<string> {
  yield csvLine(segmentHeader(seg, attrs));
  for (let i = 0; i < summaries.length; i++) yield csvLine(segmentCells(summaries, seg, i, attrs));
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
