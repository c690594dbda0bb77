/**
 * The DuckDB engine gives the JavaScript engine's customer summaries exactly: on random
 * transactions (property test), with and without an as-of date, from CSV, gzip CSV and
 * Parquet, and on several files at once.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { aggregateWithDuckdb, duckdbFactsSql, FACTS_SELECT, factsCtes, fileKind, sortedById, sourceSql } from '../../src/engine/duckdb-aggregate.js';
import { canonicalCsv, DAY0, jsSummaries, txArb, type Tx } from '../helpers/transactions.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-duck-'));
let n = 0;
const csvFile = (rows: Tx[]): string => {
  const p = join(dir, `tx${n++}.csv`);
  writeFileSync(p, canonicalCsv(rows));
  return p;
};

describe('aggregateWithDuckdb', () => {
  it('equals the JavaScript engine on random transactions, with and without --as-of', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(txArb, { minLength: 0, maxLength: 60 }), fc.option(fc.integer({ min: DAY0 - 2, max: DAY0 + 62 }), { nil: null }), async (rows, asOf) => {
        const js = jsSummaries(rows, asOf);
        const duck = await aggregateWithDuckdb([csvFile(rows)], { asOf, threads: 1 });
        expect(duck).not.toBeNull();
        expect(duck!.summaries).toEqual(js.summaries);
        expect(duck!.asOf).toBe(js.asOf);
        expect(duck!.refundOnly).toBe(js.refundOnly);
        expect(duck!.afterAsOf).toBe(js.afterAsOf);
        expect(duck!.rows).toBe(rows.length);
      }),
      { numRuns: 40 },
    );
  });

  it('reads gzip CSV, Parquet and several files as one stream', async () => {
    const rows = fc.sample(txArb, { numRuns: 300, seed: 7 });
    const js = jsSummaries(rows, null);
    const a = csvFile(rows.slice(0, 120));
    const b = join(dir, 'part2.csv.gz');
    writeFileSync(b, gzipSync(canonicalCsv(rows.slice(120))));
    const two = await aggregateWithDuckdb([a, b], { asOf: null });
    expect(two!.summaries).toEqual(js.summaries);

    const whole = csvFile(rows);
    const parquet = join(dir, 'tx.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    await con.run(`COPY (SELECT * FROM ${sourceSql([whole])}) TO '${parquet}' (FORMAT parquet)`);
    con.closeSync();
    expect(fileKind(parquet)).toBe('parquet');
    const pq = await aggregateWithDuckdb([parquet], { asOf: null });
    expect(pq!.summaries).toEqual(js.summaries);
  });

  it('hands a per-customer table or an unreadable cell back to the JavaScript reader (null)', async () => {
    const table = join(dir, 'customers.csv');
    writeFileSync(table, 'customer_id,orders,revenue,last_order\nA,2,10,2024-01-02\n');
    expect(await aggregateWithDuckdb([table], { asOf: null })).toBeNull();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,order_id,order_date,amount\nA,1,2024-01-02,12\nB,2,2024-13-40,5\n');
    expect(await aggregateWithDuckdb([bad], { asOf: null })).toBeNull();
    const badAmount = join(dir, 'bad-amount.csv');
    writeFileSync(badAmount, 'customer_id,order_id,order_date,amount\nA,1,2024-01-02,12\nB,2,2024-01-03,abc\n');
    expect(await aggregateWithDuckdb([badAmount], { asOf: null })).toBeNull();
  });

  it('refuses standard input and mixed formats with a usage error', async () => {
    await expect(aggregateWithDuckdb(['-'], { asOf: null })).rejects.toMatchObject({ exitCode: 1 });
    expect(() => sourceSql(['a.csv', 'b.parquet'])).toThrow(/either CSV or Parquet/);
  });

  it('orders customers by UTF-16 code units even where DuckDB orders by UTF-8 bytes', async () => {
    // U+FF5A sorts before U+1F600 by code point (UTF-8 bytes), after it by UTF-16 code units.
    const ids = ['b', '\u{1f600}x', 'a', '\uff5a'];
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const duckOrder = (await con.runAndReadAll(`SELECT c FROM (VALUES ${ids.map((i) => `('${i}')`).join(', ')}) AS t(c) ORDER BY c`)).getRows().map((r) => r[0]);
    con.closeSync();
    expect(duckOrder).toEqual(['a', 'b', '\uff5a', '\u{1f600}x']);
    expect(sortedById(duckOrder.map((id) => ({ id: String(id) })))).toBe(false);
    expect(sortedById(['a', 'b', '\u{1f600}x', '\uff5a'].map((id) => ({ id })))).toBe(true);
    expect(sortedById([{ id: 'a' }, { id: 'a' }])).toBe(false);
    const rows: Tx[] = ids.map((customer, i) => ({ customer, day: DAY0 + i, amount: 10 + i }));
    const duck = await aggregateWithDuckdb([csvFile(rows)], { asOf: null });
    expect(duck!.summaries.map((s) => s.customerId)).toEqual(['a', 'b', '\u{1f600}x', '\uff5a']);
    expect(duck!.summaries).toEqual(jsSummaries(rows, null).summaries);
    // Customers with refunds only have no row, in either order (the columns are squeezed in place).
    for (const extra of [['ab'], ['ab', '\u{1f601}']]) {
      const more: Tx[] = [...rows, ...extra.map((customer, i) => ({ customer, day: DAY0 + 9 + i, amount: -3 - i }))];
      const both = await aggregateWithDuckdb([csvFile(more)], { asOf: null });
      const js = jsSummaries(more, null);
      expect(both!.summaries).toEqual(js.summaries);
      expect(both!.summaries.map((s) => s.customerId)).toEqual(['a', 'b', '\u{1f600}x', '\uff5a']);
      expect(both!.refundOnly).toBe(extra.length);
    }
    const ascii: Tx[] = [
      { customer: 'a', day: DAY0, amount: 5 },
      { customer: 'ab', day: DAY0 + 1, amount: -2 },
      { customer: 'b', day: DAY0 + 2, amount: 7 },
      { customer: 'b', day: DAY0 + 4, amount: 1.25 },
      { customer: 'c', day: DAY0 + 3, amount: -1 },
    ];
    const sorted = await aggregateWithDuckdb([csvFile(ascii)], { asOf: null });
    expect(sorted!.summaries).toEqual(jsSummaries(ascii, null).summaries);
    expect(sorted!.summaries.map((s) => [s.customerId, s.revenue])).toEqual([['a', 5], ['b', 8.25]]);
    expect(sorted!.refundOnly).toBe(2);
  });

  it('filters by as-of inside the query only when an as-of is given', () => {
    expect(duckdbFactsSql('t', null)).not.toContain('d <= DATE');
    expect(duckdbFactsSql('t', DAY0)).toContain("d <= DATE '2024-01-01'");
  });

  it('keeps no per-(customer, day) count that can only be 0, with the same facts', async () => {
    const from = `(SELECT * FROM (VALUES ('a', DATE '2024-01-02', 5.5), ('a', DATE '2024-01-02', -1.25), ('a', DATE '2024-01-09', 3.0), ('b', DATE '2024-01-03', 7.0)) AS t(customer_id, order_date, amount))`;
    const cdOf = (sql: string): string => sql.slice(sql.indexOf('cd AS'), sql.indexOf('cust AS'));
    // No as-of: nothing is after it. Checked orders: every one has a date and an amount.
    expect(cdOf(factsCtes(from, null, false, true))).not.toMatch(/n_after|n_bad/);
    expect(cdOf(factsCtes(from, null, false, false))).toContain('n_bad');
    expect(cdOf(factsCtes(from, DAY0 + 3, false, true))).toContain('n_after');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const facts = async (asOf: number | null, checked: boolean): Promise<unknown[][]> =>
      (await con.runAndReadAll(`WITH ${factsCtes(from, asOf, false, checked)}\n${FACTS_SELECT}\nORDER BY c`)).getRowsJS();
    for (const asOf of [null, DAY0 + 3]) {
      const full = await facts(asOf, false);
      expect(await facts(asOf, true)).toEqual(full);
      // a: 3 rows, 2 after the as-of day; b: 1 row.
      expect(full.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(asOf === null ? [['a', 3n, 0n, 0n], ['b', 1n, 0n, 0n]] : [['a', 3n, 1n, 0n], ['b', 1n, 0n, 0n]]);
    }
    con.closeSync();
  });
});
