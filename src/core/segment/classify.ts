/**
 * Runs the selected classifications over customer summaries and lays out the per-customer
 * classification columns plus the summary facts the CLI prints on stderr.
 *
 * Columns (SEGMENT_COLUMNS, customer-table/schema.ts; with the zh8 map `rfm_segment_en` follows `rfm_segment`):
 * abc_class, value_tier, r_score, f_score, m_score, rfm_score, rfm_segment, cluster,
 * cluster_label, sleep_state, overdue_factor, sleep_reason. A classification not
 * selected in `only` leaves its columns empty. Deterministic: same summaries (same order),
 * options and seed → identical result.
 */
import type { CustomerSummary } from '../aggregate/customer-summary.js';
import { abcClasses, abcGrid, type AbcOptions } from './abc-classes.js';
import { clusterFeatures, fitClusters, numberClusters, standardizedFeatures, type ClusterFit, type ClusterOptions, type ClusterResult } from './customer-clusters.js';
import { rfmScores, type RfmScores } from './rfm-scores.js';
import { customSegmentIndex, SEGMENT11, segment11Index, ZH8_EN, ZH8_NAMES, zh8Classes, type CompiledSegmentMap } from './rfm-segments.js';
import { SLEEP_STATES, sleepStates, type SleepOptions, type SleepResult } from './sleep-states.js';
import { VALUE_TIERS, valueTiers, type PyramidOptions } from './value-pyramid.js';
import { RankCache } from './rank-order.js';
import { segmentColumns } from '../customer-table/schema.js';

export type Classification = 'abc' | 'pyramid' | 'rfm' | 'kmeans' | 'sleep';
export const CLASSIFICATIONS: readonly Classification[] = ['abc', 'pyramid', 'rfm', 'kmeans', 'sleep'];


export interface SegmentOptions {
  /** Classifications to run; default all. */
  only?: Iterable<Classification>;
  /** ABC on revenue (default) or orders; `mode: 'grid'` = orders class × revenue class ("AB"). */
  abc?: AbcOptions & { basis?: 'revenue' | 'orders'; mode?: 'single' | 'grid' };
  pyramid?: PyramidOptions & { basis?: 'revenue' | 'orders' };
  /** bins (default 5); map: '11' (default), 'zh8', or a custom map compiled by validateSegmentMap. */
  rfm?: { bins?: number; map?: '11' | 'zh8' | CompiledSegmentMap; zh8Center?: 'mean' | 'median' };
  kmeans?: ClusterOptions;
  sleep?: SleepOptions;
  /**
   * Transactions without amounts: ABC and the pyramid rank orders; RFM has no M (m_score and
   * rfm_score empty; the 11-segment map reads FM as F; zh8 and rfm-basis maps need M); k-means
   * (numbered and labelled by revenue) is skipped; value at risk is absent.
   */
  amountless?: boolean;
}

/** Counts per class in display order. */
export type Counts = [string, number][];

export interface SegmentResult {
  n: number;
  columns: string[];
  abcClass: string[] | null;
  valueTier: string[] | null;
  rfm: RfmScores | null;
  rfmSegment: string[] | null;
  rfmSegmentEn: string[] | null;
  clusters: ClusterResult | null;
  sleep: SleepResult | null;
  /** Transactions without amounts (SegmentOptions.amountless). */
  amountless?: boolean;
  /** What the CLI prints: counts, RFM thresholds, zh8 centers, k-means fit, sleep population. */
  info: {
    counts: Partial<Record<'abc' | 'pyramid' | 'rfm' | 'cluster' | 'sleep', Counts>>;
    rfmThresholds: RfmScores['thresholds'] | null;
    zh8Centers: { daysSinceLast: number; orders: number; revenue: number } | null;
    kmeans: { k: number; inertia: number; silhouette: number; iterations: number; curve: ClusterResult['curve']; profiles: ClusterResult['profiles'] } | null;
    sleep: { rule: 'cycle' | 'days'; populationInterval: number; oneTimeInterval: number } | null;
  };
}

function countIn(values: readonly string[], order: readonly string[]): Counts {
  const m = new Map<string, number>(order.map((k) => [k, 0]));
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  const extra = [...m.keys()].filter((k) => !order.includes(k)).sort();
  return [...order, ...extra].map((k) => [k, m.get(k)!]);
}

/** Runs the selected classifications (see module comment). */
export function classifyCustomers(summaries: readonly CustomerSummary[], opts: SegmentOptions = {}): SegmentResult {
  const only = new Set<Classification>(opts.only ?? CLASSIFICATIONS);
  const noM = opts.amountless === true;
  if (noM) only.delete('kmeans');
  // One pass over the summaries (a million scattered objects), not one per array.
  const n = summaries.length;
  const ids: string[] = [];
  const orders = new Float64Array(n), revenue = new Float64Array(n), days = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = summaries[i]!;
    ids.push(s.customerId);
    orders[i] = s.orders;
    revenue[i] = s.revenue;
    days[i] = s.daysSinceLast;
  }
  // ABC and the pyramid rank the same arrays (revenue by default): once each.
  const ranks = new RankCache(ids);
  const res: SegmentResult = {
    n: summaries.length, columns: segmentColumns(false), abcClass: null, valueTier: null, rfm: null, rfmSegment: null,
    rfmSegmentEn: null, clusters: null, sleep: null,
    info: { counts: {}, rfmThresholds: null, zh8Centers: null, kmeans: null, sleep: null },
  };
  if (noM) res.amountless = true;
  if (only.has('abc')) {
    const o = opts.abc ?? {};
    res.abcClass = o.mode === 'grid' && !noM ? abcGrid(ids, orders, revenue, o, ranks) : abcClasses(ids, o.basis === 'orders' || noM ? orders : revenue, o, ranks);
    res.info.counts.abc = countIn(res.abcClass, []);
  }
  if (only.has('pyramid')) {
    const o = opts.pyramid ?? {};
    res.valueTier = valueTiers(ids, o.basis === 'orders' || noM ? orders : revenue, o, ranks);
    res.info.counts.pyramid = countIn(res.valueTier, VALUE_TIERS);
  }
  if (only.has('rfm')) {
    const o = opts.rfm ?? {};
    const map = o.map ?? '11';
    if (noM && map === 'zh8') throw new RangeError('the zh8 classes need amounts (M high/low); transactions without amounts: use --segments default');
    if (noM && typeof map === 'object' && map.basis !== 'r_fm') throw new RangeError('a segment map with "basis": "rfm" needs M scores; transactions without amounts: use "basis": "r_fm" (FM reads as F)');
    // Without amounts M is the F score: FM = ⌈(F + F)/2⌉ = F; m_score itself is written empty.
    const sc = rfmScores(days, orders, noM ? orders : revenue, o.bins ?? 5);
    res.rfm = sc;
    res.info.rfmThresholds = sc.thresholds;
    if (map === 'zh8') {
      const z = zh8Classes(days, orders, revenue, o.zh8Center ?? 'mean');
      res.rfmSegment = Array.from(z.index, (k) => ZH8_NAMES[k]!);
      res.rfmSegmentEn = Array.from(z.index, (k) => ZH8_EN[k]!);
      res.info.zh8Centers = z.centers;
      res.columns = segmentColumns(true);
      res.info.counts.rfm = countIn(res.rfmSegment, ZH8_NAMES);
    } else if (map === '11') {
      res.rfmSegment = ids.map((_, i) => SEGMENT11[segment11Index(sc.r[i]!, sc.f[i]!, sc.m[i]!, sc.bins)]!);
      res.info.counts.rfm = countIn(res.rfmSegment, SEGMENT11);
    } else {
      if (map.bins !== sc.bins) throw new RangeError(`segment map was compiled for ${map.bins} bins, scores use ${sc.bins}`);
      res.rfmSegment = ids.map((_, i) => map.names[customSegmentIndex(map, sc.r[i]!, sc.f[i]!, sc.m[i]!)]!);
      res.info.counts.rfm = countIn(res.rfmSegment, map.names);
    }
  }
  if (only.has('kmeans')) {
    const o = opts.kmeans ?? {};
    const features = clusterFeatures(o);
    addClusters(res, summaries, fitClusters(standardizedFeatures(summaries, features), n, features.length, o), o);
  }
  if (only.has('sleep')) {
    const s = sleepStates(summaries, opts.sleep ?? {});
    res.sleep = s;
    res.info.sleep = { rule: s.rule, populationInterval: s.populationInterval, oneTimeInterval: s.oneTimeInterval };
    res.info.counts.sleep = countIn(s.state, SLEEP_STATES);
  }
  return res;
}

/** The order of the classifications' counts in {@link SegmentResult}'s info (and so in what is printed). */
const COUNT_ORDER = ['abc', 'pyramid', 'rfm', 'cluster', 'sleep'] as const;

/**
 * Puts the k-means classification into `res` from a fit of the customers' standardized features
 * (fitClusters): what classifyCustomers does with 'kmeans' selected, whenever the fit is made.
 * `run` classifies without 'kmeans' while a thread of its own fits the clusters (parallel/kmeans-thread.ts), then adds them.
 */
export function addClusters(res: SegmentResult, summaries: readonly CustomerSummary[], fit: ClusterFit, opts: ClusterOptions = {}): void {
  const c = numberClusters(summaries, fit, clusterFeatures(opts));
  res.clusters = c;
  res.info.kmeans = { k: c.k, inertia: c.inertia, silhouette: c.silhouette, iterations: c.iterations, curve: c.curve, profiles: c.profiles };
  const counts: SegmentResult['info']['counts'] = {};
  for (const key of COUNT_ORDER) {
    if (key === 'cluster') counts.cluster = c.profiles.map((p) => [String(p.cluster), p.size]);
    else if (res.info.counts[key]) counts[key] = res.info.counts[key];
  }
  res.info.counts = counts;
}
