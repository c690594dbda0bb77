/**
 * run's steps 4–5, after the scores: the customer table (with the workbook streamed from it on
 * its own thread), the action list, Parquet, the audit, the reports, then run.json and the
 * switch (run-seal.ts). Returns the report model, which --fail-if reads.
 */
import { join } from 'node:path';
import type { StageContext } from './stage-context.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { ReportModel } from '../core/report/report-model.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { formatDay } from '../core/time/day.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { FileDigest } from '../io/file-digest.js';
import { writeParquetFromCsv } from '../io/parquet.js';
import { customerParquetType } from './customer-columns.js';
import { workbookRest } from './customer-workbook.js';
import { startWorkbook } from './pending-workbook.js';
import type { ThreadCells } from './pending-score.js';
import { peakRssMb } from './peak-rss.js';
import { reportTable } from './report-table.js';
import { writeActions, writePseudonymMap } from './run-actions.js';
import { loadPrevious, streamChanges } from './run-compare.js';
import { writeRunCustomerTable } from './run-customer-table.js';
import type { RunOptions } from './run-options.js';
import { runAudit, runReportModel, writeReportFiles } from './run-report.js';
import { sealRun } from './run-seal.js';
import { runFileNames } from './run-id.js';
import type { LaterSteps } from './run-steps.js';
import type { ScoreMeta, ScoreResult } from './score-stage.js';
export async function writeRunOutputs(
  ctx: StageContext,
  o: RunOptions,
  p: LaterSteps,
  held: { summaries: CustomerSummary[]; previous: CustomerTable | undefined },
  r: { seg: SegmentResult; sc: ScoreResult | null; meta: ScoreMeta | null; cells: ThreadCells | null; runId: string; inputDigests: FileDigest[] },
): Promise<ReportModel> {
  const { outDir, files, ing, clean, asOf, refundOnly, previousPath, scoreOpts, scoring, attributes } = p;
  const { seg, meta, cells, runId, inputDigests } = r;
  let sc = r.sc;
  let summaries = held.summaries;
  const n = summaries.length;
  // 4. customer table (run-customer-table.ts); with the thread writing cells, the scores after it.
  const t3 = performance.now();
  const header = await writeRunCustomerTable(outDir, o.report.excel, { summaries, seg, attributes, scores: sc }, meta !== null, cells);
  if (cells) sc = (await scoring!.result).scores;
  ctx.stats.customersCsvMs = Math.round(performance.now() - t3);
  // The workbook streams customers.csv back (typed cells, no second copy of the table in
  // memory): on its own thread from now on when that pays, else at the end.
  // --no-workbook: none.
  const workbook = o.workbook ? startWorkbook({ path: join(outDir, 'customers.xlsx'), customersCsv: join(outDir, 'customers.csv'), customers: n, asOf: formatDay(asOf) }, p.parallel) : null;
  const ta = performance.now();
  // One id list for the action list and the report's table (which keeps it).
  const ids = summaries.map((x) => x.customerId);
  const actionRows = await writeActions(ctx, o, outDir, ids, seg, sc, attributes, p.actionSettings, p.exclude);
  ctx.stats.actionsCsvMs = Math.round(performance.now() - ta);
  // Parquet from the table just written: DuckDB types the columns; text loses the CSV's spreadsheet guard.
  if (o.parquet) {
    const tp = performance.now();
    await writeParquetFromCsv(join(outDir, 'customers.csv'), join(outDir, 'customers.parquet'), customerParquetType, true);
    ctx.stats.customersParquetMs = Math.round(performance.now() - tp);
  }

  // 5. audit and reports.
  const audit = runAudit(ctx.version, runId, ing, clean, { asOf, customers: n, refundOnly });
  writeFileAtomic(join(outDir, 'audit.json'), JSON.stringify(audit, null, 2) + '\n');
  // The report reads this table from now on: the million summaries can go before the
  // previous run's table is read (only now, so none of it is held through the whole run).
  const table = reportTable(header, summaries, seg, sc, attributes, p.by, ids);
  summaries = [];
  held.summaries = [];
  // The previous table in the current set is streamed into the changes section; loaded whole
  // only when it was named elsewhere or is not sorted by id.
  const changes = previousPath !== null ? await streamChanges(previousPath, table, o.report.top, p.pseudonyms) : undefined;
  const previous = changes ? undefined : await loadPrevious(previousPath, held.previous, p.pseudonyms);
  held.previous = undefined;
  if (p.pseudonyms && o.pseudonymMap) await writePseudonymMap(o.pseudonymMap, p.pseudonyms);
  const model = runReportModel(table, o, { version: ctx.version, runId, asOf, audit, previous, changes, seg, meta, scoreOpts, bt: p.bt, retention: p.retention });
  writeReportFiles(outDir, o.report, model);
  // Every file but the workbook is final now: run.json's digests of them are taken on a
  // thread while the workbook ends, rather than after it.
  const finals = runFileNames(outDir);
  const early = p.parallel.digestFiles(finals.map((f) => join(outDir, f)));
  if (workbook) {
    const tx = performance.now();
    try {
      await workbook.finish(workbookRest(model, actionRows === null ? undefined : { csv: join(outDir, 'actions.csv'), rows: actionRows }));
    } catch (e) {
      early.cancel();
      throw e;
    }
    ctx.stats.customersXlsxMs = Math.round(performance.now() - tx);
  }
  ctx.stats.reportMs = Math.round(performance.now() - t3);
  ctx.stats.reportPeakRssMb = peakRssMb();
  // On a failed thread run.json digests every file itself.
  const written = await early.result.then((d) => new Map(d.map((x, i) => [finals[i]!, x])), () => new Map<string, FileDigest>());
  await sealRun(ctx, { staged: outDir, dir: p.dir, runId, version: ctx.version, inputs: inputDigests.map((digest, i) => ({ file: files[i]!, digest })), written, commit: p.commit, copies: o.copies, t0: p.t0, engine: p.engine });
  return model;
}
