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
 * duplicate (the same customer, order, day, amount, quantity and status as a kept line:
 * lines are grouped by that tuple; all but one of a group are duplicates) → under
 * `--returns drop`, return lines (cancelled / returned). Order rules under `--returns net`:
 * status-only orders are `cancelled`, orders with purchases and returns whose folded amount is
 * ≤ 0 are `fully_refunded`; a return line's positive amount is negated before folding.
 */
import { GUEST_PLACEHOLDERS } from '../clean/guest-ids.js';
import { CANCEL_STATUSES, REFUND_STATUSES } from '../clean/return-lines.js';
import { MISSING_MARKERS } from '../ingest/numbers.js';
import { formatDay } from '../time/day.js';
import { stringLiteral } from './dialects.js';

/** The whitespace ingest trims (core/ingest/numbers.ts isSpace), as an RE2 class. */
const WS = '[\\t\\n\\x0B\\f\\r \\x{A0}\\x{2007}\\x{2009}\\x{202F}\\x{3000}]';
/** A plain decimal as ingest writes it: optional minus, digits, at most 6 decimals. */
const PLAIN_NUMBER = "'-?[0-9]{1,12}(\\.[0-9]{1,6})?'";
const NEGATIVE_ZERO = "'-0*(\\.0*)?'";
const list = (xs: Iterable<string>): string => [...xs].map(stringLiteral).join(', ');

export interface CleanSqlOptions {
  /** FROM expression yielding text columns customer_id, order_id, order_date, amount [, quantity] [, status]. */
  from: string;
  hasQuantity: boolean;
  hasStatus: boolean;
  returns: 'net' | 'drop' | 'keep';
  guestsDrop: boolean;
  /** A table `excl(id VARCHAR)` holds the excluded ids. */
  hasExclude: boolean;
  since: number | null;
  until: number | null;
  asOf: number | null;
}

/**
 * True for a row whose cells ingest would take exactly as written: printable-ASCII customer
 * id without surrounding spaces that is not a missing marker nor a float-exported integer;
 * an order id without surrounding whitespace; an ISO date; plain decimal amount and quantity
 * (no negative zero); a status without surrounding whitespace. Rows failing it send the whole
 * input back to the JavaScript engine, which reads or rejects them with line numbers.
 */
export function takenAsWrittenSql(o: Pick<CleanSqlOptions, 'hasQuantity' | 'hasStatus'>): string {
  const parts = [
    `customer_id IS NOT NULL AND regexp_full_match(customer_id, '[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?')`,
    `customer_id NOT IN (${list(MISSING_MARKERS)}) AND NOT regexp_full_match(customer_id, '[0-9]+\\.0+')`,
    `order_id IS NOT NULL AND order_id <> '' AND NOT regexp_matches(order_id, '^${WS}|${WS}$')`,
    `order_date IS NOT NULL AND regexp_full_match(order_date, '[12][0-9]{3}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(order_date AS DATE) IS NOT NULL`,
    `amount IS NOT NULL AND regexp_full_match(amount, ${PLAIN_NUMBER}) AND NOT regexp_full_match(amount, ${NEGATIVE_ZERO})`,
  ];
  if (o.hasQuantity) parts.push(`(quantity IS NULL OR quantity = '' OR (regexp_full_match(quantity, ${PLAIN_NUMBER}) AND NOT regexp_full_match(quantity, ${NEGATIVE_ZERO})))`);
  if (o.hasStatus) parts.push(`(status IS NULL OR NOT regexp_matches(status, '^${WS}|${WS}$'))`);
  return parts.join('\n      AND ');
}

/**
 * `CREATE TEMP TABLE ord`: one row per (customer, order, line-rule reason) with everything the
 * audit and the order rules need: lines in, their amount, duplicates, lines removed under
 * `--returns drop`, and the folded order (lines, purchases, returns, status-only returns,
 * folded/raw/negated amounts, earliest day), plus `nbad`, the rows not taken as written.
 */
export function ordersTableSql(o: CleanSqlOptions): string {
  const reasons = [
    o.guestsDrop ? `WHEN lower(c) IN (${list(GUEST_PLACEHOLDERS)}) THEN 'guest'` : '',
    o.hasExclude ? `WHEN c IN (SELECT id FROM excl) THEN 'excluded'` : '',
    o.since !== null ? `WHEN d < DATE '${formatDay(o.since)}' THEN 'before_since'` : '',
    o.until !== null ? `WHEN d > DATE '${formatDay(o.until)}' THEN 'after_until'` : '',
    o.asOf !== null ? `WHEN d > DATE '${formatDay(o.asOf)}' THEN 'after_as_of'` : '',
  ].filter(Boolean);
  const reason = reasons.length ? `CASE ${reasons.join(' ')} END` : 'CAST(NULL AS VARCHAR)';
  const drop = o.returns === 'drop' ? 'lc <> 0' : 'FALSE';
  const negate = o.returns === 'net' ? 'lc <> 0 AND a > 0' : 'FALSE';
  return `CREATE TEMP TABLE ord AS
WITH src AS (
  SELECT customer_id AS c, order_id AS o,
    TRY_CAST(order_date AS DATE) AS d,
    TRY_CAST(amount AS DECIMAL(18,6)) AS a,
    ${o.hasQuantity ? "TRY_CAST(nullif(quantity, '') AS DECIMAL(18,6))" : 'CAST(NULL AS DECIMAL(18,6))'} AS q,
    ${o.hasStatus ? "coalesce(status, '')" : "''"} AS s,
    CASE WHEN ${takenAsWrittenSql(o)} THEN 0 ELSE 1 END AS bad
  FROM ${o.from}
),
kinds AS (
  SELECT *,
    CASE WHEN lower(s) IN (${list(CANCEL_STATUSES)}) THEN 1 WHEN lower(s) IN (${list(REFUND_STATUSES)}) THEN 2 ELSE 0 END AS kind,
    ${reason} AS reason
  FROM src
),
lk AS (
  SELECT c, o, d, a, q, s, kind, reason,
    CASE WHEN a < 0 OR q < 0 OR regexp_matches(o, '^C[0-9]') THEN 1 WHEN kind = 0 THEN 0 ELSE 2 END AS lc,
    (kind = 1 OR (kind = 0 AND regexp_matches(o, '^C[0-9]'))) AS cancel_kind,
    count(*) AS n, sum(bad) AS nbad
  FROM kinds
  GROUP BY c, o, d, a, q, s, kind, reason
),
lines AS (
  SELECT *, (reason IS NULL AND ${drop}) AS dropped, (reason IS NULL AND NOT (${drop})) AS kept FROM lk
)
SELECT c, o, reason,
  sum(n) AS n_all, sum(a * n) AS amt_all, sum(nbad) AS nbad,
  sum(n - 1) AS dups, sum(a * (n - 1)) AS dup_amt,
  count(*) FILTER (WHERE dropped AND cancel_kind) AS drop_cancel, sum(a) FILTER (WHERE dropped AND cancel_kind) AS drop_cancel_amt,
  count(*) FILTER (WHERE dropped AND NOT cancel_kind) AS drop_return, sum(a) FILTER (WHERE dropped AND NOT cancel_kind) AS drop_return_amt,
  count(*) FILTER (WHERE kept) AS lines,
  count(*) FILTER (WHERE kept AND lc = 0) AS purchases,
  count(*) FILTER (WHERE kept AND lc <> 0) AS returns,
  count(*) FILTER (WHERE kept AND lc = 2) AS status_only,
  sum(CASE WHEN ${negate} THEN -a ELSE a END) FILTER (WHERE kept) AS amount,
  sum(a) FILTER (WHERE kept) AS raw,
  sum(a) FILTER (WHERE kept AND ${negate}) AS negated,
  min(d) FILTER (WHERE kept) AS day
FROM lines
GROUP BY c, o, reason`;
}

/** The fate of an `ord` row: a line-rule reason, an order-rule reason, 'emit', or NULL (no line kept). */
export function fateSql(returns: CleanSqlOptions['returns']): string {
  const net = returns === 'net';
  return `CASE WHEN reason IS NOT NULL THEN reason
    WHEN lines = 0 THEN NULL
    ${net ? "WHEN purchases = 0 AND status_only = lines THEN 'cancelled'" : ''}
    ${net ? "WHEN purchases > 0 AND returns > 0 AND amount <= 0 THEN 'fully_refunded'" : ''}
    ELSE 'emit' END`;
}

/** The orders with their fate: a view `fated` over `ord` (no copy). */
export function fatedTableSql(returns: CleanSqlOptions['returns']): string {
  return `CREATE TEMP VIEW fated AS SELECT *, ${fateSql(returns)} AS fate FROM ord`;
}

/**
 * The audit totals over `fated`. `outlier` is a SQL predicate on an emitted order's `amount`
 * (FALSE when no outlier is removed or capped); `cap` the capped amount (a decimal literal).
 */
export function auditTotalsSql(outlier: string, mode: 'cap' | 'drop' | 'other', cap: string): string {
  const isOut = mode === 'other' ? 'FALSE' : `(fate = 'emit' AND ${outlier})`;
  const emitted = mode === 'drop' ? `fate = 'emit' AND NOT ${isOut}` : `fate = 'emit'`;
  const out = mode === 'cap' ? `CASE WHEN ${isOut} THEN ${cap} ELSE amount END` : 'amount';
  const cnt = (reason: string): string => `coalesce(sum(n_all) FILTER (WHERE reason = '${reason}'), 0)`;
  const amt = (reason: string): string => `coalesce(sum(amt_all) FILTER (WHERE reason = '${reason}'), 0)`;
  return `SELECT
  CAST(coalesce(sum(n_all), 0) AS BIGINT) AS rows_in,
  CAST(coalesce(sum(amt_all), 0) AS DOUBLE) AS amount_in,
  CAST(coalesce(sum(nbad), 0) AS BIGINT) AS nbad,
  CAST(${cnt('guest')} AS BIGINT) AS guest,
  CAST(${cnt('excluded')} AS BIGINT) AS excluded,
  CAST(${cnt('before_since')} AS BIGINT) AS before_since,
  CAST(${cnt('after_until')} AS BIGINT) AS after_until,
  CAST(${cnt('after_as_of')} AS BIGINT) AS after_as_of,
  CAST(coalesce(sum(dups) FILTER (WHERE reason IS NULL), 0) AS BIGINT) AS duplicate,
  CAST(coalesce(sum(drop_cancel), 0) + coalesce(sum(lines) FILTER (WHERE fate = 'cancelled'), 0) AS BIGINT) AS cancelled,
  CAST(coalesce(sum(drop_return), 0) AS BIGINT) AS returned,
  CAST(coalesce(sum(lines) FILTER (WHERE fate = 'fully_refunded'), 0) AS BIGINT) AS fully_refunded,
  CAST(coalesce(sum(lines) FILTER (WHERE ${mode === 'drop' ? isOut : 'FALSE'}), 0) AS BIGINT) AS outlier,
  CAST(count(*) FILTER (WHERE ${emitted}) AS BIGINT) AS rows_out,
  CAST(coalesce(sum(lines - 1) FILTER (WHERE ${emitted}), 0) AS BIGINT) AS folded,
  CAST(count(DISTINCT c) FILTER (WHERE ${emitted}) AS BIGINT) AS customers_out,
  CAST(coalesce(sum(${out}) FILTER (WHERE ${emitted}), 0) AS DOUBLE) AS amount_out,
  CAST(coalesce(sum(negated) FILTER (WHERE ${emitted}), 0) AS DOUBLE) AS amount_negated,
  CAST(coalesce(sum(amount - ${cap}) FILTER (WHERE ${mode === 'cap' ? isOut : 'FALSE'}), 0) AS DOUBLE) AS amount_capped,
  CAST(count(*) FILTER (WHERE ${mode === 'cap' ? isOut : 'FALSE'}) AS BIGINT) AS capped,
  CAST(
    ${['guest', 'excluded', 'before_since', 'after_until', 'after_as_of'].map(amt).join(' + ')}
    + coalesce(sum(dup_amt) FILTER (WHERE reason IS NULL), 0)
    + coalesce(sum(drop_cancel_amt), 0) + coalesce(sum(drop_return_amt), 0)
    + coalesce(sum(raw) FILTER (WHERE fate IN ('cancelled', 'fully_refunded')), 0)
    + coalesce(sum(raw) FILTER (WHERE ${mode === 'drop' ? isOut : 'FALSE'}), 0)
  AS DOUBLE) AS amount_removed
FROM fated`;
}

/** The emitted orders as canonical (customer_id, order_date, amount) rows, for the aggregation. */
export function emittedOrdersSql(outlier: string, mode: 'cap' | 'drop' | 'other', cap: string): string {
  const isOut = mode === 'other' ? 'FALSE' : outlier;
  const where = mode === 'drop' ? `fate = 'emit' AND NOT ${isOut}` : `fate = 'emit'`;
  const amount = mode === 'cap' ? `CASE WHEN ${isOut} THEN ${cap} ELSE amount END` : 'amount';
  return `(SELECT c AS customer_id, day AS order_date, ${amount} AS amount FROM fated WHERE ${where})`;
}
