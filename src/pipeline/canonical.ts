/**
 * The canonical transaction CSV, the data stream between custkit's stages:
 * `customer_id,order_id,order_date,amount,quantity,status[,order_time][,item][,refund][,paid_at][,dims...][,outlier]`
 * (refund and paid_at only when the source has them; `clean` nets refunds and drops both).
 * Values are exact (no spreadsheet guard here): amounts are plain decimals with a dot,
 * dates ISO YYYY-MM-DD, quantity empty when unknown.
 */
import { dataError } from '../errors.js';
import { quoteDatum } from '../core/terminal-text.js';
import { formatMoney } from '../core/money.js';
import { formatDay, parseIsoDay } from '../core/time/day.js';
import { CANONICAL_COLUMNS, type StreamSchema, type Transaction } from '../core/types.js';
import { quoteCell } from '../io/csv-format.js';
import { plainDecimal } from '../core/plain-decimal.js';
import { moneyTextInRange } from '../core/ingest/numbers.js';
import { CsvRecordBytes, RECORD_BLOCK } from '../io/csv-record-bytes.js';
import type { TextSink } from '../io/text-output.js';

export function canonicalHeader(schema: StreamSchema): string[] {
  const h: string[] = [...CANONICAL_COLUMNS];
  if (schema.hasTime) h.push('order_time');
  if (schema.hasItem) h.push('item');
  if (schema.hasRefund) h.push('refund');
  if (schema.hasPaidAt) h.push('paid_at');
  h.push(...schema.dimNames);
  if (schema.hasOutlier) h.push('outlier');
  return h;
}

/**
 * The schema of `clean`'s output for an input schema: refunds are netted and unpaid orders
 * removed there, so the refund and paid_at columns go (cleaning it again must not net twice).
 */
export function cleanedSchema(s: StreamSchema, hasOutlier: boolean): StreamSchema {
  return { hasTime: s.hasTime, hasItem: s.hasItem, dimNames: s.dimNames, hasOutlier };
}

/** Formats a transaction as one canonical CSV line (hot path: direct string building). */
export function canonicalLine(tx: Transaction, schema: StreamSchema): string {
  let s =
    quoteCell(tx.customerId) + ',' + quoteCell(tx.orderId) + ',' + formatDay(tx.day) + ',' + (Number.isNaN(tx.amount) ? '' : formatMoney(tx.amount)) + ',' +
    (tx.quantity === null ? '' : formatMoney(tx.quantity)) + ',' + quoteCell(tx.status);
  if (schema.hasTime) s += ',' + (tx.time ?? '');
  if (schema.hasItem) s += ',' + quoteCell(tx.item ?? '');
  if (schema.hasRefund) s += ',' + formatMoney(tx.refund ?? 0);
  if (schema.hasPaidAt) s += ',' + (tx.paidAt ?? '');
  const n = schema.dimNames.length;
  for (let i = 0; i < n; i++) s += ',' + quoteCell(tx.dims[i] ?? '');
  if (schema.hasOutlier) s += tx.outlier ? ',1' : ',0';
  return s + '\n';
}

/**
 * Writes {@link canonicalLine}(tx, schema)'s bytes into `rec` (a CsvRecordBytes made with
 * `{ guard: false }`), cell by cell: no string per line, no scan for quotes after it is
 * built, no UTF-8 encoding of the joined lines (together a large share of `clean`'s main
 * thread: docs/performance.md). Property-tested against canonicalLine.
 */
export function writeCanonical(tx: Transaction, schema: StreamSchema, rec: CsvRecordBytes): void {
  rec.text(tx.customerId);
  rec.text(tx.orderId);
  rec.day(tx.day);
  // An absent amount (transactions without amounts) is an empty cell, never 0.
  if (Number.isNaN(tx.amount)) rec.empty();
  else rec.money(tx.amount);
  if (tx.quantity === null) rec.empty();
  else rec.money(tx.quantity);
  rec.text(tx.status);
  if (schema.hasTime) rec.raw(tx.time ?? '');
  if (schema.hasItem) rec.text(tx.item ?? '');
  if (schema.hasRefund) rec.money(tx.refund ?? 0);
  if (schema.hasPaidAt) rec.raw(tx.paidAt ?? '');
  const n = schema.dimNames.length;
  for (let i = 0; i < n; i++) rec.text(tx.dims[i] ?? '');
  if (schema.hasOutlier) rec.byte(tx.outlier ? 49 : 48);
  rec.end();
}

/**
 * Canonical rows going to a sink as bytes (writeCanonical), handed on 64 KiB at a time.
 * `flush` hands on what is held: before anything else is written to the sink, before its
 * position is read or its bytes read back or patched, and at the end.
 */
export class CanonicalRows {
  private readonly rec = new CsvRecordBytes({ guard: false });
  constructor(private readonly sink: Pick<TextSink, 'writeBytes'>) {}

  write(tx: Transaction, schema: StreamSchema): void {
    writeCanonical(tx, schema, this.rec);
    if (this.rec.length >= RECORD_BLOCK) this.flush();
  }

  flush(): void {
    if (this.rec.length === 0) return;
    this.sink.writeBytes(this.rec.bytes, 0, this.rec.length);
    this.rec.clear();
  }
}

/** Column positions of a canonical header. */
export interface CanonicalLayout {
  schema: StreamSchema;
  customer: number;
  order: number;
  date: number;
  amount: number;
  quantity: number;
  status: number;
  time: number;
  item: number;
  refund: number;
  paidAt: number;
  dims: number[];
  outlier: number;
  width: number;
  /** Read an empty amount as absent (NaN) instead of failing (the readers that handle it set this). */
  absentAmount?: boolean;
}

export function canonicalLayout(header: string[], file: string): CanonicalLayout {
  const idx = (name: string): number => header.indexOf(name);
  for (const c of ['customer_id', 'order_date', 'amount']) {
    if (idx(c) < 0) {
      throw dataError(
        `not canonical transactions: no ${c} column (found ${header.join(', ')})`,
        { file, line: 1 },
        'run the file through `custkit ingest` first',
      );
    }
  }
  const known = new Set([...CANONICAL_COLUMNS, 'order_time', 'item', 'refund', 'paid_at', 'outlier']);
  const dims: number[] = [];
  const dimNames: string[] = [];
  header.forEach((h, i) => {
    if (!known.has(h)) { dims.push(i); dimNames.push(h); }
  });
  return {
    schema: {
      hasTime: idx('order_time') >= 0, hasItem: idx('item') >= 0, dimNames, hasOutlier: idx('outlier') >= 0,
      ...(idx('refund') >= 0 ? { hasRefund: true } : {}),
      ...(idx('paid_at') >= 0 ? { hasPaidAt: true } : {}),
    },
    customer: idx('customer_id'),
    order: idx('order_id'),
    date: idx('order_date'),
    amount: idx('amount'),
    quantity: idx('quantity'),
    status: idx('status'),
    time: idx('order_time'),
    item: idx('item'),
    refund: idx('refund'),
    paidAt: idx('paid_at'),
    dims,
    outlier: idx('outlier'),
    width: header.length,
  };
}

const PLAIN_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A canonical number outside ingest's range (core/ingest/numbers.ts): refused, never read as Infinity or a shortened value. */
function outOfRange(column: string, text: string, file: string, line: number): Error {
  const shown = quoteDatum(text, 40);
  return dataError(`${column} "${shown}" is out of range (custkit reads |value| < 1e12 with at most 15 significant digits)`, { file, line, column }, 'ingest rejects such rows as amount_out_of_range: run the raw export through `custkit ingest` again');
}

/** Shared by rows without dimension columns (never mutated). */
const NO_DIMS: string[] = [];

let lastDateText = '';
let lastDay = 0;

/**
 * Parses one canonical row. Canonical input is machine-made, so any defect is a data
 * error naming the line and column (run `ingest` on raw exports instead).
 */
export function parseCanonicalRow(cells: string[], line: number, L: CanonicalLayout, file: string): Transaction {
  if (cells.length !== L.width) {
    throw dataError(`expected ${L.width} fields, found ${cells.length}`, { file, line }, 'canonical files come from `custkit ingest`; check for a truncated or hand-edited line');
  }
  const dateText = cells[L.date]!;
  // Transactions usually come in date order: most rows repeat the previous row's date.
  const day = dateText === lastDateText ? lastDay : parseIsoDay(dateText);
  if (day !== null && dateText !== lastDateText) {
    lastDateText = dateText;
    lastDay = day;
  }
  if (day === null) {
    throw dataError(`order_date "${quoteDatum(dateText)}" is not YYYY-MM-DD`, { file, line, column: 'order_date' }, 'raw exports go through `custkit ingest` first');
  }
  const amountText = cells[L.amount]!;
  if (amountText === '') {
    if (L.absentAmount) return canonicalTx(cells, L, day, NaN, file, line);
    throw dataError(
      'the amount is empty (transactions without amounts, from ingest --no-amount)',
      { file, line, column: 'amount' },
      'segment, clean, run and score --holdout read transactions without amounts on one thread (--threads 1); or map an amount column (--map amount=<column> in ingest)',
    );
  }
  // The usual form (digits, a dot) read and checked in one pass; anything else (an exponent) through the pattern.
  let amount = plainDecimal(amountText);
  if (!Number.isFinite(amount)) {
    amount = +amountText;
    if (amountText === '' || Number.isNaN(amount) || !PLAIN_NUMBER.test(amountText)) {
      throw dataError(`amount "${quoteDatum(amountText)}" is not a plain decimal`, { file, line, column: 'amount' }, 'raw exports go through `custkit ingest` first');
    }
  }
  if (!(amount < 1e9 && amount > -1e9) && !moneyTextInRange(amount, amountText)) throw outOfRange('amount', amountText, file, line);
  return canonicalTx(cells, L, day, amount, file, line);
}

function canonicalTx(cells: string[], L: CanonicalLayout, day: number, amount: number, file: string, line: number): Transaction {
  let quantity: number | null = null;
  if (L.quantity >= 0) {
    const q = cells[L.quantity]!;
    if (q !== '') {
      quantity = plainDecimal(q);
      if (!Number.isFinite(quantity)) {
        quantity = +q;
        if (Number.isNaN(quantity) || !PLAIN_NUMBER.test(q)) throw dataError(`quantity "${quoteDatum(q)}" is not a number`, { file, line, column: 'quantity' });
      }
      if (!(quantity < 1e9 && quantity > -1e9) && !moneyTextInRange(quantity, q)) throw outOfRange('quantity', q, file, line);
    }
  }
  const nd = L.dims.length;
  let dims: string[] = NO_DIMS;
  if (nd > 0) {
    dims = new Array(nd);
    for (let i = 0; i < nd; i++) dims[i] = cells[L.dims[i]!]!;
  }
  const tx: Transaction = {
    customerId: cells[L.customer]!,
    orderId: L.order >= 0 ? cells[L.order]! : '',
    day,
    amount,
    quantity,
    status: L.status >= 0 ? cells[L.status]! : '',
    time: L.time >= 0 ? cells[L.time]! || null : null,
    item: L.item >= 0 ? cells[L.item]! || null : null,
    dims,
  };
  if (L.outlier >= 0 && cells[L.outlier] === '1') tx.outlier = true;
  if (L.refund >= 0) {
    const r = cells[L.refund]!;
    const refund = r === '' ? 0 : plainDecimal(r);
    if (!Number.isFinite(refund)) throw dataError(`refund "${r}" is not a plain decimal`, { file, line, column: 'refund' }, 'raw exports go through `custkit ingest` first');
    tx.refund = refund;
  }
  if (L.paidAt >= 0) tx.paidAt = cells[L.paidAt]!;
  return tx;
}
