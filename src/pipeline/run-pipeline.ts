/**
 * `custkit run`: the stage functions composed in one process. Records flow
 * ingest → clean → CustomerAccumulator without text in between; the customer table is then
 * classified and scored with the same functions the subcommands use. It is written as bytes
 * by row writers that mirror the subcommands' cells (tested byte for byte), and the report
 * reads a table built from the same typed results (report-table.ts) instead of parsing it
 * back, so the fused and the piped pipelines write identical customer tables and reports.
 */
import { absentMoney } from './aggregate-stage.js';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative, resolve } from 'node:path';
import type { StageContext } from './stage-context.js';
import { EXIT, dataError, usageError } from '../errors.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import { attributeCells, type AttributeCells } from '../core/aggregate/customer-attributes.js';
import { actionLines, actionSettingsFrom, runActionList, type ActionSettings } from './actions-stage.js';
import { attributeSpecsOf, attrRulesOption, attrValueError, describeAttrs } from './aggregate-stage.js';
import { parseFailIf, evaluateFailIf } from '../core/report/fail-if.js';
import { metrics } from '../core/report/metrics.js';
import { PREVIOUS_TABLE_FIELDS } from '../core/report/build-report.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import { formatDay } from '../core/time/day.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { prepareOutputFolder } from '../io/output-paths.js';
import type { FileDigest } from '../io/file-digest.js';
import type { Parallelism, PendingDigests } from './parallelism.js';
import { openRunFolder, type RunFolder } from '../io/run-folder.js';
import { csvLine } from '../io/csv-format.js';
import { CsvRecordBytes } from '../io/csv-record-bytes.js';
import { openRejects } from '../io/rejects-writer.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import type { PiiMode } from '../core/privacy/pii-columns.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import { permutedAttributes, withoutPersonalAttributes, pseudonymizeActionSettings, pseudonymizeFacts, pseudonymizeIds, pseudonymizePrevious, pseudonymizeSummaries, tableHasPseudonyms } from './pseudonymize-table.js';
import { copyFileAtomic, openSink } from '../io/text-output.js';
import { listValue, dayOption } from '../config/options.js';
import { cleanOptionsFrom, done, runCleanPasses, type CleanRun, type CleanStageOptions } from './clean-stage.js';
import { engineOptionsFrom, resolveEngine } from './engine-aggregate.js';
import { runWithDuckdb } from '../engine/duckdb-clean.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { ingestFiles, type IngestSinks } from './ingest-stage.js';
import { loadCustomerTable, makeReport, renderReport } from './report-stage.js';
import { reportTable } from './report-table.js';
import { SCORE_COLUMNS, valueAtRisk, valueBasisOf, fitLine, fitSummary, scoreInputFromFacts, scoreInputFromSummaries, scoreOptionsFrom, type ScoreInput, type ScoreMeta, type ScoreResult } from './score-stage.js';
import { scoreHere, type PendingScore, type RowCells } from './pending-score.js';
import { writeAttributeCells, writeClassCells, writeSegmentCells, segmentHeader, segmentOptionsFrom, segmentSummaries, segmentSummariesFittedElsewhere, segmentSummaryLines, type ClusterFitter } from './segment-stage.js';
import { CLASSIFICATIONS, type SegmentResult } from '../core/segment/classify.js';
import { summaryViews, type SummaryFacts } from '../core/aggregate/summary-facts.js';
import { summaryCellsOf } from './summary-cells.js';
import { MANIFEST, manifestText, runIdOf } from './run-id.js';
import { refuseEmptyInput } from './empty-input.js';
import { writeCustomerWorkbook } from './customer-workbook.js';
import { customerParquetType } from './customer-columns.js';
import { writeParquetFromCsv } from '../io/parquet.js';
import { backtestCollectorFor, finishBacktest } from './run-backtest.js';
import { backtestBlock } from './model-selection.js';
import { comparisonForReport, type BacktestCollector, type BacktestRun } from './backtest-stage.js';
import { aliveDrivers, cohortGrainFrom, driverOutcomeFrom, DRIVERS_NOT_IN_DUCKDB, retentionOf, retentionSummaryLines, withoutMoney, type Retention } from './cohort-stage.js';
import { hasDrivers } from '../core/drivers/key-indicators.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';
import { ingestOptionsFrom } from '../config/ingest-options.js';
import { type FileReport } from '../core/ingest/file-report.js';
import { countsLine, mbps, foldedLine, rejectRate } from './ingest-summary.js';

/** Peak resident memory of the process so far, in MB (getrusage maxrss): shows which stage sets the peak. */
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** The demo export bundled with custkit (used when run gets no input). */
export const DEMO_INPUT = fileURLToPath(new URL('../../fixtures/demo/orders.csv', import.meta.url));

/** `parallelism` gives the stages' threads for --threads as given (null: not given). */
export async function runPipeline(ctx: StageContext, filesIn: string[], o: Record<string, unknown>, pseudonyms: Pseudonymizer | null, parallelism: (threads: number | null) => Parallelism): Promise<number> {
  const msgs = ctx.msgs;
  const files = filesIn.length ? filesIn : [DEMO_INPUT];
  if (!filesIn.length) msgs.note(`run: no input given, using the bundled demo export ${DEMO_INPUT}`);
  const outDir = resolve(String(o.out ?? 'custkit-out'));
  const compareArg = String(o.compare ?? 'auto');
  if (compareArg !== 'auto' && compareArg !== 'off' && !existsSync(compareArg)) {
    throw usageError(`--compare ${compareArg}: no such file`, 'use auto, off, or a customer table from an earlier run');
  }
  reportFormatsOf(o.format); // a bad --format fails before any work
  // Before any work: a folder that cannot be made or written fails now. DIR itself is made by
  // the switch (io/run-folder.ts), as a link; only its parents here.
  prepareOutputFolder(outDir, { makeLast: false });
  const privacy: RejectPrivacy = { pii: (o.pii ?? 'mask') as PiiMode, pseudonyms };
  if (pseudonyms) msgs.note('run: --pseudonymize: customer ids are written as keyed pseudonyms (px_…) in every output');
  const conditions = o.failIf ? parseFailIf(String(o.failIf)) : [];
  const ingestOpts = ingestOptionsFrom(o, ctx.today());
  const cleanOpts = cleanOptionsFrom(o);
  const segOpts = segmentOptionsFrom(o);
  const scoreOpts = scoreOptionsFrom(o);
  const asOfOpt = dayOption(o.asOf, 'as-of');
  if (asOfOpt !== null && cleanOpts.asOf === null) cleanOpts.asOf = asOfOpt;
  attrRulesOption(o.attr); // a malformed --attr fails before any work
  const actionSettings = actionSettingsFrom(o, segOpts);
  const backtest = backtestCollectorFor(ctx, o, dayOption(o.holdout, 'holdout'), asOfOpt, scoreOpts);

  // The folder is written all or nothing (io/run-folder.ts): this run's files go to a staging
  // folder, and DIR switches to it in one rename once every file is written.
  const compare = compareArg;
  const folder = await openRunFolder(outDir, {
    wait: Boolean(o.waitLock),
    onWait: (h) => msgs.note(`run: waiting for the custkit run writing ${outDir}${h ? ` (pid ${h.pid}, started ${h.started})` : ''} to finish`),
  });
  let digests: PendingDigests | null = null;
  try {
    // Previous customer table for --compare: the current set's (auto, or named through DIR),
    // which this run does not overwrite, is read just before the report, so it is not held
    // through the whole run; any other named table is read now, so that a wrong file fails
    // before anything is written.
    let previousPath: string | null = null;
    let previous: CustomerTable | undefined;
    const inCurrent = (f: string): boolean => folder.current !== null && !relative(realpathSync(folder.current), realpathSync(f)).startsWith('..');
    if (compare === 'auto') {
      const prev = folder.current === null ? null : join(folder.current, 'customers.csv');
      if (prev !== null && existsSync(prev)) previousPath = prev;
      // The set before stays DIR/previous/ as it was written: with its original ids.
      if (pseudonyms && previousPath !== null && !tableHasPseudonyms(previousPath)) {
        msgs.warn(`run: --pseudonymize: the previous set (${outDir}/previous/ after this run) was written without pseudonyms and still holds the original ids; compared with its ids pseudonymised. Use a new --out to keep them apart`);
      }
    } else if (compare !== 'off') {
      if (!existsSync(compare)) throw usageError(`--compare ${compare}: no such file`, 'use auto, off, or a customer table from an earlier run');
      if (inCurrent(compare)) previousPath = realpathSync(compare);
      else previous = await loadCustomerTable(compare, PREVIOUS_TABLE_FIELDS);
      if (previous && pseudonyms) previous = pseudonymizePrevious(previous, pseudonyms);
    }
    // The input bytes (and the compared table) are hashed on a worker meanwhile: the run id.
    const compared = previousPath ?? (previous !== undefined ? resolve(compare) : null);
    digests = parallelism(null).digestFiles(compared === null ? files : [...files, compared]);
    // The score options as given (the backtest changes scoreOpts later); the holdout changes the outputs.
    const options = { ingest: ingestOpts, clean: cleanOpts, segment: segOpts, score: { ...scoreOpts, churn: { ...scoreOpts.churn } }, holdout: backtest ? o.holdout : null, report: { lang: o.lang ?? 'en', top: Number(o.top ?? 20), excel: Boolean(o.excel) }, asOf: asOfOpt };
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
  o: Record<string, unknown>,
  q: {
    outDir: string;
    folder: RunFolder;
    conditions: ReturnType<typeof parseFailIf>;
    ingestOpts: ReturnType<typeof ingestOptionsFrom>;
    cleanOpts: CleanStageOptions;
    segOpts: ReturnType<typeof segmentOptionsFrom>;
    scoreOpts: ReturnType<typeof scoreOptionsFrom>;
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
  const by = [...new Set(listValue(o.by))];
  const stage = q.folder.stage;
  // 1. ingest → clean → accumulate, fused: in DuckDB when asked and the input is taken as
  //    written (engine/duckdb-clean.ts), else streaming in JavaScript.
  const t0 = performance.now();
  const eng = engineOptionsFrom(o);
  const parallel = q.parallelism(eng.threads);
  let ing: { rowsRead: number; rowsOut: number; rejected: Record<string, number>; files: FileReport[]; folded?: { ids: number; rows: number } };
  let clean: CleanRun;
  let summaries: CustomerSummary[] = [];
  /** From the JavaScript engine: the summaries' facts, the summaries built from them once scoring has started. */
  let facts: SummaryFacts | null = null;
  let asOf: number;
  let refundOnly: number;
  let bytes = 0;
  const grain = cohortGrainFrom(o, 'month');
  const outcome = driverOutcomeFrom(o);
  let retention: Retention | null = null;
  let attributes: AttributeCells | null = null;
  const engine = resolveEngine('run', files, eng, msgs, true);
  // Kept columns become customer attributes in the JavaScript engine only.
  // Transactions without amounts (--no-amount) run in JavaScript, where every stage reads them.
  const sqlWanted = engine === 'duckdb' && ingestOpts.keep.length === 0 && !backtest && !ingestOpts.noAmount;
  if (engine === 'duckdb' && ingestOpts.noAmount) msgs.note('run: --no-amount: transactions without amounts run in the JavaScript engine, not DuckDB');
  if (backtest && engine === 'duckdb') msgs.note('run: --holdout: the backtest reads the cleaned transactions in JavaScript, so ingest, clean and aggregation run there too');
  if (engine === 'duckdb' && ingestOpts.keep.length > 0) msgs.note('run: --keep columns become customer attributes in the JavaScript engine only: running there instead of DuckDB');
  const viaSql = sqlWanted ? await runWithDuckdb(files, ingestOpts, cleanOpts, asOfOpt, { memoryLimit: eng.memoryLimit }, grain) : null;
  if (viaSql && !('why' in viaSql)) {
    await openRejects(join(stage, 'rejects.csv'), privacy).close();
    ing = { rowsRead: viaSql.rowsRead, rowsOut: viaSql.rowsRead, rejected: {}, files: viaSql.reports };
    clean = done(viaSql.audit);
    // Facts as the JavaScript engine gives them: summary views and scoring from columns below.
    facts = pseudonyms ? pseudonymizeFacts(viaSql.facts, pseudonyms).facts : viaSql.facts;
    (viaSql as { facts: SummaryFacts | null }).facts = null; // held by `facts` alone (see below)
    asOf = viaSql.asOf;
    refundOnly = viaSql.refundOnly;
    bytes = viaSql.bytes;
    ctx.stats.ingestCleanAggregateMs = Math.round(performance.now() - t0);
    ctx.stats.ingestCleanAggregatePeakRssMb = peakRssMb();
    msgs.note(`run: DuckDB engine: ingest, clean and aggregation ran in SQL (${(viaSql.bytes / 1e6).toFixed(0)} MB, ${mbps(bytes, performance.now() - t0)} MB/s)${viaSql.cohorts ? ', the cohorts too' : ''}`);
    if (viaSql.cohorts) {
      // Cohorts of the original ids: pseudonyms change no count or sum.
      retention = { cohorts: viaSql.cohorts, drivers: null, first: null };
      msgs.warn(`run: key indicators are ${DRIVERS_NOT_IN_DUCKDB}`);
    }
  } else {
    if (viaSql && files.some((f) => /\.(gz|zst)$/i.test(f))) {
      throw usageError(`--engine duckdb: ${viaSql.why}, and the JavaScript engine does not read compressed files`, 'give uncompressed CSV, XLSX or Parquet, or CSV.gz whose columns and values are in canonical form (custkit ingest output)');
    }
    // Asked for by name, a fallback is a warning; chosen by auto, a note.
    if (viaSql) (eng.engine === 'duckdb' ? msgs.warn : msgs.note)(`run: --engine duckdb: ${viaSql.why}; ingest, clean and aggregation run in JavaScript instead (same results)`);
    const js = await ingestCleanAggregateJs(ctx, files, { ingestOpts, cleanOpts, asOfOpt, parallel, outDir: stage, t0, attrRules: attrRulesOption(o.attr), backtest, grain, outcome, privacy });
    ({ ing, clean, facts, asOf, refundOnly, bytes, attributes, retention } = js);
    if (pseudonyms && facts) {
      const ps = pseudonymizeFacts(facts, pseudonyms);
      facts = ps.facts;
      if (attributes) attributes = permutedAttributes(attributes, ps.order);
    } else if (js.summaries) {
      // Transactions without amounts: plain summaries (ingestCleanAggregateJs).
      if (pseudonyms && attributes) throw usageError('--pseudonymize with kept columns (--keep) on transactions without amounts is not supported', 'drop --keep, or run without --pseudonymize');
      summaries = pseudonyms ? pseudonymizeSummaries(js.summaries, pseudonyms) : js.summaries;
      js.summaries = undefined;
    }
    if (attributes) msgs.note(`run: attributes per customer: ${describeAttrs(attributes.specs)}`);
    // Held by `facts` alone, then by `summaries`, which is emptied when the later steps take
    // them over: this frame waits for those steps, and a value left in its registers (here
    // `js`) stayed reachable through the report (it raised the peak: docs/performance.md).
    js.facts = null;
  }
  const attrNames = attributes ? (attributes as AttributeCells).specs.map((s) => s.name) : [];
  const missingBy = by.find((b) => !attrNames.includes(b));
  if (missingBy !== undefined) {
    throw usageError(`--by ${missingBy}: no such customer attribute${attrNames.length ? ` (attributes: ${attrNames.join(', ')})` : ' (no columns were kept)'}`, 'keep the column with --keep COLUMN; --by names it as kept');
  }
  const tIngest = performance.now() - t0;
  msgs.note(`run: ${ing.rowsRead} rows read, ${ing.rowsOut} ingested, rejected: ${countsLine(ing.rejected)}; ${mbps(bytes, tIngest)} MB/s`);
  if (ing.folded && ing.folded.ids > 0) msgs.note(`run: ${foldedLine(ing.folded)}`);
  msgs.note(`run: clean: ${clean.summaryLine}`);
  for (const n of clean.notes) msgs.note(`run: clean: ${n}`);
  for (const w of clean.warnings) msgs.warn(`run: clean: ${w}`);
  // An empty export is the usual sign of a failed upstream export: never an empty result over a good one.
  refuseEmptyInput('run', ing.rowsRead, files, Boolean(o.allowEmpty));
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
  // and classification cells (summary-cells.ts), when it scores a large table.
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
    const later = { t0, outDir: stage, dir: q.folder.dir, commit: () => q.folder.commit(), runId: q.runId, files, ing, clean, summaries, asOf, refundOnly, conditions, previous, previousPath, segOpts, scoreOpts, scoreInput, scoring, kmeansThread, fitClusters: parallel.fitClusters, bt, attributes, by, actionSettings: pseudonyms ? pseudonymizeActionSettings(q.actionSettings, pseudonyms) : q.actionSettings, exclude: pseudonymizeIds(cleanOpts.exclude ?? new Set<string>(), pseudonyms), retention, pseudonyms };
    summaries = [];
    return await segmentScoreReport(ctx, o, later);
  } catch (e) {
    scoring?.cancel();
    throw e;
  }
}

/** Rows per block of cells asked from the score thread. */
const CELL_BLOCK = 8192;

/** Steps 2–5 of run: segment, score, customer table, reports; the exit code. */
async function segmentScoreReport(
  ctx: StageContext,
  o: Record<string, unknown>,
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
    segOpts: ReturnType<typeof segmentOptionsFrom>;
    scoreOpts: ReturnType<typeof scoreOptionsFrom>;
    scoreInput: ScoreInput | null;
    scoring: PendingScore | null;
    /** Whether k-means is fitted on a thread of its own. */
    kmeansThread: boolean;
    /** Fits k-means elsewhere (with kmeansThread). */
    fitClusters: ClusterFitter;
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

  // 3. score (or wait for the thread's scores). scoreMs is the scoring's own time; scoreWaitMs
  //    what it added after segmenting (all of it when scoring here).
  //    With the thread writing cells, only the fit comes now; the scores after the table.
  const t2 = performance.now();
  const { id: runId, inputs: inputDigests } = await p.runId();
  // The thread writes cells only when every summary value fits its columns (always, from run's
  // aggregation); else the scores come back as without it, and this thread writes every cell.
  let cells = scoring?.cells ?? null;
  const columns = cells ? summaryCellsOf(summaries) : null;
  if (cells && columns) cells.columns(columns);
  else if (cells) {
    cells.done();
    cells = null;
  }
  let sc: ScoreResult | null = null;
  let meta: ScoreMeta | null = null;
  if (cells) {
    const f = await cells.fitted;
    meta = f.meta;
    ctx.stats.scoreMs = Math.round(f.ms);
  } else if (scoreInput) {
    const scored = await (scoring ?? scoreHere(scoreInput, scoreOpts)).result;
    sc = meta = scored.scores;
    ctx.stats.scoreMs = Math.round(scored.ms);
  }
  ctx.stats.scoreWaitMs = Math.round(performance.now() - t2);
  ctx.stats.scorePeakRssMb = peakRssMb();
  if (meta) {
    msgs.note(fitLine(meta).replace(/^score:/, 'run: score:'));
    for (const n of meta.info) msgs.note(`run: score: ${n}`);
    for (const w of meta.notes) msgs.warn(w);
    const fit = { run_id: runId, ...fitSummary(meta, scoreOpts, n), ...(p.bt ? { backtest: backtestBlock(p.bt) } : {}) };
    writeFileAtomic(join(outDir, 'fit.json'), JSON.stringify(fit, null, 2) + '\n');
  }

  // 4. customer table: customers.csv is the exact machine table (the bytes of the piped
  //    stages: joins back to a CRM and --compare need the ids as they are); --excel adds
  //    customers.excel.csv for people, formula-guarded, with ids a spreadsheet would change protected.
  const t3 = performance.now();
  const header = [...segmentHeader(seg, attributes), ...(meta ? SCORE_COLUMNS : [])];
  const customers = openSink(join(outDir, 'customers.csv'));
  const excel = o.excel ? openSink(join(outDir, 'customers.excel.csv'), { bom: true }) : null;
  customers.write(csvLine(header));
  excel?.write(csvLine(header));
  // Rows go out as bytes, 64 KiB at a time (csv-record-bytes.ts: no string per cell); the
  // people's copy is written cell by cell a second time, only with --excel.
  const rec = new CsvRecordBytes({ guard: false });
  const xrec = excel ? new CsvRecordBytes({ guard: true, excelIds: true }) : null;
  const recs = xrec ? [rec, xrec] : [rec];
  const handOn = (): void => {
    customers.writeBytes(rec.bytes, 0, rec.length);
    rec.clear();
    if (xrec) {
      excel!.writeBytes(xrec.bytes, 0, xrec.length);
      xrec.clear();
    }
  };
  if (cells) {
    // Blocks of rows: the thread writes block b + 1's summary and score cells (asked ahead)
    // while this thread writes block b's ids and classification cells between them.
    const ahead: Promise<RowCells>[] = [];
    let asked = 0;
    const ask = (reuse?: RowCells): void => {
      if (asked >= n) return;
      ahead.push(cells.rows(asked, Math.min(n, asked + CELL_BLOCK), reuse));
      asked += CELL_BLOCK;
    };
    ask();
    ask();
    let written: RowCells | undefined;
    for (let from = 0; from < n; from += CELL_BLOCK) {
      const block = await ahead.shift()!;
      ask(written); // the block before this one goes back to be filled again
      const { bytes, ends } = block;
      written = block;
      const to = Math.min(n, from + CELL_BLOCK);
      for (const r of recs) {
        let start = 0;
        for (let i = from, k = 0; i < to; i++, k += 2) {
          r.id(summaries[i]!.customerId);
          r.cells(bytes, start, ends[k]! - 1);
          writeClassCells(seg, i, r);
          writeAttributeCells(attributes, i, r);
          r.cells(bytes, ends[k]!, ends[k + 1]! - 1);
          r.end();
          start = ends[k + 1]!;
          if (r === rec && rec.length >= 1 << 16 && !xrec) handOn();
        }
      }
      if (xrec) handOn();
    }
    cells.done();
    sc = (await scoring!.result).scores;
  } else {
    for (let i = 0; i < n; i++) {
      for (const r of recs) {
        writeSegmentCells(summaries, seg, i, r);
        writeAttributeCells(attributes, i, r);
        sc?.writeCells(i, r);
        r.end();
      }
      if (rec.length >= 1 << 16) handOn();
    }
  }
  handOn();
  await customers.close();
  await excel?.close();
  ctx.stats.customersCsvMs = Math.round(performance.now() - t3);
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
  const audit = {
    custkit: ctx.version,
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
    segment: { as_of: formatDay(asOf), customers: n, refund_only_customers: refundOnly },
  };
  writeFileAtomic(join(outDir, 'audit.json'), JSON.stringify(audit, null, 2) + '\n');
  // The report reads this table from now on: the million summaries can go before the
  // previous run's table is loaded (only now, so it is not held through the whole run).
  const table = reportTable(header, summaries, seg, sc, attributes, p.by);
  summaries = [];
  if (previousPath !== null) previous = await loadCustomerTable(previousPath, PREVIOUS_TABLE_FIELDS);
  if (previous && p.pseudonyms) previous = pseudonymizePrevious(previous, p.pseudonyms);
  if (p.pseudonyms && o.pseudonymMap) await writePseudonymMap(String(o.pseudonymMap), p.pseudonyms);
  const model = makeReport(table, {
    lang: (o.lang ?? 'en') as 'en' | 'zh',
    top: Number(o.top ?? 20),
    asOf: formatDay(asOf),
    audit,
    previous,
    generatedBy: ctx.version,
    pii: (o.pii ?? 'mask') as PiiMode,
    segmentInfo: { silhouette: seg.info.kmeans?.silhouette ?? null },
    fit: meta ? { model: meta.model, reliable: meta.reliability.reliable, reasons: meta.reliability.reasons, basis: valueBasisOf(meta, scoreOpts) } : undefined,
    by: p.by,
    byTop: Number(o.byTop ?? 10),
    modelComparison: p.bt ? comparisonForReport(p.bt.result) : undefined,
    cohorts: p.retention?.cohorts,
    // Key indicators only when there is enough data to rank one (docs/definitions.md, "Key indicators").
    drivers: p.retention?.drivers && hasDrivers(p.retention.drivers) ? p.retention.drivers : undefined,
  });
  model.meta.run_id = runId;
  const formats = reportFormatsOf(o.format); // checked at the start
  const copies = copiesOf(o);
  for (const fmt of formats) {
    if (fmt !== 'csv') writeFileAtomic(join(outDir, `report.${fmt}`), renderReport(model, fmt, { color: false, excel: false }));
  }
  if (o.excel || formats.includes('csv')) writeFileAtomic(join(outDir, 'report.csv'), renderReport(model, 'csv', { color: false, excel: Boolean(o.excel) }));
  // The workbook streams customers.csv back: typed cells, and no second copy of the table in memory.
  const tx = performance.now();
  await writeCustomerWorkbook(join(outDir, 'customers.xlsx'), {
    customersCsv: join(outDir, 'customers.csv'),
    customers: n,
    model,
    actions: actionRows === null ? undefined : { csv: join(outDir, 'actions.csv'), rows: actionRows },
  });
  ctx.stats.customersXlsxMs = Math.round(performance.now() - tx);
  ctx.stats.reportMs = Math.round(performance.now() - t3);
  ctx.stats.reportPeakRssMb = peakRssMb();
  // Last: a set with run.json is complete (it lists every file with its SHA-256).
  const t4 = performance.now();
  writeFileAtomic(join(outDir, MANIFEST), manifestText(outDir, runId, ctx.version, inputDigests.map((digest, i) => ({ file: files[i]!, digest }))));
  const written = readdirSync(outDir).filter((f) => f !== 'previous' && !f.startsWith('.')).sort();
  p.commit(); // DIR shows this run from now on
  ctx.stats.manifestMs = Math.round(performance.now() - t4);
  ctx.stats.totalMs = Math.round(performance.now() - p.t0);
  // --rejects, --audit, --model-out: copies of the files of the run DIR now shows, where the stage commands write theirs.
  for (const c of copies) if (existsSync(join(p.dir, c.file))) await copyFileAtomic(join(p.dir, c.file), c.to);
  msgs.note(`run: wrote ${p.dir}/{${written.join(',')}}${copies.length ? ` + ${copies.map((c) => c.to).join(', ')}` : ''} (run ${runId}) in ${((performance.now() - p.t0) / 1000).toFixed(1)} s`);

  let code: number = EXIT.OK;
  const rate = rejectRate(ing);
  const maxRate = Number(o.maxRejectRate ?? 0.05);
  if (rate > maxRate) {
    msgs.error(`custkit: reject rate ${(rate * 100).toFixed(2)}% is above --max-reject-rate ${(maxRate * 100).toFixed(2)}% (rows in ${join(p.dir, 'rejects.csv')})`);
    code = EXIT.REJECT_BUDGET;
  }
  if (conditions.length) {
    const held = evaluateFailIf(conditions, metrics(model)).filter((r) => r.held);
    for (const h of held) msgs.error(`custkit: alert: ${h.condition.text} (value ${h.actual})`);
    if (held.length && code === EXIT.OK) code = EXIT.ALERT;
  }
  return code;
}

/** actions.csv (actions-stage.ts), or a note saying why there is none. */
async function writeActions(
  ctx: StageContext,
  o: Record<string, unknown>,
  outDir: string,
  summaries: readonly CustomerSummary[],
  seg: SegmentResult,
  sc: ScoreResult | null,
  attributes: AttributeCells | null,
  settings: ActionSettings,
  exclude: ReadonlySet<string>,
): Promise<number | null> {
  if (settings.table === null) {
    ctx.msgs.note(`run: no actions.csv: ${settings.why ?? 'no action table'}`);
    return null;
  }
  const ids = summaries.map((x) => x.customerId);
  const clv = sc ? sc.clv : null;
  // Contacts are the list's purpose (shown, masked or not), except under --pii drop.
  if (attributes && o.pii === 'drop') {
    const w = withoutPersonalAttributes(attributes, ids.length);
    if (w.dropped.length) ctx.msgs.note(`run: actions.csv: --pii drop leaves out ${w.dropped.join(', ')}`);
    attributes = w.cells;
  }
  const risk = sc ? Float64Array.from(sc.clv, (c, i) => valueAtRisk(sc.pAlive[i]!, c)) : null;
  const list = runActionList(ids, seg, clv, risk, { ...settings, table: settings.table }, exclude);
  const out = openSink(join(outDir, 'actions.csv'));
  for (const line of actionLines(list, ids, seg, clv, risk, attributes, (o.lang ?? 'en') as 'en' | 'zh')) {
    out.write(line);
    await out.drain();
  }
  await out.close();
  ctx.msgs.note(`run: actions.csv: ${list.rows.length} customers to act on${list.noAction ? `, ${list.noAction} in segments without an action` : ''}${list.suppressed ? `, ${list.suppressed} suppressed (--suppress)` : ''}${list.excluded ? `, ${list.excluded} excluded` : ''}`);
  return list.rows.length;
}

/**
 * The id ↔ pseudonym table of --pseudonym-map: everyone pseudonymised in this run (customers,
 * and the ids of rejected rows), sorted by id. Outside the output folder by the user's choice.
 */
async function writePseudonymMap(path: string, p: Pseudonymizer): Promise<void> {
  const sink = openSink(path);
  sink.write('customer_id,pseudonym\n');
  for (const [id, pid] of p.pairs()) sink.write(csvLine([id, pid]));
  await sink.close();
}

/** Report files run writes (--format, a list): report.html, report.md, report.json, report.csv. */
const RUN_REPORT_FORMATS = ['html', 'md', 'json', 'csv'] as const;
type RunReportFormat = (typeof RUN_REPORT_FORMATS)[number];

/** Parses run's --format list; checked before any work. */
export function reportFormatsOf(v: unknown): RunReportFormat[] {
  const list = v === undefined || v === null ? ['html', 'md', 'json'] : listValue(v);
  const bad = list.filter((f) => !(RUN_REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length || list.length === 0) {
    throw usageError(`--format ${String(v)}: run writes report files in ${RUN_REPORT_FORMATS.join(', ')}`, 'give a list, e.g. --format html,json (the terminal table is `custkit report --format table`)');
  }
  return [...new Set(list)] as RunReportFormat[];
}

/** --rejects / --audit / --model-out: copies of the folder's rejects.csv, audit.json and fit.json. */
function copiesOf(o: Record<string, unknown>): { file: string; to: string }[] {
  const out: { file: string; to: string }[] = [];
  for (const [key, file] of [['rejects', 'rejects.csv'], ['audit', 'audit.json'], ['modelOut', 'fit.json']] as const) {
    if (typeof o[key] === 'string' && o[key] !== '') out.push({ file, to: resolve(String(o[key])) });
  }
  return out;
}

/** What the fused ingest → clean → aggregate step hands to the later stages. */
interface FusedResult {
  ing: { rowsRead: number; rowsOut: number; rejected: Record<string, number>; files: FileReport[]; folded?: { ids: number; rows: number } };
  clean: CleanRun;
  facts: SummaryFacts | null;
  asOf: number;
  refundOnly: number;
  bytes: number;
  attributes: AttributeCells | null;
  retention: Retention | null;
  /** Transactions without amounts: plain summaries, money absent (facts is then null). */
  summaries?: CustomerSummary[];
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
  p: { ingestOpts: ReturnType<typeof ingestOptionsFrom>; cleanOpts: CleanStageOptions; asOfOpt: number | null; parallel: Parallelism; outDir: string; t0: number; attrRules: Record<string, string>; backtest: BacktestCollector | null; grain: CohortGrain | null; outcome: DriverOutcome; privacy: RejectPrivacy },
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
