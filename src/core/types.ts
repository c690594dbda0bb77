/**
 * Typed records that flow between custkit's stages. Every stage is a function over
 * these records; the CSV layer (src/io) only converts them to and from text.
 */

/**
 * One canonical transaction. After `ingest` it is one source line (an order line);
 * after `clean` it is one order (lines sharing an order_id folded).
 *
 * Dates are calendar dates as written in the source (no time-zone conversion),
 * held as a day number: days since 1970-01-01 (see core/time/day.ts).
 */
export interface Transaction {
  customerId: string;
  orderId: string;
  /** Calendar day number (days since 1970-01-01). */
  day: number;
  /** Money, a plain decimal; sums are rounded to 1e-6 (see core/money.ts). */
  amount: number;
  /** Units, or null when the source has no quantity column. */
  quantity: number | null;
  /** Source status text ('' when absent). */
  status: string;
  /** 'HH:MM:SS' when the source has a time of day, else null. */
  time: string | null;
  /** Product / SKU code when the source has one (used by duplicate detection), else null. */
  item: string | null;
  /** Values of the `--keep` dimension columns, in the order of `dimNames`. */
  dims: string[];
  /** Set by `clean --outliers flag`: amount is an outlier by the robust rule. */
  outlier?: boolean;
  /** Amount refunded on this line (the source's refund column; 0 when empty); absent without one. `clean` nets it. */
  refund?: number;
  /** When the order was paid ('YYYY-MM-DD[ HH:MM:SS]', '' = unpaid); absent without a paid_at column. */
  paidAt?: string;
}

/** Header facts that travel with a transaction stream. */
export interface StreamSchema {
  hasTime: boolean;
  hasItem: boolean;
  dimNames: string[];
  hasOutlier: boolean;
  /** A `refund` column (after order_time/item); absent or false: none. */
  hasRefund?: boolean;
  /** A `paid_at` column (after refund); absent or false: none. */
  hasPaidAt?: boolean;
}

/** Canonical CSV column names, in output order (optional ones only when present). */
export const CANONICAL_COLUMNS = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status'] as const;

/** True when the header looks like custkit's canonical transactions. */
export function isCanonicalHeader(header: string[]): boolean {
  return header[0] === 'customer_id' && header.includes('order_date') && header.includes('amount') && header.includes('order_id');
}

/** A row that could not be used, with the reason; written to the rejects file. */
export interface Reject {
  file: string;
  line: number;
  reason: string;
  detail: string;
  raw: string;
  /** 0-based cell of the customer id in `raw` (a CSV line of the row's cells); absent when `raw` is not one. */
  idCell?: number;
  /** 0-based cells of `raw` whose header names personal data (core/privacy/pii-columns.ts). */
  piiCells?: number[];
}
