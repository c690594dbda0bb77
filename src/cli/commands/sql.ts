export const HELP = `
custkit sql --dialect NAME — print the SQL that builds the per-customer table in your warehouse.

When order history lives in a database or a lake (billions of lines), aggregate it there
and pipe the per-customer result into custkit: the query turns a table of cleaned canonical
transactions (customer_id, order_date, amount; map other names with --map) into
custkit's customer table with the same definitions as \`custkit segment\` (orders,
purchase_days, revenue, first/last order, days_since_last, frequency, recency, T,
repeat_avg_value) at an explicit as-of date. Dialects: duckdb, postgres, spark, trino,
bigquery (docs/commands.md lists the functions each one uses).
With psql, --csv keeps the header line custkit reads (-t would drop it); -X skips ~/.psqlrc.
Names from --table and --map appear in the SQL only as quoted identifiers (and, escaped
to one line, in the header comment).
Cost: prints text; reads nothing.

Examples:
  custkit sql --dialect postgres --table sales.orders --as-of 2026-06-30 > c.sql
  psql -X -q --csv -v ON_ERROR_STOP=1 -f c.sql shop \\
      | custkit segment - --as-of 2026-06-30
  custkit sql --dialect bigquery --table shop.analytics.orders \\
      --map customer_id=user_id,order_date=created_at,amount=net_total
`;
import type { CommandSpec } from '../command.js';
import { asOfOption } from '../shared.js';
import { EXIT, usageError } from '../../errors.js';
import { customerTableSql, SQL_INPUT_COLUMNS, type SqlInputColumn } from '../../core/sql/customer-table-sql.js';
import { DIALECTS, type Dialect } from '../../core/sql/dialects.js';
import { parseIsoDay } from '../../core/time/day.js';
import { openSink } from '../../io/text-output.js';
import { VERSION } from '../version.js';

/** Parses `customer_id=cust,order_date=created_at` into a column mapping. */
export function parseColumnMap(text: string): Partial<Record<SqlInputColumn, string>> {
  const out: Partial<Record<SqlInputColumn, string>> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0 || !value || !(SQL_INPUT_COLUMNS as readonly string[]).includes(key)) {
      throw usageError(`--map: "${part.trim()}" is not canonical=source`, `canonical names: ${SQL_INPUT_COLUMNS.join(', ')}; e.g. customer_id=user_id,amount=net_total`);
    }
    out[key as SqlInputColumn] = value;
  }
  return out;
}

export const sqlCommand: CommandSpec = {
  name: 'sql',
  args: '',
  summary: 'print warehouse SQL (duckdb, postgres, spark, trino, bigquery) that builds the customer table',
  help: HELP,
  stages: [],
  extra: [
    { flags: '--dialect <name>', description: `SQL dialect: ${DIALECTS.join(', ')}` },
    { flags: '--table <name>', description: 'table (or view) of cleaned canonical transactions, schema-qualified if needed; each part is quoted exactly as written (case-sensitive)', default: 'transactions' },
    { flags: '--map <field=column,...>', description: 'source column names: customer_id=…,order_date=…,amount=… (default: the canonical names; --columns before)' },
    asOfOption('observation end, inclusive', 'the latest order_date: default', 'latest'),
    { flags: '-o, --output <file>', description: 'write the SQL here (atomically) instead of stdout' },
  ],
  async run(ctx, _args, o) {
    const dialect = o.dialect as string | undefined;
    if (!dialect || !(DIALECTS as readonly string[]).includes(dialect)) {
      throw usageError(dialect ? `unknown dialect "${dialect}"` : 'missing --dialect', `give --dialect ${DIALECTS.join('|')}`);
    }
    const asOf = String(o.asOf ?? 'latest');
    if (asOf !== 'latest' && asOf !== 'today' && parseIsoDay(asOf) === null) {
      throw usageError(`--as-of: "${asOf}" is not a date`, 'give YYYY-MM-DD, latest or today');
    }
    const table = String(o.table ?? 'transactions');
    if (!table.trim()) throw usageError('--table is empty', 'give the table name, e.g. --table sales.orders');
    const sql = customerTableSql({
      dialect: dialect as Dialect,
      table,
      columns: o.map ? parseColumnMap(String(o.map)) : undefined,
      asOf,
      version: VERSION,
    });
    const out = openSink(o.output as string | undefined, { stdout: ctx.stdout });
    out.write(sql);
    await out.close();
    ctx.msgs.note(`sql: ${dialect} query over ${table}, as of ${asOf === 'latest' ? 'the latest order_date' : asOf}; pipe its CSV result into \`custkit segment\``);
    return EXIT.OK;
  },
};
