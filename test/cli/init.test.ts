/**
 * `custkit init SAMPLE`: the config it writes holds what ingest sniffed (encoding, delimiter,
 * header, map, date format, decimal mark), passes the config validation, and
 * `custkit ingest --config it SAMPLE` gives the same output as `custkit ingest SAMPLE`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { defaultConfig, validateConfig } from '../../src/config/config-file.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-init-');
afterAll(() => tmp.cleanup());

let n = 0;
async function init(sample: string, args: string[] = []): Promise<{ code: number; stderr: string; path: string; doc: Record<string, Record<string, unknown>> }> {
  const path = tmp.path(`config-${n++}.json`);
  const r = await runCli(['init', sample, '-o', path, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return { code: r.code, stderr: r.stderr, path, doc: JSON.parse(readFileSync(path, 'utf8')) };
}

describe('init writes the sniffed ingest options', () => {
  it('semicolon file with decimal commas and DD.MM.YYYY dates', async () => {
    const c = await init(fixture('ingest', 'orders_semicolon_decimal_comma.csv'));
    // The file: header customer_id;order_id;order_date;amount;status, amounts "1.234,50 €", dates 05.03.2026 … 14.03.2026.
    expect(c.doc.ingest).toEqual({
      ...defaultConfig().ingest,
      encoding: 'utf-8',
      delimiter: ';',
      header: true,
      map: 'customer_id=customer_id,order_id=order_id,order_date=order_date,amount=amount,status=status',
      'date-format': 'dmy',
      decimal: ',',
    });
    expect(c.stderr).toContain('init: wrote ' + c.path);
  });
  it('UTF-16BE without BOM, tab-delimited', async () => {
    const c = await init(fixture('ingest', 'orders_utf16be.txt'));
    expect(c.doc.ingest).toMatchObject({
      encoding: 'utf-16be',
      delimiter: 'tab',
      header: true,
      map: 'customer_id=Customer ID,order_id=Order ID,order_date=Order Date,amount=Amount,quantity=Quantity',
      'date-format': 'ymd',
      decimal: '.',
    });
  });
  it('GB18030 with Chinese headers', async () => {
    const c = await init(fixture('ingest', 'orders_gb18030.csv'));
    expect(c.doc.ingest).toMatchObject({ encoding: 'gb18030', delimiter: ',', map: 'customer_id=客户ID,order_id=订单编号,order_date=下单时间,amount=实付金额,quantity=数量,status=订单状态' });
  });
  it('header-less whitespace file: header false, columns by number, compact dates', async () => {
    const c = await init(fixture('ingest', 'orders_compact_dates_whitespace.txt'), ['--map', 'customer_id=1,order_date=2,quantity=3,amount=4']);
    expect(c.doc.ingest).toMatchObject({ delimiter: 'whitespace', header: false, map: 'customer_id=1,order_date=2,quantity=3,amount=4', 'date-format': 'compact' });
  });
  it('ambiguous dates: init fails like ingest (exit 2) and writes nothing; with --date-format it records it', async () => {
    const path = tmp.path('ambiguous.json');
    const r = await runCli(['init', fixture('ingest', 'orders_ambiguous_dates.csv'), '-o', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date-format DD/MM/YYYY');
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    const c = await init(fixture('ingest', 'orders_ambiguous_dates.csv'), ['--date-format', 'DD/MM/YYYY']);
    expect(c.doc.ingest!['date-format']).toBe('dmy');
  });
  it('the whole file passes validateConfig, every section present with its defaults', async () => {
    const c = await init(fixture('ingest', 'orders_basic.csv'));
    const v = validateConfig(c.doc, c.path);
    const d = defaultConfig();
    for (const s of ['clean', 'segment', 'score', 'report', 'run'] as const) expect(v[s]).toEqual(d[s]);
    expect(v.ingest.map).toBe('customer_id=customer_id,order_id=order_id,order_date=order_date,amount=amount,quantity=quantity,status=status');
    expect(c.doc.$schema).toBe('./schema/custkit.config.schema.json');
    expect(String(c.doc['//'])).toMatch(/6 rows, 6 readable, rejected: none/);
  });
});

describe('ingest --config <init output> gives the same output as ingest alone', () => {
  const samples: [string, string[]][] = [
    ['orders_basic.csv', []],
    ['orders_shopify_like.csv', []],
    ['orders_zh_utf8_bom.csv', []],
    ['orders_gb18030.csv', []],
    ['orders_utf16le.txt', []],
    ['orders_utf16be.txt', []],
    ['orders_semicolon_decimal_comma.csv', []],
    ['orders_pipe.csv', []],
    ['orders_tab.tsv', []],
    ['orders_dayfirst.csv', []],
    ['orders_monthfirst.csv', []],
    ['orders_ambiguous_dates.csv', ['--date-format', 'DD/MM/YYYY']],
    ['orders_no_amount_qty_price.csv', []],
    ['orders_no_order_id.csv', []],
    ['orders_excel_serial.csv', []],
    ['orders_epoch.csv', []],
    ['orders_compact_dates_whitespace.txt', ['--map', 'customer_id=1,order_date=2,quantity=3,amount=4']],
    ['orders_accounting_negatives.csv', []],
    ['orders_fullwidth.csv', []],
  ];
  for (const [file, args] of samples) {
    it(file, async () => {
      const sample = fixture('ingest', file);
      const c = await init(sample, args);
      const plain = await runCli(['ingest', sample, ...args]);
      const viaConfig = await runCli(['ingest', '--config', c.path, sample]);
      expect(plain.code).toBe(0);
      expect(viaConfig.code, viaConfig.stderr).toBe(0);
      expect(viaConfig.stdout).toBe(plain.stdout);
      expect(viaConfig.stdout).toBe(readFileSync(fixture('ingest', 'expected', file.replace(/\.[a-z0-9]+$/, '.csv')), 'utf8'));
    });
  }
  it('a header name with a comma is written as its column number, so the config reads back', async () => {
    const sample = tmp.path('comma-header.csv');
    writeFileSync(sample, 'customer_id,"Order Date, local",amount\nA,2026-01-02,5\nB,2026-01-03,6\n');
    const c = await init(sample, ['--map', 'order_date=2']);
    expect(c.doc.ingest!.map).toBe('order_date=2,customer_id=customer_id,amount=amount');
    const r = await runCli(['ingest', '--config', c.path, sample]);
    expect(r.code).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.order_date)).toEqual(['2026-01-02', '2026-01-03']);
  });
  it('a duplicated header mapped to its second copy is written as a column number', async () => {
    const sample = tmp.path('dup-header.csv');
    writeFileSync(sample, 'customer_id,date,date,amount\nA,2026-01-02,2026-02-02,5\n');
    const c = await init(sample, ['--map', 'order_date=3']);
    expect(c.doc.ingest!.map).toBe('order_date=3,customer_id=customer_id,amount=amount');
    const r = await runCli(['ingest', '--config', c.path, sample]);
    expect(csvRecords(r.stdout)[0]!.order_date).toBe('2026-02-02');
  });
  it('command-line flags override the config', async () => {
    const c = await init(fixture('ingest', 'orders_ambiguous_dates.csv'), ['--date-format', 'DD/MM/YYYY']);
    const r = await runCli(['ingest', '--config', c.path, fixture('ingest', 'orders_ambiguous_dates.csv'), '--date-format', 'MM/DD/YYYY']);
    // 05/03/2026 month-first = 2026-05-03 (the config alone gives 2026-03-05).
    expect(csvRecords(r.stdout)[0]!.order_date).toBe('2026-05-03');
  });
});

describe('init does not overwrite', () => {
  it('an existing file without --force: exit 1, file unchanged; with --force: replaced', async () => {
    const path = tmp.path('existing.json');
    writeFileSync(path, '{"mine": true}\n');
    const r = await runCli(['init', fixture('ingest', 'orders_basic.csv'), '-o', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`custkit: ${path} already exists (hint: use --force to overwrite it, or -o another file)\n`);
    expect(readFileSync(path, 'utf8')).toBe('{"mine": true}\n');
    const f = await runCli(['init', fixture('ingest', 'orders_basic.csv'), '-o', path, '--force']);
    expect(f.code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).ingest.encoding).toBe('utf-8');
  });
  it('a missing sample: exit 2, no config written', async () => {
    const path = tmp.path('never.json');
    const r = await runCli(['init', 'no/such/sample.csv', '-o', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('custkit: no/such/sample.csv: no such file (hint: check the path, or use - to read stdin)\n');
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});
