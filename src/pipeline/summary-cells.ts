/**
 * The summary cells of the customer table (customer-summary.ts's SUMMARY_COLUMNS after the id:
 * orders … repeat_avg_value), written as bytes from a summary object or from columns.
 *
 * `run` hands the columns to its score thread with the score inputs, and on a million
 * customers that thread, idle once it has scored, formats these cells and the score cells of
 * each block of rows while the main thread writes the ids and the classification cells of the
 * block before (parallel/score-thread.ts): the two halves of each row are made at the same time. Both
 * writers give the bytes of summaryToCells through safeCsvLine (tested on every kind of value).
 */
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { CsvRecordBytes } from '../io/csv-record-bytes.js';
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
