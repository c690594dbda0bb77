/**
 * The few places where SQL engines disagree, for the customer-table query
 * (customer-table-sql.ts). Everything else in that query is ANSI SQL that all five accept:
 * CASE, SUM, MIN, MAX, COUNT(DISTINCT …), ROUND, CAST, CTEs, joins.
 *
 * | need                  | duckdb                 | postgres            | spark                 | trino                     | bigquery                  |
 * |-----------------------|------------------------|---------------------|-----------------------|---------------------------|---------------------------|
 * | quoted identifier     | "x" ("" inside)        | "x" ("" inside)     | `x` (`` inside)       | "x" ("" inside)           | `x` (\` inside)           |
 * | text type             | VARCHAR                | TEXT                | STRING                | VARCHAR                   | STRING                    |
 * | exact money type      | DECIMAL(38,6)          | NUMERIC(38,6)       | DECIMAL(38,6)         | DECIMAL(38,6)             | NUMERIC                   |
 * | days from a to b      | date_diff('day', a, b) | (b - a)             | datediff(b, a)        | date_diff('day', a, b)    | DATE_DIFF(b, a, DAY)      |
 * | date literal          | DATE 'Y-M-D'           | DATE 'Y-M-D'        | DATE 'Y-M-D'          | DATE 'Y-M-D'              | DATE 'Y-M-D'              |
 * | today                 | current_date           | CURRENT_DATE        | current_date()        | current_date              | CURRENT_DATE()            |
 * | code-point sort       | ORDER BY x             | ORDER BY x COLLATE "C" | ORDER BY x         | ORDER BY x                | ORDER BY x                |
 * | real division         | x / n (→ DOUBLE)       | x / n (numeric)     | x / n (decimal)       | CAST(x AS DOUBLE) / n     | x / n (numeric)           |
 *
 * Trino divides DECIMAL by an integer keeping the dividend's scale (6), so averages go
 * through DOUBLE there; ROUND(…, 6) makes the printed results agree.
 */
export const DIALECTS = ['duckdb', 'postgres', 'spark', 'trino', 'bigquery'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface DialectRules {
  /** Quotes one identifier part. */
  ident(name: string): string;
  text: string;
  money: string;
  /** Whole days from `a` to `b` (b − a) for DATE expressions. */
  daysBetween(a: string, b: string): string;
  today: string;
  /** ORDER BY expression that sorts text by code point. */
  codePointOrder(expr: string): string;
  /** An average that keeps 6 decimals before ROUND. */
  divide(num: string, den: string): string;
}

const dq = (name: string): string => '"' + name.replace(/"/g, '""') + '"';
/** Spark doubles a backtick inside a quoted identifier; BigQuery escapes it with a backslash. */
const sparkQuote = (name: string): string => '`' + name.replace(/`/g, '``') + '`';
const bigqueryQuote = (name: string): string => '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';

export const RULES: Record<Dialect, DialectRules> = {
  duckdb: {
    ident: dq,
    text: 'VARCHAR',
    money: 'DECIMAL(38,6)',
    daysBetween: (a, b) => `date_diff('day', ${a}, ${b})`,
    today: 'current_date',
    codePointOrder: (x) => x,
    divide: (n, d) => `(${n}) / ${d}`,
  },
  postgres: {
    ident: dq,
    text: 'TEXT',
    money: 'NUMERIC(38,6)',
    daysBetween: (a, b) => `(${b} - ${a})`,
    today: 'CURRENT_DATE',
    codePointOrder: (x) => `${x} COLLATE "C"`,
    divide: (n, d) => `(${n}) / ${d}`,
  },
  spark: {
    ident: sparkQuote,
    text: 'STRING',
    money: 'DECIMAL(38,6)',
    daysBetween: (a, b) => `datediff(${b}, ${a})`,
    today: 'current_date()',
    codePointOrder: (x) => x,
    divide: (n, d) => `(${n}) / ${d}`,
  },
  trino: {
    ident: dq,
    text: 'VARCHAR',
    money: 'DECIMAL(38,6)',
    daysBetween: (a, b) => `date_diff('day', ${a}, ${b})`,
    today: 'current_date',
    codePointOrder: (x) => x,
    divide: (n, d) => `CAST(${n} AS DOUBLE) / ${d}`,
  },
  bigquery: {
    ident: bigqueryQuote,
    text: 'STRING',
    money: 'NUMERIC',
    daysBetween: (a, b) => `DATE_DIFF(${b}, ${a}, DAY)`,
    today: 'CURRENT_DATE()',
    codePointOrder: (x) => x,
    divide: (n, d) => `(${n}) / ${d}`,
  },
};

/** Quotes a possibly qualified name (`schema.table`, `project.dataset.table`) part by part. */
export function qualifiedName(rules: DialectRules, name: string): string {
  return name.split('.').map((p) => rules.ident(p)).join('.');
}

/** A SQL string literal (single quotes doubled). */
export function stringLiteral(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}
