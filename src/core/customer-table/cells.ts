/**
 * A customer-table row as text cells, column for column as schema.ts lays them out: the
 * definition of each cell's text. The summary cells are summaryToCells (customer-summary.ts),
 * the classification cells segmentCells (classify.ts), the attributes their kept text, the
 * score cells {@link scoreCells}. The tables themselves are written as bytes
 * (pipeline/customer-table-writer.ts), tested equal to these cells.
 */
import type { AttributeCells } from '../aggregate/customer-attributes.js';
import { summaryToCells, type CustomerSummary } from '../aggregate/customer-summary.js';
import { formatRounded } from '../money.js';
import { valueAtRisk } from '../score/value-at-risk.js';
import { segmentCells, type SegmentResult } from '../segment/classify.js';

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
