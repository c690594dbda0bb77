import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { detectEncoding, firstInvalidUtf8, looksLikeHeader, sniffDelimiter } from '../../../src/core/ingest/sniff.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../../helpers/shared.js';

const enc = (s: string, e: string): Uint8Array => new Uint8Array(iconv.encode(s, e));
const ZH = '订单编号,客户ID,下单时间,实付金额\n1001,张三,2026年3月5日,¥1,234.50\n';

describe('detectEncoding', () => {
  it('BOMs', () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bom: 3, confident: true });
    expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: 'utf-16le', bom: 2, confident: true });
    expect(detectEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: 'utf-16be', bom: 2, confident: true });
  });
  it('UTF-16 without BOM from the NUL pattern', () => {
    expect(detectEncoding(enc(ZH.replace('订单编号', 'order_id'), 'utf-16le'))).toMatchObject({ encoding: 'utf-16le', bom: 0 });
    expect(detectEncoding(enc('customer_id\tdate\tamount\n1\t2026-03-05\t12.5\n', 'utf-16be'))).toMatchObject({ encoding: 'utf-16be', bom: 0 });
  });
  it('UTF-8 without BOM, and ASCII', () => {
    expect(detectEncoding(enc(ZH, 'utf-8'))).toEqual({ encoding: 'utf-8', bom: 0, confident: true });
    expect(detectEncoding(enc('a,b\n1,2\n', 'utf-8'))).toEqual({ encoding: 'utf-8', bom: 0, confident: true });
  });
  it('a multi-byte character cut at the end of the sample is still UTF-8', () => {
    const b = enc(ZH, 'utf-8');
    // '元' / '张' are 3 bytes: cut the sample inside '张三' (bytes at 'x,张' + 1 byte)
    const at = Buffer.from(ZH, 'utf8').indexOf(Buffer.from('张', 'utf8'));
    for (const cut of [at + 1, at + 2]) expect(detectEncoding(b.subarray(0, cut)).encoding).toBe('utf-8');
  });
  it('GBK / GB18030 bytes are not UTF-8', () => {
    expect(detectEncoding(enc(ZH, 'gb18030'))).toEqual({ encoding: 'gb18030', bom: 0, confident: true });
    expect(detectEncoding(enc(ZH, 'gbk')).encoding).toBe('gb18030');
  });
  it('Latin-1 bytes: gb18030 guess, not confident', () => {
    // "café,5\n" in Latin-1 ends 'é' (0xE9) then ',' (0x2C): an invalid GB18030 trail byte.
    expect(detectEncoding(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x35, 0x0a]))).toEqual({ encoding: 'gb18030', bom: 0, confident: false });
  });
  it('firstInvalidUtf8 agrees with TextDecoder on random bytes (except a sequence cut at the end)', () => {
    const dec = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let whole = true;
        try {
          dec.decode(bytes);
        } catch {
          whole = false;
        }
        let streamed = true; // valid when a trailing incomplete sequence is allowed
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
        } catch {
          streamed = false;
        }
        const ours = firstInvalidUtf8(bytes) === -1;
        if (whole) expect(ours).toBe(true);
        expect(ours).toBe(streamed);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('sniffDelimiter', () => {
  it.each([
    [[ 'a,b,c', '1,2,3', '4,5,6' ], ','],
    [[ 'a;b;c', '1;"2;x";3', '4;1.234,50;6' ], ';'], // decimal commas do not fool it
    [[ 'a\tb\tc', '1\t2 3\t4' ], '\t'],
    [[ 'a|b|c', '1|2|3' ], '|'],
    [[ ' customer_id  date number_of_cds  dollar_value', ' 00001 19970101  1   11.77', ' 00002 19970112  1   12.00' ], 'whitespace'], // CDNOW
    [[ 'id,note,amount', '1,"line one', 'line, two",5', '2,plain,6' ], ','], // a quoted newline joins lines
    [[ 'single', 'column' ], ','],
    [[], ','],
  ] as [string[], string][])('%j → %j', (lines, want) => expect(sniffDelimiter(lines)).toBe(want));
});

describe('looksLikeHeader', () => {
  it('text first row is a header', () => {
    expect(looksLikeHeader(['InvoiceNo', 'StockCode', 'Quantity'], ['536365', '85123A', '6'])).toBe(true);
    expect(looksLikeHeader(['', 'InvoiceNo'], ['60', '536365'])).toBe(true); // R write.csv's empty first name
    expect(looksLikeHeader(['name', 'city'], ['Ann', 'Oslo'])).toBe(true);
  });
  it('numbers or dates in row 1 mean no header', () => {
    expect(looksLikeHeader(['00004', '0001', '19970101', '2', '29.33'], ['00004', '0001', '19970118', '2', '29.73'])).toBe(false); // CDNOW sample
    expect(looksLikeHeader(['Brion Stark', '2004-12-20', '32'], ['Ethyl Botsford', '2005-05-02', '36'])).toBe(false);
    expect(looksLikeHeader(['c1', '05/03/2026', '¥1,000'], ['c2', '06/03/2026', '¥20'])).toBe(false);
    expect(looksLikeHeader(['c1', '2026-03-05'])).toBe(false); // no second row
  });
  it('a numeric header above text stays a header', () => {
    expect(looksLikeHeader(['customer', '2024'], ['Ann', 'gold'])).toBe(true);
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'shared data files' : SKIP_SHARED_REASON, () => {
  const head = (name: string, n = 20): string[] => readFileSync(sharedFile(name), 'utf8').split(/\r?\n/).slice(0, n);
  it('delimiters and headers of the reference files', () => {
    expect(sniffDelimiter(head('uci_online_retail_random2709_jerryaoverton.csv'))).toBe(',');
    expect(sniffDelimiter(head('tmall_order_report_zh.csv'))).toBe(',');
    expect(sniffDelimiter(head('lifetimes_CDNOW_master.txt'))).toBe('whitespace');
    expect(sniffDelimiter(head('lifetimes_CDNOW_sample.txt'))).toBe('whitespace');
    const split = (l: string): string[] => l.trim().split(/\s+/);
    const master = head('lifetimes_CDNOW_master.txt', 2).map(split);
    expect(looksLikeHeader(master[0]!, master[1])).toBe(true); // lifetimes added a header
    const sample = head('lifetimes_CDNOW_sample.txt', 2).map(split);
    expect(looksLikeHeader(sample[0]!, sample[1])).toBe(false); // Hardie's original: none
  });
  it('encodings: the reference files are UTF-8 (Tmall without BOM)', () => {
    const b = new Uint8Array(readFileSync(sharedFile('tmall_order_report_zh.csv')).subarray(0, 65536));
    expect(detectEncoding(b)).toEqual({ encoding: 'utf-8', bom: 0, confident: true });
  });
});
