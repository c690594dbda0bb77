/**
 * The clean audit: a JSON-friendly account of every input row.
 *
 *   rows_in = rows_out + folded + Σ removed[reason]
 *
 * - `rows_in`: lines pushed. `rows_out`: rows emitted (one per order, plus one per late
 *   re-opened order, see cleaner.ts). `folded`: lines merged into another line's order row
 *   (an emitted order of k lines adds k − 1). `removed`: lines removed, per reason; an order
 *   removed as a whole (`cancelled` status-only order, `fully_refunded`, `outlier`) counts
 *   all its lines there and none under `folded`.
 * - `late_order_lines`: lines whose order had already been emitted (left the fold window);
 *   informational, they are inside rows_out / folded / removed like any line.
 * - Amounts (all rounded to 1e-6): `amount_in` = Σ amounts pushed; `amount_removed` = Σ
 *   pushed amounts of removed lines; `amount_negated` = Σ positive amounts of return lines
 *   that were negated in output rows (returns 'net'); `amount_capped` = Σ (amount − threshold)
 *   over capped orders; `amount_out` = Σ output amounts. Hence
 *   amount_out = amount_in − amount_removed − 2 · amount_negated − amount_capped − amount_refunded.
 * - `amount_refunded`: Σ refund-column amounts of emitted orders (an order refunded in full is
 *   removed as `fully_refunded`, its amount under amount_removed); `unpaid`: lines of orders
 *   never paid (empty paid_at; without one, amount and refund both 0 in a file with refunds).
 *
 * - `duplicate_rule`: the duplicate rule as applied (line-identity.ts): `applied` 'drop' or
 *   'keep' (null before the stream's schema was known), the columns that identify a line, and
 *   `equal_lines_kept`, lines equal to an earlier kept line of their order that the rule kept.
 * - `guests_removed`: lines removed as `guest`, by placeholder value (trimmed, lower-cased;
 *   `(blank)` for an empty id), keys sorted.
 * - `exclusion`: ids on the `--exclude` list, and how many of them removed a line.
 *
 * Keys are stable; `removed` always lists every reason of REASONS in that order.
 */
import { formatDay } from '../time/day.js';
import type { ResolvedCleanOptions } from './clean-options.js';
import type { DuplicateRule } from './line-identity.js';
import type { Fence } from './outlier-fence.js';
import { OUTLIER_Z } from './outlier-fence.js';

/** Removal reasons, in the order the rules are applied (and printed). */
export const REASONS = [
  'guest',
  'excluded',
  'before_since',
  'after_until',
  'after_as_of',
  'duplicate',
  'cancelled',
  'returned',
  'unpaid',
  'fully_refunded',
  'outlier',
] as const;
export type Reason = (typeof REASONS)[number];

/** The outlier rule as applied (see outlier-fence.ts). */
export interface OutlierRuleAudit {
  mode: 'flag' | 'cap' | 'drop' | 'off';
  method: 'modified_z_ln_amount';
  z: number;
  /** False when the mode is 'off' or no fence was given. */
  applied: boolean;
  n: number | null;
  median_ln: number | null;
  mad_ln: number | null;
  /** Amount at the fence; null when there is none (MAD = 0 or not applied). */
  threshold: number | null;
  /** Orders the fence pass predicted to be outliers. */
  expected: number | null;
}

/** The duplicate rule as applied (line-identity.ts). */
export interface DuplicateRuleAudit {
  mode: 'auto' | 'drop' | 'keep';
  applied: 'drop' | 'keep' | null;
  identity: string[];
  equal_lines_kept: number;
}

export interface CleanAudit {
  rows_in: number;
  rows_out: number;
  folded: number;
  removed: Record<Reason, number>;
  rows_removed: number;
  late_order_lines: number;
  outliers_flagged: number;
  outliers_capped: number;
  outlier_rule: OutlierRuleAudit;
  duplicate_rule: DuplicateRuleAudit;
  guests_removed: Record<string, number>;
  exclusion: { ids_listed: number; ids_matched: number };
  /** Distinct (customer, order) among output rows (rows_out minus late re-emissions). */
  orders_out: number;
  /** Distinct customers among output rows. */
  customers_out: number;
  /** null (these six) for transactions without amounts (ingest --no-amount): no sums to tell. */
  amount_in: number | null;
  amount_out: number | null;
  amount_removed: number | null;
  amount_negated: number | null;
  amount_capped: number | null;
  /** Σ refunds (the source's refund column) netted from emitted orders; 0 without one. */
  amount_refunded: number | null;
  options: {
    returns: string;
    duplicates: string;
    guests: string;
    guest_ids: string[];
    outliers: string;
    fold_window: number;
    since: string | null;
    until: string | null;
    as_of: string | null;
    excluded_ids: number;
  };
}

/** A `removed` record with every reason at 0, keys in REASONS order. */
export function emptyRemoved(): Record<Reason, number> {
  const r = {} as Record<Reason, number>;
  for (const k of REASONS) r[k] = 0;
  return r;
}

/** True when rows_in = rows_out + folded + Σ removed and rows_removed = Σ removed. */
export function reconciles(a: CleanAudit): boolean {
  let s = 0;
  for (const k of REASONS) s += a.removed[k] ?? 0;
  return a.rows_in === a.rows_out + a.folded + s && a.rows_removed === s;
}

/** The options block of the audit. */
export function auditOptions(o: ResolvedCleanOptions): CleanAudit['options'] {
  const d = (x: number | null): string | null => (x === null ? null : formatDay(x));
  return {
    returns: o.returns,
    duplicates: o.duplicates,
    guests: o.guests,
    guest_ids: [...o.guestIds],
    outliers: o.outliers,
    fold_window: o.foldWindow,
    since: d(o.since),
    until: d(o.until),
    as_of: d(o.asOf),
    excluded_ids: o.exclude.size,
  };
}

/** The outlier_rule block of the audit. */
export function auditOutlierRule(mode: ResolvedCleanOptions['outliers'], fence: Fence | null): OutlierRuleAudit {
  const applied = mode !== 'off' && fence !== null;
  return {
    mode,
    method: 'modified_z_ln_amount',
    z: OUTLIER_Z,
    applied,
    n: applied ? fence!.n : null,
    median_ln: applied ? fence!.median : null,
    mad_ln: applied ? fence!.mad : null,
    threshold: applied && Number.isFinite(fence!.threshold) ? fence!.threshold : null,
    expected: applied ? fence!.expected : null,
  };
}

/** The duplicate_rule block: `rule` null while the schema is unknown (mode 'auto'). */
export function auditDuplicateRule(mode: ResolvedCleanOptions['duplicates'], rule: DuplicateRule | null, equalKept: number): DuplicateRuleAudit {
  return {
    mode,
    applied: rule === null ? null : rule.drop ? 'drop' : 'keep',
    identity: rule === null ? [] : [...rule.identity],
    equal_lines_kept: equalKept,
  };
}

/** Placeholder counts with their keys sorted, blank shown as `(blank)`. */
export function sortedGuestCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const k of [...counts.keys()].sort()) r[k === '' ? '(blank)' : k] = counts.get(k)!;
  return r;
}

/**
 * The audit of transactions without amounts (ingest --no-amount): the amount sums are null,
 * not 0, and no outlier rule ran (it needs amounts). Netting and fully_refunded never fire on
 * absent amounts (NaN compares false), so the row counts are the rules that ran.
 */
export function withoutAmounts(audit: CleanAudit): CleanAudit {
  return {
    ...audit,
    amount_in: null,
    amount_out: null,
    amount_removed: null,
    amount_negated: null,
    amount_capped: null,
    amount_refunded: null,
    outliers_flagged: 0,
    outliers_capped: 0,
    outlier_rule: auditOutlierRule('off', null),
  };
}
