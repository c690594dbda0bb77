/**
 * The report's customer table straight from the typed stage results, instead of printing each
 * cell and parsing it back: `run` writes customers.csv and hands the report this table, which
 * must be the one `custkit report` reads from that file (tested value for value): typed-array
 * fills instead of parsing and interning every cell of every row again.
 *
 * Each getter mirrors the formatting of its cell (summaryToCells, the segment cells, the score
 * cells): a number printed by formatMoney reads back as moneyValue, one printed at p places as
 * roundedValue, integers and day numbers as themselves; an empty cell is NaN or ''.
 */
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { moneyValue, roundedValue } from '../core/money.js';
import { tableFromColumns, type ColumnSource, type CustomerTable } from '../core/report/customer-record.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { valueAtRisk, type ScoreResult } from './score-stage.js';

type TextGetter = (i: number) => string;

const noText: TextGetter = () => '';

/**
 * Float64 columns of n rows cut from one buffer. Each separate 8 MB typed array counts as
 * external memory to V8, and a run of them set off non-incremental full collections that
 * freed nothing (docs/performance.md).
 */
function columns(n: number, count: number): () => Float64Array {
  const buf = new ArrayBuffer(n * count * 8);
  let k = 0;
  return () => {
    if (k === count) throw new Error('report table: more columns than allocated');
    return new Float64Array(buf, 8 * n * k++, n);
  };
}

/**
 * The columns the report can read (a classification not run: empty cells). The summary
 * columns are filled in one pass over the summaries: a pass per column would visit a million
 * scattered objects six times.
 */
function sources(summaries: readonly CustomerSummary[], seg: SegmentResult, sc: ScoreResult | null): ColumnSource {
  const n = summaries.length;
  const r = seg.rfm, c = seg.clusters, s = seg.sleep;
  const next = columns(n, 13);
  const orders = next(), purchaseDays = next(), revenue = next(), first = next(), last = next(), since = next();
  for (let i = 0; i < n; i++) {
    const x = summaries[i]!;
    orders[i] = x.orders;
    purchaseDays[i] = x.purchaseDays;
    revenue[i] = moneyValue(x.revenue);
    first[i] = x.firstDay ?? NaN;
    last[i] = x.lastDay;
    since[i] = x.daysSinceLast;
  }
  /** A column of f(i) for each row. */
  const column = (f: (i: number) => number): Float64Array => {
    const a = next();
    for (let i = 0; i < n; i++) a[i] = f(i);
    return a;
  };
  const noNumber = (): number => NaN;
  const num: Record<string, Float64Array> = {
    orders,
    purchase_days: purchaseDays,
    revenue,
    first_order: first,
    last_order: last,
    days_since_last: since,
    r_score: r ? column((i) => r.r[i]!) : column(noNumber),
    f_score: r ? column((i) => r.f[i]!) : column(noNumber),
    cluster: c ? column((i) => c.cluster[i]!) : column(noNumber),
    value_at_risk: sc ? column((i) => valueAtRisk(sc.pAlive[i]!, sc.clv[i]!)) : column(noNumber),
  };
  if (sc) {
    const six = (a: Float64Array): Float64Array => column((i) => (Number.isFinite(a[i]!) ? roundedValue(a[i]!, 6) : NaN));
    num.p_alive = six(sc.pAlive);
    num.expected_orders = six(sc.expectedOrders);
    num.clv = column((i) => (Number.isFinite(sc.clv[i]!) ? roundedValue(sc.clv[i]!, 2) : NaN));
  }
  const of = (a: readonly string[] | null): TextGetter => (a ? (i) => a[i]! : noText);
  const txt: Record<string, TextGetter> = {
    abc_class: of(seg.abcClass),
    value_tier: of(seg.valueTier),
    rfm_segment: of(seg.rfmSegment),
    rfm_segment_en: of(seg.rfmSegmentEn),
    cluster_label: c ? (i) => c.profiles[c.cluster[i]! - 1]!.label : noText,
    sleep_state: s ? (i) => s.state[i]! : noText,
    sleep_reason: noText,
    churn_risk: sc ? (i) => sc.churnRiskAt(i) : noText,
  };
  return { num, txt, lazy: s ? { sleep_reason: s.reasonAt } : {} };
}

/**
 * The report table of a customer table with this header (customer-table-writer.ts rowsHeader),
 * with the attributes named in `by` (breakdowns) read from `attrs`. `ids`: the summaries'
 * customer ids, when the caller has them already (the table keeps them).
 */
export function reportTable(header: readonly string[], summaries: readonly CustomerSummary[], seg: SegmentResult, sc: ScoreResult | null, attrs: AttributeCells | null = null, by: readonly string[] = [], ids: string[] = summaries.map((x) => x.customerId)): CustomerTable {
  const src = sources(summaries, seg, sc);
  if (attrs && by.length) {
    const txt: Record<string, TextGetter> = { ...src.txt };
    attrs.specs.forEach((s, k) => {
      if (by.includes(s.name)) txt[s.name] = (i) => attrs.text(k, i);
    });
    return tableFromColumns(header, summaries.length, ids, { ...src, txt }, undefined, by);
  }
  return tableFromColumns(header, summaries.length, ids, src);
}
