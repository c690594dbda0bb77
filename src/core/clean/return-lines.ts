/**
 * Which order lines are returns or cancellations (`clean --returns`).
 *
 * A line is a return/cancel line when any of these holds:
 * - its amount < 0 or its quantity < 0;
 * - its status, trimmed and lower-cased, is exactly one of RETURN_STATUSES;
 * - its order id is `C` followed by a digit (UCI Online Retail's cancellation invoices,
 *   e.g. `C536379`; upper-case C only).
 *
 * A *status-only* return is a line that is a return by its status alone: amount ≥ 0,
 * quantity ≥ 0 or absent, and no `C` invoice id. Exports that mark a whole order as
 * cancelled (Tmall's 交易关闭, a shop's `cancelled` status) write the original positive
 * amount on such lines.
 */

/** The line classes, as small integers for the hot path. */
export const LINE_PURCHASE = 0;
/** A return/cancel line with a negative amount or quantity, or a C-invoice. */
export const LINE_RETURN = 1;
/** A return/cancel line recognised by its status only (see module comment). */
export const LINE_STATUS_ONLY = 2;
export type LineClass = typeof LINE_PURCHASE | typeof LINE_RETURN | typeof LINE_STATUS_ONLY;

/** Statuses of cancelled orders (drop reason `cancelled`). */
export const CANCEL_STATUSES: ReadonlySet<string> = new Set([
  'cancelled', 'canceled', 'cancel', 'voided', 'void', '取消', '已取消', '交易关闭',
]);

/** Statuses of refunded / returned orders (drop reason `returned`). */
export const REFUND_STATUSES: ReadonlySet<string> = new Set([
  'refunded', 'refund', 'returned', 'return', 'chargeback', '退款', '已退款', '退货', '退款成功',
]);

/** Every return/cancel status (CANCEL_STATUSES ∪ REFUND_STATUSES). */
export const RETURN_STATUSES: ReadonlySet<string> = new Set([...CANCEL_STATUSES, ...REFUND_STATUSES]);

/** Status kinds: 0 = none, 1 = cancel status, 2 = refund/return status. */
export type StatusKind = 0 | 1 | 2;

/** Kind of a status text (trimmed, case-insensitive, exact match). */
export function statusKind(status: string): StatusKind {
  if (status.length === 0) return 0;
  const s = status.trim().toLowerCase();
  return CANCEL_STATUSES.has(s) ? 1 : REFUND_STATUSES.has(s) ? 2 : 0;
}

/** True for a UCI-style cancellation invoice id: `C` then a digit. */
export function isCancellationInvoice(orderId: string): boolean {
  if (orderId.length < 2 || orderId.charCodeAt(0) !== 67) return false;
  const c = orderId.charCodeAt(1);
  return c >= 48 && c <= 57;
}

/**
 * Memoises statusKind for the few distinct statuses a file has (bounded: the cache is
 * cleared when it passes 4,096 entries, so odd free-text statuses cannot grow it).
 */
export class StatusClassifier {
  private cache = new Map<string, StatusKind>();

  kind(status: string): StatusKind {
    if (status.length === 0) return 0;
    let k = this.cache.get(status);
    if (k === undefined) {
      k = statusKind(status);
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(status, k);
    }
    return k;
  }
}

/** Class of a line from its amount, quantity, status kind and order id (see module comment). */
export function classifyLine(amount: number, quantity: number | null, kind: StatusKind, orderId: string): LineClass {
  if (amount < 0 || (quantity !== null && quantity < 0) || isCancellationInvoice(orderId)) return LINE_RETURN;
  return kind === 0 ? LINE_PURCHASE : LINE_STATUS_ONLY;
}
