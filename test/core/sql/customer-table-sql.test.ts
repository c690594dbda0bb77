/**
 * `custkit sql`: golden text for every dialect (fixtures/sql, reviewed by hand), and the
 * DuckDB dialect run for real on random transactions, row for row equal to the JavaScript
 * engine (PostgreSQL: postgres-sql.test.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { customerTableSql } from '../../../src/core/sql/customer-table-sql.js';
import { DIALECTS, qualifiedName, RULES } from '../../../src/core/sql/dialects.js';
import { formatDay } from '../../../src/core/time/day.js';
import { byCustomer, canonicalCsv, DAY0, jsSummaries, sqlRowToCells, summaryCells, txArb } from '../../helpers/transactions.js';

const golden = (d: string): string => readFileSync(new URL(`../../../fixtures/sql/${d}.sql`, import.meta.url), 'utf8');

describe('customerTableSql', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: matches the reviewed golden file`, () => {
      const sql = customerTableSql({
        dialect,
        table: 'shop.sales.orders',
        columns: { customer_id: 'user_id', order_date: 'created_at', amount: 'net_total' },
        asOf: '2026-06-30',
        version: '0.1.0',
      });
      expect(sql).toBe(golden(dialect));
    });
  }

  it('quotes identifiers per dialect, doubling embedded quotes', () => {
    expect(qualifiedName(RULES.postgres, 'a.b"c')).toBe('"a"."b""c"');
    expect(qualifiedName(RULES.spark, 'db.t`x')).toBe('`db`.`t``x`');
    expect(qualifiedName(RULES.bigquery, 'p.d.t`x')).toBe('`p`.`d`.`t\\`x`');
    expect(customerTableSql({ dialect: 'postgres', table: 't', asOf: "2026-01-01' OR 1=1 --" })).toContain("DATE '2026-01-01'' OR 1=1 --'");
  });

  it('needs exactly one of a table and a FROM expression', () => {
    expect(() => customerTableSql({ dialect: 'duckdb' })).toThrow(/exactly one/);
  });
});

describe('the DuckDB dialect, run in DuckDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custkit-sql-'));
  it('computes a hand-worked customer at an explicit as-of date', async () => {
    // A: 10.00 on 1 Jan, a 2.00 refund on 1 Jan, 20.00 + 5.50 on 5 Jan, 7.00 on 12 Jan (after the
    // as-of, ignored). B: only a refund (no row). As of 10 Jan: orders 3, purchase days 2,
    // revenue 10 − 2 + 20 + 5.5 = 33.5, avg 11.166667, first 1 Jan, last 5 Jan, days since last 5,
    // T = tenure = 9, recency 4, frequency 1, mean interval 4, repeat value (33.5 − 8) / 1 = 25.5.
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    const con = await inst.connect();
    await con.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('A', '2024-01-01', '10.00'), ('A', '2024-01-01', '-2'), ('A', '2024-01-05', '20'),
      ('A', '2024-01-05', '5.50'), ('A', '2024-01-12', '7'), ('B', '2024-01-03', '-4')) AS v(customer_id, order_date, amount)`);
    const rows = (await con.runAndReadAll(customerTableSql({ dialect: 'duckdb', table: 't', asOf: '2024-01-10' }))).getRowObjectsJson();
    con.closeSync();
    expect(rows.map((r) => sqlRowToCells(r as Record<string, unknown>))).toEqual([
      ['A', '3', '2', '33.5', '11.166667', '2024-01-01', '2024-01-05', '5', '9', '4', '1', '4', '9', '25.5'],
    ]);
  });

  it('equals the JavaScript engine on random transactions (latest as-of and explicit as-of)', async () => {
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    const con = await inst.connect();
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(txArb, { minLength: 1, maxLength: 50 }), fc.option(fc.integer({ min: DAY0, max: DAY0 + 62 }), { nil: null }), async (rows, asOf) => {
        const file = join(dir, `t${k++}.csv`);
        writeFileSync(file, canonicalCsv(rows));
        // Typed columns, as a warehouse table would have them.
        await con.run(`CREATE OR REPLACE TABLE orders AS SELECT customer_id AS cust, CAST(order_date AS DATE) AS day, CAST(amount AS DECIMAL(18,6)) AS total
          FROM read_csv('${file}', header = true, all_varchar = true)`);
        const sql = customerTableSql({ dialect: 'duckdb', table: 'orders', columns: { customer_id: 'cust', order_date: 'day', amount: 'total' }, asOf: asOf === null ? 'latest' : formatDay(asOf) });
        const got = (await con.runAndReadAll(sql)).getRowObjectsJson().map((r) => sqlRowToCells(r as Record<string, unknown>));
        const js = jsSummaries(rows, asOf);
        expect(byCustomer(got)).toEqual(summaryCells(js.summaries));
        // Code-point order in SQL: the same rows, possibly ordered differently from UTF-16 order.
        const ids = got.map((r) => r[0]!);
        expect(ids).toEqual([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 40 },
    );
    con.closeSync();
  });
});
