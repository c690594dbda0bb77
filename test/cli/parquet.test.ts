/**
 * Parquet in and out (#25 item 3): `ingest` reads a Parquet file (any column names, typed or
 * text columns) with the same mapping, rows and rejects as the CSV file holding the same
 * values; `segment -o x.parquet`, `score -o x.parquet` and `run --parquet` write the customer
 * table with typed columns, and the table read back equals the CSV table cell for cell.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-parquet-');
afterAll(() => tmp.cleanup());

const lit = (s: string): string => "'" + s.replace(/'/g, "''") + "'";

/** Runs SQL in a fresh in-memory DuckDB; rows as DuckDB's text of each value (NULL → null). */
async function sql(q: string): Promise<(string | null)[][]> {
  const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await inst.connect();
  try {
    const r = await con.runAndReadAll(q);
    return r.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

/**
 * A Parquet file's rows as text, with its header and column types: each value as JavaScript
 * prints the value DuckDB returns (a DOUBLE in shortest form, a BIGINT, a DATE as YYYY-MM-DD;
 * NULL → '').
 */
async function readParquet(file: string): Promise<{ header: string[]; types: Record<string, string>; rows: string[][] }> {
  const desc = await sql(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
  const rows = await sql(`SELECT * FROM read_parquet(${lit(file)})`);
  return { header: desc.map((r) => r[0]!), types: Object.fromEntries(desc.map((r) => [r[0]!, r[1]!])), rows: rows.map((r) => r.map((v) => v ?? '')) };
}

const csvTable = (file: string): string[][] => parse(readFileSync(file, 'utf8')) as string[][];
/** run's customers.csv guards text for spreadsheets; Parquet holds the exact value. */
const unguard = (s: string): string => (/^'[=+@\t\r]/.test(s) || /^'-(?![\d.]+$)/.test(s) ? s.slice(1) : s);

describe('ingest reads .parquet', () => {
  it('gives the rows and rejects the CSV file with the same values gives, typed columns included', async () => {
    const csv = fixture('ingest', 'orders_bad_rows.csv');
    const asText = tmp.path('bad-text.parquet');
    await sql(`COPY (SELECT * FROM read_csv(${lit(csv)}, all_varchar = true, header = true, null_padding = true)) TO ${lit(asText)} (FORMAT parquet)`);
    const a = await runCli(['ingest', csv, '--rejects', tmp.path('rej-csv.csv'), '--max-reject-rate', '1']);
    const b = await runCli(['ingest', asText, '--rejects', tmp.path('rej-pq.csv'), '--max-reject-rate', '1']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // The short CSV line 11 is ragged there; in a table it is a row with an empty quantity.
    expect(csvRecords(b.stdout).filter((r) => r.order_id !== '10')).toEqual(csvRecords(a.stdout));
    const strip = (t: string): Record<string, string>[] => csvRecords(t).map(({ file: _f, line: _l, raw: _r, ...r }) => r);
    const csvRejects = strip(readFileSync(tmp.path('rej-csv.csv'), 'utf8')).filter((r) => r.reason !== 'ragged_row');
    expect(strip(readFileSync(tmp.path('rej-pq.csv'), 'utf8'))).toEqual(csvRejects);
    // A reject's line is the row's number in the file (row 2 = the CSV's line 3).
    expect(csvRecords(readFileSync(tmp.path('rej-pq.csv'), 'utf8'))[0]).toMatchObject({ file: asText, line: '2', reason: 'missing_customer_id' });
  });

  it('reads typed columns under any names with --map', async () => {
    const file = tmp.path('typed.parquet');
    await sql(
      `COPY (SELECT * FROM (VALUES ('000123', 'o1', DATE '2026-01-05', 10.50::DECIMAL(10,2)), ('123456789012345678', 'o2', DATE '2026-01-06', 20.0::DECIMAL(10,2)), ('=1+1', 'o3', DATE '2026-01-07', 3.25::DECIMAL(10,2)), ('c4', 'o4', NULL, 1.00::DECIMAL(10,2))) t("Kunde Nr", "Beleg", "Datum", "Betrag")) TO ${lit(file)} (FORMAT parquet)`,
    );
    const r = await runCli(['ingest', file, '--map', 'customer_id=Kunde Nr,order_id=Beleg,order_date=Datum,amount=Betrag', '--rejects', tmp.path('typed-rej.csv'), '--max-reject-rate', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => [x.customer_id, x.order_id, x.order_date, x.amount])).toEqual([
      ['000123', 'o1', '2026-01-05', '10.5'],
      ['123456789012345678', 'o2', '2026-01-06', '20'],
      ['=1+1', 'o3', '2026-01-07', '3.25'],
    ]);
    expect(csvRecords(readFileSync(tmp.path('typed-rej.csv'), 'utf8'))).toEqual([{ file, line: '4', reason: 'missing_date', detail: 'Datum: empty', raw: 'c4,o4,,1.00' }]);
  });
});

describe('customer table as Parquet', () => {
  it('segment -o x.parquet and score -o x.parquet: typed columns, read back equal to the CSV table', async () => {
    const tx = tmp.path('tx.csv');
    expect((await runCli(['ingest', fixture('demo', 'orders.csv'), '-o', tx])).code).toBe(0);
    const seg = tmp.path('seg.csv');
    expect((await runCli(['segment', tx, '-o', seg])).code).toBe(0);
    const segPq = tmp.path('seg.parquet');
    const r = await runCli(['segment', tx, '-o', segPq]);
    expect(r.code, r.stderr).toBe(0);
    const back = await readParquet(segPq);
    const table = csvTable(seg);
    expect(back.header).toEqual(table[0]);
    expect(back.rows).toEqual(table.slice(1));
    expect(back.types).toMatchObject({ customer_id: 'VARCHAR', orders: 'BIGINT', revenue: 'DOUBLE', first_order: 'DATE', rfm_segment: 'VARCHAR' });

    const scored = tmp.path('scored.csv');
    expect((await runCli(['score', seg, '-o', scored])).code).toBe(0);
    const scoredPq = tmp.path('scored.parquet');
    const s = await runCli(['score', seg, '-o', scoredPq]);
    expect(s.code, s.stderr).toBe(0);
    const sBack = await readParquet(scoredPq);
    expect(sBack.rows).toEqual(csvTable(scored).slice(1));
    expect(sBack.types).toMatchObject({ p_alive: 'DOUBLE', clv: 'DOUBLE', churn_risk: 'VARCHAR' });
  }, 60_000);

  it('run --parquet writes customers.parquet equal to customers.csv, ids exact', async () => {
    const input = tmp.path('orders.csv');
    const extra = ['000123,X1,2024-12-01,10.50,1,paid,web', '=1+1,X2,2024-12-02,5.00,1,paid,web', '+8613812345678,X3,2024-12-03,7.00,1,paid,web', '123456789012345678,X4,2024-12-04,1.00,1,paid,web'];
    (await import('node:fs')).writeFileSync(input, readFileSync(fixture('demo', 'orders.csv'), 'utf8') + extra.join('\n') + '\n');
    const out = tmp.path('run');
    const r = await runCli(['run', input, '--out', out, '--parquet', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const back = await readParquet(`${out}/customers.parquet`);
    const table = csvTable(`${out}/customers.csv`);
    expect(back.header).toEqual(table[0]);
    expect(back.rows).toEqual(table.slice(1).map((row) => row.map(unguard)));
    const ids = new Set(back.rows.map((row) => row[0]));
    for (const id of ['000123', '=1+1', '+8613812345678', '123456789012345678']) expect(ids.has(id), id).toBe(true);
  }, 60_000);

  it('score --holdout refuses -o x.parquet', async () => {
    const r = await runCli(['score', fixture('cli', 'transactions.csv'), '--holdout', '2025-01-01', '-o', tmp.path('b.parquet')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('-o *.parquet does not apply');
  });
});
