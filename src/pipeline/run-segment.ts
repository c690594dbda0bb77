/**
 * run's step 2, segmenting: here, or with k-means fitted on a thread of its own while scoring
 * has another (parallel/kmeans-thread.ts); then the segment and retention lines on stderr.
 */
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { SegmentOptions, SegmentResult } from '../core/segment/classify.js';
import { formatDay } from '../core/time/day.js';
import { aliveDrivers, retentionSummaryLines, type Retention } from './cohort-stage.js';
import { peakRssMb } from './peak-rss.js';
import { segmentSummaries, segmentSummariesFittedElsewhere, segmentSummaryLines, type ClusterFitter } from './segment-stage.js';
import type { StageContext } from './stage-context.js';

/** Classifies the summaries; `fitClusters` set: k-means is fitted elsewhere. */
export async function runSegment(ctx: StageContext, summaries: CustomerSummary[], segOpts: SegmentOptions, fitClusters: ClusterFitter | null, asOf: number, retention: Retention | null): Promise<SegmentResult> {
  const msgs = ctx.msgs;
  const t1 = performance.now();
  let seg: SegmentResult;
  if (fitClusters) {
    const s = await segmentSummariesFittedElsewhere(summaries, segOpts, fitClusters);
    seg = s.seg;
    ctx.stats.kmeansMs = Math.round(s.fitMs);
    ctx.stats.kmeansWaitMs = Math.round(s.waitMs);
  } else seg = segmentSummaries(summaries, segOpts);
  ctx.stats.segmentMs = Math.round(performance.now() - t1);
  ctx.stats.segmentPeakRssMb = peakRssMb();
  msgs.note(`run: as of ${formatDay(asOf)} (inclusive) · ${summaries.length} customers`);
  for (const l of segmentSummaryLines(summaries, seg)) msgs.note(l.replace(/^segment:/, 'run: segment:'));
  aliveDrivers(retention, summaries, seg, asOf);
  if (retention) for (const l of retentionSummaryLines(retention, 'run')) msgs.note(l);
  return seg;
}
