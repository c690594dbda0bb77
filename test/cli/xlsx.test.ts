/**
 * XLSX out and in (#25 item 1): `run` writes customers.xlsx beside customers.csv, typed cell
 * by cell (read back with exceljs, and with LibreOffice Calc as a person's spreadsheet would:
 * ids `000123`, `123456789012345678` and `=1+1` come back as exact text); `report --format
 * xlsx` writes the same workbook; `ingest` reads a sheet with the same mapping, rows and
 * rejects as the CSV file holding the same cells.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, spawnCli } from '../helpers/cli.js';
import { SOFFICE, sheetsByLibreOffice } from '../helpers/libreoffice.js';
import { withCellRefs } from '../helpers/xlsx-refs.js';
import { csvRecords, tempDir } from './cli-test-utils.js';
import { parse } from 'csv-parse/sync';

const tmp = tempDir('custkit-xlsx-');
afterAll(() => tmp.cleanup());

/** The demo export plus customers whose ids a spreadsheet would mangle. */
const TRICKY = [
  ['000123', 'X1', '2024-12-01', '10.50', '1', 'paid', 'web'],
  ['000123', 'X2', '2025-01-15', '20.00', '1', 'paid', 'web'],
  ['123456789012345678', 'X3', '2024-11-10', '99.99', '1', 'paid', 'store'],
  ['=1+1', 'X4', '2024-10-11', '5.00', '1', 'paid', 'web'],
  ['=1+1', 'X5', '2025-01-01', '7.25', '1', 'paid', 'web'],
  ['+8613812345678', 'X6', '2024-12-20', '12.00', '1', 'paid', 'web'],
];

let input = '';
let out = '';
const rows = (csv: string): string[][] => parse(csv) as string[][];

beforeAll(async () => {
  input = tmp.path('orders.csv');
  writeFileSync(input, readFileSync(fixture('demo', 'orders.csv'), 'utf8') + TRICKY.map((r) => r.join(',') + '\n').join(''));
  out = tmp.path('out');
  const r = await runCli(['run', input, '--out', out, '-q']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

interface CohortJson {
  cohort: string;
  customers: number;
  offsets: { offset: number; period: string; active: number; revenue: number }[];
}

/** A sheet as rows of exceljs cells (1-based columns dropped to 0-based). */
async function sheetCells(file: string, name: string): Promise<ExcelJS.Cell[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await withCellRefs(file));
  const ws = wb.getWorksheet(name);
  expect(ws, `sheet ${name}`).toBeDefined();
  const out: ExcelJS.Cell[][] = [];
  ws!.eachRow({ includeEmpty: true }, (row) => {
    const cells: ExcelJS.Cell[] = [];
    for (let c = 1; c <= ws!.columnCount; c++) cells.push(row.getCell(c));
    out.push(cells);
  });
  return out;
}

describe('run writes customers.xlsx', () => {
  it('types every cell of the Customers sheet from customers.csv: text as text, numbers as numbers, dates as dates', async () => {
    const table = rows(readFileSync(`${out}/customers.csv`, 'utf8'));
    const header = table[0]!;
    const sheet = await sheetCells(`${out}/customers.xlsx`, 'Customers');
    expect(sheet.length).toBe(table.length);
    expect(sheet[0]!.map((c) => c.value)).toEqual(header);
    const col = (name: string): number => header.indexOf(name);
    const byId = new Map(sheet.slice(1).map((r) => [String(r[0]!.value), r]));
    for (const id of ['000123', '123456789012345678', '=1+1', '+8613812345678']) {
      const r = byId.get(id);
      expect(r, id).toBeDefined();
      expect(r![0]!.type).toBe(ExcelJS.ValueType.String);
      expect(r![0]!.formula).toBeUndefined();
    }
    const r = byId.get('000123')!;
    expect(r[col('orders')]!.value).toBe(2);
    expect(r[col('revenue')]!.value).toBe(30.5);
    expect(r[col('revenue')]!.numFmt).toBe('#,##0.00');
    expect(r[col('first_order')]!.value).toEqual(new Date(Date.UTC(2024, 11, 1)));
    expect(r[col('p_alive')]!.numFmt).toBe('0.00%');
    // Every cell: the CSV's text, typed (empty cells empty).
    for (let i = 1; i < table.length; i++) {
      const csv = table[i]!;
      const xl = sheet[i]!;
      for (let c = 0; c < header.length; c++) {
        const v = xl[c]!.value;
        const want = csv[c]!.startsWith("'") && /^'[=+\-@]/.test(csv[c]!) && !/^'-[\d.]/.test(csv[c]!) ? csv[c]!.slice(1) : csv[c]!;
        if (want === '') expect(v ?? null, `${header[c]} row ${i}`).toBeNull();
        else if (v instanceof Date) expect(v.toISOString().slice(0, 10)).toBe(want);
        else if (typeof v === 'number') expect(v).toBe(Number(want));
        else expect(v, `${header[c]} row ${i}`).toBe(want);
      }
    }
  });

  it('has a frozen header with a filter, and the Segments, Actions and Data quality sheets', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await withCellRefs(`${out}/customers.xlsx`));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Customers', 'Segments', 'Actions', 'Cohorts', 'New vs returning', 'Data quality']);
    // Actions: run's actions.csv, typed (priority a number, value at risk money).
    const actionsCsv = rows(readFileSync(`${out}/actions.csv`, 'utf8'));
    const actions = await sheetCells(`${out}/customers.xlsx`, 'Actions');
    expect(actions.length).toBe(actionsCsv.length);
    expect(actions[0]!.map((c) => c.value)).toEqual(actionsCsv[0]);
    const ah = actionsCsv[0]!;
    expect(actions[1]!.map((c) => c.value ?? '')).toEqual(actionsCsv[1]!.map((v, i) => (['priority', 'value_at_risk', 'clv'].includes(ah[i]!) && v !== '' ? Number(v) : v)));
    expect(actions[1]![ah.indexOf('value_at_risk')]!.numFmt).toBe('#,##0.00');
    const ws = wb.getWorksheet('Customers')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(18);
    const seg = await sheetCells(`${out}/customers.xlsx`, 'Segments');
    expect(seg[0]!.map((c) => c.value)).toEqual(['classification', 'segment', 'definition', 'customers', 'customer_share', 'revenue', 'revenue_share', 'action']);
    const champions = seg.find((r) => r[0]!.value === 'RFM segments' && r[1]!.value === 'Champions')!;
    expect(champions[2]!.value).toContain('55, 54, 45');
    const report = JSON.parse(readFileSync(`${out}/report.json`, 'utf8'));
    const rc = report.rfm.segments11.find((s: { key: string }) => s.key === 'champions');
    expect(champions[3]!.value).toBe(rc.customers);
    expect(champions[5]!.value).toBe(rc.revenue);
    const rfmTotal = seg.filter((r) => r[0]!.value === 'RFM segments').reduce((s, r) => s + Number(r[3]!.value), 0);
    expect(rfmTotal).toBe(report.overview.customers);
    // Cohorts and New vs returning: every value of report.json's cohorts section, typed.
    const co = await sheetCells(`${out}/customers.xlsx`, 'Cohorts');
    const c0 = report.cohorts.cohorts[0];
    expect(co[1]!.map((c) => c.value)).toEqual([c0.cohort, c0.customers, c0.second_purchase, c0.second_purchase_share, c0.median_days_to_second, 0, c0.offsets[0].period, c0.offsets[0].active, c0.offsets[0].retention, c0.offsets[0].revenue, c0.offsets[0].cumulative_revenue_per_customer]);
    expect(co[1]![8]!.numFmt).toBe('0.00%');
    expect(co.length - 1).toBe(report.cohorts.cohorts.reduce((n: number, c: CohortJson) => n + c.offsets.length, 0));
    const nr = await sheetCells(`${out}/customers.xlsx`, 'New vs returning');
    expect(nr.slice(1).map((r) => r.map((c) => c.value))).toEqual(report.cohorts.periods.map((p: Record<string, unknown>) => [p.period, p.new_customers, p.new_revenue, p.returning_customers, p.returning_revenue]));
    const dq = await sheetCells(`${out}/customers.xlsx`, 'Data quality');
    expect(dq[1]!.map((c) => c.value)).toEqual(['rows read', null, 5096 + TRICKY.length, 1]);
  });

  it.skipIf(!SOFFICE)('reads back in LibreOffice Calc with the ids exact as text and every cell equal to customers.csv', () => {
    const table = rows(readFileSync(`${out}/customers.csv`, 'utf8'));
    const sheets = sheetsByLibreOffice(`${out}/customers.xlsx`);
    expect(Object.keys(sheets).sort()).toEqual(['Actions', 'Cohorts', 'Customers', 'Data quality', 'New vs returning', 'Segments']);
    // Cohorts (#27): one row per cohort and offset, as report.json has them.
    const report = JSON.parse(readFileSync(`${out}/report.json`, 'utf8'));
    const want = report.cohorts.cohorts.flatMap((c: CohortJson) => c.offsets.map((o) => [c.cohort, c.customers, o.offset, o.period, o.active, o.revenue]));
    const co = sheets.Cohorts!;
    const h = co[0]!;
    expect(h).toEqual(['cohort', 'customers', 'second_purchase', 'second_purchase_share', 'median_days_to_second', 'offset', 'period', 'active', 'retention', 'revenue', 'cumulative_revenue_per_customer']);
    const pick = (r: string[]): unknown[] => ['cohort', 'customers', 'offset', 'period', 'active', 'revenue'].map((k) => (['cohort', 'period'].includes(k) ? r[h.indexOf(k)] : Number(r[h.indexOf(k)])));
    expect(co.slice(1).map(pick)).toEqual(want);
    expect(want.length).toBeGreaterThan(10);
    const lo = sheets.Customers!;
    expect(lo.length).toBe(table.length);
    const ids = new Set(lo.slice(1).map((r) => r[0]));
    for (const id of ['000123', '123456789012345678', '=1+1', '+8613812345678']) expect(ids.has(id), id).toBe(true);
    const header = table[0]!;
    for (let i = 1; i < table.length; i++) {
      for (let c = 0; c < header.length; c++) {
        const csv = table[i]![c]!.replace(/^'(?=[=+@]|-\D)/, '');
        const got = lo[i]![c] ?? '';
        if (got.endsWith('%')) expect(Math.abs(Number(got.slice(0, -1)) / 100 - Number(csv)), `${header[c]} row ${i}`).toBeLessThanOrEqual(5e-5);
        else if (csv !== '' && /^-?[\d.]+(e-?\d+)?$/.test(csv) && header[c] !== 'customer_id') expect(Number(got), `${header[c]} row ${i}`).toBe(Number(csv));
        else expect(got, `${header[c]} row ${i}`).toBe(csv);
      }
    }
  }, 120_000);

  it('ingest refuses its own workbook with exit 2, not an internal error: exceljs reads no cell without its reference', async () => {
    // A process of its own: exceljs's reader goes on with its temporary files after the
    // error, which must not outlive this test's folder in the test runner's process.
    const r = spawnCli(['ingest', `${out}/customers.xlsx`, '--sheet', 'Actions']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${out}/customers.xlsx[Actions]: cannot read the sheet (a cell without its reference (r), or a damaged sheet)`);
    expect(r.stderr).toContain('save the workbook again in Excel or LibreOffice');
  });

  it('report --format xlsx writes the same workbook from the customer table', async () => {
    const file = tmp.path('report.xlsx');
    const r = await runCli(['report', `${out}/customers.csv`, '--audit-in', `${out}/audit.json`, '--format', 'xlsx', '-o', file]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['Customers', 'Segments', 'Data quality']) {
      const a = (await sheetCells(`${out}/customers.xlsx`, name)).map((row) => row.map((c) => c.value));
      const b = (await sheetCells(file, name)).map((row) => row.map((c) => c.value));
      expect(b, name).toEqual(a);
    }
    const bad = await runCli(['report', `${out}/customers.csv`, '--format', 'xlsx']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('-o customers.xlsx');
  });
});

/** A workbook with one sheet holding `cells` as text (and a first sheet "Notes" when asked). */
async function workbookOf(path: string, sheets: Record<string, unknown[][]>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const [name, data] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of data) ws.addRow(r);
  }
  await wb.xlsx.writeFile(path);
}

// Each ingest of a workbook runs in a process of its own: exceljs's streaming reader leaves
// work behind after custkit stops reading (temporary files of later sheets), which in the test
// runner's process outlived the test's folder (ENOENT) or disturbed the next read.
describe('ingest reads .xlsx', () => {
  it('gives the same rows and rejects as the CSV file holding the same cells (a short row is not ragged in a sheet)', async () => {
    const csvText = readFileSync(fixture('ingest', 'orders_bad_rows.csv'), 'utf8');
    const cells = parse(csvText, { relax_column_count: true }) as string[][];
    const xlsx = tmp.path('bad.xlsx');
    await workbookOf(xlsx, { Orders: cells });
    const a = await runCli(['ingest', fixture('ingest', 'orders_bad_rows.csv'), '--rejects', tmp.path('rej-csv.csv'), '--max-reject-rate', '1']);
    const b = spawnCli(['ingest', xlsx, '--rejects', tmp.path('rej-xlsx.csv'), '--max-reject-rate', '1']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // A sheet does not store empty cells at the end of a row: line 11 (`B5,10,2026-09-04,,10.00`,
    // one field short) is ragged in the CSV file, and a row with an empty quantity in the sheet.
    const csvRows = csvRecords(a.stdout);
    const xlsxRows = csvRecords(b.stdout);
    expect(xlsxRows.filter((r) => r.order_id !== '10')).toEqual(csvRows);
    expect(xlsxRows.find((r) => r.order_id === '10')).toMatchObject({ customer_id: 'B5', order_date: '2026-09-04', amount: '10', quantity: '' });
    const strip = (t: string): Record<string, string>[] => csvRecords(t).map(({ file: _f, ...r }) => r);
    const csvRejects = strip(readFileSync(tmp.path('rej-csv.csv'), 'utf8'));
    expect(csvRejects.filter((r) => r.reason === 'ragged_row').map((r) => r.line)).toEqual(['11']);
    expect(strip(readFileSync(tmp.path('rej-xlsx.csv'), 'utf8'))).toEqual(csvRejects.filter((r) => r.reason !== 'ragged_row'));
    expect(readFileSync(tmp.path('rej-xlsx.csv'), 'utf8')).toContain(`${tmp.path('bad.xlsx')}[Orders],`);
  });

  it('reads typed cells (dates, numbers, formulas, errors), the first sheet or --sheet NAME, and rejects with the sheet row', async () => {
    const xlsx = tmp.path('typed.xlsx');
    await workbookOf(xlsx, {
      Notes: [['not orders']],
      Orders: [
        ['Customer ID', 'Order ID', 'Order Date', 'Amount'],
        ['000123', 'o1', new Date(Date.UTC(2026, 0, 5)), 10.5],
        ['123456789012345678', 'o2', new Date(Date.UTC(2026, 0, 6)), 20],
        [],
        ['=1+1', 'o3', '2026-01-07', { formula: '1+2', result: 3 }],
        ['c4', 'o4', new Date(Date.UTC(2026, 0, 8)), { error: '#N/A' }],
      ],
    });
    const first = spawnCli(['ingest', xlsx]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('customer_id');
    const r = spawnCli(['ingest', xlsx, '--sheet', 'Orders', '--rejects', tmp.path('typed-rej.csv'), '--max-reject-rate', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => [x.customer_id, x.order_id, x.order_date, x.amount])).toEqual([
      ['000123', 'o1', '2026-01-05', '10.5'],
      ['123456789012345678', 'o2', '2026-01-06', '20'],
      ['=1+1', 'o3', '2026-01-07', '3'],
    ]);
    const rej = csvRecords(readFileSync(tmp.path('typed-rej.csv'), 'utf8'));
    expect(rej).toEqual([{ file: `${xlsx}[Orders]`, line: '6', reason: 'bad_amount', detail: 'Amount: "#N/A" is not a number', raw: 'c4,o4,2026-01-08,#N/A' }]);
    const none = spawnCli(['ingest', xlsx, '--sheet', 'Nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no sheet named "Nope"');
    expect(none.stderr).toContain('sheets: Notes, Orders');
    const noXlsx = await runCli(['ingest', fixture('ingest', 'orders_basic.csv'), '--sheet', 'Orders']);
    expect(noXlsx.code).toBe(1);
  });
});
