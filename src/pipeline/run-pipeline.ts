/**
 * `custkit run`: the stage functions composed in one process. Records flow
 * ingest → clean → CustomerAccumulator without text in between; the customer table is then
 * classified and scored with the same functions the subcommands use. It is written as bytes
 * by row writers that mirror the subcommands' cells (tested byte for byte), and the report
 * reads a table built from the same typed results (report-table.ts) instead of parsing it
 * back, so the fused and the piped pipelines write identical customer tables and reports.
 * The steps live in run-ingest.ts → run-segment.ts ∥ run-score.ts → run-outputs.ts
 * (run-customer-table.ts, run-actions.ts, run-report.ts, run-seal.ts); this file composes them,
 * and run-steps.ts names what they hand each other.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { StageContext } from './stage-context.js';
import { EXIT, dataError } from '../errors.js';
import { failIfExit, rejectBudgetExit } from './exit-checks.js';
import { prepareOutputFolder } from '../io/output-paths.js';
import type { Parallelism, PendingDigests } from './parallelism.js';
import { openRunFolder } from '../io/run-folder.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import { pseudonymizeActionSettings, pseudonymizeIds } from './pseudonymize-table.js';
import type { RunOptions } from './run-options.js';
import { scoreInputFromFacts, scoreInputFromSummaries } from './score-stage.js';
import { summaryViews } from '../core/aggregate/summary-facts.js';
import { runIngest, withoutAmounts } from './run-ingest.js';
import { runSegment } from './run-segment.js';
import { runScores, startRunScoring, writeRunFit } from './run-score.js';
import { runIdOptions, runIdWhenHashed } from './run-id.js';
import { previousTableOf } from './run-compare.js';
import { checkByAttributes } from './run-aggregate.js';
import { noteIngestAndClean } from './run-report.js';
import type { LaterSteps, RunSetup } from './run-steps.js';
import { writeRunOutputs } from './run-outputs.js';
import { refuseEmptyInput } from './empty-input.js';
import { backtestCollectorFor, finishBacktest } from './run-backtest.js';
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
  const backtest = backtestCollectorFor(ctx, o, o.holdout?.day ?? null, o.asOf, o.score);

  // The folder is written all or nothing (io/run-folder.ts): this run's files go to a staging
  // folder, and DIR switches to it in one rename once every file is written.
  const folder = await openRunFolder(outDir, {
    wait: o.waitLock,
    onWait: (h) => msgs.note(`run: waiting for the custkit run writing ${outDir}${h ? ` (pid ${h.pid}, started ${h.started})` : ''} to finish`),
  });
  let digests: PendingDigests | null = null;
  try {
    const { previousPath, previous } = await previousTableOf(folder, o.compare, pseudonyms, msgs);
    // The input bytes (and the compared table) are hashed on a worker meanwhile: the run id.
    const compared = previousPath ?? (previous !== undefined ? resolve(o.compare) : null);
    digests = parallelism(null).digestFiles(compared === null ? files : [...files, compared]);
    const runId = runIdWhenHashed(digests, { version: ctx.version, files, options: runIdOptions(o, backtest !== null), compared });
    const code = await ingestToReport(ctx, files, o, { parallelism, folder, previous, previousPath, runId, backtest, privacy });
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
async function ingestToReport(ctx: StageContext, files: string[], o: RunOptions, q: RunSetup): Promise<number> {
  const msgs = ctx.msgs;
  const { ingest: ingestOpts, clean: cleanOpts, segment: segOpts, score: scoreOpts, asOf: asOfOpt, failIf: conditions } = o;
  const { previous, previousPath, backtest, privacy } = q;
  const pseudonyms = privacy.pseudonyms ?? null;
  const by = o.report.by;
  const stage = q.folder.stage;
  // 1. ingest → clean → accumulate, fused: in DuckDB when asked and the input is taken as
  //    written (engine/duckdb-clean.ts), else streaming in JavaScript.
  const t0 = performance.now();
  const parallel = q.parallelism(o.engine.threads);
  const got = await runIngest(ctx, files, o, { ingestOpts, cleanOpts, asOfOpt, backtest, privacy, parallel, stage, t0 });
  const { ing, clean, asOf, refundOnly, bytes, retention, attributes, engine } = got;
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
  //    (summary-facts.ts), not a million plain objects; the score inputs come from the facts,
  //    so the thread starts before the views are made.
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
    const later = { t0, outDir: stage, dir: q.folder.dir, commit: () => q.folder.commit(), runId: q.runId, files, ing, clean, summaries, asOf, refundOnly, conditions, previous, previousPath, segOpts, scoreOpts, scoreInput, scoring, kmeansThread, fitClusters: parallel.fitClusters, parallel, bt, attributes, by, actionSettings: pseudonyms ? pseudonymizeActionSettings(o.actions, pseudonyms) : o.actions, exclude: pseudonymizeIds(cleanOpts.exclude ?? new Set<string>(), pseudonyms), retention, pseudonyms, engine };
    summaries = [];
    return await segmentScoreReport(ctx, o, later);
  } catch (e) {
    scoring?.cancel();
    throw e;
  }
}

/** Steps 2–5 of run: segment, score, customer table, reports; the exit code. */
async function segmentScoreReport(ctx: StageContext, o: RunOptions, p: LaterSteps): Promise<number> {
  const msgs = ctx.msgs;
  const { outDir, ing, asOf, conditions, segOpts, scoreOpts } = p;
  const held = { summaries: p.summaries, previous: p.previous };
  p.summaries = []; // held only in `held` from now on (released before the report)
  p.previous = undefined;
  const seg = await runSegment(ctx, held.summaries, segOpts, p.kmeansThread ? p.fitClusters : null, asOf, p.retention);

  // 3. score (or wait for the thread's scores: run-score.ts).
  const t2 = performance.now();
  const { id: runId, inputs: inputDigests } = await p.runId();
  const { cells, meta, sc } = await runScores(ctx, held.summaries, p.scoreInput, scoreOpts, p.scoring, t2);
  if (meta) writeRunFit(ctx, outDir, meta, scoreOpts, held.summaries.length, runId, p.bt);

  // 4–5. customer table, action list, audit, reports, workbook, run.json (run-outputs.ts).
  const model = await writeRunOutputs(ctx, o, p, held, { seg, sc, meta, cells, runId, inputDigests });

  // Both checks speak; the reject budget's code wins.
  const budget = rejectBudgetExit(msgs, rejectRate(ing), o.maxRejectRate, join(p.dir, 'rejects.csv'));
  const alert = failIfExit(msgs, conditions, model);
  return budget !== EXIT.OK ? budget : alert;
}
