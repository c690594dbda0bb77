/**
 * run's step 1: ingest → clean → accumulate, fused: in DuckDB when asked and the input is taken
 * as written (engine/duckdb-clean.ts), else streaming in JavaScript. Writes rejects.csv.
 */
import { join } from 'node:path';
import { usageError, dataError } from '../errors.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import { attributeCells, type AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';
import type { IngestOptions } from '../config/ingest-options.js';
import { runWithDuckdb, type DuckdbRunResult } from '../engine/duckdb-clean.js';
import { duckdbError } from '../io/duckdb-error.js';
import { DEFAULT_MEMORY_LIMIT } from '../engine/duckdb-aggregate.js';
import { askedDuckdb, fallsBack } from './duckdb-fallback.js';
import type { RunEngine } from './run-id.js';
import { openRejects } from '../io/rejects-writer.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import { absentMoney, attributeSpecsOf, attrValueError, describeAttrs } from './aggregate-stage.js';
import type { BacktestCollector } from './backtest-stage.js';
import { runCleanPasses, type CleanRun, type CleanStageOptions } from './clean-stage.js';
import { retentionOf, withoutMoney, type Retention } from './cohort-stage.js';
import { resolveEngine } from './engine-aggregate.js';
import { jsEngineFits } from './engine-choice.js';
import type { FusedResult, IngestCounts } from './fused-result.js';
import { ingestFiles, type IngestSinks } from './ingest-stage.js';
import type { Parallelism } from './parallelism.js';
import { peakRssMb } from './peak-rss.js';
import { pseudonymizedAggregate } from './run-aggregate.js';
import { fusedInDuckdb, sqlBlocker } from './run-duckdb.js';
import type { RunOptions } from './run-options.js';
import type { StageContext } from './stage-context.js';
import type { SegmentOptions } from '../core/segment/classify.js';
import type { ScoreOptions } from './score-stage.js';

/** What step 1 gives the later steps. */
export interface Ingested {
  ing: IngestCounts;
  clean: CleanRun;
  /** From the JavaScript engine: the summaries' facts, the summaries built from them once scoring has started. */
  facts: SummaryFacts | null;
  summaries: CustomerSummary[];
  asOf: number;
  refundOnly: number;
  bytes: number;
  retention: Retention | null;
  attributes: AttributeCells | null;
  /** The engine asked for, the one whose results these are, and why DuckDB's are not when it was chosen (run.json). */
  engine: RunEngine;
}

/**
 * Step 1 in DuckDB or JavaScript. The caller takes `facts` and `summaries` over and empties
 * them here: a value left reachable from a waiting frame stayed through the report (it raised
 * the peak: docs/performance.md).
 */
export async function runIngest(
  ctx: StageContext,
  files: string[],
  o: RunOptions,
  q: { ingestOpts: IngestOptions; cleanOpts: CleanStageOptions; asOfOpt: number | null; backtest: BacktestCollector | null; privacy: RejectPrivacy; parallel: Parallelism; stage: string; t0: number },
): Promise<Ingested> {
  const msgs = ctx.msgs;
  const { ingestOpts, cleanOpts, asOfOpt, backtest, privacy, parallel, stage, t0 } = q;
  const pseudonyms = privacy.pseudonyms ?? null;
  const eng = o.engine;
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
  const blocker = engine === 'duckdb' ? sqlBlocker(ingestOpts, backtest !== null) : null;
  const viaSql = engine === 'duckdb' && blocker === null ? await tryDuckdb(files, eng, () => runWithDuckdb(files, ingestOpts, cleanOpts, asOfOpt, { memoryLimit: eng.memoryLimit }, grain)) : null;
  let fallback: string | null = blocker;
  // An option that keeps DuckDB out: a warning when DuckDB was asked for by name, else a note.
  if (blocker !== null) (eng.engine === 'duckdb' ? msgs.warn : msgs.note)(`run: ${blocker}`);
  if (viaSql && !('why' in viaSql)) {
    const sql = await fusedInDuckdb(ctx, viaSql, { stage, privacy, t0 });
    ({ ing, clean, facts, asOf, refundOnly, bytes, retention } = sql);
    sql.facts = null; // held by `facts` alone (see below)
  } else {
    if (viaSql && files.some(compressed)) {
      throw usageError(`--engine duckdb: ${viaSql.why}, and the JavaScript engine does not read compressed files`, 'give uncompressed CSV, XLSX or Parquet, or CSV.gz whose columns and values are in canonical form (custkit ingest output)');
    }
    // Asked for by name or after a DuckDB failure, a fallback is a warning; chosen by auto, a note.
    if (viaSql) {
      fallback = viaSql.why;
      (eng.engine === 'duckdb' || viaSql.failed ? msgs.warn : msgs.note)(`run: ${askedDuckdb(eng.engine)}: ${viaSql.why}; ingest, clean and aggregation run in JavaScript instead (same results)`);
    }
    const js = await ingestCleanAggregateJs(ctx, files, { ingestOpts, cleanOpts, asOfOpt, parallel, outDir: stage, t0, attrRules: o.attrRules, backtest, grain, outcome, privacy });
    ({ ing, clean, asOf, refundOnly, bytes, retention } = js);
    ({ facts, summaries, attributes } = pseudonymizedAggregate(js, pseudonyms));
    js.summaries = undefined;
    if (attributes) msgs.note(`run: attributes per customer: ${describeAttrs(attributes.specs)}`);
    // Held by `facts` alone, then by `summaries`, which is emptied when the later steps take
    // them over: a value left in a waiting frame's registers (here `js`) stayed reachable
    // through the report (it raised the peak: docs/performance.md).
    js.facts = null;
  }
  const used = viaSql && !('why' in viaSql) ? 'duckdb' : 'js';
  return { ing, clean, facts, summaries, asOf, refundOnly, bytes, retention, attributes, engine: { asked: eng.engine, used, ...(fallback !== null ? { fallback } : {}) } };
}

const compressed = (f: string): boolean => /\.(gz|zst)$/i.test(f);

/**
 * DuckDB's result; after a DuckDB failure the JavaScript engine may take over
 * (duckdb-fallback.ts), given `{ why, failed }`; else the failure is the error (exit 2).
 */
async function tryDuckdb(files: string[], eng: RunOptions['engine'], run: () => Promise<DuckdbRunResult | { why: string }>): Promise<DuckdbRunResult | { why: string; failed?: true }> {
  try {
    return await run();
  } catch (e) {
    // runWithDuckdb throws DuckdbErrors; any other error DuckDB raised is classified the same way.
    const d = duckdbError(e, { files, memoryLimit: eng.memoryLimit ?? DEFAULT_MEMORY_LIMIT });
    if (!d || !fallsBack(d, eng.engine, !files.some(compressed), () => jsEngineFits(files))) throw d ?? e;
    return { why: d.why, failed: true };
  }
}

/**
 * Whether the transactions have no amounts; if so, segment and score are told to treat them
 * as `segment` and `score` do, and stderr says what that leaves out.
 */
export function withoutAmounts(ctx: StageContext, ing: IngestCounts, ingestOpts: IngestOptions, segOpts: SegmentOptions, scoreOpts: ScoreOptions): boolean {
  if (!ing.files.some((f) => f.amountless)) return false;
  segOpts.amountless = true;
  scoreOpts.noAmounts = true;
  ctx.msgs.note(`run: ${ingestOpts.noAmount ? '--no-amount' : 'no amount column maps (nor quantity × unit price)'}: transactions without amounts; counts, recency/frequency and BTYD models work, money-only outputs (revenue, Gamma-Gamma, CLV, value at risk) are absent, and the report says which sections it leaves out`);
  return true;
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
  const tr = performance.now();
  const retention = retentionOf(acc, asOf, p.outcome);
  if (retention) ctx.stats.retentionMs = Math.round(performance.now() - tr);
  return { ing: ingestResult!, clean, facts, asOf, refundOnly: acc.refundOnly, bytes, attributes, retention };
}
