/**
 * --pseudonymize in `run`: the aggregated customers get their pseudonyms in place of their
 * ids, re-sorted by pseudonym (custkit's tables are sorted by id, which --compare's merge pass
 * relies on; the original order would also hint at the original ids).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { ActionSettings } from './actions-stage.js';
import { isPseudonym, pseudonymOrder, type Pseudonymizer } from '../core/privacy/pseudonym.js';
import { piiKindOf } from '../core/privacy/pii-columns.js';

/** Row order sorting `ids` (strings, UTF-16 order like the accumulator's): pseudonyms by their bits, any other by text. */
function sortOrder(ids: readonly string[]): Int32Array {
  const fast = pseudonymOrder(ids);
  if (fast !== null) return fast;
  const at = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) at.set(ids[i]!, i);
  // Two ids with one pseudonym would merge two customers: 80 bits make it ~1e-12 at a million.
  if (at.size !== ids.length) throw new Error('two customer ids have the same pseudonym');
  const sorted = ids.slice().sort();
  const order = new Int32Array(ids.length);
  for (let k = 0; k < sorted.length; k++) order[k] = at.get(sorted[k]!)!;
  return order;
}

function permute<T extends Int32Array | Float64Array>(a: T, order: Int32Array): T {
  const out = a.slice() as T;
  for (let k = 0; k < order.length; k++) out[k] = a[order[k]!]!;
  return out;
}

/** The facts with pseudonyms for ids, rows sorted by pseudonym; `order[k]` is new row k's old row. */
export function pseudonymizeFacts(f: SummaryFacts, p: Pseudonymizer): { facts: SummaryFacts; order: Int32Array } {
  const ids = f.ids.map((id) => p.of(id));
  const order = sortOrder(ids);
  const facts: SummaryFacts = {
    ids: Array.from(order, (i) => ids[i]!),
    orders: permute(f.orders, order),
    purchaseDays: permute(f.purchaseDays, order),
    revenue: permute(f.revenue, order),
    firstDay: permute(f.firstDay, order),
    lastDay: permute(f.lastDay, order),
    repeatRevenue: permute(f.repeatRevenue, order),
  };
  if (f.index) facts.index = permute(f.index, order);
  return { facts, order };
}

/** Attribute cells (in the facts' old row order) read in the new order. */
export function permutedAttributes(a: AttributeCells, order: Int32Array): AttributeCells {
  return { specs: a.specs, text: (k, row) => a.text(k, order[row]!), isText: (k) => a.isText(k) };
}

/** A set of ids (--exclude) as pseudonyms, so they match the pseudonymised customers. */
export function pseudonymizeIds(ids: ReadonlySet<string>, p: Pseudonymizer | null): ReadonlySet<string> {
  return p === null ? ids : new Set([...ids].map((id) => p.of(id)));
}

/** The action settings with the --suppress ids as pseudonyms. */
export function pseudonymizeActionSettings(s: ActionSettings, p: Pseudonymizer): ActionSettings {
  return { ...s, suppress: pseudonymizeIds(s.suppress, p) };
}

/** Plain summaries (DuckDB engine) with pseudonyms for ids, sorted by pseudonym. */
export function pseudonymizeSummaries(s: readonly CustomerSummary[], p: Pseudonymizer): CustomerSummary[] {
  const ids = s.map((x) => p.of(x.customerId));
  const order = sortOrder(ids);
  return Array.from(order, (i) => ({ ...s[i]!, customerId: ids[i]! }));
}

/**
 * A previous customer table for --compare: ids that are not pseudonyms yet (a table from a run
 * without --pseudonymize) get theirs, so customers still match across the switch.
 */
export function pseudonymizePrevious(t: CustomerTable, p: Pseudonymizer): CustomerTable {
  const ids = t.ids;
  for (let i = 0; i < ids.length; i++) if (!isPseudonym(ids[i]!)) ids[i] = p.of(ids[i]!);
  return t;
}

/** True when the first customer of a customer-table file has a pseudonym for its id (its first 4 KB read). */
export function tableHasPseudonyms(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.toString('utf8', 0, n).split(/\r?\n/)[1] ?? '';
    return isPseudonym(first.split(',')[0] ?? '');
  } finally {
    closeSync(fd);
  }
}

/**
 * Attribute cells without the personal-data columns (header, or the values of the first rows),
 * for actions.csv under `--pii drop`; null when none is left.
 */
export function withoutPersonalAttributes(a: AttributeCells, rows: number): { cells: AttributeCells | null; dropped: string[] } {
  const keep: number[] = [];
  const dropped: string[] = [];
  a.specs.forEach((s, k) => {
    const sample: string[] = [];
    for (let i = 0; i < Math.min(rows, 1000); i++) sample.push(a.text(k, i));
    if (piiKindOf(s.name, sample) === null) keep.push(k);
    else dropped.push(s.name);
  });
  if (dropped.length === 0) return { cells: a, dropped };
  if (keep.length === 0) return { cells: null, dropped };
  return { cells: { specs: keep.map((k) => a.specs[k]!), text: (k, row) => a.text(keep[k]!, row), isText: (k) => a.isText(keep[k]!) }, dropped };
}
