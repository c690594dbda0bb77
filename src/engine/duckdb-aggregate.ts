/**
 * `--engine duckdb`: the O(orders) aggregation of canonical transactions runs inside embedded
 * DuckDB (@duckdb/node-api), which reads CSV (plain or gzip) and Parquet on every core and
 * spills to disk under `--memory-limit`; JavaScript receives one row of primary facts per
 * customer and builds the summaries with the same makeSummary as the JavaScript engine, so
 * the customer table is byte-identical (test/engine/duckdb-aggregate.test.ts).
 *
 * The query reads the input once and groups twice: per (customer, day), then per customer
 * over the days (see duckdbFactsSql). It replaced one grouping per customer with a DISTINCT
 * count of days followed by a second read of the input, joined with the first result to sum
 * the net amount dated on or before the first purchase day (for repeat_avg_value): that join
 * was a third of the query's CPU time on 10M lines. An earlier per-(customer, day) grouping
 * spilled heavily because it carried 128-bit decimals; amounts are DECIMAL(18,6) (exact to
 * 1e-6 up to 10¹² per line; larger ones fall back to the JavaScript engine). Measurements:
 * docs/performance.md.
 */
// Types only: the native engine is loaded when a DuckDB session opens (openDuckdb), so that the
// commands that never use it do not pay for loading it at start-up.
import type { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { existsSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { dataError, usageError } from '../errors.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { summariesFromFacts, type SummaryFacts } from '../core/aggregate/summary-facts.js';
import { roundMoney } from '../core/money.js';
import { formatDay } from '../core/time/day.js';
import { stringLiteral } from '../core/sql/dialects.js';
import { duckdbError } from '../io/duckdb-error.js';
import { makeTempDir } from '../io/process-cleanup.js';
import { isStdin } from '../io/text-input.js';
import { isCanonicalHeader } from '../core/types.js';

/** Resources of an embedded DuckDB. */
export interface DuckdbLimits {
  /** DuckDB memory_limit, e.g. '2GB'; default {@link DEFAULT_MEMORY_LIMIT}. */
  memoryLimit?: string | null;
  /** Worker threads (default: cores). */
  threads?: number;
  /** Directory for DuckDB's spill files (default: a folder in the process's temp folder, removed on close or exit). */
  tempDirectory?: string | null;
}

export interface DuckdbAggregateOptions extends DuckdbLimits {
  /** Inclusive as-of day number; null = the latest order_date in the input. */
  asOf: number | null;
}

export interface DuckdbAggregateResult {
  summaries: CustomerSummary[];
  asOf: number;
  rows: number;
  refundOnly: number;
  afterAsOf: number;
}

/** Input file kind by extension: Parquet, else CSV (DuckDB detects .gz/.zst compression). */
export function fileKind(path: string): 'parquet' | 'csv' {
  return /\.parquet$/i.test(path) ? 'parquet' : 'csv';
}

/**
 * DuckDB's CSV reader buffer in bytes (its default is 32 MB). Its buffers stay pinned, out of
 * the memory limit's reach, up to two at a time and one until the query ends; smaller ones
 * leave that memory to the operators that can spill (#29, docs/performance.md). It must exceed
 * DuckDB's maximum line size (2 MB by default), which a longer line fails either way.
 */
export const CSV_BUFFER_BYTES = 4_000_000;

/** The FROM expression reading every input file as text columns (CSV) or typed (Parquet). */
export function sourceSql(paths: string[]): string {
  const kinds = new Set(paths.map(fileKind));
  if (kinds.size > 1) throw usageError('--engine duckdb: give either CSV or Parquet files, not both', 'convert them to one format');
  const list = '[' + paths.map(stringLiteral).join(', ') + ']';
  return kinds.has('parquet')
    ? `read_parquet(${list})`
    : `read_csv(${list}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', union_by_name = false, buffer_size = ${CSV_BUFFER_BYTES})`;
}

const dayOf = (expr: string): string => `CAST(date_diff('day', DATE '1970-01-01', ${expr}) AS INTEGER)`;

/**
 * The per-customer facts query (DuckDB dialect); `asOf` null = no as-of filter. Two groupings:
 * per (customer, day) — rows, orders and net amount of the day — then per customer over those
 * days (purchase days = days with an order, no DISTINCT aggregate). The first purchase day's
 * net is the day's amount taken by arg_min; the net of refund-only days before it (rare:
 * unordered input) rides along as a per-customer list of those days, filtered afterwards.
 * One read of the input instead of the former second pass, a hash join of every row with
 * its customer's first purchase day (docs/performance.md).
 */
export function duckdbFactsSql(from: string, asOf: number | null): string {
  return `WITH ${factsCtes(from, asOf, false)}\n${FACTS_SELECT}`;
}

/** `d` on or before the as-of day (TRUE without one). */
const withinSql = (asOf: number | null): string => (asOf === null ? 'TRUE' : `d <= DATE '${formatDay(asOf)}'`);

/**
 * The CTEs of duckdbFactsSql: `cd` per (customer, day) and `cust` per customer. With
 * `firstTwo`, `cd` and `cust` are materialized, so that the cohorts (duckdb-cohorts.ts
 * cohortPartsSql) read these rows instead of grouping the orders per (customer, day) a second
 * time; `firstTwo` 'heap' also gives `cust` the first two purchase days (`fd`, a `min(d, 2)`
 * heap per customer that DuckDB 1.5 cannot spill), 'join' leaves the second to the cohorts.
 * `checked`: every order has a date and an amount (the cleaning query's orders, whose rows
 * the check took as written), so no row is counted as bad.
 */
export function factsCtes(from: string, asOf: number | null, firstTwo: false | 'heap' | 'join', checked = false): string {
  const within = withinSql(asOf);
  // A count that can only be 0 is a constant of `cust`, not a column of `cd`: fewer aggregate
  // states in the largest hash table, fewer columns in its materialized rows. Counts of one
  // customer's lines on one day are 32-bit there (a larger one fails the query: no silent wrap).
  const afterCd = asOf === null ? '' : `count(*) FILTER (WHERE NOT (${within})) AS n_after,\n    `;
  const badCd = checked ? '' : 'count(*) FILTER (WHERE d IS NULL OR a IS NULL) AS n_bad,\n    ';
  return `tx AS NOT MATERIALIZED (
  SELECT COALESCE(CAST(customer_id AS VARCHAR), '') AS c,
         TRY_CAST(order_date AS DATE) AS d,
         TRY_CAST(amount AS DECIMAL(18,6)) AS a
  FROM ${from}
),
cd AS${firstTwo ? ' MATERIALIZED' : ''} (
  SELECT c, d,
    CAST(count(*) AS INTEGER) AS n_all,
    ${afterCd}${badCd}CAST(count(*) FILTER (WHERE a >= 0 AND ${within}) AS INTEGER) AS n_orders,
    sum(a) FILTER (WHERE ${within}) AS net
  FROM tx
  GROUP BY c, d
),
cust AS${firstTwo ? ' MATERIALIZED' : ''} (
  SELECT c,
    sum(n_all) AS rows_all,
    ${afterCd ? 'sum(n_after)' : '0'} AS rows_after,
    ${badCd ? 'sum(n_bad)' : '0'} AS bad,
    max(d) AS max_d,
    sum(n_orders) AS orders,
    count(*) FILTER (WHERE n_orders > 0) AS purchase_days,
    sum(net) AS revenue,
    ${firstTwo === 'heap' ? 'min(d, 2) FILTER (WHERE n_orders > 0) AS fd, (min(d, 2) FILTER (WHERE n_orders > 0))[1]' : 'min(d) FILTER (WHERE n_orders > 0)'} AS first_d,
    max(d) FILTER (WHERE n_orders > 0) AS last_d,
    arg_min(net, d) FILTER (WHERE n_orders > 0) AS first_day_net,
    list({'d': d, 'net': net}) FILTER (WHERE n_orders = 0 AND net IS NOT NULL) AS refund_days
  FROM cd
  GROUP BY c
)`;
}

/** The facts columns (FactsCollector's order) from factsCtes's `cust`. */
export const FACTS_SELECT = `SELECT c,
  CAST(rows_all AS BIGINT) AS rows_all,
  CAST(rows_after AS BIGINT) AS rows_after,
  CAST(bad AS BIGINT) AS bad,
  ${dayOf('max_d')} AS max_day,
  CAST(orders AS INTEGER) AS orders,
  CAST(purchase_days AS INTEGER) AS purchase_days,
  CAST(coalesce(revenue, 0) AS DOUBLE) AS revenue,
  ${dayOf('first_d')} AS first_day,
  ${dayOf('last_d')} AS last_day,
  CAST(first_day_net + coalesce(list_sum(list_transform(list_filter(refund_days, lambda x: x.d < first_d), lambda x: x.net)), 0) AS DOUBLE) AS first_net
FROM cust`;

/** The facts of the customers with a purchase day, as columns, and the totals over every facts row. */
export interface DuckdbFacts {
  facts: SummaryFacts;
  asOf: number;
  rows: number;
  refundOnly: number;
  afterAsOf: number;
}

/** A first day meaning "no purchase day on or before the as-of day" (day numbers are far smaller). */
const NO_DAY = -0x80000000;

/**
 * Collects facts rows (the columns of duckdbFactsSql, in order) into typed columns and hands
 * them out as SummaryFacts, sorted by id in UTF-16 order like the JavaScript engine: `run`
 * then treats them as the JavaScript engine's facts (summary views, scoring from columns)
 * instead of building a million summary objects, whose garbage collection the JavaScript
 * engine had already been spared. The columns are kept in their final form as rows arrive, and
 * handed out in place (customers without a purchase day squeezed out), so that at 10M
 * customers the step does not hold a growing copy and a final copy of every column at once
 * (#29 item 5); with the row count given up front they are allocated once, at their size.
 */
export class FactsCollector {
  private ids: string[] = [];
  private n = 0;
  private orders: Int32Array;
  private pdays: Int32Array;
  private revenue: Float64Array;
  /** NO_DAY: no purchase day on or before the as-of day. */
  private first: Int32Array;
  private last: Int32Array;
  private repeat: Float64Array;
  private rows = 0;
  private after = 0;
  private bad = 0;
  private refundOnly = 0;
  private maxDay = -Infinity;

  /** `capacity`: the number of rows to come, when known (else the columns grow). */
  constructor(capacity = 1024) {
    const c = Math.max(1, capacity);
    this.orders = new Int32Array(c);
    this.pdays = new Int32Array(c);
    this.revenue = new Float64Array(c);
    this.first = new Int32Array(c);
    this.last = new Int32Array(c);
    this.repeat = new Float64Array(c);
  }

  private grow(): void {
    const twice = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.orders = twice(this.orders);
    this.pdays = twice(this.pdays);
    this.revenue = twice(this.revenue);
    this.first = twice(this.first);
    this.last = twice(this.last);
    this.repeat = twice(this.repeat);
  }

  /** Adds row k of a chunk's columns. */
  add(cols: readonly (readonly unknown[])[], k: number): void {
    const all = Number(cols[1]![k]);
    const after = Number(cols[2]![k]);
    this.rows += all;
    this.after += after;
    this.bad += Number(cols[3]![k]);
    const md = cols[4]![k] as number | null;
    if (md !== null && md > this.maxDay) this.maxDay = md;
    if (this.n === this.orders.length) this.grow();
    const i = this.n++;
    this.ids.push(cols[0]![k] as string);
    const first = cols[8]![k] as number | null;
    // No purchase day on or before the as-of day; refund rows within it make a refund-only customer.
    if (first === null && all - after > 0) this.refundOnly++;
    const revenue = roundMoney(cols[7]![k] as number);
    this.orders[i] = cols[5]![k] as number;
    this.pdays[i] = cols[6]![k] as number;
    this.revenue[i] = revenue;
    this.first[i] = first ?? NO_DAY;
    this.last[i] = (cols[9]![k] as number | null) ?? 0;
    this.repeat[i] = roundMoney(revenue - roundMoney((cols[10]![k] as number | null) ?? 0));
  }

  /** Customers seen (one facts row each). */
  get customers(): number {
    return this.n;
  }

  /**
   * The facts at `asOfOpt` (null: the latest day); null when a row had no readable date or
   * amount. Hands the columns over: call once.
   */
  finishFacts(asOfOpt: number | null): DuckdbFacts | null {
    if (this.bad > 0) return null;
    const asOf = asOfOpt ?? (this.maxDay === -Infinity ? 0 : this.maxDay);
    // The queries ask DuckDB for the rows ordered by id (a parallel sort, cheaper than this
    // thread's). DuckDB orders text by UTF-8 bytes, which differs from UTF-16 order only
    // between characters above U+FFFF and U+E000-U+FFFF, so the order is checked and fixed when it differs.
    const ids = this.ids;
    const n = this.n;
    const cols = [this.orders, this.pdays, this.revenue, this.first, this.last, this.repeat] as const;
    let kept = 0;
    if (sortedIds(ids)) {
      // In place: row r moves to j <= r.
      for (let r = 0; r < n; r++) {
        if (this.first[r] === NO_DAY) continue;
        if (kept !== r) {
          ids[kept] = ids[r]!;
          for (const c of cols) c[kept] = c[r]!;
        }
        kept++;
      }
      ids.length = kept;
    } else {
      const order = Array.from({ length: n }, (_, i) => i).filter((i) => this.first[i] !== NO_DAY);
      order.sort((x, y) => (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0));
      kept = order.length;
      const sorted = order.map((i) => ids[i]!);
      for (const c of cols) {
        const copy = c.slice(0, n);
        for (let j = 0; j < kept; j++) c[j] = copy[order[j]!]!;
      }
      this.ids = sorted;
    }
    const cut = <T extends Int32Array | Float64Array>(c: T): T => (c.length === kept ? c : (c.subarray(0, kept) as T));
    const f: SummaryFacts = {
      ids: this.ids,
      orders: cut(this.orders),
      purchaseDays: cut(this.pdays),
      revenue: cut(this.revenue),
      firstDay: cut(this.first),
      lastDay: cut(this.last),
      repeatRevenue: cut(this.repeat),
    };
    this.ids = [];
    return { facts: f, asOf, rows: this.rows, refundOnly: this.refundOnly, afterAsOf: this.after };
  }

  /** The summaries at `asOfOpt` (makeSummary on the facts); null when a row had no readable date or amount. */
  finish(asOfOpt: number | null): DuckdbAggregateResult | null {
    const r = this.finishFacts(asOfOpt);
    if (r === null) return null;
    return { summaries: summariesFromFacts(r.facts, r.asOf), asOf: r.asOf, rows: r.rows, refundOnly: r.refundOnly, afterAsOf: r.afterAsOf };
  }
}

const sortedIds = (ids: readonly string[]): boolean => {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
};

/** True when the ids are in strictly ascending UTF-16 order (JavaScript's `<` on strings). */
export function sortedById(rows: readonly { id: string }[]): boolean {
  return sortedIds(rows.map((r) => r.id));
}

/** Reads the column names of the input (first file decides; DuckDB checks the rest). */
async function columnNames(con: DuckDBConnection, from: string): Promise<string[]> {
  const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  return r.getRowObjectsJS().map((row) => String(row['column_name']));
}

/**
 * DuckDB's memory limit when --memory-limit is not given. DuckDB's own default (80% of RAM)
 * let a 10M-line run take gigabytes; beyond the limit it spills to disk at little cost in
 * time (docs/performance.md). The process holds about 200 MB besides DuckDB's buffers (the
 * facts in JavaScript, the engine's own allocations): 600 MB keeps a 10M-line `run` under 1 GB.
 */
export const DEFAULT_MEMORY_LIMIT = '600MB';

/** An in-process DuckDB connection and what closing it must clean up. */
export interface DuckdbSession {
  con: DuckDBConnection;
  close(): void;
}

/**
 * Opens an in-process DuckDB with the given limits. Spill files go to a folder in the process's
 * temp folder (removed on close, and on any exit), so --memory-limit bounds memory without littering the
 * working directory.
 */
export async function openDuckdb(o: DuckdbLimits): Promise<DuckdbSession> {
  const tmp = o.tempDirectory ?? makeTempDir('duckdb');
  // Row order is irrelevant (results are sorted in JavaScript): letting DuckDB drop it
  // halves the time of materialising intermediate tables.
  const config: Record<string, string> = { threads: String(o.threads ?? Math.max(1, cpus().length)), temp_directory: tmp, preserve_insertion_order: 'false' };
  config['memory_limit'] = o.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  let inst: DuckDBInstance;
  try {
    const { DuckDBInstance: Instance } = await import('@duckdb/node-api');
    inst = await Instance.create(':memory:', config);
  } catch (e) {
    if (!o.tempDirectory) rmSync(tmp, { recursive: true, force: true });
    throw usageError(`--engine duckdb: ${(e as Error).message.split('\n')[0]}`, 'check --memory-limit (e.g. 2GB)');
  }
  const con = await inst.connect();
  return {
    con,
    close() {
      con.closeSync();
      inst.closeSync();
      if (!o.tempDirectory) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Aggregates canonical transaction files in DuckDB. Returns null when the input is not
 * canonical transactions (a per-customer table: the caller reads it with the JavaScript
 * reader) or holds a value DuckDB cannot read as a date or amount (the caller then runs the
 * JavaScript engine, which stops at the first bad cell with its file, line and column).
 * Throws a DuckdbError (io/duckdb-error.ts) when DuckDB runs out of memory or spill space,
 * cannot read a file, or overflows a count; the caller decides whether to fall back.
 */
export async function aggregateWithDuckdb(paths: string[], o: DuckdbAggregateOptions): Promise<DuckdbAggregateResult | null> {
  for (const p of paths) {
    if (isStdin(p)) throw usageError('--engine duckdb reads files (CSV, CSV.gz or Parquet), not standard input', 'save the stream to a file, or use --engine js');
    if (!existsSync(p)) throw dataError(`no such file: ${p}`, { file: p }, 'check the path');
  }
  const db = await openDuckdb(o);
  const con = db.con;
  const failed = (e: unknown): unknown => duckdbError(e, { files: paths, memoryLimit: o.memoryLimit ?? DEFAULT_MEMORY_LIMIT }) ?? e;
  try {
    const from = sourceSql(paths);
    let names: string[];
    try {
      names = await columnNames(con, from);
    } catch (e) {
      const known = failed(e);
      if (known !== e) throw known;
      throw dataError(`DuckDB cannot read the input: ${(e as Error).message.split('\n')[0]}`, { file: paths[0]! }, 'give canonical transactions (custkit clean output) as CSV, CSV.gz or Parquet');
    }
    if (!isCanonicalHeader(names)) return null;
    try {
      return await readFacts(con, from, o.asOf);
    } catch (e) {
      throw failed(e);
    }
  } finally {
    db.close();
  }
}


/**
 * Runs the facts query over `from` and builds the summaries (makeSummary, sorted by id in
 * UTF-16 order like the JavaScript engine). Null when some row has no readable date or amount.
 */
export async function readFacts(con: DuckDBConnection, from: string, asOfOpt: number | null): Promise<DuckdbAggregateResult | null> {
  const result = await con.run(`${duckdbFactsSql(from, asOfOpt)}\nORDER BY cust.c`);
  const facts = new FactsCollector();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const cols = chunk.getColumns();
    for (let k = 0; k < chunk.rowCount; k++) facts.add(cols, k);
  }
  return facts.finish(asOfOpt);
}
