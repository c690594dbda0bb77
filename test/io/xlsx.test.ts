/**
 * The streaming workbook writer and reader: text escapes that XML cannot carry, a table split
 * across numbered sheets with the note in row 1, widths and formats, and the reader's cell
 * texts (dates, numbers, padding of short rows).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { XlsxBook, columnLetter, isShortestNumber, typedCell, xlsxEscape } from '../../src/io/xlsx-writer.js';
import { cellText, dateText, openXlsxRows, xlsxUnescape } from '../../src/io/xlsx-reader.js';
import { writeCustomerWorkbook } from '../../src/pipeline/customer-workbook.js';
import { SOFFICE, sheetsByLibreOffice } from '../helpers/libreoffice.js';
import { unzipNamed, withCellRefs } from '../helpers/xlsx-refs.js';
import { tempDir } from '../cli/cli-test-utils.js';
import { fixtureModel } from '../render/report-fixture.js';
import { mountSmallFs } from '../helpers/small-fs.js';
import { OutputError } from '../../src/io/output-error.js';

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
    await wb.xlsx.readFile(await withCellRefs(file));
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
    await wb.xlsx.readFile(await withCellRefs(file));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Customers', 'Customers 2', 'Customers 3', 'Segments', 'Data quality']);
    const c3 = wb.getWorksheet('Customers 3')!;
    expect(c3.getCell('A3').value).toBe('0004');
    expect(c3.getCell('B3').value).toBe(5);
    expect(c3.getCell('C3').value).toBe(4.25);
    expect(c3.getCell('D3').value).toEqual(new Date(Date.UTC(2025, 0, 5)));
  });
});

/** A customer table with every kind of cell the byte path must write as the CSV reader's path does. */
const TRICKY_HEADER = 'customer_id,orders,revenue,first_order,p_alive,mean_interval_days,rfm_segment,sleep_reason';
const TRICKY_ROWS = [
  '000123,2,30.5,2024-12-01,0.924609,9.225806,Champions,cycle: 0.53× expected 62 d < 1.5',
  '123456789012345678,1,99.99,2024-11-10,0,,At Risk,cycle: 56.67× expected 11 d ≥ 6',
  '=1+1,007,1.50,2025-02-30,-0,1e5,"a, quoted ""cell""",days: 12 & more',
  '"multi\nline id",12345678901234567,0.0000001,0999-01-01,0.000001,-0.5, padded ,\x01bell',
  'x_x0041_y,1.,.5,2025-13-01,1e400,NaN,中文 段,\u00a0nbsp',
  'short,3',
  'long,1,2,2025-01-01,0.5,1,a,b,extra',
  '"",,,,,,,',
  'tab\tin,4,5,2025-01-31,1,2,<b>&amp;</b>,"ends with space "',
];

describe('customer workbook from CSV bytes', () => {
  const csv = tmp.path('tricky.csv');
  writeFileSync(csv, [TRICKY_HEADER, ...TRICKY_ROWS].join('\n') + '\n');

  async function both(file: string, rows: number, name: string, maxRows?: number): Promise<[Buffer, Buffer]> {
    const a = tmp.path(`${name}-bytes.xlsx`), b = tmp.path(`${name}-reader.xlsx`);
    await writeCustomerWorkbook(a, { customersCsv: file, customers: rows, model: fixtureModel('en'), maxRows });
    await writeCustomerWorkbook(b, { customersCsv: file, customers: rows, model: fixtureModel('en'), maxRows, viaReader: true });
    return [readFileSync(a), readFileSync(b)];
  }

  it('writes the same bytes as through the CSV reader, and the same bytes twice', async () => {
    const [a, b] = await both(csv, TRICKY_ROWS.length, 'tricky');
    expect(a.equals(b)).toBe(true);
    const [again] = await both(csv, TRICKY_ROWS.length, 'tricky2');
    expect(again.equals(a)).toBe(true);
    // Past the width sample (500 rows), on split sheets.
    const many = tmp.path('many.csv');
    const lines = [TRICKY_HEADER];
    for (let i = 0; i < 1200; i++) lines.push(TRICKY_ROWS[i % TRICKY_ROWS.length]!.replace(/^[^,]*/, (id) => `${id}-${i}`));
    writeFileSync(many, lines.join('\n') + '\n');
    const [c, d] = await both(many, 1200, 'many', 700);
    expect(c.equals(d)).toBe(true);
  });

  it('types the cells as typedCell does (read back with exceljs)', async () => {
    await both(csv, TRICKY_ROWS.length, 'typed');
    const file = tmp.path('typed-bytes.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await withCellRefs(file));
    const ws = wb.getWorksheet('Customers')!;
    const header = TRICKY_HEADER.split(',');
    expect(ws.getCell('A2').value).toBe('000123');
    expect(ws.getCell('B4').value).toBe(7);
    expect(ws.getCell('C4').value).toBe(1.5);
    expect(ws.getCell('D4').value).toBe('2025-02-30');
    expect(ws.getCell('E4').value).toBe(0);
    expect(ws.getCell('F4').value).toBe(100000);
    expect(ws.getCell('G4').value).toBe('a, quoted "cell"');
    expect(ws.getCell('A5').value).toBe('multi\nline id');
    expect(ws.getCell('D5').value).toEqual(new Date(Date.UTC(999, 0, 1)));
    expect(ws.getCell('E6').value).toBe('1e400');
    // (G10 `<b>&amp;</b>` is checked in LibreOffice: exceljs decodes entities in `str` cells twice.)
    expect(ws.getCell('I8').value).toBe('extra');
    expect(ws.getCell('C7').value).toBeNull();
    expect(header.length).toBe(8);
  });

  it.skipIf(!SOFFICE)('writes text LibreOffice reads back exactly (spaces, control characters, escapes, quotes)', async () => {
    await both(csv, TRICKY_ROWS.length, 'lo');
    const lo = sheetsByLibreOffice(tmp.path('lo-bytes.xlsx')).Customers!;
    expect(lo.slice(1).map((r) => r[0])).toEqual(['000123', '123456789012345678', '=1+1', 'multi\nline id', 'x_x0041_y', 'short', 'long', '', 'tab\tin']);
    expect(lo.slice(1).map((r) => r[6])).toEqual(['Champions', 'At Risk', 'a, quoted "cell"', ' padded ', '中文 段', '', 'a', '', '<b>&amp;</b>']);
    expect(lo[5]![7]).toBe('\u00a0nbsp');
    expect(lo[4]![7]).toBe('\x01bell');
    expect(lo[9]![7]).toBe('ends with space ');
  }, 120_000);

  it('takes other files through the CSV reader: CRLF, a BOM, UTF-16, GB18030', async () => {
    const iconv = (await import('iconv-lite')).default;
    const text = [TRICKY_HEADER, ...TRICKY_ROWS.slice(0, 3)].join('\n') + '\n';
    const variants: [string, Buffer][] = [
      ['crlf', Buffer.from(text.replace(/\n/g, '\r\n'))],
      ['bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['gb', iconv.encode(text, 'gb18030')],
    ];
    const [want] = await both(writeAs('plain.csv', Buffer.from(text)), 3, 'plain');
    for (const [name, bytes] of variants) {
      const [a, b] = await both(writeAs(`${name}.csv`, bytes), 3, name);
      expect(a.equals(b), name).toBe(true);
      expect(a.equals(want), name).toBe(true);
    }
  });

  it('fails on a broken quote as the CSV reader does, leaving no workbook', async () => {
    const file = writeAs('broken.csv', Buffer.from(`${TRICKY_HEADER}\na"b,1,2,2025-01-01,1,1,x,y\n`));
    const out = tmp.path('broken.xlsx');
    const viaReader = await writeCustomerWorkbook(out, { customersCsv: file, customers: 1, model: fixtureModel('en'), viaReader: true }).then(() => null, (e: Error) => e.message);
    const fromBytes = await writeCustomerWorkbook(out, { customersCsv: file, customers: 1, model: fixtureModel('en') }).then(() => null, (e: Error) => e.message);
    expect(fromBytes).toBe(viaReader);
    if (fromBytes !== null) expect(() => readFileSync(out)).toThrow();
  });
});

/**
 * Cells are positional (#25's time budget): a cell carries its reference only after an empty
 * one. Gaps at the start, in the middle (one and several), at the end and past column Z;
 * texts repeated down a column.
 */
const GAPS_HEADER = ['customer_id', 'orders', 'revenue', 'first_order', 'mean_interval_days', 'rfm_segment', 'sleep_state', 'abc_class', ...Array.from({ length: 22 }, (_, i) => `extra_${i + 1}`)];
const GAPS_ROWS = [
  ['c1', '2', '30.5', '2024-12-01', '9.5', 'Champions', 'active', 'A', ...Array.from({ length: 22 }, (_, i) => `x${i}`)],
  ['', '1', '', '2024-11-10', '', 'Lost', '', 'B', ...Array.from({ length: 22 }, (_, i) => (i % 3 === 0 ? '' : 'same'))],
  ['c3', '', '', '', '', '', '', 'C'],
  ['c4', '3', '1.25', '', '', 'Champions', 'active', '', ...Array.from({ length: 22 }, (_, i) => (i === 19 ? 'only AB' : ''))],
  ['c5', '1', '2', '2025-01-01', '3', 'Lost', 'lost', 'A'],
];

describe('positional cells', () => {
  const csv = tmp.path('gaps.csv');
  writeFileSync(csv, [GAPS_HEADER, ...GAPS_ROWS].map((r) => r.join(',')).join('\n') + '\n');

  it('writes a cell reference only on a cell after an empty one, the same through the CSV reader', async () => {
    const a = tmp.path('gaps-bytes.xlsx'), b = tmp.path('gaps-reader.xlsx');
    await writeCustomerWorkbook(a, { customersCsv: csv, customers: GAPS_ROWS.length, model: fixtureModel('en') });
    await writeCustomerWorkbook(b, { customersCsv: csv, customers: GAPS_ROWS.length, model: fixtureModel('en'), viaReader: true });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const sheet = unzipNamed(readFileSync(a)).find(([n]) => n === 'xl/worksheets/sheet1.xml')![1].toString('utf8');
    const row = (r: number): string => sheet.match(new RegExp(`<row r="${r}">(.*?)</row>`))![1]!;
    // Row 1 (the header) keeps its references; data rows name a cell only after a gap.
    expect(row(2)).not.toContain(' r="');
    expect(row(3).match(/ r="[A-Z]+\d+"/g)).toEqual([' r="B3"', ' r="D3"', ' r="F3"', ' r="H3"', ' r="J3"', ' r="M3"', ' r="P3"', ' r="S3"', ' r="V3"', ' r="Y3"', ' r="AB3"']);
    expect(row(3).startsWith('<c r="B3" s="2"><v>1</v></c><c r="D3" s="5"><v>45606</v></c>')).toBe(true);
    expect(row(4)).toBe('<c s="1" t="str"><v>c3</v></c><c r="H4" s="1" t="str"><v>C</v></c>');
    expect(row(5).match(/ r="[A-Z]+\d+"/g)).toEqual([' r="F5"', ' r="AB5"']);
    expect(row(6)).not.toContain(' r="');
    // Read with the references put back, every cell is where the CSV has it.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await withCellRefs(a));
    const ws = wb.getWorksheet('Customers')!;
    GAPS_ROWS.forEach((cells, r) =>
      GAPS_HEADER.forEach((_, c) => {
        const v = ws.getRow(r + 2).getCell(c + 1).value;
        const want = cells[c] ?? '';
        expect(v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? '' : String(v), `row ${r + 2} column ${c + 1}`).toBe(want);
      }),
    );
  });

  it.skipIf(!SOFFICE)('reads back in LibreOffice with every cell equal to the CSV (gaps in place, repeated texts)', async () => {
    const file = tmp.path('gaps-lo.xlsx');
    await writeCustomerWorkbook(file, { customersCsv: csv, customers: GAPS_ROWS.length, model: fixtureModel('en') });
    const lo = sheetsByLibreOffice(file).Customers!;
    expect(lo[0]).toEqual(GAPS_HEADER);
    expect(lo.length).toBe(GAPS_ROWS.length + 1);
    GAPS_ROWS.forEach((cells, r) => {
      const got = lo[r + 1]!;
      // LibreOffice ends a row at its last cell; the rest is empty.
      expect(GAPS_HEADER.map((_, c) => got[c] ?? ''), `row ${r + 2}`).toEqual(GAPS_HEADER.map((_, c) => cells[c] ?? ''));
    });
  }, 120_000);
});

function writeAs(name: string, bytes: Buffer): string {
  const p = tmp.path(name);
  writeFileSync(p, bytes);
  return p;
}

describe('isShortestNumber', () => {
  it('is true only for text that String(Number(text)) gives back (up to 15 significant digits)', () => {
    const yes = ['0', '1', '10', '1.5', '-0.5', '0.000001', '123456789012345', '-12.25', '0.123456789012345'];
    const no = ['-0', '007', '1.50', '0.0000001', '1e5', '.5', '1.', '1234567890123456', '0.1234567890123456', '00', '0.0', '', '-', 'NaN'];
    for (const c of yes) expect(isShortestNumber(c) && String(Number(c)) === c, c).toBe(true);
    for (const c of no) expect(isShortestNumber(c), c).toBe(false);
    expect(typedCell('1.50', 'money')).toBe(1.5);
    // Random decimals in the table's forms.
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const digits = Math.floor(rnd() * 18) + 1;
      let s = String(Math.floor(rnd() * 10 ** Math.min(digits, 15)));
      if (rnd() < 0.6) s += '.' + String(Math.floor(rnd() * 1e6)).padStart(Math.floor(rnd() * 8) + 1, '0');
      if (rnd() < 0.3) s = '-' + s;
      if (isShortestNumber(s)) expect(String(Number(s)), s).toBe(s);
    }
  });
});

describe('a workbook on a full disk', () => {
  const full = mountSmallFs('256k');
  afterAll(() => full.cleanup());

  it.skipIf(!full.dir)('fails with the output named and leaves neither the workbook nor a temporary file', async () => {
    const csv = tmp.path('big.csv');
    const lines = [TRICKY_HEADER];
    for (let i = 0; i < 20_000; i++) lines.push(`C${(i * 7919) % 100_003},${i},${i}.25,2025-01-0${1 + (i % 9)},0.5,1.5,Seg ${i % 97},reason ${i}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const out = `${full.dir}/customers.xlsx`;
    const e = await writeCustomerWorkbook(out, { customersCsv: csv, customers: 20_000, model: fixtureModel('en') }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(OutputError);
    expect(String((e as Error).message)).toContain('customers.xlsx');
    expect(readdirSync(full.dir!)).toEqual([]);
  }, 60_000);
});
