/** run's step 5: the audit (every input row accounted for) and the reports built from the customer table. */
import { join } from 'node:path';
import type { CleanRun } from './clean-stage.js';
import type { IngestCounts } from './fused-result.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { Changes, ReportModel } from '../core/report/report-model.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { hasDrivers } from '../core/drivers/key-indicators.js';
import { formatDay } from '../core/time/day.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { comparisonForReport, type BacktestRun } from './backtest-stage.js';
import type { Retention } from './cohort-stage.js';
import { countsLine, foldedLine, rejectRate } from './ingest-summary.js';
import type { Messages } from '../io/messages.js';
import { makeReport, renderReport } from './report-stage.js';
import type { RunOptions, RunReportOptions } from './run-options.js';
import { valueBasisOf, type ScoreMeta, type ScoreOptions } from './score-stage.js';

/** The notes of the fused ingest → clean step: the rows read and rejected, then what cleaning did. */
export function noteIngestAndClean(msgs: Messages, ing: IngestCounts, clean: CleanRun, mbPerS: string): void {
  msgs.note(`run: ${ing.rowsRead} rows read, ${ing.rowsOut} ingested, rejected: ${countsLine(ing.rejected)}; ${mbPerS} MB/s`);
  if (ing.folded && ing.folded.ids > 0) msgs.note(`run: ${foldedLine(ing.folded)}`);
  msgs.note(`run: clean: ${clean.summaryLine}`);
  for (const n of clean.notes) msgs.note(`run: clean: ${n}`);
  for (const w of clean.warnings) msgs.warn(`run: clean: ${w}`);
}

/** audit.json: rows in = rows out + rejected (ingest), then clean's audit, then the customers segmented. */
export function runAudit(version: string, runId: string, ing: IngestCounts, clean: CleanRun, seg: { asOf: number; customers: number; refundOnly: number }) {
  return {
    custkit: version,
    run_id: runId,
    inputs: ing.files,
    ingest: {
      rows_read: ing.rowsRead,
      rows_out: ing.rowsOut,
      rejected: ing.rejected,
      reject_rate: rejectRate(ing),
      // Only under --fold-ids: the ids folding merged into their folded form.
      ...(ing.folded && ing.folded.ids > 0 ? { fold_ids: { ids_changed: ing.folded.ids, rows: ing.folded.rows } } : {}),
    },
    clean: clean.audit,
    segment: { as_of: formatDay(seg.asOf), customers: seg.customers, refund_only_customers: seg.refundOnly },
  };
}

/** The report model of run's customer table, with the run id in its metadata. */
export function runReportModel(
  table: CustomerTable,
  o: RunOptions,
  r: { version: string; runId: string; asOf: number; audit: ReturnType<typeof runAudit>; previous: CustomerTable | undefined; changes?: Changes; seg: SegmentResult; meta: ScoreMeta | null; scoreOpts: ScoreOptions; bt: BacktestRun | null; retention: Retention | null },
): ReportModel {
  const { meta } = r;
  const model = makeReport(table, {
    lang: o.report.lang,
    top: o.report.top,
    asOf: formatDay(r.asOf),
    audit: r.audit,
    previous: r.previous,
    changes: r.changes,
    generatedBy: r.version,
    pii: o.pii,
    segmentInfo: { silhouette: r.seg.info.kmeans?.silhouette ?? null },
    fit: meta ? { model: meta.model, reliable: meta.reliability.reliable, reasons: meta.reliability.reasons, basis: valueBasisOf(meta, r.scoreOpts) } : undefined,
    by: o.report.by,
    byTop: o.report.byTop,
    modelComparison: r.bt ? comparisonForReport(r.bt.result) : undefined,
    cohorts: r.retention?.cohorts,
    // Key indicators only when there is enough data to rank one (docs/definitions.md, "Key indicators").
    drivers: r.retention?.drivers && hasDrivers(r.retention.drivers) ? r.retention.drivers : undefined,
  });
  model.meta.run_id = r.runId;
  return model;
}

/** report.html/.md/.json (--format) and report.csv (--format csv or --excel). */
export function writeReportFiles(outDir: string, o: RunReportOptions, model: ReportModel): void {
  for (const fmt of o.formats) {
    if (fmt !== 'csv') writeFileAtomic(join(outDir, `report.${fmt}`), renderReport(model, fmt, { color: false, excel: false }));
  }
  if (o.excel || o.formats.includes('csv')) writeFileAtomic(join(outDir, 'report.csv'), renderReport(model, 'csv', { color: false, excel: o.excel }));
}
