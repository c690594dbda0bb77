/**
 * A customer-table row as text cells, column for column as schema.ts lays them out: the
 * definition of each cell's text ({@link summaryToCells}, {@link segmentCells}, the kept
 * attributes' text, {@link scoreCells}). The tables themselves are written as bytes
 * (pipeline/customer-table-writer.ts), tested equal to these cells.
 */
import type { AttributeCells } from '../aggregate/customer-attributes.js';
import type { CustomerSummary } from '../aggregate/customer-summary.js';
import { formatMoney, formatRounded } from '../money.js';
import { valueAtRisk } from '../score/value-at-risk.js';
import type { SegmentResult } from '../segment/classify.js';
import { rfmScore } from '../segment/rfm-scores.js';
import { formatDay } from '../time/day.js';

const intCell = (x: number | null): string => (x === null ? '' : String(x));
const dayCell = (x: number | null): string => (x === null ? '' : formatDay(x));
/** Rounded to 6 decimals, shortest form ("12.5"); null → ''. */
const dec6Cell = (x: number | null): string => (x === null ? '' : formatRounded(x, 6));

/**
 * Text cells of a summary in SUMMARY_COLUMNS order: counts and day spans as plain
 * integers, money via formatMoney, first/last purchase as YYYY-MM-DD, mean interval and
 * repeat average rounded to 6 decimals; null → ''.
 */
export function summaryToCells(s: CustomerSummary): string[] {
  return [
    s.customerId,
    intCell(s.orders),
    intCell(s.purchaseDays),
    // NaN: transactions without amounts (absent, not 0).
    Number.isNaN(s.revenue) ? '' : formatMoney(s.revenue),
    Number.isNaN(s.avgOrderValue) ? '' : formatMoney(s.avgOrderValue),
    dayCell(s.firstDay),
    dayCell(s.lastDay),
    intCell(s.daysSinceLast),
    intCell(s.tenureDays),
    dec6Cell(s.meanIntervalDays),
    intCell(s.frequency),
    intCell(s.recency),
    intCell(s.T),
    s.repeatAvgValue === null ? '' : formatMoney(s.repeatAvgValue),
  ];
}

/** The classification cells of customer i, in `result.columns` order ('' = not computed / null). */
export function segmentCells(result: SegmentResult, i: number): string[] {
  const r = result.rfm, c = result.clusters, s = result.sleep;
  const out = [
    result.abcClass?.[i] ?? '',
    result.valueTier?.[i] ?? '',
    r ? String(r.r[i]) : '',
    r ? String(r.f[i]) : '',
    r && !result.amountless ? String(r.m[i]) : '',
    r && !result.amountless ? String(rfmScore(r.r[i]!, r.f[i]!, r.m[i]!)) : '',
    result.rfmSegment?.[i] ?? '',
    c ? String(c.cluster[i]) : '',
    c ? c.profiles[c.cluster[i]! - 1]!.label : '',
    s ? s.state[i]! : '',
    s && !Number.isNaN(s.overdueFactor[i]!) ? formatRounded(s.overdueFactor[i]!, 6) : '', // = String(v): v is rounded to 6 places
    s ? s.reasonAt(i) : '',
  ];
  if (result.rfmSegmentEn) out.splice(7, 0, result.rfmSegmentEn[i]!);
  return out;
}

/** The per-customer numbers behind the score columns (score-stage.ts ScoreResult). NaN: unknown. */
export interface ScoreColumns {
  pAlive: Float64Array;
  expectedOrders: Float64Array;
  expectedAvgValue: Float64Array;
  clv: Float64Array;
  /** The customer's revenue so far. */
  historicValue: Float64Array;
  /** Customer i's churn_risk ('' when p_alive is unknown). */
  churnRiskAt(i: number): string;
}

const r6 = (x: number): string => (Number.isFinite(x) ? formatRounded(x, 6) : '');
const r2 = (x: number): string => (Number.isFinite(x) ? formatRounded(x, 2) : '');

/**
 * The score cells of customer i (SCORE_COLUMNS): p_alive and expected_orders to 6 places, the
 * money to 2, churn_risk as a word; an unknown value is an empty cell.
 */
export function scoreCells(s: ScoreColumns, i: number): string[] {
  const pa = s.pAlive[i]!;
  return [r6(pa), r6(s.expectedOrders[i]!), r2(s.expectedAvgValue[i]!), r2(s.clv[i]!), r2(s.historicValue[i]!), s.churnRiskAt(i), r2(valueAtRisk(pa, s.clv[i]!))];
}

/** The cells of row i of the table with these summaries, classifications, attributes and scores. */
export function customerRowCells(summaries: readonly CustomerSummary[], seg: SegmentResult, i: number, attrs?: AttributeCells | null, scores?: ScoreColumns | null): string[] {
  const cells = summaryToCells(summaries[i]!);
  for (const c of segmentCells(seg, i)) cells.push(c);
  if (attrs) for (let k = 0; k < attrs.specs.length; k++) cells.push(attrs.text(k, i));
  if (scores) for (const c of scoreCells(scores, i)) cells.push(c);
  return cells;
}
