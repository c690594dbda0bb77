/**
 * Chooses where the O(orders) aggregation runs: the streaming JavaScript engine
 * (aggregate-stage.ts) or embedded DuckDB (engine/duckdb-aggregate.ts). Both return the same
 * AggregateResult, so segment, score and report do not know which one ran.
 */
import { usageError } from '../errors.js';
import type { Messages } from '../io/messages.js';
import { aggregateWithDuckdb, type DuckdbAggregateResult } from '../engine/duckdb-aggregate.js';
import { DuckdbError } from '../io/duckdb-error.js';
import { askedDuckdb, fallsBack } from './duckdb-fallback.js';
import { aggregateInput, type AggregateResult, type Progress } from './aggregate-stage.js';
import { canonicalLayout } from './canonical.js';
import { canonicalHeaderOf } from './canonical-header.js';
import type { Parallelism } from './parallelism.js';
import { availableMemory, chooseEngine, inputBytes, jsEngineFits, type ChosenEngine } from './engine-choice.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';

/** Said on stderr when cohorts are asked for where they cannot be computed (never silently absent). */
export const COHORTS_NOT_IN_DUCKDB = 'cohorts and key indicators are not computed by the DuckDB engine (its aggregation has no per-period activity): use --engine js for them';

/** `auto` (the default) is resolved per input by resolveEngine. */
export type Engine = 'js' | 'duckdb' | 'auto';

export interface EngineOptions {
  engine: Engine;
  memoryLimit: string | null;
  /** --threads (js engine); null: CUSTKIT_THREADS, else the thread policy's defaults (parallel/policy.ts). DuckDB always uses every core. */
  threads: number | null;
}

/**
 * The engine that runs for `paths`: the one asked for, or under `auto` engine-choice.ts's
 * choice, said on stderr (`command: engine auto → duckdb (why)`).
 */
export function resolveEngine(command: string, paths: string[], eng: EngineOptions, msgs: Messages, jsReadsMany: boolean): ChosenEngine {
  if (eng.engine !== 'auto') return eng.engine;
  const c = chooseEngine(paths, inputBytes(paths), availableMemory(), jsReadsMany);
  msgs.note(`${command}: engine auto → ${c.engine} (${c.why})`);
  return c.engine;
}

/**
 * Aggregates `paths` with the chosen engine. DuckDB falls back to the JavaScript reader, with a
 * note, for a per-customer table (no transactions to aggregate) and for a file with a cell that
 * is not a date or an amount (the JavaScript reader reports it with file, line and column); with
 * a warning after a DuckDB failure duckdb-fallback.ts lets it take over; other failures are exit 2.
 */
export async function aggregateWithEngine(
  paths: string[],
  asOf: number | null,
  eng: EngineOptions,
  msgs: Messages,
  progress?: Progress,
  attrRules: Readonly<Record<string, string>> = {},
  cohorts: CohortGrain | null = null,
  outcome: DriverOutcome = 'second_purchase',
  parallel: Parallelism | null = null,
): Promise<AggregateResult> {
  const engine = resolveEngine('segment', paths, eng, msgs, false);
  // Kept columns become attributes in the JavaScript engine only: DuckDB's aggregation has none.
  const header = engine === 'duckdb' && paths.length === 1 ? canonicalHeaderOf(paths[0]!) : null;
  if (header && canonicalLayout(header, paths[0]!).schema.dimNames.length > 0) {
    msgs.note('segment: the input has kept columns, which become customer attributes in the JavaScript engine only: aggregating there instead of DuckDB');
    return aggregateInput(paths[0]!, asOf, progress, parallel, attrRules, cohorts, outcome);
  }
  if (engine === 'duckdb') {
    let r: DuckdbAggregateResult | null;
    try {
      r = await aggregateWithDuckdb(paths, { asOf, memoryLimit: eng.memoryLimit });
    } catch (e) {
      // The JavaScript engine reads one plain text file.
      if (!(e instanceof DuckdbError) || !fallsBack(e, eng.engine, paths.length === 1 && !/\.(gz|zst|parquet)$/i.test(paths[0]!), () => jsEngineFits(paths))) throw e;
      msgs.warn(`segment: ${askedDuckdb(eng.engine)}: ${e.why}; aggregating with the JavaScript engine instead (same results)`);
      return aggregateInput(paths[0]!, asOf, progress, parallel, attrRules, cohorts, outcome);
    }
    if (r) {
      if (cohorts) msgs.warn(`segment: ${COHORTS_NOT_IN_DUCKDB}`);
      return { summaries: r.summaries, asOf: r.asOf, source: 'transactions', rows: r.rows, refundOnly: r.refundOnly, afterAsOf: r.afterAsOf, label: paths.join(', '), engine: 'duckdb' };
    }
    if (paths.length > 1) {
      throw usageError('--engine duckdb: these files are not canonical transactions that DuckDB can read', 'run each through the JavaScript engine (--engine js) to see the first bad cell');
    }
    msgs.note('segment: not canonical transactions DuckDB can aggregate (a customer table, or a cell that is not a date or an amount): reading it with the JavaScript engine');
  } else if (paths.length > 1) {
    throw usageError('the js engine reads one file', 'concatenate with `custkit clean a.csv b.csv`, or use --engine duckdb');
  }
  return aggregateInput(paths[0]!, asOf, progress, parallel, attrRules, cohorts, outcome);
}
