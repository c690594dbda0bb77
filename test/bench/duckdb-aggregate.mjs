#!/usr/bin/env node
/**
 * DuckDB's SQL version of custkit's per-customer aggregation of a generated export, run as its
 * own process so bench.mjs measures its wall time and peak RSS the same way as custkit's:
 *   node test/bench/duckdb-aggregate.mjs FILE   → prints one JSON line of totals and queryMs
 * Per customer: count(*), sum(amount), min/max(order_date), count(DISTINCT order_date); the outer
 * query totals every column (so the optimiser cannot drop any) instead of shipping 1M rows to JS.
 * DuckDB uses all cores by default (custkit one): THREADS=1 in the environment pins it to one.
 *
 * QUERY=floor: the same aggregation after the two steps of cleaning that every rule set has
 * (#7), written the plain way: exact duplicate lines removed (DISTINCT over the line's
 * columns) and the lines of an order folded into one (grouped by customer and order id). No
 * validation, no status rules, no audit: a reference for `run --engine duckdb`'s time. Not a
 * proven lower bound: duplicates can only occur within orders of two lines or more, so a
 * query may deduplicate those alone, as custkit's own SQL does (core/sql/clean-sql.ts).
 */
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: duckdb-aggregate.mjs FILE');
  process.exit(2);
}
const t0 = performance.now();
const inst = await DuckDBInstance.create(':memory:', process.env.THREADS ? { threads: process.env.THREADS } : {});
const con = await inst.connect();
const csv = `read_csv('${file.replace(/'/g, "''")}', header = true, columns = {'customer_id': 'VARCHAR', 'order_id': 'VARCHAR',
       'order_date': 'DATE', 'amount': 'DOUBLE', 'quantity': 'INTEGER', 'status': 'VARCHAR', 'channel': 'VARCHAR'})`;
const from =
  process.env.QUERY === 'floor'
    ? `(SELECT customer_id, min(order_date) AS order_date, sum(amount) AS amount
        FROM (SELECT DISTINCT customer_id, order_id, order_date, amount, quantity, status FROM ${csv})
        GROUP BY customer_id, order_id)`
    : csv;
const sql = `SELECT count(*) AS customers, sum(orders) AS orders, sum(revenue) AS revenue, sum(purchase_days) AS purchase_days,
       min(first_order)::VARCHAR AS first_order, max(last_order)::VARCHAR AS last_order FROM (
  SELECT customer_id, count(*) AS orders, sum(amount) AS revenue, min(order_date) AS first_order,
         max(order_date) AS last_order, count(DISTINCT order_date) AS purchase_days
  FROM ${from}
  GROUP BY customer_id)`;
const reader = await con.runAndReadAll(sql);
const [row] = reader.getRowObjectsJson();
console.log(JSON.stringify({ customers: Number(row.customers), orders: Number(row.orders), revenue: Number(row.revenue), purchaseDays: Number(row.purchase_days), firstOrder: row.first_order, lastOrder: row.last_order, queryMs: Math.round(performance.now() - t0) }));
con.closeSync?.();
inst.closeSync?.();
