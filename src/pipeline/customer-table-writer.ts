/**
 * The customer table (core/customer-table/schema.ts) written as bytes: the one writer of
 * `segment`'s, `score`'s and `run`'s tables. Each cell has the bytes csvLine gives the text
 * cell of core/customer-table/cells.ts (summaryToCells, segmentCells, the kept attribute
 * text, scoreCells), without a string per cell (csv-record-bytes.ts); tested cell for cell.
 *
 * Rows are written from the stage results. `run`'s score thread writes the summary and score
 * cells of each block of rows from columns (SummaryCellColumns: the summary values the score
 * inputs lack) while the main thread writes the ids and classification cells of the block
 * before (parallel/score-thread.ts, {@link writeRowAround}): the two halves of each row are made at the
 * same time.
 */
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { ScoreColumns } from '../core/customer-table/cells.js';
import { customerTableHeader, SCORE_COLUMNS as SCORE_HEADER } from '../core/customer-table/schema.js';
import { valueAtRisk } from '../core/score/value-at-risk.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { rfmScore } from '../core/segment/rfm-scores.js';
import { csvLine, quoteCell } from '../io/csv-format.js';
import { CsvRecordBytes, RECORD_BLOCK } from '../io/csv-record-bytes.js';
import type { TextSink } from '../io/text-output.js';
import type { ScoreInput } from './score-stage.js';

/** The integer columns' empty cell (null). No day number or count of a summary reaches it. */
export const INT_NULL = -2147483648;

/**
 * The summary values the score inputs lack, for the cells orders … repeat_avg_value: the rest
 * (orders, revenue, frequency, repeat average) are the score inputs' own arrays, which hold the
 * summaries' values exactly. Integers as Int32 (INT_NULL: null), the rest as Float64 (NaN: null).
 */
export interface SummaryCellColumns {
  purchaseDays: Int32Array;
  avgOrderValue: Float64Array;
  firstDay: Int32Array;
  lastDay: Int32Array;
  daysSinceLast: Int32Array;
  tenureDays: Int32Array;
  meanIntervalDays: Float64Array;
  recency: Int32Array;
  T: Int32Array;
}

/** The buffers of the columns, to transfer. */
export const summaryCellBuffers = (c: SummaryCellColumns): ArrayBuffer[] =>
  [c.purchaseDays, c.avgOrderValue, c.firstDay, c.lastDay, c.daysSinceLast, c.tenureDays, c.meanIntervalDays, c.recency, c.T].map((a) => a.buffer as ArrayBuffer);

/** Empty columns for n customers. */
export function summaryCellColumns(n: number): SummaryCellColumns {
  return {
    purchaseDays: new Int32Array(n),
    avgOrderValue: new Float64Array(n),
    firstDay: new Int32Array(n),
    lastDay: new Int32Array(n),
    daysSinceLast: new Int32Array(n),
    tenureDays: new Int32Array(n),
    meanIntervalDays: new Float64Array(n),
    recency: new Int32Array(n),
    T: new Int32Array(n),
  };
}

/** v as an Int32 cell value (null → INT_NULL); NaN when v does not fit (not an int32, or INT_NULL itself). */
function int32Of(v: number | null): number {
  if (v === null) return INT_NULL;
  return (v | 0) === v && v !== INT_NULL ? v : NaN;
}

/**
 * Fills row i of the columns from summary x; false when an integer value does not fit an Int32
 * (the caller then writes the table from the summaries: no summary of `run` does that).
 */
export function setSummaryCells(c: SummaryCellColumns, i: number, x: CustomerSummary): boolean {
  const pd = int32Of(x.purchaseDays), fd = int32Of(x.firstDay), ld = int32Of(x.lastDay), ds = int32Of(x.daysSinceLast);
  const td = int32Of(x.tenureDays), rc = int32Of(x.recency), t = int32Of(x.T);
  if (pd !== pd || fd !== fd || ld !== ld || ds !== ds || td !== td || rc !== rc || t !== t) return false;
  c.purchaseDays[i] = pd;
  c.avgOrderValue[i] = x.avgOrderValue;
  c.firstDay[i] = fd;
  c.lastDay[i] = ld;
  c.daysSinceLast[i] = ds;
  c.tenureDays[i] = td;
  c.meanIntervalDays[i] = x.meanIntervalDays ?? NaN;
  c.recency[i] = rc;
  c.T[i] = t;
  return true;
}

/** The columns of the summaries, or null when a value does not fit (see {@link setSummaryCells}). */
export function summaryCellsOf(summaries: readonly CustomerSummary[]): SummaryCellColumns | null {
  const c = summaryCellColumns(summaries.length);
  for (let i = 0; i < summaries.length; i++) if (!setSummaryCells(c, i, summaries[i]!)) return null;
  return c;
}

const intOrNull = (v: number): number | null => (v === INT_NULL ? null : v);

/** The summary cells orders … repeat_avg_value of summary x (summaryToCells without the id). */
export function writeSummaryCells(x: CustomerSummary, rec: CsvRecordBytes): void {
  rec.int(x.orders);
  rec.int(x.purchaseDays);
  // NaN: transactions without amounts (absent, not 0).
  if (Number.isNaN(x.revenue)) rec.empty();
  else rec.money(x.revenue);
  if (Number.isNaN(x.avgOrderValue)) rec.empty();
  else rec.money(x.avgOrderValue);
  rec.day(x.firstDay);
  rec.day(x.lastDay);
  rec.int(x.daysSinceLast);
  rec.int(x.tenureDays);
  if (x.meanIntervalDays === null) rec.empty();
  else rec.rounded(x.meanIntervalDays, 6);
  rec.int(x.frequency);
  rec.int(x.recency);
  rec.int(x.T);
  if (x.repeatAvgValue === null) rec.empty();
  else rec.money(x.repeatAvgValue);
}

/** The same cells of row i from the score inputs and the columns (the same bytes). */
export function writeSummaryCellsFrom(inp: ScoreInput, c: SummaryCellColumns, i: number, rec: CsvRecordBytes): void {
  rec.int(inp.orders[i]!);
  rec.int(c.purchaseDays[i]!);
  rec.money(inp.revenue[i]!);
  rec.money(c.avgOrderValue[i]!);
  rec.day(intOrNull(c.firstDay[i]!));
  rec.day(c.lastDay[i]!);
  rec.int(c.daysSinceLast[i]!);
  rec.int(intOrNull(c.tenureDays[i]!));
  const m = c.meanIntervalDays[i]!;
  if (Number.isNaN(m)) rec.empty();
  else rec.rounded(m, 6);
  rec.int(inp.frequency[i]!);
  rec.int(intOrNull(c.recency[i]!));
  rec.int(intOrNull(c.T[i]!));
  const r = inp.repeatAvg[i]!;
  if (Number.isNaN(r)) rec.empty();
  else rec.money(r);
}

/** The classification cells of customer i (abc_class … sleep_reason), as segmentCells gives them. */
export function writeClassCells(seg: SegmentResult, i: number, rec: CsvRecordBytes): void {
  const r = seg.rfm, c = seg.clusters, s = seg.sleep;
  rec.label(seg.abcClass?.[i] ?? '');
  rec.label(seg.valueTier?.[i] ?? '');
  if (r) {
    rec.int(r.r[i]!);
    rec.int(r.f[i]!);
    if (seg.amountless) {
      rec.empty();
      rec.empty();
    } else {
      rec.int(r.m[i]!);
      rec.int(rfmScore(r.r[i]!, r.f[i]!, r.m[i]!));
    }
  } else for (let k = 0; k < 4; k++) rec.empty();
  rec.label(seg.rfmSegment?.[i] ?? '');
  if (seg.rfmSegmentEn) rec.label(seg.rfmSegmentEn[i]!);
  if (c) {
    rec.int(c.cluster[i]!);
    rec.label(c.profiles[c.cluster[i]! - 1]!.label);
  } else {
    rec.empty();
    rec.empty();
  }
  if (s) {
    rec.label(s.state[i]!);
    if (Number.isNaN(s.overdueFactor[i]!)) rec.empty();
    else rec.rounded(s.overdueFactor[i]!, 6);
    rec.text(s.reasonAt(i));
  } else for (let k = 0; k < 3; k++) rec.empty();
}

/**
 * The attribute cells of customer i, exact (quoted as csvLine quotes, never spreadsheet-guarded,
 * so that `run`'s table and `segment`'s carry the same bytes: the customer table is data).
 */
export function writeAttributeCells(attrs: AttributeCells | null | undefined, i: number, rec: CsvRecordBytes): void {
  if (!attrs) return;
  for (let k = 0; k < attrs.specs.length; k++) rec.raw(quoteCell(attrs.text(k, i)));
}

/** The score cells of customer i (p_alive … value_at_risk), as scoreCells gives them. */
export function writeScoreCells(sc: ScoreColumns, i: number, rec: CsvRecordBytes): void {
  const pa = sc.pAlive[i]!, clv = sc.clv[i]!;
  rec.roundedOrEmpty(pa, 6);
  rec.roundedOrEmpty(sc.expectedOrders[i]!, 6);
  rec.roundedOrEmpty(sc.expectedAvgValue[i]!, 2);
  rec.roundedOrEmpty(clv, 2);
  rec.roundedOrEmpty(sc.historicValue[i]!, 2);
  rec.label(sc.churnRiskAt(i));
  rec.roundedOrEmpty(valueAtRisk(pa, clv), 2);
}

/** What a customer table is written from: the stage results, row i of each for row i. */
export interface CustomerRows {
  summaries: readonly CustomerSummary[];
  seg: SegmentResult;
  /** The kept attributes, in summary order (null: none kept). */
  attributes?: AttributeCells | null;
  /** The scores (null: a table not scored). */
  scores?: ScoreColumns | null;
}

/** The header of the table of these rows, with the score columns when `scored` (default: when the rows have scores). */
export const rowsHeader = (t: CustomerRows, scored = Boolean(t.scores)): string[] =>
  customerTableHeader(t.seg.columns, t.attributes ? t.attributes.specs.map((s) => s.name) : [], scored);

/** Row i, ended. */
export function writeCustomerRow(t: CustomerRows, i: number, rec: CsvRecordBytes): void {
  const x = t.summaries[i]!;
  rec.id(x.customerId);
  writeSummaryCells(x, rec);
  writeClassCells(t.seg, i, rec);
  writeAttributeCells(t.attributes, i, rec);
  if (t.scores) writeScoreCells(t.scores, i, rec);
  rec.end();
}

/**
 * Row i with its summary and score cells made elsewhere (run's score thread): `b[s0, e0)` the
 * summary cells, `b[s1, e1)` the score cells, each one or more whole cells.
 */
export function writeRowAround(t: CustomerRows, i: number, rec: CsvRecordBytes, b: Uint8Array, s0: number, e0: number, s1: number, e1: number): void {
  rec.id(t.summaries[i]!.customerId);
  rec.cells(b, s0, e0);
  writeClassCells(t.seg, i, rec);
  writeAttributeCells(t.attributes, i, rec);
  rec.cells(b, s1, e1);
  rec.end();
}

/** Writes the whole table (header, then every row) into `sink`, exact (the bytes of csvLine); does not close it. */
export async function writeCustomerTable(sink: TextSink, t: CustomerRows): Promise<void> {
  sink.write(csvLine(rowsHeader(t)));
  const rec = new CsvRecordBytes({ guard: false });
  for (let i = 0; i < t.summaries.length; i++) {
    writeCustomerRow(t, i, rec);
    if (rec.length >= RECORD_BLOCK) {
      rec.handTo(sink);
      await sink.drain();
    }
  }
  rec.handTo(sink);
}

/**
 * Writes a segment table with the score columns appended (`score`): the header and each row's
 * text as read (`lines`, csvLine of its cells without the line end), then its score cells.
 */
export async function writeScoredTable(sink: TextSink, header: readonly string[], lines: readonly string[], sc: ScoreColumns): Promise<void> {
  sink.write(csvLine([...header, ...SCORE_HEADER]));
  const rec = new CsvRecordBytes({ guard: false });
  for (let i = 0; i < lines.length; i++) {
    rec.raw(lines[i]!);
    writeScoreCells(sc, i, rec);
    rec.end();
    if (rec.length >= RECORD_BLOCK) {
      rec.handTo(sink);
      await sink.drain();
    }
  }
  rec.handTo(sink);
}
