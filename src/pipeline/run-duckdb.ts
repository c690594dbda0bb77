/**
 * run's fused ingest → clean → aggregate step in DuckDB (engine/duckdb-clean.ts), for input
 * taken as written; the JavaScript engine runs it otherwise, with the same results.
 */
import { join } from 'node:path';
import type { StageContext } from './stage-context.js';
import type { IngestOptions } from '../config/ingest-options.js';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import type { DuckdbRunResult } from '../engine/duckdb-clean.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import { openRejects } from '../io/rejects-writer.js';
import { done } from './clean-stage.js';
import { DRIVERS_NOT_IN_DUCKDB } from './cohort-stage.js';
import type { FusedResult } from './fused-result.js';
import { mbps } from './ingest-summary.js';
import { peakRssMb } from './peak-rss.js';
import { pseudonymizeFacts } from './pseudonymize-table.js';

/**
 * Why the fused step cannot run in SQL although DuckDB was chosen (the sentence stderr and
 * run.json's `engine.fallback` give), or null when it can.
 */
export function sqlBlocker(ingest: IngestOptions, backtest: boolean): string | null {
  // Transactions without amounts run in JavaScript, where every stage reads them.
  if (ingest.noAmount) return '--no-amount: transactions without amounts run in the JavaScript engine, not DuckDB';
  if (backtest) return '--holdout: the backtest reads the cleaned transactions in JavaScript, so ingest, clean and aggregation run there too';
  // Kept columns become customer attributes in the JavaScript engine only.
  if (ingest.keep.length > 0) return '--keep columns become customer attributes in the JavaScript engine only: running there instead of DuckDB';
  return null;
}

/** The fused step's result from DuckDB's: an empty rejects file, the audit, the facts (pseudonymised when asked), the cohorts when asked. */
export async function fusedInDuckdb(ctx: StageContext, viaSql: DuckdbRunResult, p: { stage: string; privacy: RejectPrivacy; t0: number }): Promise<FusedResult> {
  await openRejects(join(p.stage, 'rejects.csv'), p.privacy).close();
  const pseudonyms = p.privacy.pseudonyms ?? null;
  // Facts as the JavaScript engine gives them: summary views and scoring from columns later.
  const facts = pseudonyms ? pseudonymizeFacts(viaSql.facts, pseudonyms).facts : viaSql.facts;
  (viaSql as { facts: SummaryFacts | null }).facts = null; // held by the result alone
  ctx.stats.ingestCleanAggregateMs = Math.round(performance.now() - p.t0);
  ctx.stats.ingestCleanAggregatePeakRssMb = peakRssMb();
  ctx.msgs.note(`run: DuckDB engine: ingest, clean and aggregation ran in SQL (${(viaSql.bytes / 1e6).toFixed(0)} MB, ${mbps(viaSql.bytes, performance.now() - p.t0)} MB/s)${viaSql.cohorts ? ', the cohorts too' : ''}${viaSql.partitions > 1 ? `, in ${viaSql.partitions} customer partitions (to keep within its memory limit)` : ''}`);
  if (viaSql.cohorts) ctx.msgs.warn(`run: key indicators are ${DRIVERS_NOT_IN_DUCKDB}`);
  return {
    ing: { rowsRead: viaSql.rowsRead, rowsOut: viaSql.rowsRead, rejected: {}, files: viaSql.reports },
    clean: done(viaSql.audit),
    facts,
    asOf: viaSql.asOf,
    refundOnly: viaSql.refundOnly,
    bytes: viaSql.bytes,
    attributes: null,
    // Cohorts of the original ids: pseudonyms change no count or sum.
    retention: viaSql.cohorts ? { cohorts: viaSql.cohorts, drivers: null, first: null } : null,
  };
}
