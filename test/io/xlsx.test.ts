/**
 * The streaming workbook writer and reader: text escapes that XML cannot carry, a table split
 * across numbered sheets with the note in row 1, widths and formats, and the reader's cell
 * texts (dates, numbers, padding of short rows).
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { XlsxBook, columnLetter, xlsxEscape } from '../../src/io/xlsx-writer.js';
import { cellText, dateText, openXlsxRows, xlsxUnescape } from '../../src/io/xlsx-reader.js';
import { writeCustomerWorkbook } from '../../src/pipeline/customer-workbook.js';
import { SOFFICE, sheetsByLibreOffice } from '../helpers/libreoffice.js';
import { tempDir } from '../cli/cli-test-utils.js';
import { fixtureModel } from '../render/report-fixture.js';

const tmp = tempDir('custkit-xlsx-io-');
afterAll(() => tmp.cleanup());

describe('xlsx text escapes', () => {
  it('escapes control characters and literal _xHHHH_, and reads them back', () => {
    expect(xlsxEscape('plain')).toBe('plain');
    expect(xlsxEscape('a\rb\x01c')).toBe('a_x000D_b_x0001_c');
    expect(xlsxEscape('_x0041_')).toBe('_x005F_x0041_');
    expect(xlsxEscape('tab\tand\nline')).toBe('tab\tand\nline');
    for (const s of ['a\rb\x01c\x7f', '_x0041_', 'x_y', '_x00zz_']) expect(xlsxUnescape(xlsxEscape(s))).toBe(s);
    expect(columnLetter(1)).toBe('A');
    expect(columnLetter(27)).toBe('AA');
  });

  it('reads cells as ingest reads text', () => {
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(-0)).toBe('0');
    expect(cellText(new Date(Date.UTC(2026, 2, 6)))).toBe('2026-03-06');
    expect(dateText(new Date(Date.UTC(2026, 2, 6, 14, 3, 0, 999)))).toBe('2026-03-06 14:03:01');
    expect(cellText({ formula: 'A1+1', result: 4 })).toBe('4');
    expect(cellText({ richText: [{ text: 'a' }, { text: 'b' }] })).toBe('ab');
    expect(cellText({ error: '#DIV/0!' })).toBe('#DIV/0!');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(null)).toBe('');
  });
});

describe('XlsxBook', () => {
  it('splits a table over numbered sheets, each with the note in row 1 and the header frozen in row 2', async () => {
    const file = tmp.path('split.xlsx');
    const book = new XlsxBook(file, new Date(Date.UTC(2026, 0, 1)));
    const t = book.table('Customers', [{ header: 'customer_id', kind: 'text' }, { header: 'revenue', kind: 'money' }], 7, 5);
    for (let i = 1; i <= 7; i++) t.add([String(i).padStart(6, '0'), i * 1.5]);
    await t.end();
    await book.close();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Customers', 'Customers 2', 'Customers 3']);
    const ids: string[] = [];
    for (const [k, ws] of wb.worksheets.entries()) {
      expect(String(ws.getCell('A1').value)).toContain(`on 3 sheets (Customers to Customers 3)`);
      expect(ws.getRow(2).values).toEqual([undefined, 'customer_id', 'revenue']);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      for (let r = 3; r <= ws.rowCount; r++) ids.push(String(ws.getCell(r, 1).value));
      if (k === 0) expect(String(ws.getCell('A1').value)).toContain('rows 1–3 of 7');
    }
    expect(ids).toEqual(['000001', '000002', '000003', '000004', '000005', '000006', '000007']);
    expect(wb.worksheets[2]!.getCell('B3').value).toBe(10.5);
    expect(wb.worksheets[2]!.getCell('B3').numFmt).toBe('#,##0.00');
  });

  it('stamps every zip entry with the given date, not the clock (same data, same bytes)', async () => {
    const file = tmp.path('dated.xlsx');
    const book = new XlsxBook(file, new Date(Date.UTC(2025, 5, 30)));
    await book.smallTable('T', [{ header: 'a', kind: 'text' }], [['x']]);
    await book.close();
    const bytes = readFileSync(file);
    // DOS date of 2025-06-30 in every local file header (signature PK\x03\x04, date at offset 12).
    const dosDate = ((2025 - 1980) << 9) | (6 << 5) | 30;
    let entries = 0;
    for (let i = bytes.indexOf('PK\x03\x04'); i >= 0; i = bytes.indexOf('PK\x03\x04', i + 4)) {
      expect(bytes.readUInt16LE(i + 12)).toBe(dosDate);
      expect(bytes.readUInt16LE(i + 10)).toBe(0);
      entries++;
    }
    expect(entries).toBeGreaterThanOrEqual(8);
  });

  it('leaves no file when a table gets more rows than announced', async () => {
    const file = tmp.path('bad.xlsx');
    const book = new XlsxBook(file, new Date(0));
    const t = book.table('T', [{ header: 'a', kind: 'text' }], 1);
    t.add(['x']);
    t.add(['y']);
    await expect(t.end()).rejects.toThrow(/2 rows written, 1 announced/);
    book.abort();
    expect(() => readFileSync(file)).toThrow();
  });

  it.skipIf(!SOFFICE)('writes text LibreOffice reads back exactly, control characters included', async () => {
    const file = tmp.path('text.xlsx');
    const book = new XlsxBook(file, new Date(0));
    const texts = ['000123', '123456789012345678', '=1+1', '@SUM(A1)', ' padded ', 'a\rb', 'bell\x07', '_x0041_', '中文'];
    await book.smallTable('T', [{ header: 'text', kind: 'text' }], texts.map((s) => [s]));
    await book.close();
    const lo = sheetsByLibreOffice(file).T!;
    expect(lo.slice(1).map((r) => r[0])).toEqual(texts);
  }, 120_000);
});

describe('openXlsxRows', () => {
  it('pads short rows to the first row, skips empty ones and numbers rows as the sheet does', async () => {
    const file = tmp.path('read.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['a', 'b', 'c']);
    ws.addRow(['1']);
    ws.addRow([]);
    ws.addRow(['2', null, 'x', 'extra']);
    await wb.xlsx.writeFile(file);
    const x = await openXlsxRows(file, null);
    expect(x.label).toBe(`${file}[S]`);
    const got: [number, string[]][] = [];
    for await (const b of x.batches) b.rows.forEach((r, i) => got.push([b.lines[i]!, r]));
    expect(got).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '', '']],
      [4, ['2', '', 'x', 'extra']],
    ]);
  });
});

describe('writeCustomerWorkbook', () => {
  it('splits the Customers sheet when the table is longer than a sheet', async () => {
    const csv = tmp.path('customers.csv');
    const lines = ['customer_id,orders,revenue,first_order'];
    for (let i = 0; i < 5; i++) lines.push(`${String(i).padStart(4, '0')},${i + 1},${i}.25,2025-01-0${i + 1}`);
    (await import('node:fs')).writeFileSync(csv, lines.join('\n') + '\n');
    const file = tmp.path('customers.xlsx');
    await writeCustomerWorkbook(file, { customersCsv: csv, customers: 5, model: fixtureModel('en'), maxRows: 4 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Customers', 'Customers 2', 'Customers 3', 'Segments', 'Data quality']);
    const c3 = wb.getWorksheet('Customers 3')!;
    expect(c3.getCell('A3').value).toBe('0004');
    expect(c3.getCell('B3').value).toBe(5);
    expect(c3.getCell('C3').value).toBe(4.25);
    expect(c3.getCell('D3').value).toEqual(new Date(Date.UTC(2025, 0, 5)));
  });
});
