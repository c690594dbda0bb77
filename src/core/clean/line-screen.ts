/**
 * The cleaner's line rules 1–5 (cleaner.ts): everything it decides about a line from the line
 * alone and from the lines before it, without the open orders. One verdict per line, as a
 * small integer (see `verdict*` below):
 *
 * 1. `guest`, 2. `excluded`, 3. `before_since` / `after_until` / `after_as_of`, 4. `duplicate`
 * (the order/line index, order-line-index.ts; only when the duplicate rule drops them,
 * line-identity.ts), 5. returns 'drop': `cancelled` / `returned`; for a kept line, its line
 * class (return-lines.ts), whether a kept line of its order came before (what makes a line of
 * an order that is not open now a late re-opening), and whether it equals such a line (an
 * exact duplicate the rule kept).
 *
 * A pure function of the lines in order, so a reader thread can screen them ahead while the
 * cleaner folds earlier ones (parallel/reader-job.ts): the index and its cache misses then live on
 * that thread, and the cleaner takes each verdict as given. In-process, the Cleaner screens
 * each line itself, with the same code.
 *
 * "Opened before" is recorded for every kept line. That gives the same marks as marking an
 * order only when it opens (a kept line whose order was not open): every other kept line
 * belongs to an open order, already marked.
 */
import type { ResolvedCleanOptions } from './clean-options.js';
import type { Reason } from './audit.js';
import { GuestIds } from './guest-ids.js';
import { duplicateRule } from './line-identity.js';
import type { StreamSchema } from '../types.js';
import { OrderLineIndex } from './order-line-index.js';
import { classifyLine, isCancellationInvoice, LINE_PURCHASE, StatusClassifier, type LineClass } from './return-lines.js';

/** Reasons a screen removes a line, by verdict code 1…8 (code 0: kept). */
export const SCREEN_REASONS: readonly (Reason | null)[] = [null, 'guest', 'excluded', 'before_since', 'after_until', 'after_as_of', 'duplicate', 'cancelled', 'returned'];
const GUEST = 1, EXCLUDED = 2, BEFORE_SINCE = 3, AFTER_UNTIL = 4, AFTER_AS_OF = 5, DUPLICATE = 6, CANCELLED = 7, RETURNED = 8;
/** Bit of a kept line's verdict: a kept line of the same order came before. */
const OPENED_BEFORE = 64;
/** Bit of a kept line's verdict: it equals an earlier kept line (kept: the duplicate rule keeps such lines). */
const EQUAL_KEPT = 128;

/** The removal reason of a verdict, or null when the line is kept. */
export const verdictReason = (v: number): Reason | null => SCREEN_REASONS[v & 15]!;
/** A kept line's class (LINE_PURCHASE, LINE_RETURN or LINE_STATUS_ONLY). */
export const verdictClass = (v: number): LineClass => ((v >> 4) & 3) as LineClass;
/** Whether a kept line of the line's order came before it. */
export const verdictOpenedBefore = (v: number): boolean => (v & OPENED_BEFORE) !== 0;
/** Whether a kept line equals an earlier kept line (an exact duplicate the rule kept). */
export const verdictEqualKept = (v: number): boolean => (v & EQUAL_KEPT) !== 0;

/** The options a screen applies (structured-clone friendly: the exclusion list as an array). */
export interface ScreenOptions {
  returns: ResolvedCleanOptions['returns'];
  duplicates: ResolvedCleanOptions['duplicates'];
  guests: ResolvedCleanOptions['guests'];
  guestIds: string[];
  exclude: string[];
  since: number | null;
  until: number | null;
  asOf: number | null;
}

export const screenOptions = (o: ResolvedCleanOptions): ScreenOptions => ({
  returns: o.returns,
  duplicates: o.duplicates,
  guests: o.guests,
  guestIds: [...o.guestIds],
  exclude: [...o.exclude],
  since: o.since,
  until: o.until,
  asOf: o.asOf,
});

export class LineScreen {
  private readonly seen = new OrderLineIndex(1 << 12);
  private readonly statuses = new StatusClassifier();
  private readonly exclude: ReadonlySet<string>;
  private readonly guestsDrop: boolean;
  private readonly guests: GuestIds;
  private readonly duplicates: ResolvedCleanOptions['duplicates'];
  /** Whether exact duplicates are removed; null until `useSchema` decides it for 'auto'. */
  private dropDuplicates: boolean | null;
  private readonly drop: boolean;
  private readonly since: number | null;
  private readonly until: number | null;
  private readonly asOf: number | null;
  private lines = 0;
  private sized = false;

  constructor(o: ScreenOptions | ResolvedCleanOptions) {
    this.exclude = new Set(o.exclude);
    this.guestsDrop = o.guests === 'drop';
    this.guests = new GuestIds(o.guestIds);
    this.duplicates = o.duplicates;
    this.dropDuplicates = o.duplicates === 'auto' ? null : o.duplicates === 'drop';
    this.drop = o.returns === 'drop';
    this.since = o.since;
    this.until = o.until;
    this.asOf = o.asOf;
  }

  /** Decides the duplicate rule from the stream's schema (line-identity.ts); before the first line. */
  useSchema(schema: StreamSchema): void {
    this.dropDuplicates = duplicateRule(this.duplicates, schema).drop;
  }

  /** Brings the index slot of order fingerprint word b into cache (see Cleaner.drain). */
  touch(ob: number): void {
    this.seen.touch(ob);
  }

  /**
   * The verdict on one line, given its (customer, order) fingerprint (oa, ob) and line
   * fingerprint (la, lb) (line-fingerprint.ts). Lines must come in file order.
   */
  screen(customerId: string, orderId: string, day: number, amount: number, quantity: number | null, status: string, oa: number, ob: number, la: number, lb: number): number {
    this.lines++;
    if (this.guestsDrop && this.guests.has(customerId)) return GUEST;
    const ex = this.exclude;
    if (ex.size > 0 && (ex.has(customerId) || ex.has(customerId.trim()))) return EXCLUDED;
    if (this.since !== null && day < this.since) return BEFORE_SINCE;
    if (this.until !== null && day > this.until) return AFTER_UNTIL;
    if (this.asOf !== null && day > this.asOf) return AFTER_AS_OF;
    let equal = 0;
    if (!this.seen.addLine(oa, ob, la, lb)) {
      if (this.dropDuplicates === null) throw new Error('LineScreen: --duplicates auto needs the stream schema (useSchema) before the first line');
      if (this.dropDuplicates) return DUPLICATE;
      equal = EQUAL_KEPT;
    }
    const kind = this.statuses.kind(status);
    const cls = classifyLine(amount, quantity, kind, orderId);
    if (this.drop && cls !== LINE_PURCHASE) return kind === 1 || (kind === 0 && isCancellationInvoice(orderId)) ? CANCELLED : RETURNED;
    return (cls << 4) | (this.seen.open() ? OPENED_BEFORE : 0) | equal;
  }

  /**
   * Sizing hint: `fraction` of the input's bytes has been screened. Once, after at least 1 %
   * and 10,000 lines, the index is sized for the orders that rate extrapolates to, plus 10 %
   * (OrderLineIndex.reserve), instead of doubling its way there. Verdicts never depend on it.
   */
  expectFraction(fraction: number): void {
    if (this.sized || !(fraction >= 0.01 && fraction <= 1) || this.lines < 10_000) return;
    this.sized = true;
    this.seen.reserve(Math.ceil((this.seen.orders / fraction) * 1.1));
  }
}
