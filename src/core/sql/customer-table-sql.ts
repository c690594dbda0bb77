/**
 * The SQL that turns a table of cleaned canonical transactions into custkit's per-customer
 * table, for engines other than custkit's own (DuckDB, PostgreSQL, Spark, Trino, BigQuery).
 *
 * Same definitions as CustomerAccumulator + makeSummary (core/aggregate), stated once more in
 * SQL terms (REFERENCE.md §0, the lifetimes/Hardie convention):
 * - rows dated after the as-of day are ignored; the as-of day is inclusive and defaults to
 *   the latest order_date of the source (refund rows included), like `custkit segment`;
 * - a row with amount >= 0 is an order; a negative amount is a refund that only lowers revenue;
 * - purchase_days = distinct days with an order; frequency = purchase_days − 1;
 *   recency = last − first purchase day; T = as-of − first purchase day; days_since_last =
 *   as-of − last purchase day; tenure_days = T;
 * - repeat_avg_value = (revenue − net revenue dated on or before the first purchase day) /
 *   frequency, null when frequency = 0 (Gamma-Gamma's m_x, Fader, Hardie & Lee 2005);
 * - customers with refunds only (no purchase day) have no row;
 * - money is exact decimal (scale 6); averages are rounded to 6 decimals;
 * - rows are sorted by customer_id in code-point order.
 */
import { qualifiedName, RULES, stringLiteral, type Dialect } from './dialects.js';
import { escapeTerminal } from '../terminal-text.js';
import { SUMMARY_COLUMNS } from '../customer-table/schema.js';

/**
 * User text (table, column names, as-of) for the `--` header comment: one line, control
 * characters shown escaped. A raw line break would end the comment and run the rest as SQL
 * (`--table 'x\nDROP TABLE y;'`); everywhere else user text is a quoted identifier or literal.
 */
const commentText = (s: string): string => escapeTerminal(s);

/** The three canonical columns the aggregation reads. */
export const SQL_INPUT_COLUMNS = ['customer_id', 'order_date', 'amount'] as const;
export type SqlInputColumn = (typeof SQL_INPUT_COLUMNS)[number];

export interface CustomerTableSqlOptions {
  dialect: Dialect;
  /** Table name (quoted part by part) … */
  table?: string;
  /** … or a FROM expression used as is (e.g. DuckDB's `read_csv([...])`). */
  fromSql?: string;
  /** Source column for each canonical column (default: the same name). */
  columns?: Partial<Record<SqlInputColumn, string>>;
  /** 'YYYY-MM-DD', 'latest' (the source's latest order_date: the default) or 'today'. */
  asOf?: string;
  /** Text of the custkit version, for the header comment. */
  version?: string;
}

/** Builds the query; pure string building, no I/O. */
export function customerTableSql(o: CustomerTableSqlOptions): string {
  const r = RULES[o.dialect];
  const col = (c: SqlInputColumn): string => 's.' + r.ident(o.columns?.[c] ?? c);
  if ((o.table === undefined) === (o.fromSql === undefined)) throw new Error('customerTableSql: give exactly one of table and fromSql');
  const from = o.table !== undefined ? qualifiedName(r, o.table) : o.fromSql!;
  const asOf = o.asOf ?? 'latest';
  const asOfExpr =
    asOf === 'latest' ? 'MAX(order_day)' : asOf === 'today' ? r.today : `DATE ${stringLiteral(asOf)}`;
  const asOfFrom = asOf === 'latest' ? '\n  FROM tx' : '';
  const days = r.daysBetween;
  const avg = (num: string, den: string): string => `ROUND(${r.divide(num, den)}, 6)`;
  const asOfNote = asOf === 'latest' ? 'the latest order_date in the source' : asOf === 'today' ? 'the current date' : asOf;
  const mapped = SQL_INPUT_COLUMNS.map((c) => `${c}=${o.columns?.[c] ?? c}`).join(', ');
  const version = o.version ? ` (custkit ${commentText(o.version)})` : '';
  // The customer table's summary columns (customer-table/schema.ts), each as an expression of facts and as_of.
  const expr: Record<string, string> = {
    avg_order_value: avg('revenue', 'orders'),
    first_order: 'first_day',
    last_order: 'last_day',
    days_since_last: days('last_day', 'as_of_day'),
    tenure_days: days('first_day', 'as_of_day'),
    mean_interval_days: `CASE WHEN purchase_days > 1 THEN ${avg(`CAST(${days('first_day', 'last_day')} AS ${r.money})`, '(purchase_days - 1)')} END`,
    frequency: 'purchase_days - 1',
    recency: days('first_day', 'last_day'),
    T: days('first_day', 'as_of_day'),
    repeat_avg_value: `CASE WHEN purchase_days > 1 THEN ${avg('revenue - first_day_net', '(purchase_days - 1)')} END`,
  };
  // Lower-case names need no quotes in any dialect; T does (case-folding engines would make it t).
  const alias = (c: string): string => (c === c.toLowerCase() ? c : r.ident(c));
  const selectList = SUMMARY_COLUMNS.map((c) => (c in expr ? `${expr[c]} AS ${alias(c)}` : c)).join(',\n  ');
  return `-- custkit customer table${version}: one row per customer from cleaned canonical transactions.
-- dialect: ${o.dialect} · source: ${commentText(o.table ?? 'expression')} (${commentText(mapped)}) · as of: ${commentText(asOfNote)} (inclusive)
-- Definitions as in custkit's README ("Definitions"): an order is a row with amount >= 0, a
-- refund (amount < 0) only lowers revenue; frequency = purchase days - 1; recency, T and
-- days_since_last in days; repeat_avg_value excludes the first purchase day.
WITH tx AS (
  SELECT
    COALESCE(CAST(${col('customer_id')} AS ${r.text}), '') AS customer_id,
    CAST(${col('order_date')} AS DATE) AS order_day,
    CAST(${col('amount')} AS ${r.money}) AS amount
  FROM ${from} AS s
),
as_of AS (
  SELECT ${asOfExpr} AS as_of_day${asOfFrom}
),
kept AS (
  SELECT tx.customer_id, tx.order_day, tx.amount
  FROM tx CROSS JOIN as_of
  WHERE tx.order_day <= as_of.as_of_day
),
firsts AS (
  SELECT customer_id, MIN(CASE WHEN amount >= 0 THEN order_day END) AS first_day
  FROM kept
  GROUP BY customer_id
),
facts AS (
  SELECT
    k.customer_id,
    SUM(CASE WHEN k.amount >= 0 THEN 1 ELSE 0 END) AS orders,
    COUNT(DISTINCT CASE WHEN k.amount >= 0 THEN k.order_day END) AS purchase_days,
    SUM(k.amount) AS revenue,
    MIN(f.first_day) AS first_day,
    MAX(CASE WHEN k.amount >= 0 THEN k.order_day END) AS last_day,
    SUM(CASE WHEN k.order_day <= f.first_day THEN k.amount ELSE 0 END) AS first_day_net
  FROM kept AS k
  JOIN firsts AS f ON f.customer_id = k.customer_id
  WHERE f.first_day IS NOT NULL
  GROUP BY k.customer_id
)
SELECT
  ${selectList}
FROM facts CROSS JOIN as_of
ORDER BY ${r.codePointOrder('customer_id')};
`;
}
