/**
 * `custkit ingest` end to end (in-process through main()): golden canonical outputs for every
 * fixture in fixtures/ingest, checked byte for byte against fixtures/ingest/expected/<name>.csv
 * (regenerate with `UPDATE_GOLDEN=1 npx vitest run test/cli/ingest.test.ts`, then read them),
 * plus the numbers of fixtures/ingest/README.md asserted independently on the output
 * (row count, Σ amount via csv-parse, rejects by reason); one test per reject reason and
 * per error message; the reject budget.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { countReasons, csvHeader, csvRecords, sumAmounts, tempDir } from './cli-test-utils.js';
import { rejectRate } from '../../src/pipeline/ingest-summary.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const expectedPath = (file: string): string => fixture('ingest', 'expected', basename(file).replace(/\.[a-z0-9]+$/, '') + '.csv');

interface GoldenCase {
  file: string;
  /** Options the README says the file needs. */
  args: string[];
  rows: number;
  /** Σ amount: the README's hand sum of the amounts as written (shown per case). */
  sum: number;
  rejects: Record<string, number>;
}

// Every row of the table in fixtures/ingest/README.md except orders_no_customer_column.csv (an error case below).
const CASES: GoldenCase[] = [
  { file: 'orders_basic.csv', args: [], rows: 6, sum: 492.85, rejects: {} }, // 120 + 35.5 + 80.25 + 15 + 42.1 + 200
  { file: 'orders_shopify_like.csv', args: [], rows: 4, sum: 3315.99, rejects: {} }, // 1250 + 45.90 + 19.99 + 2000.10
  { file: 'orders_zh_utf8_bom.csv', args: [], rows: 5, sum: 15823, rejects: {} }, // 1234.50 + 88 + 12000 + 0.50 + 2500
  { file: 'orders_gb18030.csv', args: [], rows: 5, sum: 15823, rejects: {} }, // same text
  { file: 'orders_utf16le.txt', args: [], rows: 4, sum: 135.75, rejects: {} }, // 10 + 20.50 + 5.25 + 100
  { file: 'orders_utf16be.txt', args: [], rows: 4, sum: 135.75, rejects: {} }, // same text
  { file: 'orders_semicolon_decimal_comma.csv', args: [], rows: 5, sum: 3310.39, rejects: {} }, // 1234.50 + 89.90 − 15 + 2000 + 0.99 (decimal mark auto-detected)
  { file: 'orders_pipe.csv', args: [], rows: 3, sum: 60.6, rejects: {} }, // 10.10 + 20.20 + 30.30
  { file: 'orders_tab.tsv', args: [], rows: 4, sum: 60, rejects: {} }, // 9.99 + 19.99 + 29.99 + 0.03
  { file: 'orders_dayfirst.csv', args: [], rows: 4, sum: 100, rejects: {} }, // 10 + 20 + 30 + 40
  { file: 'orders_monthfirst.csv', args: [], rows: 4, sum: 100, rejects: {} }, // 10 + 20 + 30 + 40
  { file: 'orders_ambiguous_dates.csv', args: ['--date-format', 'DD/MM/YYYY'], rows: 3, sum: 60, rejects: {} }, // 10 + 20 + 30
  { file: 'orders_no_amount_qty_price.csv', args: [], rows: 4, sum: 62.22, rejects: {} }, // 15.30 + 20.34 + 54.08 − 27.50
  { file: 'orders_no_order_id.csv', args: [], rows: 3, sum: 18, rejects: {} }, // 5 + 6 + 7
  { file: 'orders_excel_serial.csv', args: [], rows: 3, sum: 60, rejects: {} }, // 10 + 20 + 30
  { file: 'orders_epoch.csv', args: [], rows: 3, sum: 60, rejects: {} }, // 10 + 20 + 30
  { file: 'orders_compact_dates_whitespace.txt', args: ['--map', 'customer_id=1,order_date=2,quantity=3,amount=4'], rows: 5, sum: 142.29, rejects: {} }, // 11.77 + 12 + 77 + 20.76 + 20.76
  { file: 'orders_accounting_negatives.csv', args: [], rows: 5, sum: 562.25, rejects: {} }, // 100 − 25.5 − 1000 + 1500 − 12.25
  { file: 'orders_fullwidth.csv', args: [], rows: 3, sum: 1103.5, rejects: {} }, // 123.5 + 1000 − 20
  {
    file: 'orders_bad_rows.csv',
    args: ['--max-reject-rate', '1'],
    rows: 2,
    sum: 30, // 10 + 20; 9 rejects, one per reason (missing_customer_id twice: empty and NA)
    rejects: { missing_customer_id: 2, missing_date: 1, bad_date: 1, bad_time: 1, missing_amount: 1, bad_amount: 1, bad_quantity: 1, ragged_row: 1 },
  },
  { file: 'orders_bad_rows_qty_price.csv', args: ['--max-reject-rate', '1'], rows: 2, sum: 12.5, rejects: { bad_unit_price: 1, missing_amount: 2, bad_quantity: 1 } }, // 2 × 5.00 + 1 × 2.50
  { file: 'orders_ragged_rows.csv', args: ['--max-reject-rate', '1'], rows: 2, sum: 50, rejects: { ragged_row: 2 } }, // 10 + 40
];

/** Runs ingest on a fixture with a rejects file; returns the run and the rejects text. */
async function ingestFixture(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; rejects: string }> {
  const rej = tmp.path(`${file}.rejects.csv`);
  const r = await runCli(['ingest', fixture('ingest', file), ...args, '--rejects', rej]);
  return { ...r, rejects: existsSync(rej) ? readFileSync(rej, 'utf8') : '' };
}

describe('ingest: golden canonical output for every fixture (fixtures/ingest/expected)', () => {
  if (UPDATE) mkdirSync(fixture('ingest', 'expected'), { recursive: true });
  for (const c of CASES) {
    it(`${c.file}${c.args.length ? ' ' + c.args.join(' ') : ''}: ${c.rows} rows, Σ ${c.sum}`, async () => {
      const r = await ingestFixture(c.file, c.args);
      expect(r.code, r.stderr).toBe(0);
      if (UPDATE) writeFileSync(expectedPath(c.file), r.stdout);
      expect(r.stdout).toBe(readFileSync(expectedPath(c.file), 'utf8'));
      // The README's numbers, read back with csv-parse (independent of custkit's writer).
      const rows = csvRecords(r.stdout);
      expect(rows.length).toBe(c.rows);
      expect(sumAmounts(rows)).toBe(c.sum);
      expect(countReasons(r.rejects)).toEqual(c.rejects);
      // The summary line on stderr agrees: read = written + rejected.
      const nRej = Object.values(c.rejects).reduce((a, b) => a + b, 0);
      expect(r.stderr).toContain(`ingest: ${c.rows + nRej} rows read, ${c.rows} written, ${nRej} rejected`);
    });
  }
});

describe('ingest: values the README states per fixture', () => {
  const run = async (file: string, args: string[] = []): Promise<Record<string, string>[]> => csvRecords((await ingestFixture(file, args)).stdout);
  const when = (r: Record<string, string>): string => r.order_date + (r.order_time ? ' ' + r.order_time : '');

  it('the Chinese fixture keeps its two times (2026年3月6日 14:03 → 14:03:00)', async () => {
    const rows = await run('orders_zh_utf8_bom.csv');
    expect(rows.map(when)).toEqual(['2026-03-05', '2026-03-06 14:03:00', '2026-03-08', '2026-03-10', '2026-03-12 09:30:00']);
    expect(rows[0]).toMatchObject({ customer_id: '张三', amount: '1234.5', status: '已付款' });
  });
  it('epoch seconds are UTC date + time; Excel serial 45001.5 is noon', async () => {
    // README: 1700000000 = 2023-11-14 22:13:20 UTC, +86400 = 2023-11-15, 1704067199 = 2023-12-31 23:59:59.
    expect((await run('orders_epoch.csv')).map(when)).toEqual(['2023-11-14 22:13:20', '2023-11-15 22:13:20', '2023-12-31 23:59:59']);
    // 45000 = 2023-03-15 (serial ≥ 61: days since 1899-12-30); 45352 = +352 days = 2024-03-01.
    expect((await run('orders_excel_serial.csv')).map(when)).toEqual(['2023-03-15', '2023-03-16 12:00:00', '2024-03-01']);
  });
  it('day-first and month-first files give the same four days; 4:30 PM → 16:30:00', async () => {
    const days = ['2026-03-05', '2026-03-13', '2026-04-01', '2025-12-25'];
    expect((await run('orders_dayfirst.csv')).map((r) => r.order_date)).toEqual(days);
    const m = await run('orders_monthfirst.csv');
    expect(m.map((r) => r.order_date)).toEqual(days);
    expect(m[3]!.order_time).toBe('16:30:00');
  });
  it('Shopify export: quoted newline, $ amounts, zone ignored', async () => {
    const rows = await run('orders_shopify_like.csv');
    expect(rows.map((r) => r.order_id)).toEqual(['#1001', '#1002', '#1003', '#1004']);
    expect(rows.map((r) => r.amount)).toEqual(['1250', '45.9', '19.99', '2000.1']);
    expect(when(rows[0]!)).toBe('2026-03-01 10:15:00');
  });
  it('synthesised order ids are ~<file number>.<line>; header-less ids keep leading zeros', async () => {
    expect((await run('orders_no_order_id.csv')).map((r) => r.order_id)).toEqual(['~1.2', '~1.3', '~1.4']);
    const c = await run('orders_compact_dates_whitespace.txt', ['--map', 'customer_id=1,order_date=2,quantity=3,amount=4']);
    expect(c.map((r) => r.order_id)).toEqual(['~1.1', '~1.2', '~1.3', '~1.4', '~1.5']);
    expect(c[0]!.customer_id).toBe('00001');
  });
  it('amount = quantity × unit price, ids like 17850.0 → 17850', async () => {
    const rows = await run('orders_no_amount_qty_price.csv');
    expect(rows.map((r) => r.amount)).toEqual(['15.3', '20.34', '54.08', '-27.5']); // 6×2.55, 6×3.39, 32×1.69, −1×27.50
    expect([...new Set(rows.map((r) => r.customer_id))]).toEqual(['17850', '13047']);
  });
  it('full-width digits fold to ASCII in dates and amounts, not in ids (unless --fold-ids); accounting negatives', async () => {
    const f = await run('orders_fullwidth.csv');
    expect(f.map((r) => [r.customer_id, r.order_id, r.order_date, r.amount])).toEqual([
      ['１７８５０', 'W1', '2026-03-05', '123.5'],
      ['Ｆ２', 'W2', '2026-03-06', '1000'],
      ['１７８５０', 'W3', '2026-03-07', '-20'],
    ]);
    expect((await run('orders_fullwidth.csv', ['--fold-ids'])).map((r) => r.customer_id)).toEqual(['17850', 'F2', '17850']);
    expect((await run('orders_accounting_negatives.csv')).map((r) => r.amount)).toEqual(['100', '-25.5', '-1000', '1500', '-12.25']);
  });
});

describe('ingest: encodings give the same canonical output as their UTF-8 twin', () => {
  it('orders_gb18030.csv = orders_zh_utf8_bom.csv', async () => {
    const a = await ingestFixture('orders_zh_utf8_bom.csv', []);
    const b = await ingestFixture('orders_gb18030.csv', []);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stderr).toContain('utf-8, delimiter ,');
    expect(b.stderr).toContain('gb18030, delimiter ,');
  });
  it('orders_utf16le.txt (BOM) = orders_utf16be.txt (no BOM) = the same text as UTF-8', async () => {
    // The UTF-8 twin is the UTF-16LE file's text re-encoded (make-ingest-fixtures.mjs keeps the text).
    const text = iconv.decode(readFileSync(fixture('ingest', 'orders_utf16le.txt')), 'utf-16le'); // strips the BOM
    expect(text.startsWith('Customer ID\tOrder ID')).toBe(true);
    const twin = tmp.path('orders_utf16_twin_utf8.txt');
    writeFileSync(twin, text, 'utf8');
    const u8 = await runCli(['ingest', twin]);
    const le = await ingestFixture('orders_utf16le.txt', []);
    const be = await ingestFixture('orders_utf16be.txt', []);
    expect(u8.code).toBe(0);
    expect(le.stdout).toBe(u8.stdout);
    expect(be.stdout).toBe(u8.stdout);
    expect(csvRecords(u8.stdout)[3]!.customer_id).toBe('客户甲');
    expect(le.stderr).toContain('utf-16le, delimiter tab');
    expect(be.stderr).toContain('utf-16be, delimiter tab');
  });
});

describe('ingest: rejects file (header file,line,reason,detail,raw; line = physical line where the row starts)', () => {
  it('orders_bad_rows.csv: one reject per reason on the README lines', async () => {
    const r = await ingestFixture('orders_bad_rows.csv', ['--max-reject-rate', '1']);
    expect(r.rejects.split('\n')[0]).toBe('file,line,reason,detail,raw');
    const rows = csvRecords(r.rejects);
    // README "Expected rejects": lines 3…11 (2 and 12 accepted).
    expect(rows.map((x) => [x.line, x.reason])).toEqual([
      ['3', 'missing_customer_id'],
      ['4', 'missing_customer_id'],
      ['5', 'missing_date'],
      ['6', 'bad_date'],
      ['7', 'bad_time'],
      ['8', 'missing_amount'],
      ['9', 'bad_amount'],
      ['10', 'bad_quantity'],
      ['11', 'ragged_row'],
    ]);
    expect(new Set(rows.map((x) => x.file))).toEqual(new Set([fixture('ingest', 'orders_bad_rows.csv')]));
    const byReason = Object.fromEntries(rows.map((x) => [x.reason + x.line, x]));
    expect(byReason.missing_customer_id4).toMatchObject({ detail: 'customer_id: "NA" means missing', raw: 'NA,3,2026-09-01,,10.00,1' });
    expect(byReason.bad_date6!.detail).toBe('order_date: "2026-02-30" is not a valid ymd date');
    expect(byReason.bad_time7!.detail).toBe('order_time: "25:61" is not a time of day');
    expect(byReason.bad_amount9!.detail).toBe('amount: "12abc" is not a number');
    expect(byReason.bad_quantity10!.detail).toBe('quantity: "two" is not a number');
    expect(byReason.ragged_row11).toMatchObject({ detail: '5 fields, expected 6', raw: 'B5,10,2026-09-04,,10.00' });
    // The accepted rows are lines 2 and 12.
    expect(csvRecords(r.stdout).map((x) => [x.customer_id, x.order_id, x.amount, x.order_time])).toEqual([
      ['B1', '1', '10', '10:00:00'],
      ['B5', '11', '20', '11:30:00'],
    ]);
  });
  it('orders_bad_rows_qty_price.csv: bad_unit_price, missing_amount ×2, bad_quantity on lines 3–6', async () => {
    const r = await ingestFixture('orders_bad_rows_qty_price.csv', ['--max-reject-rate', '1']);
    expect(csvRecords(r.rejects).map((x) => [x.line, x.reason, x.detail])).toEqual([
      ['3', 'bad_unit_price', 'unit_price: "free" is not a number'],
      ['4', 'missing_amount', 'quantity: quantity is empty, needed for quantity × unit price'],
      ['5', 'missing_amount', 'unit_price: unit price is empty, needed for quantity × unit price'],
      ['6', 'bad_quantity', 'quantity: "x" is not a number'],
    ]);
  });
  it('orders_ragged_rows.csv: ragged_row on lines 3 (short) and 4 (long)', async () => {
    const r = await ingestFixture('orders_ragged_rows.csv', ['--max-reject-rate', '1']);
    expect(csvRecords(r.rejects).map((x) => [x.line, x.reason])).toEqual([
      ['3', 'ragged_row'],
      ['4', 'ragged_row'],
    ]);
  });
  for (const parser of ['fast', 'csv-parse'])
    it(`line numbers count the physical lines of quoted newlines and CRLF (--parser ${parser})`, async () => {
      // line 1 header; line 2–3 one record with a quoted newline; line 4 blank; line 5 bad amount; line 6 bad date.
      const f = tmp.path(`multiline-${parser}.csv`);
      writeFileSync(f, 'customer_id,order_date,amount,note\r\nA,2026-01-01,5,"two\r\nlines"\r\n\r\nB,2026-01-02,oops,x\r\nC,2026-13-01,5,y\r\n');
      const rej = tmp.path(`multiline-${parser}.rej.csv`);
      const r = await runCli(['ingest', f, '--parser', parser, '--rejects', rej, '--max-reject-rate', '1']);
      expect(r.code).toBe(0);
      expect(csvRecords(readFileSync(rej, 'utf8')).map((x) => [x.line, x.reason])).toEqual([
        ['5', 'bad_amount'],
        ['6', 'bad_date'],
      ]);
      expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['A']);
    });
  it('a rejects cell that starts with = is guarded for spreadsheets (the data output is not)', async () => {
    const f = tmp.path('formula.csv');
    writeFileSync(f, 'customer_id,order_date,amount\n=1+2,2026-01-01,abc\n=SUM(1),2026-01-01,5\n');
    const rej = tmp.path('formula.rej.csv');
    const r = await runCli(['ingest', f, '--rejects', rej, '--max-reject-rate', '1']);
    const rows = csvRecords(readFileSync(rej, 'utf8'));
    expect(rows[0]!.raw).toBe(`'=1+2,2026-01-01,abc`);
    expect(csvRecords(r.stdout)[0]!.customer_id).toBe('=SUM(1)');
  });
});

describe('ingest: error messages (one line, exit code, hint)', () => {
  const oneLine = (s: string): string[] => s.split('\n').filter((l) => l !== '');

  it('missing file: exit 2, "custkit: <file>: no such file (hint: …)", no stack trace', async () => {
    const r = await runCli(['ingest', 'no/such/orders.csv']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['custkit: no/such/orders.csv: no such file (hint: check the path, or use - to read stdin)']);
    expect(r.stdout).toBe('');
  });
  it('--debug adds the stack trace', async () => {
    const r = await runCli(['ingest', 'no/such/orders.csv', '--debug']);
    expect(r.code).toBe(2);
    const lines = oneLine(r.stderr);
    expect(lines[0]).toBe('custkit: no/such/orders.csv: no such file (hint: check the path, or use - to read stdin)');
    expect(lines[1]).toBe('CustkitError: no such file');
    expect(lines.slice(2).some((l) => /^ {4}at .*text-input/.test(l))).toBe(true);
  });
  it('unmappable columns: exit 2, lists the columns found and the names expected', async () => {
    const r = await runCli(['ingest', fixture('ingest', 'orders_no_customer_column.csv')]);
    expect(r.code).toBe(2);
    const lines = oneLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^custkit: no column for customer_id among \[order_id, order_date, amount, country\]; expected one of customer_id, CustomerID, Customer ID, .*\(hint: use --map customer_id=<column>\)$/);
  });
  it('header-less file without --map: exit 2, says the file has no header', async () => {
    const r = await runCli(['ingest', fixture('ingest', 'orders_compact_dates_whitespace.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^custkit: no column for customer_id: the file has no header, so columns must be given by number \(4 columns\) \(hint: use --map customer_id=<column>\)\n$/);
  });
  it('ambiguous dates: exit 2, names file:line:column and asks for --date-format', async () => {
    const file = fixture('ingest', 'orders_ambiguous_dates.csv');
    const r = await runCli(['ingest', file]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([
      `custkit: ${file}:2:order_date: dates are ambiguous (all 3 dates like "05/03/2026" have both parts ≤ 12: day-first or month-first?) (hint: say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY)`,
    ]);
    expect(r.stdout).toBe('');
  });
  it('bad --map: exit 1 (malformed entry, unknown field)', async () => {
    const f = fixture('ingest', 'orders_basic.csv');
    const a = await runCli(['ingest', f, '--map', 'customer_id']);
    expect([a.code, a.stderr]).toEqual([1, 'custkit: bad --map entry "customer_id" (hint: write --map field=column, e.g. --map customer_id=Email,amount=5)\n']);
    const b = await runCli(['ingest', f, '--map', 'shoe_size=3']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^custkit: unknown field "shoe_size" in --map \(hint: fields are customer_id, order_id, /);
  });
  it('--map to a column that does not exist: exit 2, lists the columns', async () => {
    const r = await runCli(['ingest', fixture('ingest', 'orders_basic.csv'), '--map', 'customer_id=Kunde']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('custkit: --map customer_id=Kunde: no such column among [customer_id, order_id, order_date, amount, quantity, status] (hint: give a header name or a 1-based column number)\n');
  });
  it('unknown option and bad option values: exit 1', async () => {
    const f = fixture('ingest', 'orders_basic.csv');
    const a = await runCli(['ingest', f, '--frobnicate']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^error: unknown option '--frobnicate'/);
    const b = await runCli(['ingest', f, '--max-reject-rate', 'lots']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('--max-reject-rate: bad value "lots"');
    const c = await runCli(['ingest', f, '--date-format', 'someday']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^custkit: unknown --date-format "someday"/);
    const d = await runCli(['ingest', f, '--encoding', 'latin1']);
    expect(d.code).toBe(1);
    expect(a.stdout + b.stdout + c.stdout + d.stdout).toBe('');
  });
  it('invalid UTF-8 with --encoding utf-8: exit 2, names the byte offset and suggests --encoding', async () => {
    // 'customer_id,order_date,amount\n' is 30 bytes, then 'A,2026-01-01,1\n' (15 bytes) × 3 = byte 75; the 0xFF follows 'B'.
    const f = tmp.path('bad-utf8.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('customer_id,order_date,amount\n' + 'A,2026-01-01,1\n'.repeat(3) + 'B'), Buffer.from([0xff]), Buffer.from(',2026-01-01,1\n')]));
    const r = await runCli(['ingest', f, '--encoding', 'utf-8']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`custkit: ${f}: bytes that are not valid UTF-8 near byte 76 (hint: the file may be GBK/GB18030 or UTF-16: try --encoding gb18030 (or utf-16le))\n`);
    // Under auto the same bytes are neither UTF-8 nor GB18030 (0xFF is no GB18030 lead byte): asked, not guessed.
    const a = await runCli(['ingest', f]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`custkit: ${f}: bytes that are neither UTF-8 nor GB18030 near byte 76 (hint: give the encoding with --encoding utf-8, gb18030, utf-16le or utf-16be (other encodings: convert with iconv first))\n`);
  });
  it('invalid UTF-8 after the first 1 MiB chunk: the offset is the byte, not the chunk start', async () => {
    const f = tmp.path('bad-utf8-late.csv');
    // 30-byte header + 100,000 × 15-byte lines = 1,500,030 bytes, then 'B' and 0xFF at 1,500,031.
    writeFileSync(f, Buffer.concat([Buffer.from('customer_id,order_date,amount\n' + 'A,2026-01-01,1\n'.repeat(100_000) + 'B'), Buffer.from([0xff]), Buffer.from(',2026-01-01,1\n')]));
    const out = tmp.path('bad-utf8-late.out.csv');
    const r = await runCli(['ingest', f, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bytes that are not valid UTF-8 near byte 1500031 \(hint: .*--encoding gb18030/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('ingest: reject budget (--max-reject-rate) and guest rows', () => {
  it('rejectRate leaves rows rejected only for a missing customer id out of the budget', () => {
    // orders_bad_rows.csv: 11 read, 2 written, 2 missing_customer_id → (11 − 2 − 2) / 11 = 7/11.
    expect(rejectRate({ rowsRead: 11, rowsOut: 2, rejected: { missing_customer_id: 2, bad_date: 7 } })).toBeCloseTo(7 / 11, 15);
    expect(rejectRate({ rowsRead: 8000, rowsOut: 5710, rejected: { missing_customer_id: 2290 } })).toBe(0);
    expect(rejectRate({ rowsRead: 0, rowsOut: 0, rejected: {} })).toBe(0);
  });
  it('--max-reject-rate 0.01 on a file with bad rows: exit 3, output and rejects still written', async () => {
    const out = tmp.path('budget.out.csv');
    const rej = tmp.path('budget.rej.csv');
    const r = await runCli(['ingest', fixture('ingest', 'orders_bad_rows.csv'), '--max-reject-rate', '0.01', '-o', out, '--rejects', rej]);
    expect(r.code).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(expectedPath('orders_bad_rows.csv'), 'utf8'));
    expect(csvRecords(readFileSync(rej, 'utf8'))).toHaveLength(9);
    // 7 of 11 rows count (the 2 guest rows do not): 63.64 %.
    expect(r.stderr).toContain(`custkit: reject rate 63.64% is above --max-reject-rate 1.00% (rows in ${rej})`);
  });
  it('the default budget is 5 %: orders_ragged_rows.csv (2 of 4 rejected) exits 3', async () => {
    const r = await runCli(['ingest', fixture('ingest', 'orders_ragged_rows.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('custkit: reject rate 50.00% is above --max-reject-rate 5.00% (use --rejects FILE to see them)');
    expect(csvRecords(r.stdout)).toHaveLength(2);
  });
  it('rows with only a missing customer id do not count: 2 guests of 4 rows pass a 1 % budget', async () => {
    const f = tmp.path('guests.csv');
    writeFileSync(f, 'customer_id,order_date,amount\nA,2026-01-01,5\n,2026-01-02,6\nNA,2026-01-03,7\nB,2026-01-04,8\n');
    const rej = tmp.path('guests.rej.csv');
    const r = await runCli(['ingest', f, '--max-reject-rate', '0.01', '--rejects', rej]);
    expect(r.code).toBe(0);
    expect(countReasons(readFileSync(rej, 'utf8'))).toEqual({ missing_customer_id: 2 });
    expect(r.stderr).toContain('4 rows read, 2 written, 2 rejected: missing_customer_id 2; reject rate 0.00% (guest rows excluded)');
    // One real defect among them tips it: (4 − 1 − 2) / 4 = 25 % > 1 %.
    const g = tmp.path('guests-bad.csv');
    writeFileSync(g, 'customer_id,order_date,amount\nA,2026-01-01,5\n,2026-01-02,6\nNA,2026-01-03,7\nB,2026-01-04,eight\n');
    const r2 = await runCli(['ingest', g, '--max-reject-rate', '0.01']);
    expect(r2.code).toBe(3);
    expect(r2.stderr).toContain('reject rate 25.00%');
  });
});

describe('ingest: canonical header', () => {
  it('optional columns appear only when the source has them', async () => {
    const h = async (file: string, args: string[] = []): Promise<string[]> => csvHeader((await ingestFixture(file, args)).stdout);
    const base = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status'];
    expect(await h('orders_basic.csv')).toEqual(base);
    expect(await h('orders_tab.tsv')).toEqual([...base, 'item']);
    expect(await h('orders_no_amount_qty_price.csv')).toEqual([...base, 'order_time', 'item']);
    expect(await h('orders_basic.csv', ['--keep', 'status'])).toEqual([...base, 'status']);
  });
  it('the golden files exist for every case (none left over from renamed fixtures)', () => {
    for (const c of CASES) expect(existsSync(expectedPath(c.file)), c.file).toBe(true);
    expect(resolve(expectedPath('orders_tab.tsv'))).toBe(fixture('ingest', 'expected', 'orders_tab.csv'));
  });
});

// Reference files in ../shared/data; numbers from /work/shared/REFERENCE.md §5–§7 and data/SOURCES.md.
describe.skipIf(!HAS_SHARED)(`ingest on reference data (${HAS_SHARED ? '../shared/data' : SKIP_SHARED_REASON})`, () => {
  const ingestShared = async (name: string, args: string[] = []): Promise<{ code: number; rows: Record<string, string>[]; stderr: string; rejects: Record<string, string>[] }> => {
    const rej = tmp.path(`${name}.rejects.csv`);
    const r = await runCli(['ingest', sharedFile(name), '--rejects', rej, ...args]);
    return { code: r.code, rows: csvRecords(r.stdout), stderr: r.stderr, rejects: csvRecords(readFileSync(rej, 'utf8')) };
  };
  const distinct = (rows: Record<string, string>[]): number => new Set(rows.map((r) => r.customer_id)).size;

  it('UCI Online Retail first 8,000: 5,710 written + 2,290 missing_customer_id; Σ £123,008.71; 277 customers', async () => {
    // REFERENCE §7: 2,290 lines without CustomerID; Σ Quantity×UnitPrice over lines with CustomerID = £123,008.71; 277 CustomerIDs.
    const r = await ingestShared('uci_online_retail_first8000_mamtayadav28.csv');
    expect(r.code).toBe(0); // guest rows are outside the 5 % budget
    expect(r.rows).toHaveLength(5710);
    expect(r.rejects).toHaveLength(2290);
    expect(new Set(r.rejects.map((x) => x.reason))).toEqual(new Set(['missing_customer_id']));
    expect(r.stderr).toContain('ingest: 8000 rows read, 5710 written, 2290 rejected: missing_customer_id 2290; reject rate 0.00%');
    expect(sumAmounts(r.rows)).toBe(123008.71);
    expect(distinct(r.rows)).toBe(277);
    expect(r.rows[0]).toMatchObject({ customer_id: '17850', order_id: '536365', order_date: '2010-12-01', order_time: '08:26:00', amount: '15.3', quantity: '6', item: '85123A' });
  });
  it('CDNOW sample (header-less, whitespace): 6,919 rows, Σ $244,091.94, 2,357 customers', async () => {
    // REFERENCE §6 "Sample, end 1998-06-30": 6,919 lines, revenue $244,091.94; SOURCES.md: 2,357 customers.
    const r = await ingestShared('lifetimes_CDNOW_sample.txt', ['--delimiter', 'whitespace', '--map', 'customer_id=2,order_date=3,amount=5']);
    expect(r.code).toBe(0);
    expect([r.rows.length, r.rejects.length, sumAmounts(r.rows), distinct(r.rows)]).toEqual([6919, 0, 244091.94, 2357]);
    expect(r.rows[0]).toMatchObject({ customer_id: '0001', order_id: '~1.1', order_date: '1997-01-01' });
  });
  it('CDNOW master (header with leading space, whitespace runs): 69,659 rows, Σ $2,500,315.63, 23,570 customers', async () => {
    // REFERENCE §6 master file: 69,659 lines, 23,570 customers, total revenue $2,500,315.63; dates 1997-01-01…1998-06-30.
    const r = await ingestShared('lifetimes_CDNOW_master.txt');
    expect(r.code).toBe(0);
    expect([r.rows.length, r.rejects.length, sumAmounts(r.rows), distinct(r.rows)]).toEqual([69659, 0, 2500315.63, 23570]);
    const days = r.rows.map((x) => x.order_date).sort();
    expect([days[0], days[days.length - 1]]).toEqual(['1997-01-01', '1998-06-30']);
  });
  it('R rfm orders: 4,906 rows, Σ 464,158, 995 customers', async () => {
    // REFERENCE §5: 4,906 rows, 995 customers, revenue sum 464,158.
    const r = await ingestShared('rfm_data_orders.csv');
    expect(r.code).toBe(0);
    expect([r.rows.length, r.rejects.length, sumAmounts(r.rows), distinct(r.rows)]).toEqual([4906, 0, 464158, 995]);
    expect(r.stderr).toContain('amount←revenue');
  });
  it('UCI random 2,709 (R write.csv, US dates): month-first, 668 NA ids rejected as missing_customer_id', async () => {
    // REFERENCE §7: dates 2010-12-01 … 2011-12-09 as M/D/YYYY; 668 NA CustomerID. SOURCES.md: first row 10/31/2011 10:42.
    const r = await ingestShared('uci_online_retail_random2709_jerryaoverton.csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dates mdy/);
    expect([r.rows.length, r.rejects.length]).toEqual([2709 - 668, 668]);
    expect(r.rejects.every((x) => x.reason === 'missing_customer_id' && x.detail === 'CustomerID: "NA" means missing')).toBe(true);
    expect(r.rows[0]).toMatchObject({ order_date: '2011-10-31', order_time: '10:42:00' });
    expect(r.rows.every((x) => x.order_date >= '2010-12-01' && x.order_date <= '2011-12-09')).toBe(true);
  });
});
