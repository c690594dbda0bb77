/**
 * run's step 4, the customer table: customers.csv is the exact machine table (the bytes of the
 * piped stages: joins back to a CRM and --compare need the ids as they are); --excel adds
 * customers.excel.csv for people, formula-guarded, with ids a spreadsheet would change protected.
 * Rows go out as bytes, 64 KiB at a time (csv-record-bytes.ts: no string per cell); the
 * people's copy is written cell by cell a second time, only with --excel.
 */
import { join } from 'node:path';
import { csvLine } from '../io/csv-format.js';
import { CsvRecordBytes, RECORD_BLOCK } from '../io/csv-record-bytes.js';
import { openSink, type TextSink } from '../io/text-output.js';
import { rowsHeader, writeCustomerRow, writeRowAround, type CustomerRows } from './customer-table-writer.js';
import type { RowCells, ThreadCells } from './pending-score.js';

/** Rows per block of cells asked from the score thread. */
const CELL_BLOCK = 8192;

/** The record(s) rows are written into, and how a full buffer goes to its file. */
interface TableOut {
  rec: CsvRecordBytes;
  xrec: CsvRecordBytes | null;
  recs: CsvRecordBytes[];
  handOn: () => void;
}

function tableOut(customers: TextSink, excel: TextSink | null): TableOut {
  const rec = new CsvRecordBytes({ guard: false });
  const xrec = excel ? new CsvRecordBytes({ guard: true, excelIds: true }) : null;
  const handOn = (): void => {
    customers.writeBytes(rec.bytes, 0, rec.length);
    rec.clear();
    if (xrec) {
      excel!.writeBytes(xrec.bytes, 0, xrec.length);
      xrec.clear();
    }
  };
  return { rec, xrec, recs: xrec ? [rec, xrec] : [rec], handOn };
}

/**
 * Writes the table (scored: with the score columns) and returns its header. With `cells`, the
 * score thread writes the summary and score cells and is told when the table is done.
 */
export async function writeRunCustomerTable(outDir: string, excelCopy: boolean, rows: CustomerRows, scored: boolean, cells: ThreadCells | null): Promise<string[]> {
  const header = rowsHeader(rows, scored);
  const customers = openSink(join(outDir, 'customers.csv'));
  const excel = excelCopy ? openSink(join(outDir, 'customers.excel.csv'), { bom: true }) : null;
  customers.write(csvLine(header));
  excel?.write(csvLine(header));
  const out = tableOut(customers, excel);
  if (cells) await writeAroundThreadCells(rows, cells, out);
  else writeRows(rows, out);
  out.handOn();
  rows.summaries = []; // held by the caller's `summaries` alone, which the report lets go
  await customers.close();
  await excel?.close();
  return header;
}

function writeRows(rows: CustomerRows, out: TableOut): void {
  const n = rows.summaries.length;
  for (let i = 0; i < n; i++) {
    for (const r of out.recs) writeCustomerRow(rows, i, r);
    if (out.rec.length >= RECORD_BLOCK) out.handOn();
  }
}

/**
 * Blocks of rows: the thread writes block b + 1's summary and score cells (asked ahead)
 * while this thread writes block b's ids and classification cells between them.
 */
async function writeAroundThreadCells(rows: CustomerRows, cells: ThreadCells, out: TableOut): Promise<void> {
  const n = rows.summaries.length;
  const { rec, xrec, recs, handOn } = out;
  const ahead: Promise<RowCells>[] = [];
  let asked = 0;
  const ask = (reuse?: RowCells): void => {
    if (asked >= n) return;
    ahead.push(cells.rows(asked, Math.min(n, asked + CELL_BLOCK), reuse));
    asked += CELL_BLOCK;
  };
  ask();
  ask();
  let written: RowCells | undefined;
  for (let from = 0; from < n; from += CELL_BLOCK) {
    const block = await ahead.shift()!;
    ask(written); // the block before this one goes back to be filled again
    const { bytes, ends } = block;
    written = block;
    const to = Math.min(n, from + CELL_BLOCK);
    for (const r of recs) {
      let start = 0;
      for (let i = from, k = 0; i < to; i++, k += 2) {
        writeRowAround(rows, i, r, bytes, start, ends[k]! - 1, ends[k]!, ends[k + 1]! - 1);
        start = ends[k + 1]!;
        if (r === rec && rec.length >= RECORD_BLOCK && !xrec) handOn();
      }
    }
    if (xrec) handOn();
  }
  cells.done();
}
