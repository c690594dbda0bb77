/**
 * The workbook reader stops cleanly: when custkit stops reading early (the first sheet read,
 * a header error in it, a later sheet chosen, no such sheet), exceljs's work on the other
 * sheets (their temporary files) is over before the call returns, so removing the folder right
 * after, in this process, leaves nothing behind (vitest fails on an unhandled error).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openXlsxRows } from '../../src/io/xlsx-reader.js';
import { runCli } from '../helpers/cli.js';

/** A workbook of three sheets of `rows` rows each (exceljs writes the sheets before the shared strings). */
async function threeSheets(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const name of ['Orders', 'Notes', 'More']) {
    const ws = wb.addWorksheet(name);
    ws.addRow(['customer_id', 'order_id', 'order_date', 'amount']);
    for (let i = 0; i < rows; i++) ws.addRow([`c${i % 50}`, `${name}-o${i}`, new Date(Date.UTC(2025, 0, 1 + (i % 300))), 10 + (i % 7)]);
  }
  await wb.xlsx.writeFile(path);
}

/** exceljs's temporary files (tmp's names) in the folder it uses. */
const tmpFiles = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('tmp-'));

describe('the workbook reader stops cleanly', () => {
  // A TMPDIR of this file's own (os.tmpdir(), which tmp asks each time, reads it): the run's
  // shared one also holds the temporary files of workbooks other test files are reading.
  const shared = process.env.TMPDIR;
  let own = '';
  beforeEach(() => {
    own = mkdtempSync(join(tmpdir(), 'custkit-xlsx-stop-tmp-'));
    process.env.TMPDIR = own;
  });
  afterEach(() => {
    if (shared === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = shared;
    rmSync(own, { recursive: true, force: true });
  });

  it('reads the first sheet, or only its first batch, in a loop; the folder goes right after', async () => {
    const before = new Set(tmpFiles());
    for (let round = 0; round < 12; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'custkit-xlsx-stop-'));
      try {
        const file = join(dir, 'book.xlsx');
        await threeSheets(file, 3000);
        const x = await openXlsxRows(file, round % 3 === 2 ? 'Notes' : null);
        let rows = 0;
        for await (const b of x.batches) {
          rows += b.rows.length;
          if (round % 3 === 1) break; // custkit stops early (as on an error in the sheet)
        }
        expect(rows).toBe(round % 3 === 1 ? 2000 : 3001);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Leftover work would fail now, with its folder gone (vitest reports unhandled errors).
    await sleep(300);
    expect(tmpFiles().filter((f) => !before.has(f))).toEqual([]);
  }, 60_000);

  it('ingest of a positional sheet or a missing sheet, in this process: exit 2, one line, nothing left', async () => {
    const before = new Set(tmpFiles());
    for (let round = 0; round < 4; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'custkit-xlsx-stop-'));
      try {
        const file = join(dir, 'book.xlsx');
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('Positional').addRows([['c1', 'o1', '2025-01-01', 10], ['c2', 'o2', '2025-01-02', 20]]);
        const orders = wb.addWorksheet('Orders');
        orders.addRow(['customer_id', 'order_id', 'order_date', 'amount']);
        for (let i = 0; i < 2000; i++) orders.addRow([`c${i}`, `o${i}`, '2025-01-03', 5]);
        await wb.xlsx.writeFile(file);
        const r = await runCli(['ingest', file, ...(round % 2 ? ['--sheet', 'Nope'] : [])]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(round % 2 ? 'no sheet named "Nope"' : 'customer_id');
        expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('custkit') || l.includes('error')).length).toBeLessThanOrEqual(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    await sleep(300);
    expect(tmpFiles().filter((f) => !before.has(f))).toEqual([]);
  }, 60_000);
});
