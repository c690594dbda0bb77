/**
 * run writes customers.csv as bytes from its typed stage results (customer-table-writer.ts), which must be the bytes of safeCsvLine of the cells `segment` and `score` print;
 * and it builds the report's customer table from the same results (report-table.ts)
 * instead of parsing those cells. The table must be the one `custkit report` reads from
 * customers.csv: checked here value for value against the builder that parses the cells, on a
 * hand-made fixture and on a generated file with refunds, odd decimals and large amounts,
 * with every classification and with parts switched off.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomerTableBuilder, NUMERIC_COLUMNS, TEXT_COLUMNS, textAt, type CustomerTable } from '../../src/core/report/customer-record.js';
import { dayFromCivil } from '../../src/core/time/day.js';
import { aggregateInput } from '../../src/pipeline/aggregate-stage.js';
import { scoreCustomerTable, scoreInputFromSummaries } from '../../src/pipeline/score-stage.js';
import { scoreOptionsFrom } from '../../src/cli/stage-options/score.js';
import { segmentSummaries } from '../../src/pipeline/segment-stage.js';
import { segmentOptionsFrom } from '../../src/cli/stage-options/segment.js';
import { customerRowCells } from '../../src/core/customer-table/cells.js';
import { rowsHeader, writeCustomerRow } from '../../src/pipeline/customer-table-writer.js';
import { CsvRecordBytes } from '../../src/io/csv-record-bytes.js';
import { safeCsvLine } from '../../src/io/csv-format.js';
import { reportTable } from '../../src/pipeline/report-table.js';
import { tempDir } from '../cli/cli-test-utils.js';
import { fixture } from '../helpers/cli.js';

const tmp = tempDir('custkit-report-table-');
afterAll(() => tmp.cleanup());

/** The parsed and the direct table of one input and option set. */
async function bothTables(file: string, asOf: number, segOpts: Record<string, unknown>, score: boolean): Promise<[CustomerTable, CustomerTable]> {
  const { summaries } = await aggregateInput(file, asOf);
  const seg = segmentSummaries(summaries, segmentOptionsFrom(segOpts));
  const sc = score ? scoreCustomerTable(scoreInputFromSummaries(summaries), scoreOptionsFrom({})) : null;
  const rows = { summaries, seg, scores: sc };
  const header = rowsHeader(rows);
  const parsed = new CustomerTableBuilder(header, 16);
  // run writes the rows as bytes (writeCustomerRow): the bytes of safeCsvLine(cells).
  const rec = new CsvRecordBytes();
  const lines: string[] = [];
  for (let i = 0; i < summaries.length; i++) {
    const cells = customerRowCells(summaries, seg, i, null, sc);
    parsed.add(cells, i + 2);
    lines.push(safeCsvLine(cells));
    writeCustomerRow(rows, i, rec);
  }
  expect(new TextDecoder().decode(rec.bytes.subarray(0, rec.length))).toBe(lines.join(''));
  return [parsed.finish(), reportTable(header, summaries, seg, sc)];
}

function expectSame(a: CustomerTable, b: CustomerTable): void {
  expect(b.length).toBe(a.length);
  expect(b.ids).toEqual(a.ids);
  expect([...b.present].sort()).toEqual([...a.present].sort());
  for (const [key] of NUMERIC_COLUMNS) {
    const x = a.num[key], y = b.num[key];
    for (let i = 0; i < a.length; i++) if (!Object.is(x[i], y[i])) expect([key, i, y[i]]).toEqual([key, i, x[i]]);
  }
  for (const [key] of TEXT_COLUMNS) {
    // Grouped columns: the same codes and values. sleep_reason is display-only: the same text.
    if (key !== 'sleepReason') expect(b.txt[key]).toEqual(a.txt[key]);
    for (let i = 0; i < a.length; i++) {
      const x = textAt(a.txt[key], i), y = textAt(b.txt[key], i);
      if (x !== y) expect([key, i, y]).toEqual([key, i, x]);
    }
  }
}

/** A canonical file of `n` customers: cents, sub-cent and large amounts, refunds, gaps. */
function generated(n: number): string {
  let seed = 99;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const lines = ['customer_id,order_id,order_date,amount,quantity,status'];
  let o = 0;
  for (let c = 0; c < n; c++) {
    const orders = 1 + rnd(6);
    for (let k = 0; k < orders; k++) {
      const day = 1 + rnd(700);
      const d = new Date(Date.UTC(2023, 0, day)).toISOString().slice(0, 10);
      const kind = rnd(10);
      const amount = kind === 0 ? (rnd(100000) / 1e4).toString() : kind === 1 ? `-${rnd(5000) / 100}` : kind === 2 ? `${rnd(9e6)}.${rnd(100)}` : (rnd(30000) / 100).toFixed(2);
      // A few ids a spreadsheet would run or split: guarded and quoted in customers.csv.
      const id = c % 700 === 1 ? `=K${c}` : c % 700 === 2 ? `"K,${c}"` : c % 700 === 3 ? `-${c}` : `K${String(c).padStart(5, '0')}`;
      lines.push(`${id},O${o++},${d},${amount},1,paid`);
    }
  }
  return lines.join('\n') + '\n';
}

describe("run's customer table: the bytes equal the cells' lines, the report table equals the parsed one", () => {
  it('fixtures/cli/transactions.csv, every classification and the scores', async () => {
    const [a, b] = await bothTables(fixture('cli', 'transactions.csv'), dayFromCivil(2024, 6, 30), {}, true);
    expect(a.present.has('sleepReason') && a.present.has('churnRisk') && a.present.has('clv')).toBe(true);
    expectSame(a, b);
  });
  it('a generated file of 3,000 customers (refunds, sub-cent and large amounts), zh8 segments and parts switched off', async () => {
    const file = tmp.path('gen.csv');
    writeFileSync(file, generated(3000));
    const asOf = dayFromCivil(2025, 1, 31);
    for (const [opts, score] of [[{}, true], [{ segments: 'zh8' }, true], [{ only: 'abc,pyramid' }, false], [{ only: 'sleep', sleepRule: 'days' }, true]] as const) {
      const [a, b] = await bothTables(file, asOf, opts, score);
      expect(a.length).toBeGreaterThan(2500);
      expectSame(a, b);
    }
  });
});
