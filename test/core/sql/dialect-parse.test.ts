/**
 * Spark, Trino and BigQuery cannot run here, so their generated SQL is parsed by a maintained
 * SQL parser in that dialect's mode (node-sql-parser); DuckDB and PostgreSQL are executed
 * (customer-table-sql.test.ts, postgres-sql.test.ts) and parsed too. node-sql-parser has no
 * Spark mode: Spark SQL is checked with its Hive grammar, from which Spark's derives, which
 * accepts two-part table names only (Spark 3 also takes catalog.db.table).
 */
import { describe, expect, it } from 'vitest';
import NodeSqlParser from 'node-sql-parser';
import { customerTableSql } from '../../../src/core/sql/customer-table-sql.js';
import { DIALECTS, type Dialect } from '../../../src/core/sql/dialects.js';

const { Parser } = NodeSqlParser;

/** node-sql-parser's database mode per dialect, and a table name that mode accepts. */
const MODE: Record<Dialect, { database: string; table: string }> = {
  duckdb: { database: 'PostgresQL', table: 'sales.orders' },
  postgres: { database: 'PostgresQL', table: 'shop.sales.orders' },
  spark: { database: 'Hive', table: 'sales.orders' },
  trino: { database: 'Trino', table: 'shop.sales.orders' },
  bigquery: { database: 'BigQuery', table: 'shop.sales.orders' },
};

const parse = (sql: string, database: string): unknown => new Parser().astify(sql, { database });

describe('generated SQL parsed in each dialect', () => {
  for (const dialect of DIALECTS) {
    for (const asOf of ['2026-06-30', 'latest', 'today']) {
      it(`${dialect}, as of ${asOf}: one SELECT statement in ${MODE[dialect].database} mode`, () => {
        const sql = customerTableSql({
          dialect,
          table: MODE[dialect].table,
          columns: { customer_id: 'user id', order_date: 'created_at', amount: 'net_total' },
          asOf,
          version: '0.1.0',
        });
        const ast = parse(sql, MODE[dialect].database);
        const statements = Array.isArray(ast) ? ast : [ast];
        expect(statements).toHaveLength(1);
        expect((statements[0] as { type: string }).type).toBe('select');
      });
    }
  }

  it('the parser is a real check: a query with one parenthesis too few fails in every mode', () => {
    for (const dialect of DIALECTS) {
      const sql = customerTableSql({ dialect, table: MODE[dialect].table, asOf: 'latest' }).replace('SUM(k.amount)', 'SUM(k.amount');
      expect(() => parse(sql, MODE[dialect].database), dialect).toThrow();
    }
  });
});
