/**
 * The streaming `clean` stage: canonical order lines in, one row per order out, and an
 * audit that accounts for every line (audit.ts). Push lines in file order, then `finish()`.
 * Rules 1–5 below are decided per line by a LineScreen (line-screen.ts), here or ahead on a
 * reader thread; folding and the order rules 6–7 happen here.
 *
 * Line rules, applied in this order; the first that matches removes the line under its
 * reason (so each line has exactly one reason):
 * 1. `guest` — customer id blank or a placeholder (guest-ids.ts, plus `guestIds`), unless
 *    guests 'keep'; counted per placeholder value for the audit.
 * 2. `excluded` — customer id in `exclude` (exact, or trimmed).
 * 3. `before_since` / `after_until` — day outside [since, until] (inclusive);
 *    `after_as_of` — day after the observation end `asOf` (inclusive). Applied per line,
 *    before folding: a refund dated after as-of had not happened at as-of.
 * 4. `duplicate` — the line equals an earlier kept line in every canonical field
 *    (customer, order, day, amount, quantity, status, time, item, dims), detected by
 *    fingerprints (fingerprint-hash.ts) kept per order in an OrderLineIndex
 *    (order-line-index.ts): a false duplicate needs two distinct lines of the same order
 *    whose hashes agree (2⁻³¹ per such pair). Lines removed by rules 1–3 are not recorded.
 *    When the source had no order ids, ingest gives each line its own id, so such lines
 *    are never duplicates of each other (two identical purchases on one day stay two).
 *    Applied only under the duplicate rule (line-identity.ts): `duplicates` 'drop', or
 *    'auto' (default) when the stream's columns identify a line (`useSchema`); otherwise
 *    the equal lines are kept and counted (audit `duplicate_rule.equal_lines_kept`).
 * 5. returns 'drop' — every return/cancel line (return-lines.ts) is removed: `cancelled`
 *    when its status is a cancel status, or it has no such status and is a C-invoice;
 *    `returned` otherwise (refund/return status, or a negative amount or quantity).
 * 5b. `unpaid` — with a paid_at column, a line whose paid_at is empty; with only a refund
 *    column, a line with amount 0 and refund 0 (nothing was ever paid).
 *
 * Order folding (open-order.ts): lines sharing (customer_id, order_id) fold into one row
 * while the order is open. The fold window holds the `foldWindow` (default 10,000) most
 * recently *opened* orders; opening one more emits the oldest. Orders are therefore
 * emitted in first-seen order (at eviction, and the rest at finish): output is
 * deterministic. A line whose order was already emitted opens a new row with the same
 * order id (a late re-opening; its lines count under `late_order_lines`). Orders are
 * remembered in the same OrderLineIndex, 12–34 bytes each.
 *
 * Order rules, at emission:
 * 6. returns 'net' (default):
 *    - an order whose lines are all status-only returns (positive amounts marked cancelled
 *      or refunded, no purchase line) was never a purchase: removed as `cancelled`;
 *    - an order with purchase lines and return lines whose folded amount is ≤ 0 is
 *      `fully_refunded`: removed;
 *    - every other order is emitted; a partial refund as its net amount, a standalone
 *      return (e.g. a UCI C-invoice, its own order id) as a negative row, so the
 *      customer's spend is reduced.
 *    Under 'net', positive amounts and quantities on return lines are negated when folded.
 *    returns 'keep': no return rule, amounts as they are.
 * 6b. Refund column (not under returns 'keep'): the order's amount less the Σ of its lines'
 *    refunds (audit amount_refunded); nothing left of a paid order is `fully_refunded`.
 * 7. Outliers (outlier-fence.ts), only with a precomputed `fence` and outliers ≠ 'off', on
 *    emitted orders with amount > 0: 'flag' sets `outlier` (true/false on every row),
 *    'cap' sets the amount to the fence threshold (roundMoney), 'drop' removes the order's
 *    lines as `outlier`.
 *
 * Lines of an order removed at emission count under that reason, not under `folded`.
 * Memory: the order/line index, the open orders,
 * and a set of output customers; never whole rows except the window's open orders (and
 * their lines only when `onRemoved` is given, to report them).
 */
import { roundMoney } from '../money.js';
import type { Transaction } from '../types.js';
import { auditDuplicateRule, auditOptions, auditOutlierRule, emptyRemoved, REASONS, sortedGuestCounts, type CleanAudit, type Reason } from './audit.js';
import { guestKey } from './guest-ids.js';
import { duplicateRule, type DuplicateRule } from './line-identity.js';
import type { StreamSchema } from '../types.js';
import { resolveCleanOptions, type CleanOptions, type ResolvedCleanOptions } from './clean-options.js';
import { Fingerprinter } from './fingerprint-hash.js';
import { FingerprintSet } from './fingerprint-set.js';
import { lineFingerprint, LINE_FP_WORDS } from './line-fingerprint.js';
import { LineScreen, verdictClass, verdictEqualKept, verdictOpenedBefore, verdictReason } from './line-screen.js';
import { OpenOrder } from './open-order.js';
import { OpenOrderTable } from './open-order-table.js';
import { exceedsFence } from './outlier-fence.js';

/**
 * An order line never paid: an empty paid_at; without a paid_at column, nothing paid and
 * nothing refunded (a file with a refund column: Tmall's unpaid orders have 0 and 0).
 */
function unpaid(tx: Transaction): boolean {
  if (tx.paidAt !== undefined) return tx.paidAt === '';
  return tx.amount === 0 && tx.refund === 0;
}

/** Lines fingerprinted and looked up together (see Cleaner.drain). */
const BATCH = 64;

/** Receives each output row (a new object; the pushed lines are never modified). */
export type OutputCallback = (tx: Transaction) => void;
/** Receives each removed line as pushed, with its reason and line number. */
export type RemovedCallback = (tx: Transaction, reason: Reason, line: number) => void;

export class Cleaner {
  readonly options: ResolvedCleanOptions;
  private readonly fp = new Fingerprinter();
  /** Rules 1–5 and the order/line index (line-screen.ts), for lines that come without a verdict. */
  private readonly screen: LineScreen;
  private readonly customers = new FingerprintSet(1 << 10);
  private readonly open: OpenOrderTable;
  /** Open orders in first-seen order: a ring of foldWindow + 2 slots from `head`, `queued` long. */
  private readonly queue: (OpenOrder | undefined)[];
  private queued = 0;
  /** Emitted order records kept for reuse (at most foldWindow + 1 records ever exist). */
  private readonly free: OpenOrder[] = [];
  private head = 0;
  /**
   * The oldest `warmed` queued orders were warmed by `warmEvictions` (their records read and,
   * without `customersOut`, their customer's fingerprint stored in custFp at their ring slot).
   */
  private warmed = 0;
  /** Customer fingerprint [a, b] per ring slot of `queue`, valid for the `warmed` oldest orders. */
  private readonly custFp: Uint32Array;
  /** Sink of `warmEvictions`' loads, so that they are not optimised away. */
  private touched = 0;
  private finished = false;
  /** Lines pushed and not yet taken (see `drain`), their line numbers and fingerprints. */
  private readonly pendTx: (Transaction | undefined)[] = [];
  private readonly pendLine: Float64Array;
  private readonly pendFp: Uint32Array;
  /** 1 where the line's fingerprint came with it (`push`'s fps). */
  private readonly pendGiven: Uint8Array;
  /** The line's screen verdict when it came with it (`push`'s verdict), else −1. */
  private readonly pendVerdict: Int16Array;
  private pending = 0;
  private readonly net: boolean;
  private readonly keepLines: boolean;

  private rowsIn = 0;
  private rowsOut = 0;
  private folded = 0;
  private readonly removed = emptyRemoved();
  private lateLines = 0;
  private lateRowsOut = 0;
  private flagged = 0;
  private capped = 0;
  private amountIn = 0;
  private amountOut = 0;
  private amountRemoved = 0;
  private amountNegated = 0;
  private amountCapped = 0;
  private amountRefunded = 0;
  /** The duplicate rule; for 'auto', null until `useSchema`. */
  private dupRule: DuplicateRule | null;
  private equalKept = 0;
  /** Lines removed as `guest`, by guestKey of their id. */
  private readonly guestCounts = new Map<string, number>();
  /** Listed ids that removed a line. */
  private readonly excludedMatched = new Set<string>();

  /**
   * `customersOut`: when the consumer of the output already tells distinct customers apart
   * (run's accumulator), it reports the count for the audit and the cleaner keeps no
   * customer set of its own (a 1M-customer table probed once per order).
   */
  constructor(
    options: CleanOptions,
    private readonly onOutput: OutputCallback,
    private readonly onRemoved?: RemovedCallback,
    private readonly customersOut?: () => number,
    /** Lines taken together (see `drain`); other values only for tests. */
    private readonly batch = BATCH,
  ) {
    if (!(Number.isInteger(batch) && batch >= 1)) throw new RangeError(`Cleaner: batch ${batch} is not a whole number ≥ 1`);
    this.options = resolveCleanOptions(options);
    this.net = this.options.returns === 'net';
    this.screen = new LineScreen(this.options);
    const mode = this.options.duplicates;
    this.dupRule = mode === 'auto' ? null : { mode, drop: mode === 'drop', identity: [] };
    this.keepLines = onRemoved !== undefined;
    this.open = new OpenOrderTable(this.options.foldWindow);
    this.pendLine = new Float64Array(batch);
    this.pendFp = new Uint32Array(LINE_FP_WORDS * batch);
    this.pendGiven = new Uint8Array(batch);
    this.pendVerdict = new Int16Array(batch);
    this.queue = new Array<OpenOrder | undefined>(this.options.foldWindow + 2).fill(undefined);
    this.custFp = new Uint32Array(2 * this.queue.length);
  }

  /**
   * The stream's schema, before the first line: decides the duplicate rule (line-identity.ts).
   * Required for `duplicates` 'auto'; a reader thread that screens must be told it too.
   */
  useSchema(schema: StreamSchema): void {
    this.screen.useSchema(schema);
    this.dupRule = duplicateRule(this.options.duplicates, schema);
  }

  /**
   * Takes one canonical line (`line` = its line number, reported with removals); the cleaner
   * fingerprints and screens it. Lines are taken in batches (see `drain`): outputs and removals
   * of a line may be reported up to BATCH − 1 pushes later, in the same order as line by line;
   * `finish()` takes the rest.
   */
  push(tx: Transaction, line: number): void {
    this.enqueue(tx, line, undefined, 0, -1);
  }

  /**
   * Takes one canonical line whose work was done ahead, wherever (parallel/reader-job.ts does
   * it on the reader thread): `fps[at … at + 3]` must be the line's `lineFingerprint`; `verdict`,
   * when ≥ 0, must be its LineScreen verdict under this cleaner's options, from a screen that saw
   * every earlier line (the line then skips rules 1–5 and the order index here); −1: screened here.
   */
  pushScreened(tx: Transaction, line: number, fps: Uint32Array, at: number, verdict: number): void {
    this.enqueue(tx, line, fps, at, verdict);
  }

  private enqueue(tx: Transaction, line: number, fps: Uint32Array | undefined, at: number, verdict: number): void {
    if (this.finished) throw new Error('Cleaner.push after finish()');
    const k = this.pending;
    this.pendTx[k] = tx;
    this.pendLine[k] = line;
    this.pendVerdict[k] = verdict;
    if (fps === undefined) this.pendGiven[k] = 0;
    else {
      const f = this.pendFp, j = LINE_FP_WORDS * k;
      f[j] = fps[at]!;
      f[j + 1] = fps[at + 1]!;
      f[j + 2] = fps[at + 2]!;
      f[j + 3] = fps[at + 3]!;
      this.pendGiven[k] = 1;
    }
    if (++this.pending === this.batch) this.drain();
  }

  /**
   * Takes the pending lines. The order/line index is far larger than the CPU caches (10M
   * orders: 192 MiB), and one lookup per line waited for its cache miss before the next line's
   * work began. Fingerprinting a batch first and then touching each line's first slot in a
   * tight loop lets the misses overlap (memory-level parallelism); the lookups that follow
   * find their slots in cache. Same rules, same order, same results as one line at a time.
   */
  private drain(): void {
    const n = this.pending;
    const txs = this.pendTx, fps = this.pendFp, given = this.pendGiven, verdicts = this.pendVerdict, screen = this.screen;
    for (let k = 0; k < n; k++) if (given[k] === 0) lineFingerprint(this.fp, txs[k]!, fps, LINE_FP_WORDS * k);
    for (let k = 0; k < n; k++) if (verdicts[k]! < 0) screen.touch(fps[LINE_FP_WORDS * k + 1]!);
    this.warmEvictions(n);
    for (let k = 0; k < n; k++) {
      const j = LINE_FP_WORDS * k;
      const tx = txs[k]!;
      let v = verdicts[k]!;
      if (v < 0) v = screen.screen(tx.customerId, tx.orderId, tx.day, tx.amount, tx.quantity, tx.status, fps[j]!, fps[j + 1]!, fps[j + 2]!, fps[j + 3]!);
      this.take(tx, this.pendLine[k]!, v, fps[j]!, fps[j + 1]!);
      txs[k] = undefined;
    }
    this.pending = 0;
  }

  /**
   * Reads ahead what the next `n` evictions will touch: n lines open at most n orders, so
   * they evict at most the n oldest. An order is emitted a whole fold window (10,000 orders)
   * after it opened, by which time its record, its strings and its customer's slot in the
   * output-customer set have left the CPU caches; one eviction at a time, each of those was a
   * cache miss the next could not overlap (10M lines: emit and evictOldest were ~18 % of
   * clean's CPU time, most of it waiting on these loads). Reading them here, in a tight
   * loop, lets the misses overlap, as `drain` does for the order index. Only loads: the
   * results are the same.
   */
  private warmEvictions(n: number): void {
    const q = this.queue, len = q.length, fp = this.fp, cust = this.custFp, count = this.customersOut === undefined, open = this.open;
    const upto = Math.min(n, this.queued);
    let t = this.touched;
    let money = 0;
    for (let k = 0, p = this.head; k < upto; k++, p = p + 1 === len ? 0 : p + 1) {
      const order = q[p]!;
      t ^= order.lines ^ order.orderId.length ^ order.status.length ^ order.customerId.length ^ open.touch(order.fpB);
      // Double fields live in boxes of their own (V8 heap numbers), each one more miss.
      money += order.amount + order.negated + order.rawAmount;
    }
    if (money !== money) t ^= 1;
    if (count && upto > this.warmed) {
      // Hash first, then touch the set's slots in a loop of loads alone, so their misses overlap.
      const from = this.head + this.warmed;
      for (let k = this.warmed, p = from >= len ? from - len : from; k < upto; k++, p = p + 1 === len ? 0 : p + 1) {
        fp.reset();
        fp.str(q[p]!.customerId);
        fp.done();
        cust[2 * p] = fp.a;
        cust[2 * p + 1] = fp.b;
      }
      for (let k = this.warmed, p = from >= len ? from - len : from; k < upto; k++, p = p + 1 === len ? 0 : p + 1) this.customers.touch(cust[2 * p + 1]!);
    }
    this.touched = t;
    if (upto > this.warmed) this.warmed = upto;
  }

  /**
   * One line with its screen verdict `v` (line-screen.ts: removed by rules 1–5, or kept with
   * its line class and whether its order was opened before) and (customer, order) fingerprint (oa, ob).
   */
  private take(tx: Transaction, line: number, v: number, oa: number, ob: number): void {
    this.rowsIn++;
    this.amountIn = roundMoney(this.amountIn + tx.amount);
    const reason = verdictReason(v);
    if (reason !== null) {
      if (reason === 'guest') this.countGuest(tx.customerId);
      else if (reason === 'excluded') this.excludedMatched.add(this.options.exclude.has(tx.customerId) ? tx.customerId : tx.customerId.trim());
      return this.removeLine(tx, reason, line);
    }
    if ((tx.paidAt !== undefined || tx.refund !== undefined) && unpaid(tx)) return this.removeLine(tx, 'unpaid', line);
    if (verdictEqualKept(v)) this.equalKept++;
    const o = this.options;
    const id = tx.customerId;
    let order = this.open.get(oa, ob, id, tx.orderId);
    if (order === undefined) {
      const late = verdictOpenedBefore(v);
      const reuse = this.free.pop();
      if (reuse === undefined) order = new OpenOrder(id, tx.orderId, oa, ob, late, tx, this.keepLines);
      else { order = reuse; order.open(id, tx.orderId, oa, ob, late, tx, this.keepLines); }
      this.open.set(order);
      const q = this.queue;
      q[(this.head + this.queued) % q.length] = order;
      this.queued++;
      if (this.open.size > o.foldWindow) this.evictOldest();
    }
    if (order.late) this.lateLines++;
    order.add(tx, verdictClass(v), this.net, line);
  }

  /**
   * Sizing hint from the reader: `fraction` of the input's bytes has been pushed. Once, after
   * at least 1 % and 10,000 lines, the order index is sized for the orders that rate extrapolates
   * to, plus 10 % (OrderLineIndex.reserve), instead of doubling its way there. Results never
   * depend on it; a wrong guess costs memory (too high) or later doublings (too low).
   */
  expectFraction(fraction: number): void {
    this.screen.expectFraction(fraction);
  }

  /** Emits every open order (first-seen order). Call once, after the last push. */
  finish(): void {
    if (this.finished) return;
    this.drain();
    while (this.queued > 0) this.evictOldest();
    this.head = 0;
    this.finished = true;
  }

  /** The audit so far; it reconciles after finish() (open orders are not yet counted before). */
  audit(): CleanAudit {
    let rowsRemoved = 0;
    const removed = emptyRemoved();
    for (const k of REASONS) { removed[k] = this.removed[k]; rowsRemoved += this.removed[k]; }
    const o = this.options;
    return {
      rows_in: this.rowsIn,
      rows_out: this.rowsOut,
      folded: this.folded,
      removed,
      rows_removed: rowsRemoved,
      late_order_lines: this.lateLines,
      outliers_flagged: this.flagged,
      outliers_capped: this.capped,
      outlier_rule: auditOutlierRule(o.outliers, o.fence),
      duplicate_rule: auditDuplicateRule(o.duplicates, this.dupRule, this.equalKept),
      guests_removed: sortedGuestCounts(this.guestCounts),
      exclusion: { ids_listed: o.exclude.size, ids_matched: this.excludedMatched.size },
      orders_out: this.rowsOut - this.lateRowsOut,
      customers_out: this.customersOut ? this.customersOut() : this.customers.size,
      amount_in: this.amountIn,
      amount_out: this.amountOut,
      amount_removed: this.amountRemoved,
      amount_negated: this.amountNegated,
      amount_capped: this.amountCapped,
      amount_refunded: this.amountRefunded,
      options: auditOptions(o),
    };
  }

  private countGuest(id: string): void {
    const k = guestKey(id);
    this.guestCounts.set(k, (this.guestCounts.get(k) ?? 0) + 1);
  }

  private removeLine(tx: Transaction, reason: Reason, line: number): void {
    this.removed[reason]++;
    this.amountRemoved = roundMoney(this.amountRemoved + tx.amount);
    this.onRemoved?.(tx, reason, line);
  }

  private removeOrder(order: OpenOrder, reason: Reason): void {
    this.removed[reason] += order.lines;
    this.amountRemoved = roundMoney(this.amountRemoved + order.rawAmount);
    const cb = this.onRemoved;
    if (cb !== undefined) {
      const txs = order.lineTxs!, nos = order.lineNos!;
      for (let i = 0; i < txs.length; i++) cb(txs[i]!, reason, nos[i]!);
    }
  }

  private evictOldest(): void {
    const q = this.queue;
    const at = this.head;
    const order = q[at]!;
    q[at] = undefined;
    this.head = at + 1 === q.length ? 0 : at + 1;
    this.queued--;
    const warm = this.warmed > 0;
    if (warm) this.warmed--;
    this.open.delete(order);
    this.emit(order, warm ? at : -1);
    order.release();
    this.free.push(order);
  }

  /** `at`: the order's ring slot when `custFp` holds its customer's fingerprint, else −1. */
  private emit(order: OpenOrder, at: number): void {
    const o = this.options;
    if (this.net) {
      if (order.purchases === 0 && order.statusOnly === order.lines) return this.removeOrder(order, 'cancelled');
      if (order.purchases > 0 && order.returns > 0 && order.amount <= 0) return this.removeOrder(order, 'fully_refunded');
    }
    // Refund column: net = paid − refunded; nothing left is a full refund (not under returns 'keep').
    let amount = order.amount;
    if (order.refund !== 0 && this.options.returns !== 'keep') {
      amount = roundMoney(amount - order.refund);
      if (amount <= 0 && order.amount > 0) return this.removeOrder(order, 'fully_refunded');
      this.amountRefunded = roundMoney(this.amountRefunded + order.refund);
    }
    const tx: Transaction = {
      customerId: order.customerId,
      orderId: order.orderId,
      day: order.day,
      amount,
      quantity: order.quantity,
      status: order.status,
      time: order.time,
      item: order.item,
      dims: order.dims,
    };
    const fence = o.fence;
    if (fence !== null && o.outliers !== 'off') {
      const out = exceedsFence(fence, tx.amount);
      if (o.outliers === 'flag') {
        tx.outlier = out;
        if (out) this.flagged++;
      } else if (out && o.outliers === 'cap') {
        const cap = roundMoney(fence.threshold);
        this.amountCapped = roundMoney(this.amountCapped + tx.amount - cap);
        tx.amount = cap;
        this.capped++;
      } else if (out) {
        return this.removeOrder(order, 'outlier');
      }
    }
    this.rowsOut++;
    if (order.late) this.lateRowsOut++;
    this.folded += order.lines - 1;
    this.amountOut = roundMoney(this.amountOut + tx.amount);
    this.amountNegated = roundMoney(this.amountNegated + order.negated);
    if (this.customersOut === undefined) {
      if (at >= 0) this.customers.add(this.custFp[2 * at]!, this.custFp[2 * at + 1]!);
      else {
        const fp = this.fp.reset();
        fp.str(order.customerId);
        fp.done();
        this.customers.add(fp.a, fp.b);
      }
    }
    this.onOutput(tx);
  }
}
