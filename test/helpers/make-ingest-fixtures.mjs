// Writes the binary-encoded ingest fixtures (GB18030, UTF-16LE with BOM, UTF-16BE without BOM)
// from text kept here, so the bytes are reproducible: `node test/helpers/make-ingest-fixtures.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/ingest');

// orders_gb18030.csv = orders_zh_utf8_bom.csv's text, BOM removed, encoded as GB18030.
const zh = readFileSync(resolve(dir, 'orders_zh_utf8_bom.csv'), 'utf8').replace(/^\uFEFF/, '');
writeFileSync(resolve(dir, 'orders_gb18030.csv'), iconv.encode(zh, 'gb18030'));

// Excel "Unicode text": UTF-16LE with BOM, tab-delimited, CRLF.
const unicodeText = [
  'Customer ID\tOrder ID\tOrder Date\tAmount\tQuantity',
  'U01\tX1\t2026-04-01\t10.00\t1',
  'U02\tX2\t2026-04-02\t20.50\t2',
  'U01\tX3\t2026-04-03\t5.25\t1',
  '客户甲\tX4\t2026-04-04\t100\t3',
].join('\r\n') + '\r\n';
writeFileSync(resolve(dir, 'orders_utf16le.txt'), iconv.encode(unicodeText, 'utf-16le', { addBOM: true }));
// Same text as UTF-16BE without a BOM (detected from the NUL-byte pattern).
writeFileSync(resolve(dir, 'orders_utf16be.txt'), iconv.encode(unicodeText, 'utf-16be', { addBOM: false }));
