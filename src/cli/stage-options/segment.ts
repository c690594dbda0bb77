/**
 * The segment stage's typed options from the parsed flags (and config): segment, score
 * --holdout and run build them alike. Also the options of the aggregation it reads through:
 * the engine, cohorts and the key-indicator outcome.
 */
import { usageError } from '../../errors.js';
import { fileErrorText, NotJson, readJsonObjectFile } from '../../io/json-file.js';
import { listValue, numberList } from '../../config/options.js';
import { CLASSIFICATIONS, type Classification, type SegmentOptions } from '../../core/segment/classify.js';
import { CLUSTER_FEATURES, type ClusterFeature } from '../../core/segment/customer-clusters.js';
import { checkAbcCuts } from '../../core/segment/abc-classes.js';
import { validateSegmentMap } from '../../core/segment/rfm-segments.js';
import type { SleepOptions } from '../../core/segment/sleep-states.js';
import { COHORT_GRAINS, type CohortGrain } from '../../core/cohort/periods.js';
import type { DriverOutcome } from '../../core/drivers/key-indicators.js';
import type { Engine, EngineOptions } from '../../pipeline/engine-aggregate.js';

function sleepOptionsFrom(o: Record<string, unknown>): SleepOptions {
  const rule = String(o.sleepRule ?? 'cycle');
  if (rule !== 'cycle' && rule !== 'days') throw usageError(`--sleep-rule ${rule} is not valid`, 'use cycle or days');
  const s: SleepOptions = { rule };
  if (o.sleep) s.dayThresholds = numberList(o.sleep, 'sleep', 4);
  if (o.sleepFactors) s.factorThresholds = numberList(o.sleepFactors, 'sleep-factors', 4);
  for (const t of [s.dayThresholds, s.factorThresholds]) {
    if (t && t.some((x, i) => !(x > 0) || (i > 0 && x <= t[i - 1]!))) throw usageError('sleep thresholds must be 4 increasing positive numbers', 'e.g. --sleep 30,60,90,180');
  }
  return s;
}

/** The sleeping rule a backtest takes as its baseline: segment's, with its day thresholds by default. */
export function backtestSleepOptionsFrom(o: Record<string, unknown>): SleepOptions {
  return sleepOptionsFrom({ sleepRule: o.sleepRule ?? 'cycle', sleep: o.sleep ?? '30,60,90,180', sleepFactors: o.sleepFactors ?? null });
}

/** Options of the segment stage from command-line / config values. */
export function segmentOptionsFrom(o: Record<string, unknown>): SegmentOptions {
  const only = listValue(o.only);
  for (const c of only) {
    if (!(CLASSIFICATIONS as readonly string[]).includes(c)) throw usageError(`--only: unknown classification "${c}"`, `use ${CLASSIFICATIONS.join(',')}`);
  }
  const cuts = numberList(o.abc ?? '80,15,5', 'abc');
  const cutErr = checkAbcCuts(cuts);
  if (cutErr) throw usageError(`--abc ${cuts.join(',')}: ${cutErr}`, 'e.g. --abc 80,15,5');
  const pyr = numberList(o.pyramid ?? '1,4,15', 'pyramid', 3);
  if (pyr.some((x) => !(x >= 0)) || pyr.reduce((a, b) => a + b, 0) > 100) throw usageError(`--pyramid ${pyr.join(',')} is not valid`, 'three percentages (vip,key,medium) summing to at most 100');
  const bins = Number(o.bins ?? 5);
  if (!Number.isInteger(bins) || bins < 2 || bins > 10) throw usageError(`--bins ${String(o.bins)} is not valid`, 'a whole number from 2 to 10');
  const segArg = String(o.segments ?? 'default');
  let map: NonNullable<SegmentOptions['rfm']>['map'] = '11';
  if (segArg === 'zh8') map = 'zh8';
  else if (segArg !== 'default' && segArg !== '11') {
    let json: unknown;
    try {
      json = readJsonObjectFile(segArg);
    } catch (e) {
      // Described, not quoted: the path may name any file (--segments /etc/passwd).
      const why = e instanceof NotJson ? `not a JSON segment map: ${e.reason}` : `cannot read a JSON segment map: ${fileErrorText(e)}`;
      throw usageError(`--segments ${segArg}: ${why}`, 'use default, zh8 or a JSON file (docs/definitions.md, "Custom segment maps")');
    }
    const compiled = validateSegmentMap(json, bins);
    if ('error' in compiled) throw usageError(`--segments ${segArg}: ${compiled.error}`);
    map = compiled;
  }
  const kArg = String(o.k ?? 'auto');
  const k: number | 'auto' = kArg === 'auto' ? 'auto' : Number(kArg);
  if (k !== 'auto' && (!Number.isInteger(k) || k < 1 || k > 50)) throw usageError(`--k ${kArg} is not valid`, 'a whole number from 1 to 50, or auto');
  const features = listValue(o.features ?? 'days_since_last,orders,revenue');
  for (const f of features) {
    if (!(f in CLUSTER_FEATURES)) throw usageError(`--features: unknown feature "${f}"`, `use ${Object.keys(CLUSTER_FEATURES).join(', ')}`);
  }
  const basis = String(o.abcBy ?? 'revenue') as 'revenue' | 'orders';
  return {
    only: only.length ? (only as Classification[]) : undefined,
    abc: { cuts, basis, mode: String(o.abcMode ?? 'single') as 'single' | 'grid' },
    pyramid: { percents: pyr as [number, number, number], basis },
    rfm: { bins, map, zh8Center: String(o.rfmSplit ?? 'mean') as 'mean' | 'median' },
    kmeans: { k, seed: Number(o.seed ?? 42), features: features as ClusterFeature[] },
    sleep: sleepOptionsFrom(o),
  };
}

/** `--outcome second-purchase|alive` of the key indicators. */
export function driverOutcomeFrom(o: Record<string, unknown>): DriverOutcome {
  const v = String(o.outcome ?? 'second-purchase');
  if (v === 'second-purchase') return 'second_purchase';
  if (v === 'alive') {
    const only = o.only === undefined || o.only === null ? null : String(o.only).split(',').map((x) => x.trim());
    if (only && !only.includes('sleep')) throw usageError('--outcome alive needs the sleeping states', 'add sleep to --only, or drop --only');
    return 'alive';
  }
  throw usageError(`--outcome ${v} is not valid`, 'use second-purchase or alive');
}

/** The cohort grain of `--cohorts` (null: off); `fallback` when the option is not given. */
export function cohortGrainFrom(o: Record<string, unknown>, fallback: CohortGrain | null): CohortGrain | null {
  const v = o.cohorts === undefined || o.cohorts === null ? null : String(o.cohorts);
  if (v === null) return fallback;
  if (v === 'off') return null;
  if (!(COHORT_GRAINS as readonly string[]).includes(v)) throw usageError(`--cohorts ${v} is not valid`, 'use month, quarter, week or off');
  return v as CohortGrain;
}

/** `2GB`, `512MB`, `1.5GiB`… as DuckDB's memory_limit accepts them. */
const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

export function engineOptionsFrom(o: Record<string, unknown>): EngineOptions {
  const engine = (o.engine ?? 'auto') as Engine;
  const memoryLimit = (o.memoryLimit as string | null | undefined) ?? null;
  if (memoryLimit !== null && !SIZE.test(memoryLimit.trim())) {
    throw usageError(`--memory-limit: "${memoryLimit}" is not a size`, 'write it like 2GB or 512MB');
  }
  if (memoryLimit !== null && engine === 'js') throw usageError('--memory-limit applies to --engine duckdb only', 'add --engine duckdb, or drop --memory-limit');
  const threads = (o.threads as number | null | undefined) ?? null;
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw usageError(`--threads ${String(threads)}: expected a whole number from 1 to 256`, 'e.g. --threads 2 on a two-core machine');
  }
  return { engine, memoryLimit: memoryLimit?.trim() ?? null, threads };
}
