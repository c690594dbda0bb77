/**
 * A test harness: runs one file through the pure ingest core (decode with detectEncoding +
 * iconv-lite → sniffDelimiter → csv-parse or whitespace split → looksLikeHeader → resolveMapping →
 * inferDateFormat → createRowConverter, ragged rows detected here). The streaming path (src/io,
 * src/pipeline) is the lead's; this exists so core tests can check whole files.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { resolveMapping } from '../../../src/core/ingest/columns.js';
import { inferDateFormat } from '../../../src/core/ingest/dates.js';
import { createRowConverter, type RowProblem } from '../../../src/core/ingest/row-converter.js';
import { detectEncoding, looksLikeHeader, sniffDelimiter } from '../../../src/core/ingest/sniff.js';
import { roundMoney } from '../../../src/core/money.js';
import type { Transaction } from '../../../src/core/types.js';

export interface Run {
  encoding: string;
  delimiter: string;
  header: boolean;
  dateFormat: string;
  describe: string;
  txs: Transaction[];
  rejects: Record<string, number>;
  sum: number;
}

export function ingestPath(path: string, o: { decimal?: '.' | ','; map?: Record<string, string> } = {}): Run {
  const bytes = new Uint8Array(readFileSync(path));
  const enc = detectEncoding(bytes);
  const text = iconv.decode(Buffer.from(bytes.subarray(enc.bom)), enc.encoding);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const delimiter = sniffDelimiter(lines);
  const rows: string[][] =
    delimiter === 'whitespace'
      ? lines.map((l) => l.trim().split(/\s+/))
      : parse(text, { delimiter, relax_column_count: true, relax_quotes: false, skip_empty_lines: true });
  const header = looksLikeHeader(rows[0]!, rows[1]) ? rows[0]!.map((h) => h.trim()) : null;
  const data = header ? rows.slice(1) : rows;
  const width = header ? header.length : Math.max(...data.map((r) => r.length));
  const m = resolveMapping({ header, columnCount: width, overrides: o.map ?? {}, keep: [] });
  const inf = inferDateFormat(data.map((r) => r[m.fields.order_date!] ?? ''));
  if (inf.ambiguous) throw new Error(`ambiguous dates: ${inf.reason}`);
  const conv = createRowConverter({ fields: m.fields, dims: m.dims, decimal: o.decimal ?? '.', dateFormat: inf.format, fileNumber: 1, hasOrderId: m.fields.order_id !== undefined });
  const txs: Transaction[] = [];
  const rejects: Record<string, number> = {};
  // Line numbers: data rows here have no embedded newlines except in the Shopify fixture (checked there by order id).
  data.forEach((cells, i) => {
    const line = i + (header ? 2 : 1);
    const r: Transaction | RowProblem = cells.length !== width ? { reason: 'ragged_row', column: '', detail: '' } : conv(cells, line);
    if ('reason' in r) rejects[r.reason] = (rejects[r.reason] ?? 0) + 1;
    else txs.push(r);
  });
  return { encoding: enc.encoding, delimiter, header: header !== null, dateFormat: inf.format, describe: m.describe, txs, rejects, sum: roundMoney(txs.reduce((s, t) => s + t.amount, 0)) };
}

