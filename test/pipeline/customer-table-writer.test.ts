/**
 * run's score thread writes the summary cells from columns (customer-table-writer.ts); they must be the
 * bytes the summaries themselves give, which are safeCsvLine of summaryToCells: checked on
 * summaries with every null, refunds, odd decimals, zero-order customers and years far off.
 * A value that does not fit the columns sends the table back to the main thread (null).
 */
import { describe, expect, it } from 'vitest';
import { makeSummary, type CustomerSummary } from '../../src/core/aggregate/customer-summary.js';
import { summaryToCells } from '../../src/core/customer-table/cells.js';
import { CsvRecordBytes } from '../../src/io/csv-record-bytes.js';
import { safeCsvLine } from '../../src/io/csv-format.js';
import { scoreInputFromSummaries } from '../../src/pipeline/score-stage.js';
import { INT_NULL, summaryCellsOf, writeSummaryCells, writeSummaryCellsFrom } from '../../src/pipeline/customer-table-writer.js';

const asOf = 20_000;
const summaries: CustomerSummary[] = [
  makeSummary('a', 1, 1, 29.95, 19_000, 19_000, asOf, null),
  makeSummary('b', 23, 23, 3059.35, 18_500, 19_900, asOf, 2900.1),
  makeSummary('c', 3, 2, -12.5, 19_990, 19_995, asOf, -40.123456),
  makeSummary('d', 2, 2, 0.1 + 0.2, null, 19_999, asOf, null), // first day unknown: spans null
  makeSummary('e', 0, 1, 0, 19_999, 19_999, asOf, null),
  makeSummary('f', 7, 3, 1e13 / 3, -700_000, 2_900_000, 2_950_000, 1234.5678901),
];

/** The summary cells of every row, one record per row, written by `write`. */
function bytesOf(write: (i: number, rec: CsvRecordBytes) => void): string {
  const rec = new CsvRecordBytes();
  for (let i = 0; i < summaries.length; i++) {
    write(i, rec);
    rec.end();
  }
  return new TextDecoder().decode(rec.bytes.subarray(0, rec.length));
}

describe('summary cells', () => {
  it('from columns and from summaries are the bytes of summaryToCells, nulls included', () => {
    const want = summaries.map((s) => safeCsvLine(summaryToCells(s).slice(1))).join('');
    expect(bytesOf((i, rec) => writeSummaryCells(summaries[i]!, rec))).toBe(want);
    const cols = summaryCellsOf(summaries)!;
    expect(cols).not.toBeNull();
    expect(cols.firstDay[3]).toBe(INT_NULL);
    expect(Number.isNaN(cols.meanIntervalDays[0]!)).toBe(true);
    const inp = scoreInputFromSummaries(summaries);
    expect(bytesOf((i, rec) => writeSummaryCellsFrom(inp, cols, i, rec))).toBe(want);
    expect(want).toContain('\n2,2,0.3,0.15,,2024-10-03,1,,,1,,,\n'); // unknown first day: empty span cells
  });

  it('gives no columns when a value does not fit an Int32 (the main thread writes the table then)', () => {
    const far = makeSummary('g', 1, 1, 5, 0, 0, 2 ** 31, null); // days since last 2^31
    expect(summaryCellsOf([...summaries, far])).toBeNull();
    const odd = { ...summaries[0]!, daysSinceLast: INT_NULL };
    expect(summaryCellsOf([odd])).toBeNull();
    expect(summaryCellsOf([{ ...summaries[0]!, purchaseDays: 1.5 }])).toBeNull();
  });
});
