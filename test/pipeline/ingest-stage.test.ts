/**
 * The ingest stage (src/pipeline/ingest-stage.ts) called directly with sinks: per-file reports,
 * the output schema (order_time decided from parsed sample dates), the decimal-mark inference,
 * the switch from the 2,000-row inference sample to streaming, 1 MiB chunk boundaries, and
 * several files in one call.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFiles, type IngestResult } from '../../src/pipeline/ingest-stage.js';
import { formatDay } from '../../src/core/time/day.js';
import type { Reject, StreamSchema, Transaction } from '../../src/core/types.js';
import { fixture } from '../helpers/cli.js';
import { tempDir } from '../cli/cli-test-utils.js';
import { type IngestOptions } from '../../src/config/ingest-options.js';
import { inferDecimal } from '../../src/core/ingest/numbers.js';

const tmp = tempDir('custkit-stage-');
afterAll(() => tmp.cleanup());

const OPTS: IngestOptions = { encoding: 'auto', delimiter: 'auto', header: true, map: {}, keep: [], decimal: 'auto', dateFormat: 'auto', parser: 'fast' };

interface Collected {
  res: IngestResult;
  schemas: StreamSchema[];
  txs: Transaction[];
  rejects: Reject[];
}

async function collect(paths: string[], o: Partial<IngestOptions> = {}): Promise<Collected> {
  const schemas: StreamSchema[] = [];
  const txs: Transaction[] = [];
  const rejects: Reject[] = [];
  const res = await ingestFiles(paths, { ...OPTS, ...o }, { onSchema: (s) => schemas.push(s), onTx: (t) => txs.push(t), onReject: (r) => rejects.push(r) });
  return { res, schemas, txs, rejects };
}

describe('inferDecimal', () => {
  it('"," only when comma-decimal forms appear and dot-decimal forms do not', () => {
    expect(inferDecimal(['1.234,50 €', '89,90 €', '-15,00 €'])).toBe(','); // orders_semicolon_decimal_comma.csv
    expect(inferDecimal(['12,5'])).toBe(',');
    expect(inferDecimal(['$1,250.00', '$45.90'])).toBe('.');
    expect(inferDecimal(['1,234'])).toBe('.'); // three digits after the comma: a thousands separator, not decided → '.'
    expect(inferDecimal(['12,50', '3.75'])).toBe('.'); // mixed: dot wins
    expect(inferDecimal(['100', '25', ''])).toBe('.');
  });
});

describe('file reports and schema', () => {
  it('reports encoding, delimiter, header, mapping, mapSpec, date format, decimal and rows per file', async () => {
    const c = await collect([fixture('ingest', 'orders_utf16le.txt')]);
    expect(c.res.files).toEqual([
      {
        file: fixture('ingest', 'orders_utf16le.txt'),
        encoding: 'utf-16le',
        delimiter: 'tab',
        header: true,
        mapping: 'customer_id←Customer ID, order_id←Order ID, order_date←Order Date, amount←Amount, quantity←Quantity',
        fields: { customer_id: 'Customer ID', order_id: 'Order ID', order_date: 'Order Date', amount: 'Amount', quantity: 'Quantity' },
        mapSpec: 'customer_id=Customer ID,order_id=Order ID,order_date=Order Date,amount=Amount,quantity=Quantity',
        dateFormat: 'ymd',
        decimal: '.',
        rows: 4,
      },
    ]);
    expect(c.schemas).toEqual([{ hasTime: false, hasItem: false, dimNames: [], hasOutlier: false }]);
    expect([c.res.rowsRead, c.res.rowsOut]).toEqual([4, 4]);
  });
  it('decimal comma inferred from the amount column; DD.MM.YYYY → dmy', async () => {
    const c = await collect([fixture('ingest', 'orders_semicolon_decimal_comma.csv')]);
    expect(c.res.files[0]).toMatchObject({ delimiter: ';', decimal: ',', dateFormat: 'dmy' });
    expect(c.txs.map((t) => t.amount)).toEqual([1234.5, 89.9, -15, 2000, 0.99]);
  });
  it('--decimal . on a decimal-comma file: "1.234,50 €" is not a number', async () => {
    const c = await collect([fixture('ingest', 'orders_semicolon_decimal_comma.csv')], { decimal: '.' });
    expect(c.res.files[0]!.decimal).toBe('.');
    expect(c.rejects.some((r) => r.reason === 'bad_amount' && r.line === 2)).toBe(true);
  });
  it('order_time is in the schema when a sampled date cell has a time the converter reads', async () => {
    // 2026年3月6日 14:03 (日 before the space), Excel 45001.5 (= 12:00), epoch seconds: all carry times.
    for (const f of ['orders_zh_utf8_bom.csv', 'orders_excel_serial.csv', 'orders_epoch.csv', 'orders_monthfirst.csv', 'orders_shopify_like.csv']) {
      const c = await collect([fixture('ingest', f)]);
      expect(c.schemas[0]!.hasTime, f).toBe(true);
    }
    // Dates only, or 'YYYY-MM-DD 00:00:00'-free ISO dates: no order_time column.
    for (const f of ['orders_basic.csv', 'orders_dayfirst.csv', 'orders_fullwidth.csv']) {
      const c = await collect([fixture('ingest', f)]);
      expect(c.schemas[0]!.hasTime, f).toBe(false);
    }
    const zh = await collect([fixture('ingest', 'orders_zh_utf8_bom.csv')]);
    expect(zh.txs.map((t) => t.time)).toEqual([null, '14:03:00', null, null, '09:30:00']);
  });
  it('an order_time column puts order_time in the schema even when every date is bare', async () => {
    const c = await collect([fixture('ingest', 'orders_bad_rows.csv')]);
    expect(c.schemas[0]!.hasTime).toBe(true);
    expect(c.txs.map((t) => t.time)).toEqual(['10:00:00', '11:30:00']);
  });
  it('--keep adds dimension columns; item from an item column', async () => {
    const c = await collect([fixture('ingest', 'orders_tab.tsv')], { keep: ['item'] });
    expect(c.schemas[0]).toEqual({ hasTime: false, hasItem: true, dimNames: ['item'], hasOutlier: false });
    expect(c.txs[1]).toMatchObject({ item: 'SKU-2', dims: ['SKU-2'] });
  });
  it('an empty file: one report with 0 rows, a default schema, no rows', async () => {
    const f = tmp.path('empty.csv');
    writeFileSync(f, '');
    const c = await collect([f]);
    expect(c.res.files).toHaveLength(1);
    expect(c.res.files[0]).toMatchObject({ file: f, rows: 0 });
    expect(c.schemas).toEqual([{ hasTime: false, hasItem: false, dimNames: [], hasOutlier: false }]);
    expect([c.res.rowsRead, c.txs.length]).toEqual([0, 0]);
  });
});

describe('sample → streaming and chunk boundaries', () => {
  it('2,500 rows: the first 2,000 are the inference sample, the rest stream; every row counted once, lines exact', async () => {
    const f = tmp.path('2500.csv');
    const lines = ['customer_id,order_date,amount'];
    for (let i = 1; i <= 2500; i++) lines.push(i === 1500 || i === 2300 ? `C${i},2026-02-30,1` : `C${i},2026-01-${String((i % 28) + 1).padStart(2, '0')},1`);
    writeFileSync(f, lines.join('\n') + '\n');
    const c = await collect([f]);
    expect([c.res.rowsRead, c.res.rowsOut]).toEqual([2500, 2498]);
    // Row i is on line i + 1 (header on line 1).
    expect(c.rejects.map((r) => [r.line, r.reason])).toEqual([
      [1501, 'bad_date'],
      [2301, 'bad_date'],
    ]);
    expect(c.txs[0]!.customerId).toBe('C1');
    expect(c.txs[2497]!.customerId).toBe('C2500');
    expect(c.txs.reduce((s, t) => s + t.amount, 0)).toBe(2498);
  });
  for (const parser of ['fast', 'csv-parse'] as const)
    it(`a 1.2 MB CRLF file with quoted newlines across the 1 MiB chunk boundary: rows, sums and line numbers (--parser ${parser})`, async () => {
      // Every 100th row has a two-line quoted note; every 997th row a bad amount. Line numbers are tracked while writing.
      const f = tmp.path(`chunks-${parser}.csv`);
      const parts: string[] = ['customer_id,order_date,amount,note\r\n'];
      let line = 2;
      const badLines: number[] = [];
      let cents = 0;
      const N = 40_000;
      for (let i = 1; i <= N; i++) {
        const bad = i % 997 === 0;
        const note = i % 100 === 0 ? `"first, part\r\nsecond ""part"""` : 'plain';
        const amount = bad ? 'n/a' : `${i % 50}.${String(i % 100).padStart(2, '0')}`;
        if (bad) badLines.push(line);
        else cents += (i % 50) * 100 + (i % 100);
        parts.push(`K${i % 3000},2026-03-${String((i % 28) + 1).padStart(2, '0')},${amount},${note}\r\n`);
        line += i % 100 === 0 ? 2 : 1;
      }
      writeFileSync(f, parts.join(''));
      const c = await collect([f], { parser });
      expect(c.res.rowsRead).toBe(N);
      expect(c.rejects.map((r) => r.line)).toEqual(badLines);
      expect(c.rejects.every((r) => r.reason === 'bad_amount')).toBe(true);
      expect(c.res.rowsOut).toBe(N - badLines.length);
      let got = 0;
      for (const t of c.txs) got += Math.round(t.amount * 100);
      expect(got).toBe(cents);
      expect(formatDay(c.txs[0]!.day)).toBe('2026-03-02');
    });
});

describe('several files in one call', () => {
  it('file numbers in synthesised ids; reports per file; counts summed', async () => {
    const f = fixture('ingest', 'orders_no_order_id.csv');
    const c = await collect([f, f]);
    expect(c.txs.map((t) => t.orderId)).toEqual(['~1.2', '~1.3', '~1.4', '~2.2', '~2.3', '~2.4']);
    expect(c.res.files.map((r) => r.rows)).toEqual([3, 3]);
    expect(c.schemas).toHaveLength(1);
    expect([c.res.rowsRead, c.res.rowsOut]).toEqual([6, 6]);
  });
  it('a later file that maps to other fields is a data error naming it', async () => {
    const tab = fixture('ingest', 'orders_tab.tsv');
    await expect(collect([fixture('ingest', 'orders_basic.csv'), tab])).rejects.toMatchObject({
      exitCode: 2,
      where: { file: tab, line: 1 },
      message: expect.stringMatching(/^columns map to different fields than the first file's/),
    });
  });
});

describe('UTF-8 across the 1 MiB read boundary (ASCII fast path of the decoder)', () => {
  const MiB = 1 << 20;
  /**
   * A file whose byte MiB − 1 (the last byte of the first 1 MiB read) is the first byte of
   * `tail`: header (30 bytes), 15-byte ASCII rows and one longer filler row before it, then a
   * row starting with `tail`, then 100 ASCII rows.
   */
  function straddle(name: string, tail: Buffer): { path: string; rowsBefore: number } {
    const header = 'customer_id,order_date,amount\n';
    const row = 'A,2026-01-01,1\n';
    const room = MiB - 1 - header.length;
    const rows = Math.floor(room / row.length) - 1;
    const filler = `${'B'.repeat(1 + room - (rows + 1) * row.length)},2026-01-02,2\n`; // 15 + remainder bytes
    const head = Buffer.from(header + row.repeat(rows) + filler);
    expect(head.length).toBe(MiB - 1);
    const path = tmp.path(name);
    writeFileSync(path, Buffer.concat([head, tail, Buffer.from(',2026-01-03,3\n' + 'C,2026-01-04,4\n'.repeat(100))]));
    return { path, rowsBefore: rows + 1 };
  }
  it('a 3-byte character split by the chunk boundary decodes intact', async () => {
    // 客 = E5 AE A2: E5 is byte MiB − 1 (end of the first chunk), AE A2 start the second.
    const { path, rowsBefore } = straddle('split-char.csv', Buffer.from('客', 'utf8'));
    const c = await collect([path]);
    expect(c.rejects).toEqual([]);
    expect(c.txs).toHaveLength(rowsBefore + 1 + 100);
    expect(c.txs[rowsBefore]!.customerId).toBe('客');
    expect(c.res.files[0]!.encoding).toBe('utf-8');
  });
  it('a lead byte cut off by ASCII after the boundary is still an error (the fast path does not skip it)', async () => {
    const { path } = straddle('cut-char.csv', Buffer.from([0xe5]));
    // Reported at the start of the second chunk (MiB), one byte after the cut lead byte: "near".
    await expect(collect([path])).rejects.toMatchObject({ exitCode: 2, message: `bytes that are not valid UTF-8 near byte ${MiB}` });
  });
});
