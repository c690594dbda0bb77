/**
 * `run --engine duckdb` on exports in canonical shape: ingest + clean + aggregation in SQL
 * give the JavaScript pipeline's customer summaries and clean audit exactly, for random
 * lines with duplicates, split orders, cancellations, refunds, C-invoices, guests, exclusions,
 * date windows and every --returns / --outliers mode; inputs that are not taken as written
 * fall back with a reason; a file DuckDB's reader refuses is a DuckdbError with its line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import { formatMoney } from '../../src/core/money.js';
import { summariesFromFacts } from '../../src/core/aggregate/summary-facts.js';
import { dayFromCivil, formatDay } from '../../src/core/time/day.js';
import { checkHead, partitionsFor, runWithDuckdb } from '../../src/engine/duckdb-clean.js';
import { DuckdbError } from '../../src/io/duckdb-error.js';
import { ordersCtes } from '../../src/core/sql/clean-sql.js';
import { runCleanPasses, type CleanStageOptions } from '../../src/pipeline/clean-stage.js';
import { ingestFiles } from '../../src/pipeline/ingest-stage.js';
import { type IngestOptions } from '../../src/config/ingest-options.js';
import type { CohortGrain } from '../../src/core/cohort/periods.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-sqlclean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const INGEST: IngestOptions = { encoding: 'auto', delimiter: 'auto', header: true, map: {}, keep: [], decimal: 'auto', dateFormat: 'auto', parser: 'fast' };
const DAY0 = dayFromCivil(2025, 1, 1);

interface Line { c: string; o: string; d: number; a: number; q: number | null; s: string }

const lineArb: fc.Arbitrary<Line> = fc.record({
  c: fc.constantFrom('C1', 'C2', 'C3', 'c1', 'A-9', '42', 'guest', '0', 'Anonymous'),
  o: fc.constantFrom('O1', 'O2', 'O3', 'O4', 'C55', 'C5x', 'X'),
  d: fc.integer({ min: DAY0, max: DAY0 + 40 }),
  a: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 30_000 }).map((c) => c / 100) },
    { weight: 2, arbitrary: fc.integer({ min: -20_000, max: -1 }).map((c) => c / 100) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 5_000_000 }).map((c) => c / 100) },
  ),
  q: fc.constantFrom(null, 1, 2, -1, 2.5),
  s: fc.constantFrom('', 'paid', 'paid', 'cancelled', 'Refunded', '退款', 'void', '交易关闭'),
});

/**
 * Lines with some exact repeats (duplicates) interleaved, and some full refunds of a purchase
 * line in its own order (a negative copy, or a positive copy marked refunded), so orders that
 * fold to exactly zero occur.
 */
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 80 }).chain((ls) =>
  fc.tuple(fc.array(fc.nat({ max: ls.length - 1 }), { maxLength: 10 }), fc.array(fc.nat({ max: ls.length - 1 }), { maxLength: 6 })).map(([dups, refunds]) => {
    const out = [...ls];
    for (const i of dups) out.splice((i * 7) % (out.length + 1), 0, ls[i]!);
    refunds.forEach((i, j) => {
      const l = ls[i]!;
      out.splice((i * 5) % (out.length + 1), 0, j % 2 ? { ...l, a: -l.a, s: 'paid' } : { ...l, s: 'Refunded', q: null });
    });
    return out;
  }),
);

const optsArb = fc.record({
  returns: fc.constantFrom('net', 'drop', 'keep') as fc.Arbitrary<'net' | 'drop' | 'keep'>,
  duplicates: fc.constantFrom('auto', 'drop', 'keep') as fc.Arbitrary<'auto' | 'drop' | 'keep'>,
  guests: fc.constantFrom('drop', 'keep') as fc.Arbitrary<'drop' | 'keep'>,
  guestIds: fc.constantFrom([], ['0'], ['c1', '42']),
  outliers: fc.constantFrom('flag', 'cap', 'drop', 'off') as fc.Arbitrary<'flag' | 'cap' | 'drop' | 'off'>,
  exclude: fc.subarray(['C2', '42', 'nobody']),
  since: fc.option(fc.integer({ min: DAY0, max: DAY0 + 10 }), { nil: null }),
  until: fc.option(fc.integer({ min: DAY0 + 30, max: DAY0 + 45 }), { nil: null }),
  asOf: fc.option(fc.integer({ min: DAY0 + 20, max: DAY0 + 45 }), { nil: null }),
  grain: fc.constantFrom(null, 'month', 'quarter', 'week') as fc.Arbitrary<CohortGrain | null>,
});

let k = 0;
function writeCsv(lines: Line[]): string {
  const p = join(dir, `in${k++}.csv`);
  let t = 'customer_id,order_id,order_date,amount,quantity,status,channel\n';
  for (const l of lines) t += `${l.c},${l.o},${formatDay(l.d)},${formatMoney(l.a)},${l.q === null ? '' : l.q},${l.s},web\n`;
  writeFileSync(p, t);
  return p;
}

/** The JavaScript pipeline of `run`: ingest → clean passes → accumulator. */
async function viaJs(path: string, clean: CleanStageOptions, asOf: number | null, grain: CohortGrain | null = null) {
  const acc = new CustomerAccumulator();
  if (grain) acc.trackCohorts(grain);
  const run = await runCleanPasses(clean, async (push, _read, useSchema) => {
    await ingestFiles([path], INGEST, { onSchema: useSchema, onTx: (tx) => push(tx, 0), onReject() { throw new Error('unexpected reject'); } });
  }, (tx) => acc.add(tx.customerId, tx.day, tx.amount));
  const a = asOf ?? (acc.size > 0 ? acc.maxDay : 0);
  return { audit: run.audit, summaries: acc.summaries(a), asOf: a, refundOnly: acc.refundOnly, cohorts: acc.cohorts(a) };
}

describe('runWithDuckdb', () => {
  it('equals the JavaScript pipeline (summaries, audit and cohorts) on random canonical lines and options', async () => {
    await fc.assert(
      // In one query, or in two or three customer partitions (what a large input gets under its memory limit).
      fc.asyncProperty(linesArb, optsArb, fc.constantFrom(1, 1, 2, 3), async (lines, o, partitions) => {
        const path = writeCsv(lines);
        const clean: CleanStageOptions = { returns: o.returns, duplicates: o.duplicates, guests: o.guests, guestIds: o.guestIds, outliers: o.outliers, exclude: new Set(o.exclude), since: o.since, until: o.until, asOf: o.asOf, foldWindow: 10_000 };
        const js = await viaJs(path, clean, o.asOf, o.grain);
        const sql = await runWithDuckdb([path], INGEST, clean, o.asOf, { memoryLimit: null, threads: 1, partitions }, o.grain);
        if ('why' in sql) throw new Error(`fell back: ${sql.why}`);
        expect(sql.partitions).toBe(partitions);
        expect(sql.cohorts).toEqual(js.cohorts);
        expect(sql.audit).toEqual(js.audit);
        expect(summariesFromFacts(sql.facts, sql.asOf)).toEqual(js.summaries);
        expect(sql.asOf).toBe(js.asOf);
        expect(sql.refundOnly).toBe(js.refundOnly);
        expect(sql.rowsRead).toBe(lines.length);
      }),
      { numRuns: 80 },
    );
  });

  it('in customer partitions: the same facts, audit and cohorts as one query and as the JavaScript pipeline, with many customers', async () => {
    // 200 customers over seven months, so that every partition holds customers of every cohort and cell.
    const base = fc.sample(lineArb, { numRuns: 1500, seed: 29 });
    const lines = base.map((l, i) => ({ ...l, c: i % 50 === 0 ? l.c : `K${(i * 37) % 200}`, o: `${l.o}-${i % 700}`, d: DAY0 + ((i * 13) % 210) }));
    const path = writeCsv([...lines, ...lines.slice(0, 40)]);
    for (const outliers of ['flag', 'cap'] as const) {
      const clean: CleanStageOptions = { returns: 'net', outliers, exclude: new Set(['K7']), asOf: null, since: null, until: null, foldWindow: 10_000 };
      const js = await viaJs(path, clean, null, 'month');
      const one = await runWithDuckdb([path], INGEST, clean, null, { memoryLimit: null, threads: 1, partitions: 1 }, 'month');
      const four = await runWithDuckdb([path], INGEST, clean, null, { memoryLimit: null, threads: 2, partitions: 4 }, 'month');
      if ('why' in one || 'why' in four) throw new Error('fell back');
      expect(four.partitions).toBe(4);
      expect(four.cohorts).toEqual(one.cohorts);
      expect(four.audit).toEqual(one.audit);
      expect(four.facts).toEqual(one.facts);
      expect(four.fence).toEqual(one.fence);
      expect(four.cohorts).toEqual(js.cohorts);
      expect(four.audit).toEqual(js.audit);
      expect(summariesFromFacts(four.facts, four.asOf)).toEqual(js.summaries);
      expect(four.facts.ids.length).toBeGreaterThan(150);
      expect(four.audit.removed.excluded).toBeGreaterThan(0);
    }
  });

  it('chooses customer partitions from the estimated lines and the memory limit', () => {
    expect(partitionsFor(10_000_000, '600MB')).toBe(1);
    expect(partitionsFor(100_000_000, '2GB')).toBe(3);
    expect(partitionsFor(100_000_000, '4GB')).toBe(2);
    expect(partitionsFor(100_000_000, '4GiB')).toBe(2);
    expect(partitionsFor(30_000_000, '1GiB')).toBe(2);
    expect(partitionsFor(100_000_000, 'lots')).toBe(1);
    expect(partitionsFor(0, '2GB')).toBe(1);
    expect(partitionsFor(1e12, '1MB')).toBe(64);
  });

  it('with order_time and item columns (which identify a line): the same, duplicates removed under auto', async () => {
    const timed = fc.tuple(linesArb, fc.array(fc.tuple(fc.constantFrom('', '09:00:00', '23:59:59'), fc.constantFrom('', 'A1', 'B 2', '货号')), { minLength: 1, maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(timed, optsArb, async ([lines, ti], o) => {
        const p = join(dir, `ti${k++}.csv`);
        let t = 'customer_id,order_id,order_date,amount,quantity,status,order_time,item\n';
        lines.forEach((l, j) => {
          const [tm, it] = ti[(l.c.length + l.o.length + j) % ti.length]!;
          t += `${l.c},${l.o},${formatDay(l.d)},${formatMoney(l.a)},${l.q === null ? '' : l.q},${l.s},${tm},${it}\n`;
        });
        writeFileSync(p, t);
        const clean: CleanStageOptions = { returns: o.returns, duplicates: o.duplicates, guests: o.guests, guestIds: o.guestIds, outliers: o.outliers, exclude: new Set(o.exclude), since: o.since, until: o.until, asOf: o.asOf, foldWindow: 10_000 };
        const js = await viaJs(p, clean, o.asOf);
        const sql = await runWithDuckdb([p], INGEST, clean, o.asOf, { memoryLimit: null, threads: 1 });
        if ('why' in sql) throw new Error(`fell back: ${sql.why}`);
        expect(sql.audit).toEqual(js.audit);
        expect(summariesFromFacts(sql.facts, sql.asOf)).toEqual(js.summaries);
      }),
      { numRuns: 30 },
    );
    // A hand-worked case: two equal lines differ only in item (kept both), a third repeats one (removed).
    const p = join(dir, `ti${k++}.csv`);
    writeFileSync(p, 'customer_id,order_id,order_date,amount,order_time,item\nC1,O1,2025-01-02,5,10:00:00,A\nC1,O1,2025-01-02,5,10:00:00,B\nC1,O1,2025-01-02,5,10:00:00,A\n');
    const r = await runWithDuckdb([p], INGEST, {}, null, { memoryLimit: null, threads: 1 });
    if ('why' in r) throw new Error(r.why);
    expect(r.audit.removed.duplicate).toBe(1);
    expect(r.audit.duplicate_rule).toMatchObject({ mode: 'auto' });
    expect(summariesFromFacts(r.facts, r.asOf)[0]).toMatchObject({ customerId: 'C1', revenue: 10 });
  });

  it('single-line orders of every fate give the JavaScript audit under every --returns and --outliers cap, drop, flag', async () => {
    // One line per order: guest, excluded, before --since, after --until, a cancelled and a
    // refunded status, a C-invoice, a refund, an outlier, plain orders.
    const rows = [
      'guest,O1,2025-01-05,10,1,paid', 'C2,O2,2025-01-05,11,1,paid', 'C1,O3,2024-12-01,12,1,paid', 'C1,O4,2025-03-01,13,1,paid',
      'C1,O5,2025-01-06,14,1,cancelled', 'C1,O6,2025-01-07,15,1,Refunded', 'C3,C77,2025-01-08,16,1,paid', 'C3,O8,2025-01-09,-17.5,1,paid',
      'C4,O9,2025-01-10,90000,1,paid', ...Array.from({ length: 30 }, (_, i) => `C${5 + (i % 4)},P${i},2025-01-${String(11 + (i % 15)).padStart(2, '0')},${20 + i}.25,2,paid`),
    ];
    const p = join(dir, `single${k++}.csv`);
    writeFileSync(p, 'customer_id,order_id,order_date,amount,quantity,status\n' + rows.map((r) => r + '\n').join(''));
    for (const returns of ['net', 'drop', 'keep'] as const) {
      for (const outliers of ['cap', 'drop', 'flag'] as const) {
        const clean: CleanStageOptions = { returns, outliers, exclude: new Set(['C2']), since: DAY0, until: DAY0 + 40, asOf: null, foldWindow: 10_000 };
        const js = await viaJs(p, clean, null);
        const sql = await runWithDuckdb([p], INGEST, clean, null, { memoryLimit: null, threads: 1, partitions: returns === 'drop' ? 3 : 1 });
        if ('why' in sql) throw new Error(`fell back: ${sql.why}`);
        expect(sql.audit, `${returns} ${outliers}`).toEqual(js.audit);
        expect(summariesFromFacts(sql.facts, sql.asOf)).toEqual(js.summaries);
        expect(sql.audit.rows_in).toBe(39);
        expect(sql.audit.removed).toMatchObject({ guest: 1, excluded: 1, before_since: 1, after_until: 1 });
        if (returns === 'drop') expect(sql.audit.removed.cancelled + sql.audit.removed.returned).toBe(4);
      }
    }
  });

  it('checks the cells only in the first query: the second (--outliers cap/drop) reads rows the first found taken as written', () => {
    const o = { from: 't', hasQuantity: true, hasStatus: true, returns: 'net' as const, dropDuplicates: true, guestsDrop: true, guestIds: [], hasExclude: false, since: null, until: null, asOf: null };
    expect(ordersCtes(o)).toContain('regexp_full_match(concat_ws(');
    expect(ordersCtes({ ...o, checked: true })).not.toContain('regexp_full_match(concat_ws(');
    expect(ordersCtes({ ...o, checked: true })).toContain('CAST(0 AS UTINYINT) AS bad');
  });

  it('falls back, saying why, for inputs ingest would change or reject', async () => {
    const cases: [string, string][] = [
      ['customer_id,order_id,order_date,amount\nC1,O1,2025-01-02,"1,250.00"\n', 'not in the form'],
      ['customer_id,order_id,order_date,amount\nC1,O1,2025/01/02,12\n', 'not in the form'],
      ['customer_id,order_id,order_date,amount\nC1,O1,02/01/2025,12\nC1,O1,31/01/2025,12\n', 'dates inferred'],
      ['customer_id,order_id,order_date,amount\n C1,O1,2025-01-02,12\nC2,O2,2025-01-02,12\n', 'not in the form'],
      ['customer_id,order_id,order_date,amount\nNA,O1,2025-01-02,12\n', 'not in the form'],
      ['customer_id,order_id,order_date,amount\nC1,,2025-01-02,12\n', 'not in the form'],
      ['客户ID,订单号,下单时间,实付金额\nC1,O1,2025-01-02,12\n', 'columns map as'],
      ['customer_id;order_id;order_date;amount\nC1;O1;2025-01-02;12\n', 'comma-separated'],
      ['customer_id,order_date,amount\nC1,2025-01-02,12\n', 'no order_id column'],
      ['\ufeffcustomer_id,order_id,order_date,amount\nC1,O1,2025-01-02,12\n', 'BOM'],
      ['customer_id,order_id,order_date,amount\nC1,O1,2025-01-02,12,extra\n', 'DuckDB cannot read the input at'],
      ['customer_id,order_id,order_date,amount,order_time\nC1,O1,2025-01-02,12,9:05\n', 'not in the form'],
      ['customer_id,order_id,order_date,amount,item\nC1,O1,2025-01-02,12, A1\n', 'not in the form'],
    ];
    for (const [text, why] of cases) {
      const p = join(dir, `fb${k++}.csv`);
      writeFileSync(p, text);
      // A file DuckDB's reader takes otherwise than the head check is a DuckdbError the caller falls back from.
      const r = await runWithDuckdb([p], INGEST, {}, null, { memoryLimit: null, threads: 1 }).catch((e: unknown) => ({ why: (e as DuckdbError).why }));
      expect('why' in r ? r.why : 'took it', text).toContain(why);
    }
    const p = join(dir, 'ok.csv');
    writeFileSync(p, 'customer_id,order_id,order_date,amount\nC1,O1,2025-01-02,12\n');
    expect(await runWithDuckdb([p], { ...INGEST, keep: ['x'] }, {}, null, { memoryLimit: null })).toEqual({ why: '--keep' });
    expect(await runWithDuckdb(['-'], INGEST, {}, null, { memoryLimit: null })).toEqual({ why: 'standard input' });
  });

  it('throws a DuckdbError naming the file and line when a line past the checked head is not CSV DuckDB reads', async () => {
    // The head check reads the first 1 MB: the bad line comes after it.
    const lines = ['customer_id,order_id,order_date,amount'];
    for (let i = 0; i < 60_000; i++) lines.push(`C${i},O${i},2025-01-02,12`);
    const p = join(dir, 'late-bad.csv');
    writeFileSync(p, [...lines, 'C1,Ox,2025-01-02,12,9', 'C2,Oy,2025-01-03,5'].join('\n') + '\n');
    const e = await runWithDuckdb([p], INGEST, {}, null, { memoryLimit: null, threads: 1 }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(DuckdbError);
    const d = e as DuckdbError;
    expect([d.kind, d.exitCode, d.where]).toEqual(['input', 2, { file: p, line: 60_002 }]);
    expect(d.why).toBe(`DuckDB cannot read the input at ${p}:60002 (Invalid Input Error: CSV Error on Line: 60002: Expected Number of Columns: 4 Found: 5)`);
  });

  it('reads gzip CSV and Parquet (typed columns) in canonical form with the same results as plain CSV', async () => {
    const lines = fc.sample(lineArb, { numRuns: 400, seed: 11 });
    const csv = writeCsv(lines);
    const gz = join(dir, 'same.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    const parquet = join(dir, 'same.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    await con.run(`COPY (SELECT customer_id, order_id, CAST(order_date AS DATE) AS order_date, CAST(amount AS DECIMAL(18,2)) AS amount,
      quantity, status FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    con.closeSync();
    const clean: CleanStageOptions = { outliers: 'cap', exclude: new Set(['C2']), asOf: null };
    const base = await runWithDuckdb([csv], INGEST, clean, null, { memoryLimit: null });
    if ('why' in base) throw new Error(base.why);
    for (const p of [gz, parquet]) {
      const r = await runWithDuckdb([p], INGEST, clean, null, { memoryLimit: null });
      if ('why' in r) throw new Error(`${p}: ${r.why}`);
      expect(r.audit).toEqual(base.audit);
      expect(summariesFromFacts(r.facts, r.asOf)).toEqual(summariesFromFacts(base.facts, base.asOf));
    }
    expect(await runWithDuckdb([csv, parquet], INGEST, clean, null, { memoryLimit: null })).toEqual({ why: 'some files are Parquet and some are not' });
  });

  it('reports the file as ingest would (mapping, date format, decimal mark)', () => {
    const h = checkHead('x.csv', new TextEncoder().encode('customer_id,order_id,order_date,amount,status\nC1,O1,2025-01-02,12,paid\n'), true, INGEST);
    expect('report' in h && h.report).toMatchObject({ file: 'x.csv', encoding: 'utf-8', delimiter: ',', header: true, dateFormat: 'ymd', decimal: '.', fields: { customer_id: 'customer_id', status: 'status' } });
  });
});
