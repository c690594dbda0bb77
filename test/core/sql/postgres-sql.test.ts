/**
 * `custkit sql --dialect postgres` run for real on a loopback PostgreSQL server: on random
 * transactions stored with warehouse types (TEXT, DATE, NUMERIC) under other column names, the
 * result equals the JavaScript engine row for row. Skips with a message when no server can
 * be started (see test/helpers/postgres.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { customerTableSql } from '../../../src/core/sql/customer-table-sql.js';
import { formatMoney } from '../../../src/core/money.js';
import { formatDay } from '../../../src/core/time/day.js';
import { byCustomer, DAY0, jsSummaries, sqlRowToCells, summaryCells, txArb } from '../../helpers/transactions.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres.js';

let server: PostgresServer | null = null;
let skip = '';
beforeAll(async () => {
  const s = await startPostgres();
  if ('skip' in s) skip = s.skip;
  else server = s;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('the postgres dialect, run in PostgreSQL', () => {
  it('equals the JavaScript engine on random transactions', async (ctx) => {
    if (!server) {
      console.warn(`skipped: ${skip}`);
      ctx.skip();
      return;
    }
    const client = new pg.Client({ connectionString: server.url });
    // Text as text, so values are compared exactly as PostgreSQL prints them.
    client.setTypeParser(1082, (v: string) => v); // date
    client.setTypeParser(1700, (v: string) => v); // numeric
    client.setTypeParser(20, (v: string) => v); // int8
    await client.connect();
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS sales');
      await fc.assert(
        fc.asyncProperty(fc.array(txArb, { minLength: 1, maxLength: 40 }), fc.option(fc.integer({ min: DAY0, max: DAY0 + 62 }), { nil: null }), async (rows, asOf) => {
          await client.query('DROP TABLE IF EXISTS sales.orders');
          await client.query('CREATE TABLE sales.orders (user_id TEXT, created_at DATE, net_total NUMERIC(18,6))');
          const values: string[] = [];
          const params: string[] = [];
          rows.forEach((t, i) => {
            values.push(`($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`);
            params.push(t.customer, formatDay(t.day), formatMoney(t.amount));
          });
          await client.query(`INSERT INTO sales.orders VALUES ${values.join(', ')}`, params);
          const sql = customerTableSql({
            dialect: 'postgres',
            table: 'sales.orders',
            columns: { customer_id: 'user_id', order_date: 'created_at', amount: 'net_total' },
            asOf: asOf === null ? 'latest' : formatDay(asOf),
          });
          const res = await client.query(sql);
          const got = res.rows.map((r) => sqlRowToCells(r as Record<string, unknown>));
          expect(byCustomer(got)).toEqual(summaryCells(jsSummaries(rows, asOf).summaries));
          // COLLATE "C": byte (code-point) order whatever the database's collation.
          const ids = got.map((r) => r[0]!);
          expect(ids).toEqual([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
        }),
        { numRuns: 25 },
      );
    } finally {
      await client.end();
    }
  });
});
