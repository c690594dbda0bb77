/**
 * `custkit run`: the stage functions composed in one process. Records flow
 * ingest → clean → CustomerAccumulator without text in between; the customer table is then
 * classified and scored with the same functions the subcommands use. It is written as bytes
 * by row writers that mirror the subcommands' cells (tested byte for byte), and the report
 * reads a table built from the same typed results (report-table.ts) instead of parsing it
 * back, so the fused and the piped pipelines write identical customer tables and reports.
 */
import { absentMoney } from './aggregate-stage.js';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { StageContext } from './stage-context.js';
import { EXIT, dataError, usageError } from '../errors.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import { attributeCells, type AttributeCells } from '../core/aggregate/customer-attributes.js';
import { type ActionSettings } from './actions-stage.js';
import { attributeSpecsOf, attrValueError, describeAttrs } from './aggregate-stage.js';
import { parseFailIf } from '../core/report/fail-if.js';
import { failIfExit, rejectBudgetExit } from './exit-checks.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import { formatDay } from '../core/time/day.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { prepareOutputFolder } from '../io/output-paths.js';
import type { FileDigest } from '../io/file-digest.js';
import type { Parallelism, PendingDigests } from './parallelism.js';
import { openRunFolder, type RunFolder } from '../io/run-folder.js';
import { openRejects } from '../io/rejects-writer.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import { pseudonymizeActionSettings, pseudonymizeIds } from './pseudonymize-table.js';
import { runCleanPasses, type CleanRun, type CleanStageOptions } from './clean-stage.js';
import { resolveEngine } from './engine-aggregate.js';
import type { RunOptions } from './run-options.js';
import { runWithDuckdb } from '../engine/duckdb-clean.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { ingestFiles, type IngestSinks } from './ingest-stage.js';
import { reportTable } from './report-table.js';
import { scoreInputFromFacts, scoreInputFromSummaries, type ScoreInput, type ScoreOptions } from './score-stage.js';
import type { PendingScore } from './pending-score.js';
import { segmentSummaries, segmentSummariesFittedElsewhere, segmentSummaryLines, type ClusterFitter } from './segment-stage.js';
import { CLASSIFICATIONS, type SegmentOptions, type SegmentResult } from '../core/segment/classify.js';
import { summaryViews, type SummaryFacts } from '../core/aggregate/summary-facts.js';
import { runScores, writeRunFit } from './run-score.js';
import { writeRunCustomerTable } from './run-customer-table.js';
import { runIdOf } from './run-id.js';
import { writeActions, writePseudonymMap } from './run-actions.js';
import { loadPrevious, previousTableOf } from './run-compare.js';
import type { FusedResult, IngestCounts } from './fused-result.js';
import { peakRssMb } from './peak-rss.js';
import { checkByAttributes, pseudonymizedAggregate } from './run-aggregate.js';
import { fusedInDuckdb, sqlRunsFor } from './run-duckdb.js';
import { noteIngestAndClean, runAudit, runReportModel, writeReportFiles } from './run-report.js';
import { sealRun } from './run-seal.js';
import { refuseEmptyInput } from './empty-input.js';
import { workbookRest } from './customer-workbook.js';
import { startWorkbook } from './pending-workbook.js';
import { customerParquetType } from './customer-columns.js';
import { writeParquetFromCsv } from '../io/parquet.js';
import { backtestCollectorFor, finishBacktest } from './run-backtest.js';
import { type BacktestCollector, type BacktestRun } from './backtest-stage.js';
import { aliveDrivers, retentionOf, retentionSummaryLines, withoutMoney, type Retention } from './cohort-stage.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';
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

/** Steps 1–5 of run, writing into the staging folder; the exit code. */
async function ingestToReport(
  ctx: StageContext,
  files: string[],
  o: RunOptions,
  q: {
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
  },
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
  let ing: IngestCounts;
  let clean: CleanRun;
  let summaries: CustomerSummary[] = [];
  /** From the JavaScript engine: the summaries' facts, the summaries built from them once scoring has started. */
  let facts: SummaryFacts | null = null;
  let asOf: number;
  let refundOnly: number;
  let bytes = 0;
  const grain = o.cohorts;
  const outcome = o.outcome;
  let retention: Retention | null = null;
  let attributes: AttributeCells | null = null;
  const engine = resolveEngine('run', files, eng, msgs, true);
  const viaSql = sqlRunsFor(engine, ingestOpts, backtest !== null, msgs) ? await runWithDuckdb(files, ingestOpts, cleanOpts, asOfOpt, { memoryLimit: eng.memoryLimit }, grain) : null;
  if (viaSql && !('why' in viaSql)) {
    const sql = await fusedInDuckdb(ctx, viaSql, { stage, privacy, t0 });
    ({ ing, clean, facts, asOf, refundOnly, bytes, retention } = sql);
    sql.facts = null; // held by `facts` alone (see below)
  } else {
    if (viaSql && files.some((f) => /\.(gz|zst)$/i.test(f))) {
      throw usageError(`--engine duckdb: ${viaSql.why}, and the JavaScript engine does not read compressed files`, 'give uncompressed CSV, XLSX or Parquet, or CSV.gz whose columns and values are in canonical form (custkit ingest output)');
    }
    // Asked for by name, a fallback is a warning; chosen by auto, a note.
    if (viaSql) (eng.engine === 'duckdb' ? msgs.warn : msgs.note)(`run: --engine duckdb: ${viaSql.why}; ingest, clean and aggregation run in JavaScript instead (same results)`);
    const js = await ingestCleanAggregateJs(ctx, files, { ingestOpts, cleanOpts, asOfOpt, parallel, outDir: stage, t0, attrRules: o.attrRules, backtest, grain, outcome, privacy });
    ({ ing, clean, asOf, refundOnly, bytes, retention } = js);
    ({ facts, summaries, attributes } = pseudonymizedAggregate(js, pseudonyms));
    js.summaries = undefined;
    if (attributes) msgs.note(`run: attributes per customer: ${describeAttrs(attributes.specs)}`);
    // Held by `facts` alone, then by `summaries`, which is emptied when the later steps take
    // them over: this frame waits for those steps, and a value left in its registers (here
    // `js`) stayed reachable through the report (it raised the peak: docs/performance.md).
    js.facts = null;
  }
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
  const amountless = ing.files.some((f) => f.amountless);
  if (amountless) {
    // Transactions without amounts: segment and score as `segment` and `score` do on them.
    segOpts.amountless = true;
    scoreOpts.noAmounts = true;
    msgs.note(`run: ${ingestOpts.noAmount ? '--no-amount' : 'no amount column maps (nor quantity × unit price)'}: transactions without amounts; counts, recency/frequency and BTYD models work, money-only outputs (revenue, Gamma-Gamma, CLV, value at risk) are absent, and the report says which sections it leaves out`);
  }
  // The score thread writes the table's money cells itself: without amounts, scoring stays here.
  const threadWanted = scoreInput !== null && parallel.scoreThread(n);
  if (threadWanted && amountless) msgs.note('run: transactions without amounts: scoring on this thread (the score thread writes money cells)');
  const threadScores = threadWanted && !amountless;
  // That thread also writes the table's summary and score cells, beside the main thread's ids
  // and classification cells (customer-table-writer.ts), when it scores a large table.
  const scoring = threadScores ? parallel.score(scoreInput!, scoreOpts, parallel.cellsThread(n)) : null;
  // k-means then gets a thread of its own (parallel/kmeans-thread.ts), when scoring has one: three
  // threads on two cores, but the score thread's work alone outlasts the main thread's
  // (paired runs: docs/performance.md).
  const kmeansThread = scoring !== null && new Set(segOpts.only ?? CLASSIFICATIONS).has('kmeans');
  if (scoring) msgs.note(`run: scoring on a second thread while segmenting${kmeansThread ? ', and fitting k-means on a third' : ''} (--threads 1 does it all on this one)`);
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

/** Steps 2–5 of run: segment, score, customer table, reports; the exit code. */
async function segmentScoreReport(
  ctx: StageContext,
  o: RunOptions,
  p: {
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
  },
): Promise<number> {
  const msgs = ctx.msgs;
  const { outDir, files, ing, clean, asOf, refundOnly, conditions, previousPath, segOpts, scoreOpts, scoreInput, scoring, attributes } = p;
  let { summaries, previous } = p;
  p.summaries = []; // held only here from now on (released before the report)
  const n = summaries.length;
  const t1 = performance.now();
  let seg: SegmentResult;
  if (p.kmeansThread) {
    const s = await segmentSummariesFittedElsewhere(summaries, segOpts, p.fitClusters);
    seg = s.seg;
    ctx.stats.kmeansMs = Math.round(s.fitMs);
    ctx.stats.kmeansWaitMs = Math.round(s.waitMs);
  } else seg = segmentSummaries(summaries, segOpts);
  ctx.stats.segmentMs = Math.round(performance.now() - t1);
  ctx.stats.segmentPeakRssMb = peakRssMb();
  msgs.note(`run: as of ${formatDay(asOf)} (inclusive) · ${summaries.length} customers`);
  for (const l of segmentSummaryLines(summaries, seg)) msgs.note(l.replace(/^segment:/, 'run: segment:'));
  aliveDrivers(p.retention, summaries, seg, asOf);
  if (p.retention) for (const l of retentionSummaryLines(p.retention, 'run')) msgs.note(l);

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
  const copies = o.copies;
  const tx = performance.now();
  await workbook.finish(workbookRest(model, actionRows === null ? undefined : { csv: join(outDir, 'actions.csv'), rows: actionRows }));
  ctx.stats.customersXlsxMs = Math.round(performance.now() - tx);
  ctx.stats.reportMs = Math.round(performance.now() - t3);
  ctx.stats.reportPeakRssMb = peakRssMb();
  await sealRun(ctx, { staged: outDir, dir: p.dir, runId, version: ctx.version, inputs: inputDigests.map((digest, i) => ({ file: files[i]!, digest })), commit: p.commit, copies, t0: p.t0 });

  // Both checks speak; the reject budget's code wins.
  const budget = rejectBudgetExit(msgs, rejectRate(ing), o.maxRejectRate, join(p.dir, 'rejects.csv'));
  const alert = failIfExit(msgs, conditions, model);
  return budget !== EXIT.OK ? budget : alert;
}

/**
 * ingest → clean → CustomerAccumulator in JavaScript. A function of its own so that the
 * accumulator (its id index and arenas, ~160 MB of typed arrays at 1M customers) is garbage
 * once the summaries are made: captured in a block of runPipeline, it stayed reachable from
 * the function's closures until the report was written, and set the memory peak.
 */
async function ingestCleanAggregateJs(
  ctx: StageContext,
  files: string[],
  p: { ingestOpts: IngestOptions; cleanOpts: CleanStageOptions; asOfOpt: number | null; parallel: Parallelism; outDir: string; t0: number; attrRules: Record<string, string>; backtest: BacktestCollector | null; grain: CohortGrain | null; outcome: DriverOutcome; privacy: RejectPrivacy },
): Promise<FusedResult> {
  const msgs = ctx.msgs;
  const t0 = p.t0;
  const rejects = openRejects(join(p.outDir, 'rejects.csv'), p.privacy);
  const acc = new CustomerAccumulator();
  if (p.grain) acc.trackCohorts(p.grain);
  let rowsSeen = 0;
  let bytes = 0;
  let ingestResult: Awaited<ReturnType<typeof ingestFiles>> | null = null;
  const threaded = p.parallel.readerThread(files);
  let attrsSet = false;
  const clean = await runCleanPasses(p.cleanOpts, async (push, read, useSchema) => {
    if (threaded) msgs.note('run: reading on a second thread (--threads 1 reads on this one)');
    const sinks: IngestSinks = {
      onSchema: (s) => {
        if (!attrsSet) acc.keepAttributes(attributeSpecsOf(s.dimNames, p.attrRules));
        attrsSet = true;
        useSchema(s);
      },
      onTx: (tx, fps, at, verdict) => {
        rowsSeen++;
        if (acc.attributes) {
          try {
            acc.attributes.check(tx.dims);
          } catch (e) {
            throw attrValueError(e, files.length === 1 ? files[0]! : files.join(', '));
          }
        }
        push(tx, 0, fps, at, verdict);
      },
      onReject: (r) => rejects.add(r),
      afterChunk(soFar, total) {
        bytes = soFar;
        if (total) read(soFar / total);
        const secs = (performance.now() - t0) / 1000;
        msgs.progress(`run: ${(soFar / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''} · ${rowsSeen.toLocaleString('en-US')} rows · ${(soFar / 1e6 / Math.max(secs, 1e-3)).toFixed(1)} MB/s · ${secs.toFixed(1)} s`);
      },
      // Fingerprints only: the reader thread here runs the whole ingest, and with the cleaner's
      // screen as well it became the wall (the main thread waited for
      // batches; docs/performance.md). `clean`, whose reader only parses canonical lines, screens there.
    };
    ingestResult = await (threaded ? p.parallel.ingest(files, p.ingestOpts, sinks, true) : ingestFiles(files, p.ingestOpts, sinks));
  }, (tx) => {
    // An absent amount (transactions without amounts) counts as an order; the money is dropped below.
    acc.add(tx.customerId, tx.day, tx.amount === tx.amount ? tx.amount : 0, tx.dims, tx.quantity ?? NaN);
    p.backtest?.add(tx.customerId, tx.day, tx.amount);
  }, { customersOut: () => acc.size });
  await rejects.close();
  msgs.endProgress();
  ctx.stats.ingestCleanAggregateMs = Math.round(performance.now() - t0);
  ctx.stats.ingestCleanAggregatePeakRssMb = peakRssMb();
  if (threaded) Object.assign(ctx.stats, p.parallel.readerBalance());
  const asOf = p.asOfOpt ?? (acc.size > 0 ? acc.maxDay : 0);
  const ing: FusedResult['ing'] = ingestResult!;
  if (ing.files.some((f) => f.amountless) && ing.files.some((f) => !f.amountless)) {
    throw dataError('some files have amounts and some have none', { file: files.join(', ') }, 'amounts are either all present or all absent: map one in every file (--map amount=<column>), or give --no-amount');
  }
  if (clean.audit.amount_in === null) {
    // Transactions without amounts: plain summaries as `segment` makes them, money absent (not 0).
    const r = acc.summariesWithAttributes(asOf);
    for (const s of r.summaries) absentMoney(s);
    return { ing: ingestResult!, clean, facts: null, summaries: r.summaries, asOf, refundOnly: acc.refundOnly, bytes, attributes: r.attributes, retention: withoutMoney(retentionOf(acc, asOf, p.outcome), true) };
  }
  const ts = performance.now();
  const facts = acc.facts();
  ctx.stats.factsMs = Math.round(performance.now() - ts);
  const attributes = acc.attributes && facts.index ? attributeCells(acc.attributes, facts.index) : null;
  return { ing: ingestResult!, clean, facts, asOf, refundOnly: acc.refundOnly, bytes, attributes, retention: retentionOf(acc, asOf, p.outcome) };
}
