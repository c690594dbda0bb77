/**
 * One order being folded: the lines sharing (customer_id, order_id) that arrived while the
 * order was open (cleaner.ts). Folding rules:
 * - amount = Σ line amounts (roundMoney); under returns 'net' a return line's positive
 *   amount (and positive quantity) is negated first, so returns always subtract;
 * - quantity = Σ line quantities, null when every line's quantity is null (null lines add 0);
 * - day / time = those of the earliest line by (day, time), a missing time sorting after
 *   any time on the same day (so time is null only if no line of the earliest day has one);
 * - status = the status of the first purchase line, or of the first line when the order has
 *   no purchase line. A partially refunded order keeps its purchase status, so cleaning a
 *   cleaned file changes nothing (a refund status on a positive row would read as a
 *   status-only cancellation the second time);
 * - item = the first line's item while every line has the same item, null once two
 *   distinct items were folded (the row is then no longer one product);
 * - dims = the first line's.
 */
import { roundMoney } from '../money.js';
import type { Transaction } from '../types.js';
import { LINE_PURCHASE, LINE_STATUS_ONLY, type LineClass } from './return-lines.js';

/** The released record's dims: one shared empty list instead of a new array for each of the millions of orders. Never mutated. */
const NO_DIMS: string[] = [];

export class OpenOrder {
  customerId = '';
  orderId = '';
  /** Fingerprint of (customer, order), for the fold-window index and the closed-orders set. */
  fpA = 0;
  fpB = 0;
  /** True when this order had already been emitted once (a late re-opening). */
  late = false;
  day = 0;
  time: string | null = null;
  /** Folded amount (after 'net' sign normalisation). */
  amount = 0;
  /** Σ amounts as pushed. */
  rawAmount = 0;
  /** Σ positive amounts negated by 'net'. */
  negated = 0;
  /** Σ the lines' refund-column amounts (netted at emission). */
  refund = 0;
  quantity: number | null = null;
  status = '';
  item: string | null = null;
  itemMixed = false;
  dims: string[] = [];
  lines = 0;
  purchases = 0;
  /** Return lines, status-only ones included. */
  returns = 0;
  statusOnly = 0;
  /** Lines as pushed and their line numbers, kept only when removed rows are reported. */
  lineTxs: Transaction[] | null = null;
  lineNos: number[] | null = null;

  constructor(customerId: string, orderId: string, fpA: number, fpB: number, late: boolean, first: Transaction, keepLines: boolean) {
    this.open(customerId, orderId, fpA, fpB, late, first, keepLines);
  }

  /**
   * (Re)initialises the record for a new order whose first line is `first` (not yet folded:
   * call `add` with it). The Cleaner reuses emitted records, so the fold window allocates
   * nothing per order once it is full.
   */
  open(customerId: string, orderId: string, fpA: number, fpB: number, late: boolean, first: Transaction, keepLines: boolean): void {
    this.customerId = customerId;
    this.orderId = orderId;
    this.fpA = fpA;
    this.fpB = fpB;
    this.late = late;
    this.day = first.day;
    this.time = first.time;
    this.amount = 0;
    this.rawAmount = 0;
    this.negated = 0;
    this.refund = 0;
    this.quantity = null;
    this.status = first.status;
    this.item = first.item;
    this.itemMixed = false;
    this.dims = first.dims;
    this.lines = 0;
    this.purchases = 0;
    this.returns = 0;
    this.statusOnly = 0;
    if (keepLines) {
      if (this.lineTxs === null) { this.lineTxs = []; this.lineNos = []; }
      else { this.lineTxs.length = 0; this.lineNos!.length = 0; }
    } else {
      this.lineTxs = null;
      this.lineNos = null;
    }
  }

  /** Drops references to the order's strings and lines (the record is then free for reuse). */
  release(): void {
    this.customerId = '';
    this.orderId = '';
    this.time = null;
    this.status = '';
    this.item = null;
    this.dims = NO_DIMS;
    if (this.lineTxs !== null) { this.lineTxs.length = 0; this.lineNos!.length = 0; }
  }

  /** Folds one line of class `cls`; `net` applies the 'net' sign normalisation. */
  add(tx: Transaction, cls: LineClass, net: boolean, line: number): void {
    let a = tx.amount;
    let q = tx.quantity;
    if (cls === LINE_PURCHASE) {
      if (this.purchases === 0 && this.lines > 0) this.status = tx.status;
      this.purchases++;
    } else {
      this.returns++;
      if (cls === LINE_STATUS_ONLY) this.statusOnly++;
      if (net) {
        if (a > 0) { this.negated = roundMoney(this.negated + a); a = -a; }
        if (q !== null && q > 0) q = -q;
      }
    }
    if (this.lines === 0) {
      this.amount = a === 0 ? 0 : a;
      this.rawAmount = tx.amount === 0 ? 0 : tx.amount;
      this.quantity = q;
    } else {
      this.amount = roundMoney(this.amount + a);
      this.rawAmount = roundMoney(this.rawAmount + tx.amount);
      if (q !== null) this.quantity = this.quantity === null ? q : roundMoney(this.quantity + q);
      if (tx.day < this.day || (tx.day === this.day && tx.time !== null && (this.time === null || tx.time < this.time))) {
        this.day = tx.day;
        this.time = tx.time;
      }
      if (!this.itemMixed && tx.item !== this.item) { this.itemMixed = true; this.item = null; }
    }
    if (tx.refund) this.refund = roundMoney(this.refund + tx.refund);
    this.lines++;
    if (this.lineTxs !== null) { this.lineTxs.push(tx); this.lineNos!.push(line); }
  }
}
