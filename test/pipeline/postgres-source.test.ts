/**
 * `custkit ingest --from postgres://…` against a real loopback PostgreSQL server
 * (test/helpers/postgres.ts): the canonical output equals what `custkit ingest` gives for the
 * same rows exported as CSV; rejects with reasons and row numbers; the cursor reads in
 * batches; the password never shows; connection errors are one line with exit code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startPostgres } from '../helpers/postgres.js';
import { countReasons, csvRecords, sumAmounts, tempDir } from '../cli/cli-test-utils.js';
import { BATCH_ROWS, openPostgresRows } from '../../src/io/postgres.js';

const server = await startPostgres();
afterAll(async () => {
  if ('url' in server) await server.stop();
});

const N = 12_345;
const NULL_ROW = 777;

/** RFC 4180 CSV of rows (quotes doubled, fields with , " or newline quoted): the test's own writer. */
function toCsv(header: string[], rows: (string | null)[][]): string {
  const q = (v: string | null): string => (v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

/** The URL with a password added (trust auth ignores it, so it only has to stay unprinted). */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

/** Own schema, so files sharing one server (CUSTKIT_PG_URL) cannot collide. */
const S = 'custkit_ingest_src';

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 1));
    });
  });
}

describe.skipIf('skip' in server)(`ingest --from postgres:// (${'skip' in server ? server.skip : 'loopback PostgreSQL'})`, () => {
  const url = 'url' in server ? server.url : '';
  let client: pg.Client;
  // Made here, not at the top: hooks of a skipped describe never run, so nothing to clean up then.
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    tmp = tempDir('custkit-pg-test-');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    // English and Chinese column names, numeric amounts, dates, one NULL customer, more rows than a cursor batch.
    await client.query(`
      DROP SCHEMA IF EXISTS ${S} CASCADE;
      CREATE SCHEMA ${S};
      SET search_path TO ${S};
      CREATE TABLE orders (
        customer_id text, "订单编号" text, "订单日期" date, amount numeric(12,2), "订单状态" text, region text
      );
      INSERT INTO orders
        SELECT CASE WHEN g = ${NULL_ROW} THEN NULL ELSE 'C' || (g % 613) END, 'SO-' || g,
               date '2023-01-01' + (g * 7 % 800), ((g * 37) % 100000) / 100.0 + 0.05,
               CASE WHEN g % 50 = 0 THEN '已退款' ELSE 'paid' END,
               CASE WHEN g % 3 = 0 THEN 'north, east' ELSE '华南' END
        FROM generate_series(1, ${N}) g;
      CREATE TABLE legacy_orders (id int, "客户编号" text, created_at timestamp(3), amount text);
      INSERT INTO legacy_orders VALUES
        (1, 'A1', '2024-03-06 14:03:07.250', '12.50'),
        (2, 'A2', '2024-03-07 09:00:00', 'twelve'),
        (3, 'A1', '2024-03-08 23:59:59.999', '1,234.50'),
        (4, 'A3', '2024-03-09 00:00:01', '7');
    `);
  });
  afterAll(async () => {
    await client?.end();
    tmp?.cleanup();
  });

  it(`reads a ${N.toLocaleString('en')}-row table like the same rows exported as CSV (output, rejects, sums)`, async () => {
    const fromPg = await runCli(['ingest', '--from', url, '--table', `${S}.orders`, '--keep', 'region', '--rejects', tmp.path('pg-rejects.csv')]);
    expect(fromPg.stderr).toContain('rows read');
    expect(fromPg.code).toBe(0);

    // The same rows as CSV, in table order, values as PostgreSQL prints them.
    const res = await client.query({ text: `SELECT customer_id, "订单编号", "订单日期"::text, amount::text, "订单状态", region FROM ${S}.orders`, rowMode: 'array' });
    const header = res.fields.map((f) => f.name);
    writeFileSync(tmp.path('orders.csv'), toCsv(header, res.rows as (string | null)[][]));
    const fromCsv = await runCli(['ingest', tmp.path('orders.csv'), '--keep', 'region', '--rejects', tmp.path('csv-rejects.csv')]);
    expect(fromCsv.code).toBe(0);
    expect(fromPg.stdout).toBe(fromCsv.stdout);

    // Independent numbers from the server itself.
    const want = await client.query<{ n: string; total: string }>(`SELECT count(*) AS n, sum(amount)::text AS total FROM ${S}.orders WHERE customer_id IS NOT NULL`);
    const out = csvRecords(fromPg.stdout);
    expect(out.length).toBe(Number(want.rows[0]!.n));
    expect(sumAmounts(out)).toBe(Number(want.rows[0]!.total));
    expect(Object.keys(out[0]!)).toEqual(['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status', 'region']);
    expect(out.find((r) => r.order_id === 'SO-3')!.region).toBe('north, east');

    // Rejects: the NULL customer, at its row number in the result (the CSV has it one line later, after the header).
    const pgRejects = csvRecords(readFileSync(tmp.path('pg-rejects.csv'), 'utf8'));
    expect(pgRejects.map((r) => [r.file, r.line, r.reason])).toEqual([[`${url} (table ${S}.orders)`, String(NULL_ROW), 'missing_customer_id']]);
    const csvRejects = csvRecords(readFileSync(tmp.path('csv-rejects.csv'), 'utf8'));
    expect(csvRejects.map((r) => [r.line, r.reason, r.raw])).toEqual([[String(NULL_ROW + 1), 'missing_customer_id', pgRejects[0]!.raw]]);
  });

  it(`streams through a cursor in batches of ${BATCH_ROWS} rows, NULL as an empty cell`, async () => {
    const rows = await openPostgresRows({ url, query: `SELECT customer_id, amount FROM ${S}.orders ORDER BY "订单编号"`, env: process.env });
    expect(rows.header).toEqual(['customer_id', 'amount']);
    expect(rows.decimalOf(1)).toBe('.');
    expect(rows.decimalOf(0)).toBeUndefined();
    const sizes: number[] = [];
    let nulls = 0;
    for await (const b of rows.batches) {
      sizes.push(b.length);
      nulls += b.filter((r) => r[0] === '').length;
    }
    const full = Math.floor(N / BATCH_ROWS);
    expect(sizes).toEqual([...Array<number>(full).fill(BATCH_ROWS), N - full * BATCH_ROWS]);
    expect(nulls).toBe(1);
  });

  it('--query: timestamps as YYYY-MM-DD HH:MM:SS (order_time), a text amount that is not a number is rejected with its row number', async () => {
    const r = await runCli([
      'ingest', '--from', url, '--query', `SELECT "客户编号", created_at, amount FROM ${S}.legacy_orders ORDER BY id`,
      '--map', 'order_date=created_at', '--rejects', tmp.path('q-rejects.csv'), '--max-reject-rate', '1',
    ]);
    expect(r.code).toBe(0);
    const out = csvRecords(r.stdout);
    expect(out.map((o) => [o.customer_id, o.order_date, o.order_time, o.amount])).toEqual([
      ['A1', '2024-03-06', '14:03:07', '12.5'],
      ['A1', '2024-03-08', '23:59:59', '1234.5'],
      ['A3', '2024-03-09', '00:00:01', '7'],
    ]);
    const rej = readFileSync(tmp.path('q-rejects.csv'), 'utf8');
    expect(countReasons(rej)).toEqual({ bad_amount: 1 });
    const row = csvRecords(rej)[0]!;
    expect([row.line, row.detail]).toEqual(['2', 'amount: "twelve" is not a number']);
    expect(row.file).toBe(`${url} (query: SELECT "客户编号", created_at, amount FROM ${S}.legacy_orders ORDER BY id)`);
  });

  it('never prints the password: notes, rejects and errors show ***', async () => {
    const secret = 'Zq9-s3cr3t/pw';
    const r = await runCli(['ingest', '--from', withPassword(url, secret), '--table', `${S.toUpperCase()}.ORDERS`, '--rejects', tmp.path('s-rejects.csv')]);
    expect(r.code).toBe(0);
    const rej = readFileSync(tmp.path('s-rejects.csv'), 'utf8');
    for (const text of [r.stderr, rej, r.stdout]) expect(text).not.toContain('s3cr3t');
    const masked = withPassword(url, '***');
    expect(r.stderr).toContain(masked);
    expect(csvRecords(rej)[0]!.file).toBe(`${masked} (table ${S.toUpperCase()}.ORDERS)`);

    const missing = await runCli(['ingest', '--from', withPassword(url, secret), '--table', `${S}."ORDERS"`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toContain('s3cr3t');
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(`relation "${S}.ORDERS" does not exist`);
  });

  it('a table locked by another session: lock_timeout fires, one line, exit 2, no output file', async () => {
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${S}.legacy_orders IN ACCESS EXCLUSIVE MODE`);
      const r = await runCli(['ingest', '--from', url, '--table', `${S}.legacy_orders`, '--lock-timeout', '0.3', '-o', tmp.path('locked.csv')]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('PostgreSQL query failed: canceling statement due to lock timeout [55P03]');
      expect(lines[0]).toContain('(hint: another session holds a lock on the table (longer than --lock-timeout, 0.3 s): retry later, or raise --lock-timeout (0 waits forever))');
      expect(() => readFileSync(tmp.path('locked.csv'))).toThrow();
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
    }
    // The lock released, the same read works.
    const ok = await runCli(['ingest', '--from', url, '--table', `${S}.legacy_orders`, '--lock-timeout', '0.3', '--max-reject-rate', '1']);
    expect(ok.code).toBe(0);
  });

  it('statement_timeout ends a query that runs too long (exit 2); bad timeout values are usage errors', async () => {
    const r = await runCli(['ingest', '--from', url, '--query', `SELECT 'A' AS customer_id, '2024-01-01' AS order_date, 5 AS amount FROM pg_sleep(3)`, '--statement-timeout', '0.2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('canceling statement due to statement timeout [57014]');
    expect(r.stderr).toContain('ran longer than --statement-timeout (0.2 s)');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    for (const bad of ['-1', 'soon']) {
      const b = await runCli(['ingest', '--from', url, '--table', `${S}.legacy_orders`, '--lock-timeout', bad]);
      expect([bad, b.code]).toEqual([bad, 1]);
    }
  });

  it('connection refused: one line naming the redacted source, exit code 2, no stack trace, no output file', async () => {
    const port = await closedPort();
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    const bad = u.toString();
    const r = await runCli(['ingest', '--from', withPassword(bad, 'hunter2'), '--table', 'orders', '-o', tmp.path('never.csv')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`custkit: ${withPassword(bad, '***')} (table orders): cannot connect to PostgreSQL: `)).toBe(true);
    expect(lines[0]).toMatch(/ECONNREFUSED.*\(hint: /);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(tmp.path('never.csv'))).toThrow();
  });

  it('usage errors (exit 1): not a postgres URL, neither or both of --table/--query, files and --from, --from on other commands', async () => {
    const cases: string[][] = [
      ['ingest', '--from', 'mysql://u:pw@h/d', '--table', 'orders'],
      ['ingest', '--from', url],
      ['ingest', '--from', url, '--table', 'orders', '--query', 'select 1'],
      ['ingest', '--table', 'orders'],
      ['ingest', 'x.csv', '--from', url, '--table', 'orders'],
      ['init', 'x.csv', '--from', url, '--table', 'orders'],
    ];
    for (const args of cases) {
      const r = await runCli(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 1]);
      expect(r.stderr).toMatch(/^custkit: /);
      expect(r.stderr).not.toContain(':pw@');
    }
  });

  it('takes missing connection fields from PGHOST/PGPORT/PGUSER (real process, postgresql:// scheme)', () => {
    const u = new URL(url);
    const r = spawnCli(['ingest', '--from', `postgresql:///${u.pathname.slice(1)}`, '--query', `SELECT customer_id, "订单日期", amount FROM ${S}.orders WHERE customer_id = 'C1'`], {
      env: { PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username), PGPASSWORD: 'env-s3cret' },
    });
    expect(r.stderr).not.toContain('env-s3cret');
    expect(r.code).toBe(0);
    const out = csvRecords(r.stdout);
    expect(out.length).toBeGreaterThan(0);
    expect(new Set(out.map((o) => o.customer_id))).toEqual(new Set(['C1']));
  });
});
