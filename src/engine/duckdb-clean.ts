/**
 * `run --engine duckdb`: ingest, clean and the per-customer aggregation of an export that is
 * already in canonical shape, all inside embedded DuckDB (rules: core/sql/clean-sql.ts).
 *
 * Which inputs qualify ("taken as written"): UTF-8 without BOM, comma-separated, a header
 * that custkit's own column mapping maps to customer_id, order_id, order_date, amount (and
 * optionally quantity, status, order_time, item) under those very names, no --map/--keep, dot decimals, and
 * every cell already in the form ingest would write (see takenAsWrittenSql): the output of
 * `custkit ingest`, of a database export, or of custkit's generator. The first 1 MB of each
 * file is checked in JavaScript with ingest's own sniffing functions; the rest by the SQL
 * itself. Anything else — other encodings or delimiters, Chinese headers, currency symbols,
 * rows ingest would reject — returns `{ why }` and `run` uses the JavaScript pipeline, which
 * gives the same results and reports rejects with line numbers.
 */
import { isStdin } from '../io/text-input.js';
import { duckdbError } from '../io/duckdb-error.js';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import { auditDuplicateRule, auditOptions, auditOutlierRule, emptyRemoved, sortedGuestCounts, type CleanAudit } from '../core/clean/audit.js';
import { duplicateRule } from '../core/clean/line-identity.js';
import { resolveCleanOptions, type CleanOptions } from '../core/clean/clean-options.js';
import { binOf } from '../core/clean/log-histogram.js';
import { OutlierFence, type Fence } from '../core/clean/outlier-fence.js';
import { resolveMapping } from '../core/ingest/columns.js';
import { inferDateFormat, parseDateFormatOption } from '../core/ingest/dates.js';
import { detectEncoding, firstInvalidUtf8, sniffDelimiter, looksLikeHeader } from '../core/ingest/sniff.js';
import { roundMoney } from '../core/money.js';
import { stringLiteral } from '../core/sql/dialects.js';
import { sizeBytes } from '../core/size-bytes.js';
import { AMOUNT_HISTOGRAM_SQL, AUDIT_GROUP_COLUMNS, auditGroupsSql, auditTotalsSql, emittedOrdersSql, EXCLUDED_MATCHED_SQL, GUEST_COUNTS_SQL, ordersCtes, type CleanSqlOptions } from '../core/sql/clean-sql.js';
import { DEFAULT_MEMORY_LIMIT, FACTS_SELECT, FactsCollector, factsCtes, openDuckdb, sourceSql } from './duckdb-aggregate.js';
import { EARLIEST_DAY, type IngestOptions } from '../config/ingest-options.js';
import { mapSource, type FileReport } from '../core/ingest/file-report.js';
import { inferDecimal } from '../core/ingest/numbers.js';
import { CohortParts, cohortPartsSql } from './duckdb-cohorts.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { CohortReport } from '../core/cohort/cohort-table.js';

const HEAD_BYTES = 1 << 20;
const SAMPLE_ROWS = 2000;
const CANONICAL = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status', 'order_time', 'item'] as const;

export interface DuckdbRunResult {
  reports: FileReport[];
  rowsRead: number;
  bytes: number;
  audit: CleanAudit;
  /** The customers' facts in output order (summaryViews / summariesFromFacts give their summaries). */
  facts: SummaryFacts;
  asOf: number;
  refundOnly: number;
  fence: Fence | null;
  /** The cohort tables (duckdb-cohorts.ts), when a grain was asked for. */
  cohorts: CohortReport | null;
  /** The customer partitions the step ran in (1: one query; partitionsFor). */
  partitions: number;
}

/** What the head of one file says: its report, or why DuckDB cannot take it as written. */
export function checkHead(path: string, head: Uint8Array, complete: boolean, opts: IngestOptions): { report: FileReport; header: string[] } | { why: string } {
  if (opts.encoding !== 'auto' && opts.encoding !== 'utf-8') return { why: `--encoding ${opts.encoding}` };
  if (opts.delimiter !== 'auto' && opts.delimiter !== ',') return { why: `--delimiter ${opts.delimiter}` };
  if (!opts.header) return { why: '--no-header' };
  if (opts.decimal === ',') return { why: '--decimal ,' };
  const enc = detectEncoding(head);
  if (enc.encoding !== 'utf-8' || enc.bom > 0) return { why: `${path} is ${enc.encoding}${enc.bom ? ' with a BOM' : ''}, not plain UTF-8` };
  const bad = firstInvalidUtf8(head);
  if (bad >= 0) return { why: `${path} is not valid UTF-8` };
  let text = new TextDecoder('utf-8').decode(head);
  if (!complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, to_line: SAMPLE_ROWS + 1 }) as string[][];
  } catch {
    return { why: `the head of ${path} is not plain CSV` };
  }
  const lines = text.split('\n', 50);
  if (sniffDelimiter(lines) !== ',') return { why: `${path} is not comma-separated` };
  const header = rows[0];
  if (!header) return { why: `${path} is empty` };
  if (!looksLikeHeader(header, rows[1] ?? null)) return { why: `${path} has no header row` };
  if (header.some((h) => h !== h.trim())) return { why: `${path}: header cells with surrounding spaces` };
  const c = checkColumns(header, opts);
  if ('why' in c) return c;
  const f = c.fields;
  const sample = rows.slice(1);
  let dateFormat: string;
  if (opts.dateFormat === 'auto') {
    const inf = inferDateFormat(sample.map((r) => r[f.order_date!] ?? ''));
    if (inf.ambiguous || (inf.format !== 'ymd' && inf.format !== 'auto')) return { why: `dates inferred as ${inf.format}` };
    dateFormat = inf.format;
  } else {
    const fmt = parseDateFormatOption(opts.dateFormat);
    if (fmt !== 'ymd') return { why: `--date-format ${opts.dateFormat}` };
    dateFormat = fmt;
  }
  if (opts.decimal === 'auto' && inferDecimal(sample.map((r) => r[f.amount!] ?? '')) !== '.') return { why: 'comma decimals' };
  return { header, report: { ...c.report, file: path, dateFormat } };
}

/**
 * The column part of the check: custkit's own mapping must map customer_id, order_id,
 * order_date, amount (and quantity, status, order_time, item if present) to columns of those very names.
 */
export function checkColumns(header: string[], opts: IngestOptions): { fields: Partial<Record<string, number>>; report: FileReport } | { why: string } {
  if (Object.keys(opts.map).length > 0) return { why: '--map' };
  if (opts.keep.length > 0) return { why: '--keep' };
  const m = resolveMapping({ header, columnCount: header.length, overrides: {}, keep: [] });
  const f = m.fields;
  for (const [field, i] of Object.entries(f)) {
    if (!(CANONICAL as readonly string[]).includes(field) || header[i as number] !== field) return { why: `columns map as ${m.describe}` };
  }
  for (const need of ['customer_id', 'order_id', 'order_date', 'amount'] as const) if (f[need] === undefined) return { why: `no ${need} column` };
  return {
    fields: f,
    report: {
      file: '',
      encoding: 'utf-8',
      delimiter: ',',
      header: true,
      mapping: m.describe,
      fields: Object.fromEntries(Object.entries(f).map(([k, i]) => [k, header[i as number]!])),
      mapSpec: Object.entries(f).map(([k, i]) => `${k}=${mapSource(header, i as number)}`).join(','),
      dateFormat: 'ymd',
      decimal: '.',
      rows: 0,
    },
  };
}

/**
 * The first HEAD_BYTES of a file's text (gzip decompressed as far as its first 256 KB go), and
 * the file's estimated lines (its size over the head's bytes per line, times the head's
 * compression ratio for gzip).
 */
function readHead(path: string): { head: Uint8Array; complete: boolean; lines: number } {
  const size = statSync(path).size;
  const gz = /\.gz$/i.test(path);
  const fd = openSync(path, 'r');
  const perLine = (text: Uint8Array, fileBytes: number): number => {
    let nl = 0;
    for (let i = 0; i < text.length; i++) if (text[i] === 10) nl++;
    return nl === 0 ? 1 : Math.ceil((fileBytes * nl) / text.length);
  };
  try {
    const buf = new Uint8Array(Math.min(size, gz ? HEAD_BYTES / 4 : HEAD_BYTES));
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (!gz) return { head: buf.subarray(0, n), complete: n >= size, lines: perLine(buf.subarray(0, n), size) };
    const text = gunzipSync(buf.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return { head: text.subarray(0, HEAD_BYTES), complete: n >= size && text.length <= HEAD_BYTES, lines: perLine(text, n === 0 ? 0 : (size * text.length) / n) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Bytes of `--memory-limit` one input line takes in the DuckDB step, for choosing how many
 * customer partitions it runs in. What DuckDB 1.5 cannot spill grows with the lines of a query
 * (about 12 bytes a line: arena memory and hash tables' slot arrays handed out whole), and the
 * 100M-line file failed at 2GB in one query; a partition of at most limit / 48 lines keeps
 * that part under a quarter of the limit (#29 item 5, docs/performance.md).
 */
export const LIMIT_BYTES_PER_LINE = 48;

/** How many customer partitions the DuckDB step runs in for `lines` input lines under `memoryLimit` (1: one query). */
export function partitionsFor(lines: number, memoryLimit: string): number {
  const bytes = sizeBytes(memoryLimit);
  if (bytes === null || !(lines > 0)) return 1;
  return Math.min(64, Math.max(1, Math.ceil((lines * LIMIT_BYTES_PER_LINE) / bytes)));
}

/** The temporary table holding runUnion's parts before they are read in order. */
const UNION_TABLE = 'union_parts';

const decimalLiteral = (x: number): string => `CAST('${roundMoney(x).toFixed(6)}' AS DECIMAL(18,6))`;

interface UnionResult {
  facts: FactsCollector;
  audit: Record<string, number> | null;
  /** [amount, count] of positive emitted orders. */
  hist: [number, number][];
  /** Lines removed as guests per placeholder (with the audit). */
  guests: Map<string, number>;
  /** Listed ids that removed a line (with the audit). */
  excludedMatched: number;
  /** Cohort rows (with the facts, when a grain is asked for). */
  cohorts: CohortParts | null;
}

/** The union table's columns: the facts (duckdbFactsSql), a text payload, the part tag. */
const UNION_TYPES = ['VARCHAR', 'BIGINT', 'BIGINT', 'BIGINT', 'INTEGER', 'INTEGER', 'INTEGER', 'DOUBLE', 'INTEGER', 'INTEGER', 'DOUBLE', 'VARCHAR'];
const nulls = (over: Record<number, string>): string => UNION_TYPES.map((t, i) => over[i] ?? `CAST(NULL AS ${t})`).join(', ');

/** The partitions' rows before they are combined (runUnion with more than one partition). */
const PARTS_TABLE = 'partition_parts';

/** The input rows of customer partition `index` of `of` (by a hash of the customer id, so that every rule sees all of a customer's lines). */
export const partitionFrom = (from: string, of: number, index: number): string => `(SELECT * FROM ${from} AS whole WHERE hash(customer_id) % ${of} = ${index})`;

/**
 * One query over the cleaning CTEs whose result interleaves its parts, tagged in the last
 * column: per-customer facts ('f', the columns of duckdbFactsSql), the audit totals ('a', one
 * JSON cell), the amount histogram ('h'), guest counts ('g'), excluded ids matched ('x') and
 * cohort rows ('c'). The audit, the histogram, the guests and the exclusions share one grouping
 * of the orders (`g`, auditGroupsSql); the facts and the cohorts share the per-(customer, day)
 * grouping (factsCtes): the orders (`f`) are read twice. The query fills a temporary table,
 * read back in order by a second statement.
 *
 * With `partitions` > 1 the query runs once per customer partition (partitionFrom), each
 * reading the whole input but cleaning and grouping only its customers' lines, so that what
 * DuckDB cannot spill, which grows with a query's lines, is that much smaller. Every part is
 * a sum over customers: the partitions' facts rows are kept, their audit groups (as JSON,
 * exact decimals) and cohort rows are summed in one last statement, exactly as one query sums
 * them.
 */
async function runUnion(
  con: DuckDBConnection,
  cleaning: CleanSqlOptions,
  parts: { facts: boolean; audit: boolean; hist: boolean; cohorts: CohortGrain | null },
  q: { outlier: string; mode: 'cap' | 'drop' | 'other'; cap: string; asOf: number | null; partitions: number },
): Promise<UnionResult> {
  const { outlier, mode, cap, asOf, partitions } = q;
  // Cohorts from the same orders as the facts (the same read of the input, the same (customer, day) groups).
  const grain = parts.facts ? parts.cohorts : null;
  const factsBranch = `SELECT *, CAST(NULL AS VARCHAR) AS payload, 'f' AS part FROM (${FACTS_SELECT}) AS facts_q`;
  const summaryBranches = (): string[] => {
    const b: string[] = [];
    if (parts.audit) b.push(`SELECT ${nulls({ 11: 'CAST(to_json(t) AS VARCHAR)' })}, 'a' FROM (${auditTotalsSql(mode, cap)}) AS t`);
    if (parts.hist) b.push(`SELECT ${nulls({ 1: 'n', 7: 'amount' })}, 'h' FROM (${AMOUNT_HISTOGRAM_SQL}) AS h`);
    if (parts.audit) b.push(`SELECT ${nulls({ 0: 'v', 1: 'n' })}, 'g' FROM (${GUEST_COUNTS_SQL}) AS gc`);
    if (parts.audit) b.push(`SELECT ${nulls({ 1: 'n' })}, 'x' FROM (${EXCLUDED_MATCHED_SQL}) AS xm`);
    return b;
  };
  // One query: the second purchase day from a heap per customer (faster); in partitions, from a join (spills).
  const secondBy = partitions <= 1 ? 'heap' : 'join';
  const cohortBranch = (tag: string): string => `SELECT ${nulls({ 0: 'kind', 1: 'CAST(cohort AS BIGINT)', 2: 'CAST(x AS BIGINT)', 3: 'CAST(y AS BIGINT)', 11: 'rev' })}, '${tag}' FROM (${cohortPartsSql(grain!, asOf, secondBy)}) AS cq`;
  const withs = (from: string): string => {
    const g = parts.audit || parts.hist ? `,\ng AS (${auditGroupsSql(outlier, mode, parts.hist)})` : '';
    const facts = parts.facts ? `,\n${factsCtes(emittedOrdersSql(outlier, mode, cap), asOf, grain === null ? false : secondBy, true)}` : '';
    return `WITH ${ordersCtes({ ...cleaning, from })}${g}${facts}`;
  };
  // Two statements: the parts into a temporary table, then that table ordered by part tag
  // (column 13) and customer id (FactsCollector.finish then need not sort). In one query the
  // sort's input stayed pinned while the cohorts' groupings ran, and DuckDB ran out of memory
  // under the limit instead of spilling (#29, docs/performance.md).
  let table = UNION_TABLE;
  if (partitions <= 1) {
    const branches = [...(parts.facts ? [factsBranch] : []), ...summaryBranches(), ...(grain ? [cohortBranch('c')] : [])];
    await con.run(`CREATE OR REPLACE TEMP TABLE ${UNION_TABLE} AS ${withs(cleaning.from)}\n${branches.join('\nUNION ALL\n')}`);
  } else {
    // Each partition adds its facts rows ('f'), its audit groups ('G', one JSON cell each) and
    // its cohort rows ('C'); one last statement adds their sums as the parts of one query. The
    // facts rows stay where they are: copying them ran out of memory at small limits.
    table = PARTS_TABLE;
    await con.run(`CREATE OR REPLACE TEMP TABLE ${PARTS_TABLE} (${UNION_TYPES.map((t, i) => `c${i} ${t}`).join(', ')}, part VARCHAR)`);
    for (let i = 0; i < partitions; i++) {
      const branches = [
        ...(parts.facts ? [factsBranch] : []),
        ...(parts.audit || parts.hist ? [`SELECT ${nulls({ 11: 'CAST(to_json(gr) AS VARCHAR)' })}, 'G' FROM g AS gr`] : []),
        ...(grain ? [cohortBranch('C')] : []),
      ];
      await con.run(`INSERT INTO ${PARTS_TABLE} ${withs(partitionFrom(cleaning.from, partitions, i))}\n${branches.join('\nUNION ALL\n')}`);
    }
    const g = `g AS (SELECT ${AUDIT_GROUP_COLUMNS.map(([c, t]) => `CAST(json_extract_string(c11, '$.${c}') AS ${t}) AS ${c}`).join(', ')} FROM ${PARTS_TABLE} WHERE part = 'G')`;
    const c = (over: Record<number, string>, where: string, by: string): string => `SELECT ${nulls(over)}, 'c' FROM ${PARTS_TABLE} WHERE part = 'C' AND ${where} GROUP BY ${by}`;
    const sums = [
      ...summaryBranches(),
      ...(grain
        ? [
            c({ 0: 'c0', 1: 'c1', 2: 'c2', 3: 'CAST(sum(c3) AS BIGINT)', 11: 'CAST(sum(CAST(c11 AS DECIMAL(38,6))) AS VARCHAR)' }, "c0 IN ('cell', 'gap')", 'c0, c1, c2'),
            c({ 0: 'c0', 1: 'c1', 2: 'CAST(sum(c2) AS BIGINT)', 3: 'CAST(sum(c3) AS BIGINT)' }, "c0 = 'size'", 'c0, c1'),
            c({ 0: 'c0', 2: 'min(c2)', 3: 'max(c3)' }, "c0 = 'span'", 'c0'),
          ]
        : []),
    ];
    if (sums.length > 0) {
      // On one thread: the table already holds every customer's facts row in memory, and two
      // threads' hash tables for these few rows did not fit beside them at small limits.
      const threads = Number((await one<{ t: unknown }>(con, "SELECT current_setting('threads') AS t")).t);
      await con.run('SET threads = 1');
      await con.run(`INSERT INTO ${PARTS_TABLE} WITH ${g}\n${sums.join('\nUNION ALL\n')}`);
      await con.run(`SET threads = ${threads}`);
    }
  }
  // The facts rows' count first: their columns are then allocated once, at their size.
  const count = parts.facts ? Number((await one<{ n: bigint }>(con, `SELECT count(*) AS n FROM ${table} WHERE part = 'f'`)).n) : 0;
  const result = await con.run(`SELECT * FROM ${table}${table === PARTS_TABLE ? " WHERE part NOT IN ('G', 'C')" : ''} ORDER BY 13, 1`);
  const out: UnionResult = { facts: new FactsCollector(count), audit: null, hist: [], guests: new Map(), excludedMatched: 0, cohorts: grain ? new CohortParts(grain) : null };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const cols = chunk.getColumns();
    const part = cols[12]!;
    for (let k = 0; k < chunk.rowCount; k++) {
      const p = part[k];
      if (p === 'f') out.facts.add(cols, k);
      else if (p === 'h') out.hist.push([cols[7]![k] as number, Number(cols[1]![k])]);
      else if (p === 'g') out.guests.set(cols[0]![k] as string, Number(cols[1]![k]));
      else if (p === 'x') out.excludedMatched = Number(cols[1]![k]);
      else if (p === 'c') out.cohorts!.add(cols[0]![k] as string, cols[1]![k], cols[2]![k], cols[3]![k], cols[11]![k]);
      else out.audit = JSON.parse(cols[11]![k] as string) as Record<string, number>;
    }
  }
  await con.run(`DROP TABLE ${table}`);
  return out;
}

async function one<T extends Record<string, unknown>>(con: DuckDBConnection, sql: string): Promise<T> {
  const r = await con.runAndReadAll(sql);
  return r.getRowObjectsJS()[0] as T;
}

/**
 * Ingest + clean + aggregate in DuckDB, or `{ why }` when the input does not qualify (see the
 * module comment). `clean` is the stage's resolved options minus the fence (computed here).
 * A failing query throws a DuckdbError (io/duckdb-error.ts: out of memory or spill space, a
 * file DuckDB cannot read, an overflowing count), which the caller may fall back from.
 */
export async function runWithDuckdb(
  paths: string[],
  ingest: IngestOptions,
  clean: CleanOptions,
  asOfOpt: number | null,
  limits: { memoryLimit: string | null; threads?: number; partitions?: number },
  grain: CohortGrain | null = null,
): Promise<DuckdbRunResult | { why: string }> {
  const reports: FileReport[] = [];
  let header: string[] | null = null;
  let bytes = 0;
  let lines = 0;
  const parquet = paths.length > 0 && paths.every((p) => /\.parquet$/i.test(p));
  if (!parquet && paths.some((p) => /\.parquet$/i.test(p))) return { why: 'some files are Parquet and some are not' };
  for (const p of paths) {
    if (isStdin(p)) return { why: 'standard input' };
    if (!existsSync(p)) return { why: `no such file: ${p}` };
    bytes += statSync(p).size;
    if (parquet) continue;
    if (/\.zst$/i.test(p)) return { why: `${p} is zstd-compressed` };
    const { head, complete, lines: estimated } = readHead(p);
    lines += estimated;
    const h = checkHead(p, head, complete, ingest);
    if ('why' in h) return h;
    if (header && header.join('\u0000') !== h.header.join('\u0000')) return { why: 'the files have different headers' };
    header = h.header;
    reports.push(h.report);
  }
  const opts = resolveCleanOptions(clean);
  const db = await openDuckdb(limits);
  const con = db.con;
  try {
    let from = sourceSql(paths);
    if (parquet) {
      // Typed columns: the same checks run on their text (DATE → YYYY-MM-DD, numbers → digits).
      const names = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJS().map((r) => String(r['column_name']));
      const h = checkColumns(names, ingest);
      if ('why' in h) return h;
      header = names;
      for (const p of paths) reports.push({ ...h.report, file: p, encoding: 'parquet', delimiter: '' });
      lines = Number((await one<{ n: bigint | null }>(con, `SELECT sum(num_rows) AS n FROM parquet_file_metadata([${paths.map(stringLiteral).join(', ')}])`)).n ?? 0);
      const used = CANONICAL.filter((c) => names.includes(c));
      from = `(SELECT ${used.map((c) => `CAST("${c}" AS VARCHAR) AS ${c}`).join(', ')} FROM ${from})`;
    }
    const cols = new Set(header);
    if (opts.exclude.size > 0) {
      await con.run('CREATE TABLE excl (id VARCHAR)');
      const app = await con.createAppender('excl');
      for (const id of opts.exclude) {
        app.appendVarchar(id);
        app.endRow();
      }
      app.closeSync();
    }
    // Taken as written, only order_time and item can identify a line (no --keep): as ingest's schema says.
    const hasTime = cols.has('order_time');
    const hasItem = cols.has('item');
    const dupRule = duplicateRule(opts.duplicates, { hasTime, hasItem, dimNames: [], hasOutlier: false });
    const cleaning = {
      from,
      hasQuantity: cols.has('quantity'),
      hasStatus: cols.has('status'),
      hasTime,
      hasItem,
      returns: opts.returns,
      dropDuplicates: dupRule.drop,
      guestsDrop: opts.guests === 'drop',
      guestIds: opts.guestIds,
      hasExclude: opts.exclude.size > 0,
      since: opts.since,
      until: opts.until,
      asOf: opts.asOf,
      dateWindow: ingest.dateWindow ?? { from: EARLIEST_DAY, to: null },
    };
    const partitions = limits.partitions ?? partitionsFor(lines, limits.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
    const mode = opts.outliers === 'cap' ? 'cap' : opts.outliers === 'drop' ? 'drop' : 'other';
    // flag/off: one query gives the facts, the audit and the fence's histogram. cap/drop: the
    // fence changes which orders count, so a first query gives the histogram, a second the rest.
    const first = await runUnion(con, cleaning, { facts: mode === 'other', audit: true, hist: opts.outliers !== 'off', cohorts: grain }, { outlier: 'FALSE', mode, cap: '0', asOf: asOfOpt, partitions });
    const nbad = Number(first.audit!['nbad'] ?? 0);
    if (nbad > 0) return { why: `${nbad} row${nbad === 1 ? '' : 's'} not in the form ingest writes (a value to normalise or reject)` };

    // Outlier fence from the emitted orders' amounts (the same set the streaming passes see).
    let fence: Fence | null = null;
    let outlier = 'FALSE';
    let cap = '0';
    if (opts.outliers !== 'off') {
      const f = new OutlierFence();
      first.hist.sort((a, b) => a[0] - b[0]);
      for (const [a, n] of first.hist) for (let k = 0; k < n; k++) f.add(a);
      fence = f.fence();
      const firstOut = first.hist.find(([a]) => binOf(a) >= fence!.edgeBin);
      if (opts.outliers !== 'flag' && firstOut !== undefined) {
        outlier = `amount >= ${decimalLiteral(firstOut[0])}`;
        cap = decimalLiteral(fence.threshold);
      }
    }
    let second = first;
    // The second query (--outliers cap/drop) runs without the check: the first found every
    // row of the same files taken as written.
    if (mode !== 'other') second = await runUnion(con, { ...cleaning, checked: true }, { facts: true, audit: true, hist: false, cohorts: grain }, { outlier, mode, cap, asOf: asOfOpt, partitions });
    const facts = second.facts.finishFacts(asOfOpt);
    if (facts === null) throw new Error('duckdb-clean: emitted orders with no date or amount');
    const t = second.audit!;
    const num = (k: string): number => Number(t[k] ?? 0);
    const removed = emptyRemoved();
    let rowsRemoved = 0;
    for (const k of Object.keys(removed) as (keyof typeof removed)[]) {
      removed[k] = num(k);
      rowsRemoved += removed[k];
    }
    const auditOpts = resolveCleanOptions({ ...clean, fence });
    const audit: CleanAudit = {
      rows_in: num('rows_in'),
      rows_out: num('rows_out'),
      folded: num('folded'),
      removed,
      rows_removed: rowsRemoved,
      late_order_lines: 0,
      outliers_flagged: opts.outliers === 'flag' && fence ? fence.expected : 0,
      outliers_capped: num('capped'),
      outlier_rule: auditOutlierRule(auditOpts.outliers, fence),
      duplicate_rule: auditDuplicateRule(opts.duplicates, dupRule, num('equal_kept')),
      guests_removed: sortedGuestCounts(second.guests),
      exclusion: { ids_listed: opts.exclude.size, ids_matched: second.excludedMatched },
      orders_out: num('rows_out'),
      customers_out: second.facts.customers,
      amount_in: roundMoney(num('amount_in')),
      amount_out: roundMoney(num('amount_out')),
      amount_removed: roundMoney(num('amount_removed')),
      amount_negated: roundMoney(num('amount_negated')),
      amount_capped: roundMoney(num('amount_capped')),
      // Inputs with a refund or paid_at column never come here (checkColumns: not canonical as written).
      amount_refunded: 0,
      options: auditOptions(auditOpts),
    };
    if (paths.length === 1) reports[0]!.rows = audit.rows_in;
    else {
      for (const r of reports) {
        r.rows = Number((await one<{ n: bigint }>(con, `SELECT count(*) AS n FROM ${sourceSql([r.file])}`)).n);
      }
    }
    return { reports, rowsRead: audit.rows_in, bytes, audit, facts: facts.facts, asOf: facts.asOf, refundOnly: facts.refundOnly, fence, cohorts: second.cohorts?.finish(facts.asOf) ?? null, partitions };
  } catch (e) {
    throw duckdbError(e, { files: paths, memoryLimit: limits.memoryLimit ?? DEFAULT_MEMORY_LIMIT }) ?? e;
  } finally {
    db.close();
  }
}
