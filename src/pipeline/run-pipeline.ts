/**
 * `custkit run`: the stage functions composed in one process. Records flow
 * ingest → clean → CustomerAccumulator without text in between; the customer table is then
 * classified and scored with the same functions the subcommands use. It is written as bytes
 * by row writers that mirror the subcommands' cells (tested byte for byte), and the report
 * reads a table built from the same typed results (report-table.ts) instead of parsing it
 * back, so the fused and the piped pipelines write identical customer tables and reports.
 * The steps live in run-ingest.ts → run-segment.ts ∥ run-score.ts → run-customer-table.ts →
 * run-report.ts; this file composes them.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { StageContext } from './stage-context.js';
import { EXIT, dataError } from '../errors.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { ActionSettings } from './actions-stage.js';
import { parseFailIf } from '../core/report/fail-if.js';
import { failIfExit, rejectBudgetExit } from './exit-checks.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import { formatDay } from '../core/time/day.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { prepareOutputFolder } from '../io/output-paths.js';
import type { FileDigest } from '../io/file-digest.js';
import type { Parallelism, PendingDigests } from './parallelism.js';
import { openRunFolder, type RunFolder } from '../io/run-folder.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import { pseudonymizeActionSettings, pseudonymizeIds } from './pseudonymize-table.js';
import type { CleanRun, CleanStageOptions } from './clean-stage.js';
import type { RunOptions } from './run-options.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { reportTable } from './report-table.js';
import { scoreInputFromFacts, scoreInputFromSummaries, type ScoreInput, type ScoreOptions } from './score-stage.js';
import type { PendingScore } from './pending-score.js';
import type { ClusterFitter } from './segment-stage.js';
import type { SegmentOptions } from '../core/segment/classify.js';
import { summaryViews } from '../core/aggregate/summary-facts.js';
import { runIngest, withoutAmounts } from './run-ingest.js';
import { runSegment } from './run-segment.js';
import { runScores, startRunScoring, writeRunFit } from './run-score.js';
import { writeRunCustomerTable } from './run-customer-table.js';
import { runIdOf } from './run-id.js';
import { writeActions, writePseudonymMap } from './run-actions.js';
import { loadPrevious, previousTableOf } from './run-compare.js';
import type { FusedResult } from './fused-result.js';
import { peakRssMb } from './peak-rss.js';
import { checkByAttributes } from './run-aggregate.js';
import { noteIngestAndClean, runAudit, runReportModel, writeReportFiles } from './run-report.js';
import { sealRun } from './run-seal.js';
import { refuseEmptyInput } from './empty-input.js';
import { workbookRest } from './customer-workbook.js';
import { startWorkbook } from './pending-workbook.js';
import { customerParquetType } from './customer-columns.js';
import { writeParquetFromCsv } from '../io/parquet.js';
import { backtestCollectorFor, finishBacktest } from './run-backtest.js';
import type { BacktestCollector, BacktestRun } from './backtest-stage.js';
import type { Retention } from './cohort-stage.js';
import type { IngestOptions } from '../config/ingest-options.js';
import { mbps, rejectRate } from './ingest-summary.js';


/** The demo export bundled with custkit (used when run gets no input). */
export const DEMO_INPUT = fileURLToPath(new URL('../../fixtures/demo/orders.csv', import.meta.url));

/** `parallelism` gives the stages' threads for --threads as given (null: not given). */
export async function runPipeline(ctx: StageContext, filesIn: string[], o: RunOptions, pseudonyms: Pseudonymizer | null, parallelism: (threads: number | null) => Parallelism): Promise<number> {
  const msgs = ctx.msgs;
  const files = filesIn.length ? filesIn : [DEMO_INPUT];
  if (!filesIn.length) msgs.note(`run: no input given, using the bundled demo export ${DEMO_INPUT}`);
  const outDir = o.out;
  // Before any work: a folder that cannot be made or written fails now. DIR itself is made by
  // the switch (io/run-folder.ts), as a link; only its parents here.
  prepareOutputFolder(outDir, { makeLast: false });
  const privacy: RejectPrivacy = { pii: o.pii, pseudonyms };
  if (pseudonyms) msgs.note('run: --pseudonymize: customer ids are written as keyed pseudonyms (px_…) in every output');
  const conditions = o.failIf;
  const { ingest: ingestOpts, clean: cleanOpts, segment: segOpts, score: scoreOpts, asOf: asOfOpt, actions: actionSettings } = o;
  const backtest = backtestCollectorFor(ctx, o, o.holdout?.day ?? null, asOfOpt, scoreOpts);

  // The folder is written all or nothing (io/run-folder.ts): this run's files go to a staging
  // folder, and DIR switches to it in one rename once every file is written.
  const compare = o.compare;
  const folder = await openRunFolder(outDir, {
    wait: o.waitLock,
    onWait: (h) => msgs.note(`run: waiting for the custkit run writing ${outDir}${h ? ` (pid ${h.pid}, started ${h.started})` : ''} to finish`),
  });
  let digests: PendingDigests | null = null;
  try {
    const { previousPath, previous } = await previousTableOf(folder, compare, pseudonyms, msgs);
    // The input bytes (and the compared table) are hashed on a worker meanwhile: the run id.
    const compared = previousPath ?? (previous !== undefined ? resolve(compare) : null);
    digests = parallelism(null).digestFiles(compared === null ? files : [...files, compared]);
    // The score options as given (the backtest changes scoreOpts later); the holdout changes the outputs.
    const options = { ingest: ingestOpts, clean: cleanOpts, segment: segOpts, score: { ...scoreOpts, churn: { ...scoreOpts.churn } }, holdout: backtest ? o.holdout!.text : null, report: { lang: o.report.lang, top: o.report.top, excel: o.report.excel }, asOf: asOfOpt };
    const pending = digests;
    const runId = async (): Promise<{ id: string; inputs: FileDigest[] }> => {
      const d = await pending.result;
      const inputs = d.slice(0, files.length);
      return { id: runIdOf({ version: ctx.version, inputs, options, previous: compared === null ? null : d[files.length]!.sha256 }), inputs };
    };
    const code = await ingestToReport(ctx, files, o, { parallelism, outDir, folder, conditions, ingestOpts, cleanOpts, segOpts, scoreOpts, asOfOpt, previous, previousPath, runId, actionSettings, backtest, privacy });
    folder.commit();
    return code;
  } catch (e) {
    folder.abort();
    throw e;
  } finally {
    digests?.cancel();
  }
}

/** What runPipeline hands steps 1–5: options, the staging folder, the run id to come. */
interface RunSetup {
  outDir: string;
  folder: RunFolder;
  conditions: ReturnType<typeof parseFailIf>;
  ingestOpts: IngestOptions;
  cleanOpts: CleanStageOptions;
  segOpts: SegmentOptions;
  scoreOpts: ScoreOptions;
  asOfOpt: number | null;
  previous: CustomerTable | undefined;
  previousPath: string | null;
  runId: () => Promise<{ id: string; inputs: FileDigest[] }>;
  actionSettings: ActionSettings;
  /** run --holdout: fed the cleaned transactions alongside the aggregation. */
  backtest: BacktestCollector | null;
  privacy: RejectPrivacy;
  parallelism: (threads: number | null) => Parallelism;
}

/** Steps 1–5 of run, writing into the staging folder; the exit code. */
async function ingestToReport(
  ctx: StageContext,
  files: string[],
  o: RunOptions,
  q: RunSetup,
): Promise<number> {
  const msgs = ctx.msgs;
  const { ingestOpts, cleanOpts, segOpts, scoreOpts, asOfOpt, conditions, previous, previousPath, backtest, privacy } = q;
  const pseudonyms = privacy.pseudonyms ?? null;
  const by = o.report.by;
  const stage = q.folder.stage;
  // 1. ingest → clean → accumulate, fused: in DuckDB when asked and the input is taken as
  //    written (engine/duckdb-clean.ts), else streaming in JavaScript.
  const t0 = performance.now();
  const eng = o.engine;
  const parallel = q.parallelism(eng.threads);
  const got = await runIngest(ctx, files, o, { ingestOpts, cleanOpts, asOfOpt, backtest, privacy, parallel, stage, t0 });
  const { ing, clean, asOf, refundOnly, bytes, retention, attributes } = got;
  let { facts, summaries } = got;
  got.facts = null; // held by `facts` alone (see run-ingest.ts)
  got.summaries = [];
  checkByAttributes(by, attributes);
  noteIngestAndClean(msgs, ing, clean, mbps(bytes, performance.now() - t0));
  // An empty export is the usual sign of a failed upstream export: never an empty result over a good one.
  refuseEmptyInput('run', ing.rowsRead, files, o.allowEmpty);
  if ((facts ? facts.ids.length : summaries.length) === 0 && q.folder.current !== null) {
    throw dataError(`no customers in this input; ${q.folder.dir} keeps the previous result`, { file: files.join(', ') }, 'run never replaces a result with an empty one: check the export, or give a new --out');
  }
  // The backtest's choices (model, churn threshold) apply to the scoring below.
  const bt = backtest ? await finishBacktest(ctx, o, backtest, scoreOpts, stage, q.folder.dir) : null;

  // 2. segment; with many customers and a second core, scoring runs meanwhile on a second
  //    thread (parallel/score-thread.ts), else after segmenting, here.
  //    From the JavaScript engine the summaries are views of the accumulator's facts
  //    (summary-facts.ts), not a million plain objects: building those was mostly garbage
  //    collection and raised the peak. The score
  //    inputs come from the facts, so the thread starts before the views are made.
  const n = facts ? facts.ids.length : summaries.length;
  const scoreInput = n === 0 ? null : facts ? scoreInputFromFacts(facts, asOf) : scoreInputFromSummaries(summaries);
  const amountless = withoutAmounts(ctx, ing, ingestOpts, segOpts, scoreOpts);
  const { scoring, kmeansThread } = startRunScoring(ctx, parallel, scoreInput, n, amountless, scoreOpts, segOpts);
  try {
    if (facts) {
      const ts = performance.now();
      summaries = summaryViews(facts, asOf);
      facts = null;
      ctx.stats.summariesMs = Math.round(performance.now() - ts);
    }
    // The later steps take the summaries over: none held here, so the report can let them go.
    const later = { t0, outDir: stage, dir: q.folder.dir, commit: () => q.folder.commit(), runId: q.runId, files, ing, clean, summaries, asOf, refundOnly, conditions, previous, previousPath, segOpts, scoreOpts, scoreInput, scoring, kmeansThread, fitClusters: parallel.fitClusters, parallel, bt, attributes, by, actionSettings: pseudonyms ? pseudonymizeActionSettings(q.actionSettings, pseudonyms) : q.actionSettings, exclude: pseudonymizeIds(cleanOpts.exclude ?? new Set<string>(), pseudonyms), retention, pseudonyms };
    summaries = [];
    return await segmentScoreReport(ctx, o, later);
  } catch (e) {
    scoring?.cancel();
    throw e;
  }
}

/** What steps 2–5 take over from step 1 (ingestToReport). */
interface LaterSteps {
  t0: number;
  /** The staging folder, where the files go. */
  outDir: string;
  /** The folder users read (--out), for messages. */
  dir: string;
  /** Switches DIR to the staged files. */
  commit: () => void;
  runId: () => Promise<{ id: string; inputs: FileDigest[] }>;
  /** The input files as given (run.json names them). */
  files: string[];
  ing: FusedResult['ing'];
  clean: CleanRun;
  summaries: CustomerSummary[];
  asOf: number;
  refundOnly: number;
  conditions: ReturnType<typeof parseFailIf>;
  previous: CustomerTable | undefined;
  previousPath: string | null;
  segOpts: SegmentOptions;
  scoreOpts: ScoreOptions;
  scoreInput: ScoreInput | null;
  scoring: PendingScore | null;
  /** Whether k-means is fitted on a thread of its own. */
  kmeansThread: boolean;
  /** Fits k-means elsewhere (with kmeansThread). */
  fitClusters: ClusterFitter;
  /** The customer workbook's thread (Parallelism.workbookThread). */
  parallel: Parallelism;
  /** The kept attributes, in summary order (null: none kept). */
  attributes: AttributeCells | null;
  /** --by: attributes to break the report down by. */
  by: string[];
  actionSettings: ActionSettings;
  /** --exclude's ids: never in the action list (clean removed their rows already). */
  exclude: ReadonlySet<string>;
  /** run --holdout: the backtest whose choices the scoring used. */
  bt: BacktestRun | null;
  /** Cohorts and key indicators (--cohorts, default month), null when off or not computed. */
  retention: Retention | null;
  pseudonyms: Pseudonymizer | null;
}

/** Steps 2–5 of run: segment, score, customer table, reports; the exit code. */
async function segmentScoreReport(
  ctx: StageContext,
  o: RunOptions,
  p: LaterSteps,
): Promise<number> {
  const msgs = ctx.msgs;
  const { outDir, files, ing, clean, asOf, refundOnly, conditions, previousPath, segOpts, scoreOpts, scoreInput, scoring, attributes } = p;
  let { summaries, previous } = p;
  p.summaries = []; // held only here from now on (released before the report)
  const n = summaries.length;
  const seg = await runSegment(ctx, summaries, segOpts, p.kmeansThread ? p.fitClusters : null, asOf, p.retention);

  // 3. score (or wait for the thread's scores: run-score.ts).
  const t2 = performance.now();
  const { id: runId, inputs: inputDigests } = await p.runId();
  const { cells, meta, sc: scoredHere } = await runScores(ctx, summaries, scoreInput, scoreOpts, scoring, t2);
  let sc = scoredHere;
  if (meta) writeRunFit(ctx, outDir, meta, scoreOpts, n, runId, p.bt);

  // 4. customer table (run-customer-table.ts); with the thread writing cells, the scores after it.
  const t3 = performance.now();
  const header = await writeRunCustomerTable(outDir, o.report.excel, { summaries, seg, attributes, scores: sc }, meta !== null, cells);
  if (cells) sc = (await scoring!.result).scores;
  ctx.stats.customersCsvMs = Math.round(performance.now() - t3);
  // The workbook streams customers.csv back (typed cells, no second copy of the table in
  // memory): on its own thread from now on when that pays, else at the end.
  const workbook = startWorkbook({ path: join(outDir, 'customers.xlsx'), customersCsv: join(outDir, 'customers.csv'), customers: n, asOf: formatDay(asOf) }, p.parallel);
  const ta = performance.now();
  const actionRows = await writeActions(ctx, o, outDir, summaries, seg, sc, attributes, p.actionSettings, p.exclude);
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
  // previous run's table is loaded (only now, so it is not held through the whole run).
  const table = reportTable(header, summaries, seg, sc, attributes, p.by);
  summaries = [];
  previous = await loadPrevious(previousPath, previous, p.pseudonyms);
  if (p.pseudonyms && o.pseudonymMap) await writePseudonymMap(o.pseudonymMap, p.pseudonyms);
  const model = runReportModel(table, o, { version: ctx.version, runId, asOf, audit, previous, seg, meta, scoreOpts, bt: p.bt, retention: p.retention });
  writeReportFiles(outDir, o.report, model);
  const tx = performance.now();
  await workbook.finish(workbookRest(model, actionRows === null ? undefined : { csv: join(outDir, 'actions.csv'), rows: actionRows }));
  ctx.stats.customersXlsxMs = Math.round(performance.now() - tx);
  ctx.stats.reportMs = Math.round(performance.now() - t3);
  ctx.stats.reportPeakRssMb = peakRssMb();
  await sealRun(ctx, { staged: outDir, dir: p.dir, runId, version: ctx.version, inputs: inputDigests.map((digest, i) => ({ file: files[i]!, digest })), commit: p.commit, copies: o.copies, t0: p.t0 });

  // Both checks speak; the reject budget's code wins.
  const budget = rejectBudgetExit(msgs, rejectRate(ing), o.maxRejectRate, join(p.dir, 'rejects.csv'));
  const alert = failIfExit(msgs, conditions, model);
  return budget !== EXIT.OK ? budget : alert;
}
