/**
 * `custkit sql --dialect postgres` run for real on a loopback PostgreSQL server: on random
 * transactions stored with warehouse types (TEXT, DATE, NUMERIC) under other column names, the
 * result equals the JavaScript engine row for row. Skips with a message when no server can
 * be started (see test/helpers/postgres.ts).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { customerTableSql } from '../../../src/core/sql/customer-table-sql.js';
import { HELP as SQL_HELP } from '../../../src/cli/commands/sql.js';
import { BIN } from '../../helpers/cli.js';
import { tempDir } from '../../cli/cli-test-utils.js';
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

/** psql's path, or null (the recipe tests need the client too). */
const PSQL = ((): string | null => {
  const r = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'psql' : null;
})();

/** Runs a shell pipeline with pipefail; `custkit` is this build (bin/custkit.js). */
function shell(cmd: string, cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', cmd], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PATH: `${cwd}:${process.env.PATH ?? ''}` },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

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

describe('custkit sql output run with psql -f', () => {
  const tmp = tempDir('custkit-sql-psql-');
  afterAll(() => tmp.cleanup());
  // A `custkit` on PATH for the documented commands: this build.
  writeFileSync(join(tmp.dir, 'custkit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });

  const ready = (ctx: { skip(): void }): boolean => {
    if (!server || !PSQL) {
      console.warn(`skipped: ${server ? 'no psql client' : skip}`);
      ctx.skip();
      return false;
    }
    return true;
  };

  it('a --table or --columns with line breaks stays inside the header comment: nothing else runs', async (ctx) => {
    if (!ready(ctx)) return;
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS keep_a (x int); CREATE TABLE IF NOT EXISTS keep_b (x int)');
      const sql = customerTableSql({
        dialect: 'postgres',
        table: 'orders\nDROP TABLE keep_a;\r\nDROP TABLE keep_b;\n',
        columns: { customer_id: 'id\u2028DROP TABLE keep_a;\u0085DROP TABLE keep_b;' },
        asOf: '2026-06-30',
      });
      const header = sql.split('\n').slice(0, 5);
      for (const line of header) expect(line.startsWith('-- ')).toBe(true);
      expect(header[1]).toContain('source: orders\\nDROP TABLE keep_a;\\r\\nDROP TABLE keep_b;\\n (customer_id=id<U+2028>DROP TABLE keep_a;\\x85DROP TABLE keep_b;,');
      const f = join(tmp.dir, 'inject.sql');
      writeFileSync(f, sql);
      // Without ON_ERROR_STOP psql runs every statement it finds: the query itself fails (no such table).
      const r = shell(`psql -X -q -f ${f} '${server!.url}'`, tmp.dir);
      expect(r.stderr).toContain('does not exist');
      const left = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('keep_a', 'keep_b')");
      expect(left.rows[0].n).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('the recipe in `custkit sql --help` works as written: psql output piped into custkit segment', async (ctx) => {
    if (!ready(ctx)) return;
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS sales');
      await client.query('DROP TABLE IF EXISTS sales.orders');
      await client.query('CREATE TABLE sales.orders (customer_id TEXT, order_date DATE, amount NUMERIC(18,6))');
      await client.query(`INSERT INTO sales.orders VALUES
        ('A', '2026-01-05', 10), ('A', '2026-03-01', 20.5), ('B', '2026-02-01', 7), ('C', '2026-06-30', 99.99), ('C', '2026-06-01', -5)`);
    } finally {
      await client.end();
    }
    // A line ending in \ continues on the next (as the shell reads it).
    const lines = SQL_HELP.replace(/\\\n\s*/g, '').split('\n').map((l) => l.trim());
    const gen = lines.find((l) => l.startsWith('custkit sql --dialect postgres'))!;
    const recipe = lines.find((l) => l.startsWith('psql ') && l.includes('|'))!;
    expect(gen).toBeDefined();
    expect(recipe).toContain('| custkit segment -');
    const g = shell(gen, tmp.dir);
    expect(g.code).toBe(0);
    const r = shell(recipe.replace(/ shop /, ` '${server!.url}' `), tmp.dir);
    expect(r.stderr).not.toMatch(/^custkit: /m);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]!.startsWith('customer_id,orders,purchase_days,revenue,')).toBe(true);
    expect(rows.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['A,2,2,30.5', 'B,1,1,7', 'C,1,1,94.99']);
  });
});
