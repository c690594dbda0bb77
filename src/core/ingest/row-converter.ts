/**
 * Source row (cells) → canonical Transaction, or the reason it cannot be used.
 * Built once per file (createRowConverter) and called once per row: no regex, no per-call
 * closures, one Transaction object (and its dims array) allocated per accepted row.
 */
import { roundMoney } from '../money.js';
import { formatDay } from '../time/day.js';
import type { Transaction } from '../types.js';
import type { Field } from './columns.js';
import { parseDateTime, type DateFormat } from './dates.js';
import { normalizeCustomerId, rangedMoney, parseAmount, parseQuantity, trimAll, type DecimalMark } from './numbers.js';

/** Why a row was rejected: stable snake_case codes (written to the rejects file) and one-line descriptions. */
export const REJECT_REASONS = {
  missing_customer_id: 'the customer id cell is empty (or NA/NULL/NaN)',
  bad_customer_id: 'the customer id holds a control character (NUL, a tab or line break inside it, …)',
  missing_date: 'the order date cell is empty',
  bad_date: 'the order date is not a valid date in the file’s date format',
  implausible_date: 'the order date is outside the plausible window (--date-window; default 1900-01-01 to the day after today)',
  bad_time: 'the order time cell is not a time of day (H:MM or H:MM:SS)',
  missing_amount: 'the amount cell is empty (or, without an amount column, quantity or unit price is empty)',
  bad_amount: 'the amount is not a number',
  bad_quantity: 'the quantity is not a number',
  bad_unit_price: 'the unit price is not a number',
  amount_out_of_range: 'an amount, unit price, quantity or quantity × unit price is ±1e12 or beyond, or has more than 15 significant digits at 1e-6',
  bad_refund: 'the refund amount is not a number',
  bad_paid_at: 'the payment time is not a valid date in the file’s date format',
  ragged_row: 'the row has a different number of fields than the header (detected by the caller)',
  unbalanced_quote: 'a quote opened on the line does not close within the bounds (detected by the tokenizer)',
  truncated_last_line: 'the last line has no line ending and fails to read: the file was cut short (detected by the caller)',
} as const;

/** A reject reason code. */
export type RejectReason = keyof typeof REJECT_REASONS;

/** A row that cannot be converted: reason code, the canonical field (or source column) at fault, and details. */
export interface RowProblem {
  reason: RejectReason;
  column: string;
  detail: string;
}

/** Options of createRowConverter. Column indexes are 0-based (resolveMapping's output). */
export interface RowConverterOptions {
  fields: Partial<Record<Field, number>>;
  dims: { name: string; index: number }[];
  decimal: DecimalMark;
  /** A resolved format, or 'auto' (each value decided on its own when unambiguous). */
  dateFormat: DateFormat;
  /** 1-based number of the input file, used in synthesised order ids. */
  fileNumber: number;
  /** False when the source has no order id column: ids are synthesised. */
  hasOrderId: boolean;
  /** When false, time is always null; when true or absent, the parsed time of day (or null). */
  withTime?: boolean;
  /** Source header, to name the column in RowProblem (else the canonical field name is used). */
  header?: string[] | null;
  /** Plausible order dates, inclusive day numbers; `to` null = no upper bound. Absent: no window. */
  dateWindow?: DateWindow;
  /** --fold-ids: fold full-width ASCII in customer ids; onFold hears each row whose id folding changed. */
  foldIds?: boolean;
  onFold?: (asWritten: string, folded: string) => void;
}

/** A window of plausible order dates (day numbers, inclusive); `to` null = no upper bound. */
export interface DateWindow {
  from: number;
  to: number | null;
}

/** Converts one row; `line` is the 1-based physical line where the row starts. */
export type RowConverter = (cells: string[], line: number) => Transaction | RowProblem;

const quote = (s: string): string => (s.length > 40 ? `"${s.slice(0, 40)}…"` : `"${s}"`);

/** True when a cell is empty or only whitespace. */
function isBlank(s: string | undefined): boolean {
  if (s === undefined || s.length === 0) return true;
  const c = s.charCodeAt(0);
  if (c > 32 && c !== 0xa0 && c !== 0x3000) return false;
  return trimAll(s).length === 0;
}

/** Parses a time-of-day cell ("14:03", "14:03:07", "2:03 PM") to 'HH:MM:SS'; null when invalid. */
export function parseTimeOfDay(text: string): string | null {
  const r = parseDateTime(`2000-01-01 ${trimAll(text)}`, 'ymd');
  return r === null ? null : r.time;
}

/**
 * Creates the per-row converter. Rules:
 * - customer_id: normalizeCustomerId; '' → missing_customer_id, a control character → bad_customer_id.
 * - order_date: parseDateTime(cell, dateFormat); empty → missing_date, unparsable → bad_date,
 *   outside dateWindow → implausible_date.
 *   time = the date cell's time, or the order_time column's (bad → bad_time); null when withTime is false.
 * - amount: NaN (absent) when neither an amount column nor quantity and unit price map;
 *   else parseAmount of the amount column (empty → missing_amount, bad → bad_amount); without an
 *   amount column, roundMoney(quantity × unit_price) (either empty → missing_amount; bad →
 *   bad_quantity / bad_unit_price). A number or product outside the range of numbers.ts → amount_out_of_range.
 * - quantity: parseQuantity, null when the source has no quantity column or the cell is empty
 *   (when an amount column exists); bad text → bad_quantity.
 * - order_id: trimmed cell; synthesised as `~<fileNumber>.<line>` when the source has none or the
 *   cell is empty (deterministic; `~` marks a synthesised id, which no real export starts with).
 * - status, item: trimmed text; status '' and item null when absent. dims: trimmed cells ('' when missing).
 * - refund (only with a refund column): parseAmount, 0 when empty; bad → bad_refund.
 * - paidAt (only with a paid_at column): 'YYYY-MM-DD[ HH:MM:SS]' in the date format, '' when
 *   empty (unpaid); bad → bad_paid_at.
 */
export function createRowConverter(opts: RowConverterOptions): RowConverter {
  const f = opts.fields;
  const iCust = f.customer_id ?? -1;
  const iDate = f.order_date ?? -1;
  const iAmount = f.amount ?? -1;
  const iQty = f.quantity ?? -1;
  const iPrice = f.unit_price ?? -1;
  const iOrder = opts.hasOrderId ? (f.order_id ?? -1) : -1;
  const iStatus = f.status ?? -1;
  const iItem = f.item ?? -1;
  const iTime = f.order_time ?? -1;
  const dimIdx = opts.dims.map((d) => d.index);
  const nDims = dimIdx.length;
  const fmt = opts.dateFormat;
  const withTime = opts.withTime !== false;
  const numOpts = { decimal: opts.decimal };
  const prefix = `~${opts.fileNumber}.`;
  const header = opts.header ?? null;
  const name = (field: Field, idx: number): string => (header && header[idx] !== undefined ? header[idx]!.trim() : field);
  const colCust = name('customer_id', iCust);
  const colDate = name('order_date', iDate);
  const colAmount = name('amount', iAmount);
  const amountless = iAmount < 0 && (iQty < 0 || iPrice < 0);
  const colQty = name('quantity', iQty);
  const colPrice = name('unit_price', iPrice);
  const colTime = name('order_time', iTime);
  const winFrom = opts.dateWindow?.from ?? -Infinity;
  const winTo = opts.dateWindow?.to ?? Infinity;
  const foldIds = opts.foldIds === true;
  const onFold = opts.onFold;
  const outOfRange = (column: string, raw: string): RowProblem => ({ reason: 'amount_out_of_range', column, detail: `${quote(raw)} is outside ±1e12 or has more than 15 significant digits` });
  const iRefund = f.refund ?? -1;
  const iPaid = f.paid_at ?? -1;
  const colRefund = name('refund', iRefund);
  const colPaid = name('paid_at', iPaid);

  return (cells: string[], line: number): Transaction | RowProblem => {
    const custRaw = cells[iCust] ?? '';
    let customerId = normalizeCustomerId(custRaw);
    if (foldIds && customerId !== null) {
      const folded = normalizeCustomerId(custRaw, true);
      if (folded !== customerId && folded !== null && folded !== '') {
        onFold?.(customerId, folded);
        customerId = folded;
      }
    }
    if (customerId === null) return { reason: 'bad_customer_id', column: colCust, detail: `${quote(JSON.stringify(custRaw).slice(1, -1))} holds a control character` };
    if (customerId === '') return { reason: 'missing_customer_id', column: colCust, detail: custRaw === '' ? 'empty' : `${quote(custRaw)} means missing` };

    const dateRaw = cells[iDate];
    if (isBlank(dateRaw)) return { reason: 'missing_date', column: colDate, detail: 'empty' };
    const dt = parseDateTime(dateRaw!, fmt);
    if (dt === null) return { reason: 'bad_date', column: colDate, detail: `${quote(dateRaw!)} is not a valid ${fmt} date` };
    if (dt.day < winFrom || dt.day > winTo) {
      const bound = dt.day < winFrom ? `before ${formatDay(winFrom)}` : `after ${formatDay(winTo)}`;
      return { reason: 'implausible_date', column: colDate, detail: `${quote(dateRaw!)} is ${bound}, outside the plausible window (--date-window)` };
    }
    let time = dt.time;
    if (iTime >= 0) {
      const tRaw = cells[iTime];
      if (!isBlank(tRaw)) {
        const t = parseTimeOfDay(tRaw!);
        if (t === null) return { reason: 'bad_time', column: colTime, detail: `${quote(tRaw!)} is not a time of day` };
        time = t;
      }
    }

    let quantity: number | null = null;
    if (iQty >= 0) {
      const qRaw = cells[iQty];
      if (!isBlank(qRaw)) {
        quantity = parseQuantity(qRaw!, numOpts);
        if (quantity === null) return { reason: 'bad_quantity', column: colQty, detail: `${quote(qRaw!)} is not a number` };
        if (quantity !== quantity) return outOfRange(colQty, qRaw!);
      }
    }

    let amount: number;
    if (amountless) {
      amount = NaN; // no money column: the amount is absent, never 0
    } else if (iAmount >= 0) {
      const aRaw = cells[iAmount];
      if (isBlank(aRaw)) return { reason: 'missing_amount', column: colAmount, detail: 'empty' };
      const a = parseAmount(aRaw!, numOpts);
      if (a === null) return { reason: 'bad_amount', column: colAmount, detail: `${quote(aRaw!)} is not a number` };
      if (a !== a) return outOfRange(colAmount, aRaw!);
      amount = a;
    } else {
      const pRaw = cells[iPrice];
      if (quantity === null) return { reason: 'missing_amount', column: colQty, detail: 'quantity is empty, needed for quantity × unit price' };
      if (isBlank(pRaw)) return { reason: 'missing_amount', column: colPrice, detail: 'unit price is empty, needed for quantity × unit price' };
      const price = parseAmount(pRaw!, numOpts);
      if (price === null) return { reason: 'bad_unit_price', column: colPrice, detail: `${quote(pRaw!)} is not a number` };
      if (price !== price) return outOfRange(colPrice, pRaw!);
      amount = rangedMoney(roundMoney(quantity * price));
      if (amount !== amount) return { reason: 'amount_out_of_range', column: `${colQty}×${colPrice}`, detail: `${quote(String(quantity))} × ${quote(String(price))} is outside ±1e12 or has more than 15 significant digits` };
    }

    let orderId = '';
    if (iOrder >= 0) {
      const o = cells[iOrder];
      if (o !== undefined && o.length > 0) orderId = isBlank(o) ? '' : o.charCodeAt(0) > 32 && o.charCodeAt(o.length - 1) > 32 ? o : trimAll(o);
    }
    if (orderId === '') orderId = prefix + line;

    let status = '';
    if (iStatus >= 0) {
      const st = cells[iStatus];
      if (st !== undefined && st.length > 0) status = trimAll(st);
    }
    let item: string | null = null;
    if (iItem >= 0) {
      const it = cells[iItem];
      item = it === undefined ? '' : trimAll(it);
    }
    const dims: string[] = new Array(nDims);
    for (let k = 0; k < nDims; k++) {
      const v = cells[dimIdx[k]!];
      dims[k] = v === undefined ? '' : trimAll(v);
    }
    const tx: Transaction = { customerId, orderId, day: dt.day, amount, quantity, status, time: withTime ? time : null, item, dims };
    if (iRefund >= 0) {
      const rRaw = cells[iRefund];
      let refund = 0;
      if (!isBlank(rRaw)) {
        const r = parseAmount(rRaw!, numOpts);
        if (r === null) return { reason: 'bad_refund', column: colRefund, detail: `${quote(rRaw!)} is not a number` };
        if (r !== r) return outOfRange(colRefund, rRaw!);
        refund = r;
      }
      tx.refund = refund;
    }
    if (iPaid >= 0) {
      const pRaw = cells[iPaid];
      let paidAt = '';
      if (!isBlank(pRaw)) {
        const p = parseDateTime(pRaw!, fmt);
        if (p === null) return { reason: 'bad_paid_at', column: colPaid, detail: `${quote(pRaw!)} is not a valid ${fmt} date` };
        paidAt = p.time === null ? formatDay(p.day) : `${formatDay(p.day)} ${p.time}`;
      }
      tx.paidAt = paidAt;
    }
    return tx;
  };
}
