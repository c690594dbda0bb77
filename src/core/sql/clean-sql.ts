/**
 * `clean`'s rules as DuckDB SQL, for `run --engine duckdb` on exports that are already in
 * canonical shape (engine/duckdb-clean.ts decides which ones are). Same rules, same order,
 * same audit as the streaming Cleaner (core/clean/cleaner.ts), with one stated difference:
 * SQL folds all lines of an (customer_id, order_id) into one order, where the streaming
 * cleaner folds the lines that arrive while the order is among the last `--fold-window`
 * (10,000) opened orders. The two agree whenever an order's lines are less than that many
 * orders apart; the streaming audit counts the lines that are not (`late_order_lines`).
 *
 * Line rules, first match wins: guest → excluded → before_since / after_until / after_as_of →
 * duplicate (the same customer, order, day, amount, quantity, status, time and item as a kept line:
 * lines are grouped by that tuple; all but one of a group are duplicates; only when
 * `dropDuplicates`, else every line of a group counts and the extra ones are counted as
 * `equal_kept`, as core/clean/line-identity.ts decides) → under
 * `--returns drop`, return lines (cancelled / returned). Order rules under `--returns net`:
 * status-only orders are `cancelled`, orders with purchases and returns whose folded amount is
 * ≤ 0 are `fully_refunded`; a return line's positive amount is negated before folding.
 */
import { guestPlaceholders } from '../clean/guest-ids.js';
import { CANCEL_STATUSES, REFUND_STATUSES } from '../clean/return-lines.js';
import { MISSING_MARKERS } from '../ingest/numbers.js';
import { formatDay } from '../time/day.js';
import { stringLiteral } from './dialects.js';

/** The whitespace ingest trims (core/ingest/numbers.ts isSpace), inside an RE2 class. */
const WS_CHARS = '\\t\\n\\x0B\\f\\r \\x{A0}\\x{2007}\\x{2009}\\x{202F}\\x{3000}';
const NEGATIVE_ZERO = "'-0*(\\.0*)?'";
const list = (xs: Iterable<string>): string => [...xs].map(stringLiteral).join(', ');

export interface CleanSqlOptions {
  /** FROM expression yielding text columns customer_id, order_id, order_date, amount [, quantity] [, status]. */
  from: string;
  hasQuantity: boolean;
  hasStatus: boolean;
  /** An `order_time` column (HH:MM:SS) and an `item` column: both identify a line (core/clean/line-identity.ts). */
  hasTime?: boolean;
  hasItem?: boolean;
  returns: 'net' | 'drop' | 'keep';
  /** Whether exact duplicate lines are removed (the duplicate rule, core/clean/line-identity.ts). */
  dropDuplicates: boolean;
  guestsDrop: boolean;
  /** Placeholders besides GUEST_PLACEHOLDERS (`--guest-ids`), any case. */
  guestIds: readonly string[];
  /** A table `excl(id VARCHAR)` holds the excluded ids. */
  hasExclude: boolean;
  since: number | null;
  until: number | null;
  asOf: number | null;
  /** Ingest's plausible order dates (inclusive day numbers; `to` null = no upper bound); absent: none. */
  dateWindow?: { from: number; to: number | null };
  /** An earlier statement found every row taken as written: no check (`nbad` is 0). */
  checked?: boolean;
}

/**
 * At most 15 significant digits (ingest's range, core/ingest/numbers.ts) for a text that
 * matched the plain-number pattern (≤ 12 integer digits, ≤ 6 decimals): a text of at most 16
 * characters has at most 15 digits; a longer one is counted without sign, leading zeros and
 * trailing zeros. A CASE, not an OR: DuckDB evaluates both sides of an OR on every row, and
 * the CASE counts digits for the rare long texts only (bytes: the pattern admits ASCII only).
 */
const fifteenDigits = (x: string): string => `(CASE WHEN strlen(${x}) <= 16 THEN TRUE ELSE length(replace(ltrim(replace(rtrim(${x}, '0'), '-', ''), '0.'), '.', '')) <= 15 END)`;

/**
 * True for a row whose cells ingest would take exactly as written: printable-ASCII customer
 * id without surrounding spaces that is not a missing marker nor a float-exported integer;
 * a non-empty order id without surrounding whitespace; an ISO date that exists, inside
 * ingest's date window; plain decimal amount and quantity in ingest's range (no negative
 * zero, at most 15 significant digits); a status without surrounding whitespace.
 * Rows failing it send the whole input back to the JavaScript engine, which reads or rejects
 * them with line numbers. One regular expression over the joined cells (\x01-separated) does
 * most of it, at a fraction of the cost of one call per cell.
 */
export function takenAsWrittenSql(o: Pick<CleanSqlOptions, 'hasQuantity' | 'hasStatus' | 'hasTime' | 'hasItem' | 'dateWindow'>): string {
  const text = `[^\\x01${WS_CHARS}]([^\\x01]*[^\\x01${WS_CHARS}])?`;
  const num = '-?[0-9]{1,12}(\\.[0-9]{1,6})?';
  const cells = ['customer_id', 'order_id', 'order_date', 'amount'].map((c) => `coalesce(${c}, '')`);
  const parts = ['[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?', text, '[12][0-9]{3}-[0-9]{2}-[0-9]{2}', num];
  if (o.hasQuantity) { cells.push("coalesce(quantity, '')"); parts.push(`(${num})?`); }
  if (o.hasStatus) { cells.push("coalesce(status, '')"); parts.push(`(${text})?`); }
  // ingest writes a time of day as HH:MM:SS (parseTimeOfDay); an empty cell is no time.
  if (o.hasTime) { cells.push("coalesce(order_time, '')"); parts.push('(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?'); }
  if (o.hasItem) { cells.push("coalesce(item, '')"); parts.push(`(${text})?`); }
  return [
    `regexp_full_match(concat_ws(chr(1), ${cells.join(', ')}), '${parts.join('\\x01')}')`,
    o.dateWindow
      ? `TRY_CAST(order_date AS DATE) ${o.dateWindow.to === null ? `>= DATE '${formatDay(o.dateWindow.from)}'` : `BETWEEN DATE '${formatDay(o.dateWindow.from)}' AND DATE '${formatDay(o.dateWindow.to)}'`}`
      : `TRY_CAST(order_date AS DATE) IS NOT NULL`,
    fifteenDigits('amount'),
    ...(o.hasQuantity ? [fifteenDigits("coalesce(quantity, '')")] : []),
    `NOT list_contains([${list(MISSING_MARKERS)}], customer_id)`,
    `NOT (customer_id LIKE '%.0' AND regexp_full_match(customer_id, '[0-9]+\\.0+'))`,
    `NOT (amount LIKE '-0%' AND regexp_full_match(amount, ${NEGATIVE_ZERO}))`,
    ...(o.hasQuantity ? [`NOT (coalesce(quantity, '') LIKE '-0%' AND regexp_full_match(quantity, ${NEGATIVE_ZERO}))`] : []),
  ].join('\n      AND ');
}

/** Line-rule reasons in rule order; the SQL carries their 1-based position (0 = kept). */
export const LINE_REASONS = ['guest', 'excluded', 'before_since', 'after_until', 'after_as_of'] as const;

/**
 * The CTEs ending in `f`: one row per (customer, order, line-rule reason) with everything the
 * audit and the order rules need: lines in, their amount, duplicates, lines removed under
 * `--returns drop`, the folded order (lines, folded/raw/negated amounts, earliest day), its
 * fate (a line-rule reason, 'cancelled', 'fully_refunded', 'emit', or NULL when no line was
 * kept; an ENUM), plus `nbad`, the rows not taken as written. Neither `f`, `ord` nor `one` is
 * materialized: their two readers (the audit's grouping and the facts) each compute them from
 * `k` again, which costs less than writing and reading a table of some twenty columns per
 * order, a table that spilled under the memory limit. Left to itself DuckDB materialized `one`,
 * a second copy of nearly all of `k` (#29, docs/performance.md).
 *
 * Grouping keys are 64-bit hashes (DuckDB's hash()) of the line and of (customer, order), like
 * the streaming cleaner's fingerprints: two different lines or orders merge with probability
 * about n²/2⁶⁵ (n distinct lines). Grouping by hash is much cheaper than by the text columns.
 *
 * Most orders have a single line, and a single line needs no grouping: it is neither a
 * duplicate nor folded. `multi` (a payload-free GROUP BY) finds the orders with more than one
 * line; only their lines go through the two wide aggregations (per line, then per order),
 * the rest become order rows by projection (with every order in them, the wide aggregations
 * spilled to disk). The IN lists are list_contains calls: DuckDB plans `x IN (…)` as a join,
 * one per use.
 *
 * `k` (the classified lines: the customer id, numbers and hashes, no order id or status text)
 * is the one materialized step before `f`; `src` streams into it. Materializing `src`
 * instead kept three more text columns and computed `k`'s hashes and regular expressions
 * twice (for `multi` and for the lines).
 */
export function ordersCtes(o: CleanSqlOptions): string {
  const when = [
    o.guestsDrop ? `WHEN list_contains([${list(guestPlaceholders(o.guestIds))}], lower(c)) THEN 1` : '',
    o.hasExclude ? `WHEN c IN (SELECT id FROM excl) THEN 2` : '',
    o.since !== null ? `WHEN d < DATE '${formatDay(o.since)}' THEN 3` : '',
    o.until !== null ? `WHEN d > DATE '${formatDay(o.until)}' THEN 4` : '',
    o.asOf !== null ? `WHEN d > DATE '${formatDay(o.asOf)}' THEN 5` : '',
  ].filter(Boolean);
  const reason = when.length ? `CASE ${when.join(' ')} ELSE 0 END` : '0';
  const drop = o.returns === 'drop' ? 'lc <> 0' : 'FALSE';
  const negate = o.returns === 'net' ? 'lc <> 0 AND a > 0' : 'FALSE';
  const net = o.returns === 'net';
  const reasonName = `CASE r ${LINE_REASONS.map((x, i) => `WHEN ${i + 1} THEN '${x}'`).join(' ')} END`;
  const money = (x: string): string => `CAST(${x} AS DECIMAL(18,6))`;
  // A group of n equal lines: one line and n − 1 duplicates, or (duplicates kept) n lines:
  // counts become sums of n and amounts the group's sum a_n.
  const dd = o.dropDuplicates;
  const cnt = (where: string): string => (dd ? `count(*) FILTER (WHERE ${where})` : `CAST(coalesce(sum(n) FILTER (WHERE ${where}), 0) AS BIGINT)`);
  const A = dd ? 'a' : 'a_n';
  return `src AS NOT MATERIALIZED (
  SELECT customer_id AS c, order_id AS o,
    TRY_CAST(order_date AS DATE) AS d,
    TRY_CAST(amount AS DECIMAL(18,6)) AS a,
    ${o.hasQuantity ? "TRY_CAST(nullif(quantity, '') AS DECIMAL(18,6))" : 'CAST(NULL AS DECIMAL(18,6))'} AS q,
    ${o.hasStatus ? "coalesce(status, '')" : "''"} AS s,
    ${o.hasTime ? "coalesce(order_time, '')" : "''"} AS t,
    ${o.hasItem ? "coalesce(item, '')" : "''"} AS i,
    ${o.checked ? 'CAST(0 AS UTINYINT)' : `CAST(CASE WHEN ${takenAsWrittenSql(o)} THEN 0 ELSE 1 END AS UTINYINT)`} AS bad
  FROM ${o.from}
),
k AS MATERIALIZED (
  SELECT c, d, a, bad,
    CASE WHEN list_contains([${list(CANCEL_STATUSES)}], lower(s)) THEN 1 WHEN list_contains([${list(REFUND_STATUSES)}], lower(s)) THEN 2 ELSE 0 END AS kind,
    CASE WHEN starts_with(o, 'C') THEN regexp_matches(o, '^C[0-9]') ELSE FALSE END AS c_invoice,
    CAST(CASE WHEN a < 0 OR q < 0 OR c_invoice THEN 1 WHEN kind = 0 THEN 0 ELSE 2 END AS UTINYINT) AS lc,
    (kind = 1 OR (kind = 0 AND c_invoice)) AS cancel_kind,
    CAST(${reason} AS UTINYINT) AS r,
    hash(c, o) AS ho,
    ${o.hasTime || o.hasItem ? 'hash(c, o, d, a, q, s, t, i)' : 'hash(c, o, d, a, q, s)'} AS hl
  FROM src
),
multi AS MATERIALIZED (
  SELECT ho FROM k GROUP BY ho HAVING count(*) > 1
),
lk AS (
  SELECT hl, first(ho) AS ho, first(c) AS c, first(d) AS d, first(a) AS a, first(lc) AS lc, first(cancel_kind) AS cancel_kind,
    first(r) AS r, count(*) AS n, ${money('sum(a)')} AS a_n, sum(bad) AS nbad
  FROM k
  WHERE ho IN (SELECT ho FROM multi)
  GROUP BY hl
),
lines AS (
  SELECT *, (r = 0 AND ${drop}) AS dropped, (r = 0 AND NOT (${drop})) AS kept FROM lk
),
one AS NOT MATERIALIZED (
  SELECT *, (r = 0 AND ${drop}) AS dropped, (r = 0 AND NOT (${drop})) AS kept
  FROM k
  WHERE ho NOT IN (SELECT ho FROM multi)
),
ord AS NOT MATERIALIZED (
  SELECT first(c) AS c, r,
    CAST(sum(n) AS BIGINT) AS n_all, ${money('sum(a_n)')} AS amt_all, CAST(sum(nbad) AS BIGINT) AS nbad,
    ${dd ? `CAST(sum(n - 1) AS BIGINT) AS dups, ${money('sum(a_n - a)')} AS dup_amt` : `CAST(0 AS BIGINT) AS dups, ${money('0')} AS dup_amt`},
    ${dd ? 'CAST(0 AS BIGINT)' : 'CAST(coalesce(sum(n - 1) FILTER (WHERE kept), 0) AS BIGINT)'} AS eq,
    ${cnt('dropped AND cancel_kind')} AS drop_cancel, ${money(`sum(${A}) FILTER (WHERE dropped AND cancel_kind)`)} AS drop_cancel_amt,
    ${cnt('dropped AND NOT cancel_kind')} AS drop_return, ${money(`sum(${A}) FILTER (WHERE dropped AND NOT cancel_kind)`)} AS drop_return_amt,
    ${cnt('kept')} AS lines,
    ${cnt('kept AND lc = 0')} AS purchases,
    ${cnt('kept AND lc <> 0')} AS returns,
    ${cnt('kept AND lc = 2')} AS status_only,
    ${money(`sum(CASE WHEN ${negate} THEN -${A} ELSE ${A} END) FILTER (WHERE kept)`)} AS amount,
    ${money(`sum(${A}) FILTER (WHERE kept)`)} AS raw,
    ${money(`sum(${A}) FILTER (WHERE kept AND ${negate})`)} AS negated,
    min(d) FILTER (WHERE kept) AS day
  FROM lines
  GROUP BY ho, r
  UNION ALL
  SELECT c, r,
    CAST(1 AS BIGINT), a, CAST(bad AS BIGINT),
    CAST(0 AS BIGINT), CASE WHEN a IS NOT NULL THEN ${money('0')} END, CAST(0 AS BIGINT),
    CAST(dropped AND cancel_kind AS BIGINT), CASE WHEN dropped AND cancel_kind THEN a END,
    CAST(dropped AND NOT cancel_kind AS BIGINT), CASE WHEN dropped AND NOT cancel_kind THEN a END,
    CAST(kept AS BIGINT),
    CAST(kept AND lc = 0 AS BIGINT),
    CAST(kept AND lc <> 0 AS BIGINT),
    CAST(kept AND lc = 2 AS BIGINT),
    CASE WHEN kept THEN (CASE WHEN ${negate} THEN -a ELSE a END) END,
    CASE WHEN kept THEN a END,
    CASE WHEN kept AND ${negate} THEN a END,
    CASE WHEN kept THEN d END
  FROM one
),
f AS NOT MATERIALIZED (
SELECT c, n_all, amt_all, nbad, dups, dup_amt, eq, drop_cancel, drop_cancel_amt, drop_return, drop_return_amt, lines, amount, raw, negated, day,
  CAST(CASE WHEN r > 0 THEN ${reasonName}
    WHEN lines = 0 THEN NULL
    ${net ? "WHEN purchases = 0 AND status_only = lines THEN 'cancelled'" : ''}
    ${net ? "WHEN purchases > 0 AND returns > 0 AND amount <= 0 THEN 'fully_refunded'" : ''}
    ELSE 'emit' END AS ENUM(${[...LINE_REASONS, 'cancelled', 'fully_refunded', 'emit'].map((x) => `'${x}'`).join(', ')})) AS fate
FROM ord
)`;
}

/**
 * The orders of `f` grouped by fate, outlier flag and, when `amounts`, the amount of each
 * positive emitted order (`hist_amount`; NULL for every other order), with plain sums. One pass
 * over the orders feeds both the audit totals (auditTotalsSql) and the outlier fence's histogram
 * (AMOUNT_HISTOGRAM_SQL), which read this as the CTE `g`: a few thousand rows (distinct
 * amounts), instead of two scans of `f`, one row per order. `outlier` is a SQL
 * predicate on an emitted order's `amount` (FALSE when no outlier is removed or capped).
 */
export function auditGroupsSql(outlier: string, mode: 'cap' | 'drop' | 'other', amounts: boolean): string {
  const isOutRow = mode === 'other' ? 'FALSE' : `coalesce(fate = 'emit' AND ${outlier}, FALSE)`;
  const hist = amounts ? "CASE WHEN fate = 'emit' AND amount > 0 THEN amount END" : 'CAST(NULL AS DECIMAL(18,6))';
  // gid: the id behind a guest (lower-cased, as guestKey: the ids here carry no surrounding
  // spaces) or excluded order, so that GUEST_COUNTS_SQL and EXCLUDED_MATCHED_SQL read these few
  // rows instead of the orders again; NULL for every other order.
  const gid = "CASE WHEN fate = 'guest' THEN lower(c) WHEN fate = 'excluded' THEN c END";
  return `SELECT fate, ${isOutRow} AS is_out, ${hist} AS hist_amount, ${gid} AS gid, count(*) AS orders,
    sum(n_all) AS n_all, sum(amt_all) AS amt_all, sum(nbad) AS nbad, sum(dups) AS dups, sum(dup_amt) AS dup_amt, sum(eq) AS eq,
    sum(drop_cancel) AS drop_cancel, sum(drop_cancel_amt) AS drop_cancel_amt, sum(drop_return) AS drop_return, sum(drop_return_amt) AS drop_return_amt,
    sum(lines) AS lines, sum(amount) AS amount, sum(raw) AS raw, sum(negated) AS negated
  FROM f
  GROUP BY ALL`;
}

/**
 * auditGroupsSql's columns with the types of their values (counts are sums of BIGINTs, amounts
 * sums of DECIMAL(18,6)), for reading its rows back from text (partitions, engine/duckdb-clean.ts).
 */
export const AUDIT_GROUP_COLUMNS: readonly (readonly [string, string])[] = [
  ['fate', 'VARCHAR'], ['is_out', 'BOOLEAN'], ['hist_amount', 'DECIMAL(18,6)'], ['gid', 'VARCHAR'], ['orders', 'HUGEINT'],
  ...['n_all', 'nbad', 'dups', 'eq', 'drop_cancel', 'drop_return', 'lines'].map((c) => [c, 'HUGEINT'] as const),
  ...['amt_all', 'dup_amt', 'drop_cancel_amt', 'drop_return_amt', 'amount', 'raw', 'negated'].map((c) => [c, 'DECIMAL(38,6)'] as const),
];

/**
 * The audit totals over `g` (auditGroupsSql with the same `outlier` and `mode`); `cap` is the
 * capped amount (a decimal literal). Two steps: `f` grouped with plain sums — one pass over
 * the orders — then the totals over those few rows (filtered sums over every order cost more
 * than the whole cleaning). Distinct customers out are counted from the facts instead (one facts
 * row per customer with an emitted order).
 */
export function auditTotalsSql(mode: 'cap' | 'drop' | 'other', cap: string): string {
  const emitted = mode === 'drop' ? `fate = 'emit' AND NOT is_out` : `fate = 'emit'`;
  const out = mode === 'cap' ? `CASE WHEN is_out THEN orders * ${cap} ELSE amount END` : 'amount';
  const cnt = (reason: string): string => `coalesce(sum(n_all) FILTER (WHERE fate = '${reason}'), 0)`;
  const amt = (reason: string): string => `coalesce(sum(amt_all) FILTER (WHERE fate = '${reason}'), 0)`;
  const kept = `fate IS NULL OR fate IN ('emit', 'cancelled', 'fully_refunded')`;
  const capOut = mode === 'cap' ? 'is_out' : 'FALSE';
  const dropOut = mode === 'drop' ? 'is_out' : 'FALSE';
  return `SELECT
  CAST(coalesce(sum(n_all), 0) AS BIGINT) AS rows_in,
  CAST(coalesce(sum(amt_all), 0) AS DOUBLE) AS amount_in,
  CAST(coalesce(sum(nbad), 0) AS BIGINT) AS nbad,
  ${LINE_REASONS.map((r) => `CAST(${cnt(r)} AS BIGINT) AS ${r},`).join('\n  ')}
  CAST(coalesce(sum(dups) FILTER (WHERE ${kept}), 0) AS BIGINT) AS duplicate,
  CAST(coalesce(sum(eq) FILTER (WHERE ${kept}), 0) AS BIGINT) AS equal_kept,
  CAST(coalesce(sum(drop_cancel), 0) + coalesce(sum(lines) FILTER (WHERE fate = 'cancelled'), 0) AS BIGINT) AS cancelled,
  CAST(coalesce(sum(drop_return), 0) AS BIGINT) AS returned,
  CAST(coalesce(sum(lines) FILTER (WHERE fate = 'fully_refunded'), 0) AS BIGINT) AS fully_refunded,
  CAST(coalesce(sum(lines) FILTER (WHERE ${dropOut}), 0) AS BIGINT) AS outlier,
  CAST(coalesce(sum(orders) FILTER (WHERE ${emitted}), 0) AS BIGINT) AS rows_out,
  CAST(coalesce(sum(lines - orders) FILTER (WHERE ${emitted}), 0) AS BIGINT) AS folded,
  CAST(coalesce(sum(${out}) FILTER (WHERE ${emitted}), 0) AS DOUBLE) AS amount_out,
  CAST(coalesce(sum(negated) FILTER (WHERE ${emitted}), 0) AS DOUBLE) AS amount_negated,
  CAST(coalesce(sum(amount - orders * ${cap}) FILTER (WHERE ${capOut}), 0) AS DOUBLE) AS amount_capped,
  CAST(coalesce(sum(orders) FILTER (WHERE ${capOut}), 0) AS BIGINT) AS capped,
  CAST(
    ${LINE_REASONS.map(amt).join(' + ')}
    + coalesce(sum(dup_amt) FILTER (WHERE ${kept}), 0)
    + coalesce(sum(drop_cancel_amt), 0) + coalesce(sum(drop_return_amt), 0)
    + coalesce(sum(raw) FILTER (WHERE fate IN ('cancelled', 'fully_refunded')), 0)
    + coalesce(sum(raw) FILTER (WHERE ${dropOut}), 0)
  AS DOUBLE) AS amount_removed
FROM g`;
}

/** Lines removed as guests per placeholder (lower-cased id) over `g` (auditGroupsSql). */
export const GUEST_COUNTS_SQL = `SELECT gid AS v, CAST(sum(n_all) AS BIGINT) AS n FROM g WHERE fate = 'guest' GROUP BY gid`;

/** Distinct customer ids removed as `excluded` (the listed ids that matched) over `g` (auditGroupsSql). */
export const EXCLUDED_MATCHED_SQL = `SELECT CAST(count(DISTINCT gid) AS BIGINT) AS n FROM g WHERE fate = 'excluded'`;

/** Positive emitted order amounts with their counts (the outlier fence's input) over `g` (auditGroupsSql with amounts). */
export const AMOUNT_HISTOGRAM_SQL = `SELECT CAST(hist_amount AS DOUBLE) AS amount, CAST(sum(orders) AS BIGINT) AS n FROM g WHERE hist_amount IS NOT NULL GROUP BY hist_amount`;

/** The emitted orders as canonical (customer_id, order_date, amount) rows, for the aggregation. */
export function emittedOrdersSql(outlier: string, mode: 'cap' | 'drop' | 'other', cap: string): string {
  const isOut = mode === 'other' ? 'FALSE' : outlier;
  const where = mode === 'drop' ? `fate = 'emit' AND NOT ${isOut}` : `fate = 'emit'`;
  const amount = mode === 'cap' ? `CASE WHEN ${isOut} THEN ${cap} ELSE amount END` : 'amount';
  return `(SELECT c AS customer_id, day AS order_date, ${amount} AS amount FROM f WHERE ${where})`;
}
