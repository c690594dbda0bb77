/**
 * buildReport: customer table (+ optional audit, previous table) → ReportModel.
 * Cost: O(n log n) for the Lorenz sort, otherwise one or two linear passes over typed
 * columns; top-N lists use a bounded heap (O(n log N)).
 */
import { formatDay, parseIsoDay } from '../time/day.js';
import { roundMoney } from '../money.js';
import { createRng } from '../math/rng.js';
import { CustkitError, EXIT } from '../../errors.js';
import { textAt, type CustomerTable } from './customer-record.js';
import { ACTIONS, type Lang } from './i18n.js';
import { SEGMENT11_KEYS, ZH8_KEYS, TIER_KEYS, SLEEP_STATES, CHURN_BANDS } from './segment-keys.js';
import { changes } from './changes.js';
import { tableSegments, zh8Computed } from './table-segments.js';
import { giniSorted, lorenzPoints, sortedClamped, topShareSorted } from './pareto.js';
import { readAudit } from './audit.js';
import { tableSilhouette } from './table-silhouette.js';
import { topK } from './top-k.js';
import { breakdown, type Breakdown } from './breakdown.js';
import type { CohortReport } from '../cohort/cohort-table.js';
import type { DriversReport } from '../drivers/key-indicators.js';
export { PREVIOUS_TABLE_FIELDS, previousRows } from './changes.js';
import type {
  Changes,
  ClassShare,
  Clusters,
  Clv,
  ModelComparisonReport,
  ModelFit,
  ValueBasis,
  Overview,
  Pareto,
  ReportModel,
  Rfm,
  SegmentRow,
  Sleeping,
  TierRow,
} from './report-model.js';

export interface ReportOptions {
  lang: Lang;
  /** Length of every top-N list (call list, top CLV, change lists). */
  top: number;
  /** Override of the as-of date (YYYY-MM-DD); default max(last_order + days_since_last). */
  asOf?: string;
  /** Audit JSON from clean/ingest (see audit.ts for the accepted shapes). */
  audit?: unknown;
  /** The previous customer table, for the changes section. */
  previous?: CustomerTable;
  /** The changes section computed already (`run` streams the previous table: changes.ts PreviousStream); wins over `previous`. */
  changes?: Changes;
  /** Tool name and version, e.g. "custkit 0.1.0". */
  generatedBy: string;
  /** Extra facts from `segment` not in the table, e.g. the k-means silhouette. */
  segmentInfo?: { silhouette?: number | null };
  /** The fit behind the clv columns and whether it is reliable (`run`, `report --fit`). */
  fit?: ModelFit;
  /** The backtest's model comparison (`run --holdout`). */
  modelComparison?: ModelComparisonReport;
  /** First-purchase cohorts from the aggregation (the customer table does not carry them). */
  cohorts?: CohortReport;
  /** Key indicators of retention from the aggregation. */
  drivers?: DriversReport;
  /** CLV histogram bins (default 20). */
  clvBins?: number;
  /** Max scatter points (default 2,000). */
  scatterPoints?: number;
  /** Attributes to break the table down by (`--by`; the table must carry them: CustomerTable.attrs). */
  by?: readonly string[];
  /** Values listed per breakdown before "other" (`--by-top`, default 10). */
  byTop?: number;
}

const r6 = roundMoney;
const share = (a: number, b: number): number => (b > 0 ? r6(a / b) : 0);
const mean = (s: number, n: number): number | null => (n > 0 ? r6(s / n) : null);
const numOrNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

function segmentRows(tab: CustomerTable, keys: (string | null)[], order: readonly string[], totalRevenue: number): SegmentRow[] {
  const acc = new Map<string, { n: number; rev: number; dsl: number; ord: number }>();
  for (const k of order) acc.set(k, { n: 0, rev: 0, dsl: 0, ord: 0 });
  const { daysSinceLast: dsl, orders, revenue } = tab.num;
  for (let i = 0; i < tab.length; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { n: 0, rev: 0, dsl: 0, ord: 0 }));
    a.n++; a.rev += revenue[i]!; a.dsl += dsl[i]!; a.ord += orders[i]!;
  }
  const extra = [...acc.keys()].filter((k) => !order.includes(k)).sort();
  return [...order, ...extra].map((key) => {
    const a = acc.get(key)!;
    return {
      key,
      customers: a.n,
      customer_share: share(a.n, tab.length),
      revenue: r6(a.rev),
      revenue_share: share(a.rev, totalRevenue),
      mean_days_since_last: mean(a.dsl, a.n),
      mean_orders: mean(a.ord, a.n),
      mean_revenue: mean(a.rev, a.n),
      action: (ACTIONS as Record<string, { en: string; zh: string }>)[key] ?? null,
    };
  });
}

function overview(tab: CustomerTable, asOfOpt: string | undefined): Overview {
  const n = tab.length;
  const { orders, revenue, purchaseDays, firstOrder, lastOrder, daysSinceLast } = tab.num;
  let so = 0, sr = 0, rep = 0, first = Infinity, last = -Infinity, asOf = -Infinity;
  for (let i = 0; i < n; i++) {
    so += orders[i]!;
    sr += revenue[i]!;
    if (purchaseDays[i]! >= 2) rep++;
    if (firstOrder[i]! < first) first = firstOrder[i]!;
    if (lastOrder[i]! > last) last = lastOrder[i]!;
    const a = lastOrder[i]! + daysSinceLast[i]!;
    if (a > asOf) asOf = a;
  }
  let asOfDay: number | null = n ? asOf : null;
  if (asOfOpt !== undefined) {
    asOfDay = parseIsoDay(asOfOpt);
    if (asOfDay === null) throw new CustkitError(`--as-of: not a YYYY-MM-DD date: ${JSON.stringify(asOfOpt)}`, EXIT.USAGE);
  }
  return {
    period_start: n && Number.isFinite(first) ? formatDay(first) : null,
    period_end: n ? formatDay(last) : null,
    as_of: asOfDay === null ? null : formatDay(asOfDay),
    customers: n,
    orders: so,
    revenue: r6(sr),
    avg_order_value: so > 0 ? r6(sr / so) : 0,
    repeat_customers: rep,
    repeat_rate: share(rep, n),
    revenue_per_customer: n ? r6(sr / n) : 0,
  };
}

function pareto(tab: CustomerTable): Pareto {
  const asc = sortedClamped(tab.num.revenue);
  const top = topShareSorted(asc, 0.2);
  let abc: ClassShare[] | null = null;
  if (tab.present.has('abcClass')) {
    const col = tab.txt.abcClass;
    const cnt = new Float64Array(col.values.length), rev = new Float64Array(col.values.length);
    let total = 0;
    for (let i = 0; i < tab.length; i++) {
      const c = col.codes[i]!;
      const v = Math.max(0, tab.num.revenue[i]!);
      total += v;
      if (c >= 0) { cnt[c]!++; rev[c]! += v; }
    }
    abc = col.values
      .map((cls, c) => ({
        class: cls,
        customers: cnt[c]!,
        customer_share: share(cnt[c]!, tab.length),
        revenue: r6(rev[c]!),
        revenue_share: share(rev[c]!, total),
      }))
      .sort((a, b) => (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));
  }
  return {
    gini: r6(giniSorted(asc)),
    top20: { customers: top.customers, revenue: r6(top.revenue), share: r6(top.share) },
    lorenz: lorenzPoints(asc, 200).map(([x, y]) => [r6(x), r6(y)] as [number, number]),
    abc,
  };
}

function pyramid(tab: CustomerTable, totalRevenue: number): TierRow[] | null {
  if (!tab.present.has('valueTier')) return null;
  const acc = new Map<string, { n: number; rev: number }>();
  for (const k of TIER_KEYS) acc.set(k, { n: 0, rev: 0 });
  for (let i = 0; i < tab.length; i++) {
    const k = textAt(tab.txt.valueTier, i);
    if (k === null) continue;
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { n: 0, rev: 0 }));
    a.n++; a.rev += tab.num.revenue[i]!;
  }
  return [...acc].map(([tier, a]) => ({
    tier,
    customers: a.n,
    customer_share: share(a.n, tab.length),
    revenue: r6(a.rev),
    revenue_share: share(a.rev, totalRevenue),
    avg_revenue: mean(a.rev, a.n),
  }));
}

function heatmap(tab: CustomerTable): Rfm['heatmap'] {
  if (!tab.present.has('rScore') || !tab.present.has('fScore')) return null;
  const counts = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  const sums = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  for (let i = 0; i < tab.length; i++) {
    const r = Math.round(tab.num.rScore[i]!), f = Math.round(tab.num.fScore[i]!);
    if (!(r >= 1 && r <= 5 && f >= 1 && f <= 5)) continue;
    counts[r - 1]![f - 1]!++;
    sums[r - 1]![f - 1]! += tab.num.revenue[i]!;
  }
  return { counts, mean_revenue: counts.map((row, r) => row.map((c, f) => mean(sums[r]![f]!, c))) };
}

function clusters(tab: CustomerTable, totalRevenue: number, opts: ReportOptions): Clusters | null {
  if (!tab.present.has('cluster')) return null;
  const acc = new Map<number, { n: number; rev: number; dsl: number; ord: number; labels: Map<string, number> }>();
  const { cluster, revenue, orders, daysSinceLast } = tab.num;
  const maxPts = opts.scatterPoints ?? 2000;
  const rng = createRng(20240601);
  const sample: number[] = []; // reservoir of row indices (Vitter's algorithm R)
  let seen = 0;
  for (let i = 0; i < tab.length; i++) {
    const c = cluster[i]!;
    if (Number.isNaN(c)) continue;
    let a = acc.get(c);
    if (!a) acc.set(c, (a = { n: 0, rev: 0, dsl: 0, ord: 0, labels: new Map() }));
    a.n++; a.rev += revenue[i]!; a.dsl += daysSinceLast[i]!; a.ord += orders[i]!;
    const lab = textAt(tab.txt.clusterLabel, i);
    if (lab !== null) a.labels.set(lab, (a.labels.get(lab) ?? 0) + 1);
    if (seen < maxPts) sample.push(i);
    else {
      const j = rng.int(seen + 1);
      if (j < maxPts) sample[j] = i;
    }
    seen++;
  }
  const profiles = [...acc]
    .sort((a, b) => a[0] - b[0])
    .map(([c, a]) => {
      let label: string | null = null, best = -1;
      for (const [l, m] of a.labels) if (m > best || (m === best && label !== null && l < label)) { label = l; best = m; }
      return {
        cluster: c,
        label,
        customers: a.n,
        customer_share: share(a.n, tab.length),
        revenue: r6(a.rev),
        revenue_share: share(a.rev, totalRevenue),
        mean_days_since_last: r6(a.dsl / a.n),
        mean_orders: r6(a.ord / a.n),
        mean_revenue: r6(a.rev / a.n),
      };
    });
  // From segment's fit when known (run), else recomputed from the table (report after segment, any k).
  const sil = opts.segmentInfo?.silhouette ?? tableSilhouette(tab);
  return {
    silhouette: typeof sil === 'number' && Number.isFinite(sil) ? r6(sil) : null,
    profiles,
    sample: sample.sort((a, b) => a - b).map((i) => [r6(revenue[i]!), orders[i]!, cluster[i]!] as [number, number, number]),
  };
}

function sleeping(tab: CustomerTable, opts: ReportOptions): Sleeping | null {
  if (!tab.present.has('sleepState')) return null;
  const acc = new Map<string, { n: number; rev: number; var: number }>();
  for (const s of SLEEP_STATES) acc.set(s, { n: 0, rev: 0, var: 0 });
  const col = tab.txt.sleepState;
  const { revenue, valueAtRisk } = tab.num;
  // value_at_risk comes with the scores ((1 − p_alive) × clv); an unscored table has none,
  // and its call list goes by revenue.
  const scored = tab.present.has('valueAtRisk');
  let sc = 0, sr = 0, sv = 0;
  for (let i = 0; i < tab.length; i++) {
    const s = textAt(col, i);
    if (s === null) continue;
    let a = acc.get(s);
    if (!a) acc.set(s, (a = { n: 0, rev: 0, var: 0 }));
    const v = Number.isNaN(valueAtRisk[i]!) ? 0 : valueAtRisk[i]!;
    a.n++; a.rev += revenue[i]!; a.var += v;
    if (s !== 'active') { sc++; sr += revenue[i]!; sv += v; }
  }
  const varOf = (i: number): number => (Number.isNaN(valueAtRisk[i]!) ? 0 : valueAtRisk[i]!);
  const isSleeping = (i: number): boolean => { const c = col.codes[i]!; return c >= 0 && col.values[c] !== 'active'; };
  const call = topK(tab.length, opts.top, scored ? varOf : (i) => revenue[i]!, isSleeping, (i) => tab.ids[i]!);
  return {
    states: [...acc].map(([state, a]) => ({
      state,
      customers: a.n,
      customer_share: share(a.n, tab.length),
      revenue: r6(a.rev),
      value_at_risk: scored ? r6(a.var) : null,
    })),
    sleeping_customers: sc,
    sleeping_revenue: r6(sr),
    value_at_risk: scored ? r6(sv) : null,
    call_list_ranked_by: scored ? 'value_at_risk' : 'revenue',
    call_list: call.map((i) => ({
      customer_id: tab.ids[i]!,
      state: textAt(col, i)!,
      days_since_last: tab.num.daysSinceLast[i]!,
      revenue: r6(revenue[i]!),
      value_at_risk: scored ? r6(varOf(i)) : null,
      reason: textAt(tab.txt.sleepReason, i),
    })),
  };
}

/** "Nice" step ≥ x: 1, 2, 2.5 or 5 × 10^k. */
function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

function clv(tab: CustomerTable, opts: ReportOptions): Clv | null {
  if (!tab.present.has('clv')) return null;
  const { clv: v, pAlive, expectedOrders, revenue } = tab.num;
  const vals = new Float64Array(tab.length);
  let nv = 0;
  let total = 0, pa = 0, paN = 0, eo = 0, eoN = 0;
  for (let i = 0; i < tab.length; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    vals[nv++] = x;
    total += x;
    if (!Number.isNaN(pAlive[i]!)) { pa += pAlive[i]!; paN++; }
    if (!Number.isNaN(expectedOrders[i]!)) { eo += expectedOrders[i]!; eoN++; }
  }
  const sorted = vals.subarray(0, nv).sort();
  const nb = opts.clvBins ?? 20;
  // Equal-width bins from 0 up to a nice bound ≥ the 99th percentile (nearest rank); the last bin is open.
  const q99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]! : 0;
  const width = niceStep((q99 > 0 ? q99 : sorted.length ? Math.max(sorted[sorted.length - 1]!, 1) : 1) / nb);
  const bins = Array.from({ length: nb }, (_, b) => ({ from: r6(b * width), to: r6((b + 1) * width), customers: 0 }));
  let open = false;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    let b = Math.floor(Math.max(0, x) / width);
    if (b >= nb) { b = nb - 1; if (x > nb * width) open = true; }
    bins[b]!.customers++;
  }
  let churn: Clv['churn'] = null;
  if (tab.present.has('churnRisk')) {
    const acc = new Map<string, { n: number; clv: number; rev: number }>();
    for (const b of CHURN_BANDS) acc.set(b, { n: 0, clv: 0, rev: 0 });
    for (let i = 0; i < tab.length; i++) {
      const b = textAt(tab.txt.churnRisk, i);
      if (b === null) continue;
      let a = acc.get(b);
      if (!a) acc.set(b, (a = { n: 0, clv: 0, rev: 0 }));
      a.n++; a.clv += Number.isNaN(v[i]!) ? 0 : v[i]!; a.rev += revenue[i]!;
    }
    churn = [...acc].map(([band, a]) => ({ band, customers: a.n, clv: r6(a.clv), revenue: r6(a.rev) }));
  }
  const top = topK(tab.length, opts.top, (i) => v[i]!, (i) => !Number.isNaN(v[i]!), (i) => tab.ids[i]!);
  return {
    customers: nv,
    total: r6(total),
    mean: nv ? r6(total / nv) : 0,
    mean_p_alive: mean(pa, paN),
    expected_orders: eoN ? r6(eo) : null,
    histogram: bins,
    open_last: open,
    top: top.map((i) => ({
      customer_id: tab.ids[i]!,
      clv: r6(v[i]!),
      p_alive: numOrNull(pAlive[i]!),
      expected_orders: numOrNull(expectedOrders[i]!),
      revenue: r6(revenue[i]!),
      churn_risk: textAt(tab.txt.churnRisk, i),
    })),
    churn,
  };
}

/** The definition of value at risk: stated in report.json and beside every figure (i18n.ts basisText). */
export const VALUE_AT_RISK_DEFINITION = 'value_at_risk = (1 - p_alive) x clv; clv = expected orders over the horizon x expected value per order x margin, discounted';

function valueBasis(fit: ModelFit | undefined): ValueBasis {
  const b = fit?.basis;
  return {
    definition: VALUE_AT_RISK_DEFINITION,
    model: fit?.model ?? null,
    spend_model: b?.spend_model ?? null,
    horizon: b?.horizon ?? null,
    horizon_days: b?.horizon_days ?? null,
    discount_rate: b?.discount_rate ?? null,
    margin: b?.margin ?? null,
  };
}

/** Builds the report model (see report-model.ts for every field's definition). */
/** The breakdown by attribute `name`, which the table must carry. */
function breakdownOf(tab: CustomerTable, name: string, top: number): Breakdown {
  const col = tab.attrs?.[name];
  if (!col) throw new CustkitError(`--by ${name}: the customer table was read without attribute ${name}`, EXIT.INTERNAL);
  return breakdown(tab, name, col, top);
}

export function buildReport(customers: CustomerTable, opts: ReportOptions): ReportModel {
  if (!Number.isInteger(opts.top) || opts.top < 0) throw new CustkitError(`--top must be a whole number ≥ 0, got ${opts.top}`, EXIT.USAGE);
  const ov = overview(customers, opts.asOf);
  const seg = tableSegments(customers);
  if (amountless(customers)) return amountlessReport(customers, opts, ov, seg);
  const totalRevenue = ov.revenue!; // null only without amounts (above)
  let zh8: Rfm['zh8'];
  if (seg.mode === 'zh8') zh8 = { source: 'table', means: null, segments: segmentRows(customers, seg.keys, ZH8_KEYS, totalRevenue) };
  else {
    const z = zh8Computed(customers);
    zh8 = { source: 'computed', means: z.means, segments: segmentRows(customers, z.keys, ZH8_KEYS, totalRevenue) };
  }
  const model: ReportModel = {
    meta: { generated_by: opts.generatedBy, lang: opts.lang, top: opts.top, sections: [] },
    overview: ov,
    pareto: pareto(customers),
    pyramid: pyramid(customers, totalRevenue),
    rfm: {
      segments11: seg.mode === 'segments11' ? segmentRows(customers, seg.keys, SEGMENT11_KEYS, totalRevenue) : null,
      zh8,
      heatmap: heatmap(customers),
    },
    clusters: clusters(customers, totalRevenue, opts),
    sleeping: sleeping(customers, opts),
    clv: clv(customers, opts),
    breakdowns: opts.by?.length ? opts.by.map((name) => breakdownOf(customers, name, opts.byTop ?? 10)) : undefined,
    model_fit: opts.fit,
    ...(opts.modelComparison ? { model_comparison: opts.modelComparison } : {}),
    value_basis: customers.present.has('clv') ? valueBasis(opts.fit) : null,
    data_quality: opts.audit === undefined ? null : readAudit(opts.audit),
    changes: opts.changes ?? (opts.previous ? changes(customers, opts.previous, opts.top) : null),
  };
  if (opts.cohorts) model.cohorts = opts.cohorts;
  if (opts.drivers) model.drivers = opts.drivers;
  const sections = ['overview', 'pareto', 'pyramid', 'rfm', 'clusters', 'sleeping', 'clv', 'cohorts', 'drivers', 'data_quality', 'changes'] as const;
  model.meta.sections = sections.filter((s) => model[s] !== null && model[s] !== undefined);
  if (model.breakdowns) model.meta.sections.splice(model.meta.sections.indexOf('clv') + 1 || model.meta.sections.length, 0, 'breakdowns');
  if (model.model_comparison) model.meta.sections.splice(model.meta.sections.indexOf('clv') + 1 || model.meta.sections.length, 0, 'model_comparison');
  return model;
}

/**
 * Whether the table is of transactions without amounts (segment writes revenue empty on every
 * row: ingest --no-amount). Revenue is all present or all absent; a mix is a damaged table.
 */
function amountless(tab: CustomerTable): boolean {
  let empty = 0;
  for (let i = 0; i < tab.length; i++) if (Number.isNaN(tab.num.revenue[i]!)) empty++;
  if (empty > 0 && empty < tab.length) {
    throw new CustkitError(`column revenue is empty on ${empty} of ${tab.length} rows`, EXIT.DATA, 'revenue is either on every row or on none (transactions without amounts, ingest --no-amount): write the table again with custkit segment');
  }
  return tab.length > 0 && empty === tab.length;
}

/** Money-only sections, left out of a report on transactions without amounts (--by breakdowns too: revenue shares). */
const MONEY_SECTIONS = ['pareto', 'pyramid', 'clusters', 'sleeping', 'clv', 'changes'];

/**
 * The report of a table without amounts: counts, dates and the RFM map (read without M) stay;
 * revenue is null, not 0, and the money-only sections are absent (model.no_amount says which).
 */
function amountlessReport(customers: CustomerTable, opts: ReportOptions, ov: Overview, seg: ReturnType<typeof tableSegments>): ReportModel {
  const noMoney = (rows: SegmentRow[]): SegmentRow[] => rows.map((r) => ({ ...r, revenue: null, revenue_share: null, mean_revenue: null }));
  const hm = heatmap(customers);
  const model: ReportModel = {
    meta: { generated_by: opts.generatedBy, lang: opts.lang, top: opts.top, sections: [] },
    overview: { ...ov, revenue: null, avg_order_value: null, revenue_per_customer: null },
    no_amount: { omitted: opts.by?.length ? [...MONEY_SECTIONS, 'breakdowns'] : MONEY_SECTIONS },
    pareto: null,
    pyramid: null,
    rfm: {
      segments11: seg.mode === 'segments11' ? noMoney(segmentRows(customers, seg.keys, SEGMENT11_KEYS, NaN)) : null,
      zh8: seg.mode === 'zh8' ? { source: 'table', means: null, segments: noMoney(segmentRows(customers, seg.keys, ZH8_KEYS, NaN)) } : null,
      heatmap: hm && { counts: hm.counts, mean_revenue: hm.counts.map((row) => row.map(() => null)) },
    },
    clusters: null,
    sleeping: null,
    clv: null,
    value_basis: null,
    model_fit: opts.fit,
    ...(opts.modelComparison ? { model_comparison: opts.modelComparison } : {}),
    data_quality: opts.audit === undefined ? null : readAudit(opts.audit),
    changes: null,
  };
  // Cohorts and drivers come from the aggregation, which left their money values null.
  if (opts.cohorts) model.cohorts = opts.cohorts;
  if (opts.drivers) model.drivers = opts.drivers;
  model.meta.sections = (['overview', 'rfm', 'cohorts', 'drivers', 'data_quality'] as const).filter((s) => model[s] !== null && model[s] !== undefined);
  if (model.model_comparison) model.meta.sections.splice(model.meta.sections.indexOf('rfm') + 1, 0, 'model_comparison');
  return model;
}
