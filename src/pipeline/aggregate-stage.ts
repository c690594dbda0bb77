/**
 * From an input file to per-customer summaries: canonical transactions are aggregated in
 * one pass through the mergeable CustomerAccumulator (memory grows with customers, not
 * orders); an existing per-customer table (custkit's own, or customer_id + orders +
 * revenue + last order / recency, like the R rfm package's) is read row by row instead.
 */
import { dataError, usageError } from '../errors.js';
import { quoteDatum } from '../core/terminal-text.js';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import { attrSpecs, AttrValueError, parseAttrOption, type AttributeCells, type AttrSpec } from '../core/aggregate/customer-attributes.js';
import { listValue } from '../config/options.js';

export { describeAttrs } from '../core/aggregate/customer-attributes.js';

/** `--attr country=mode,discount=sum` as name → rule (names and rules are checked against the stream's kept columns). */
export function attrRulesOption(v: unknown): Record<string, string> {
  const r = parseAttrOption(listValue(v));
  if ('error' in r) throw usageError(r.error, 'write --attr column=rule, e.g. --attr country=mode,discount=sum');
  return r;
}
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { OWN_COLUMN_NAMES } from '../core/customer-table/schema.js';
import { detectCustomerTable, layoutNeedsAsOf, rowToSummary, type CustomerTableLayout } from '../core/aggregate/customer-table-input.js';
import { formatDay } from '../core/time/day.js';
import { readCsv } from '../io/csv-reader.js';
import { failOnBrokenQuote } from './broken-quote.js';
import { openText } from '../io/text-input.js';
import { canonicalLayout, parseCanonicalRow, type CanonicalLayout } from './canonical.js';
import { hasCanonicalHeader } from './canonical-header.js';
import type { Parallelism } from './parallelism.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';
import { retentionOf, withoutMoney, type Retention } from './cohort-stage.js';
import { isCanonicalHeader } from '../core/types.js';


/**
 * The first line of an input that is no table custkit reads, for the error: its first fields
 * (capped, escaped) when one is named customer_id, else only its field count: the file may be
 * anything (`custkit segment /etc/shadow`), and its first line is not custkit's to print.
 */
function firstLineText(cells: string[]): string {
  if (!cells.some((c) => c.trim().toLowerCase() === 'customer_id')) return `its first line has ${cells.length} field${cells.length === 1 ? '' : 's'}, none named customer_id`;
  return `header: ${quoteDatum(cells.slice(0, 8).join(', '))}`;
}
export interface AggregateResult {
  summaries: CustomerSummary[];
  asOf: number;
  /** 'transactions' or the customer-table kind. */
  source: string;
  rows: number;
  /** Customers whose rows were all refunds (no purchase day): not in summaries. */
  refundOnly: number;
  /** Transactions dated after the as-of date (ignored, counted). */
  afterAsOf: number;
  label: string;
  /** Worker threads used (1 = sequential). */
  threads?: number;
  /** Where the aggregation ran (absent: the JavaScript engine). */
  engine?: 'duckdb';
  /** Transactions without amounts: summaries' revenue and average values are NaN (absent). */
  amountless?: boolean;
  /** Cohorts and key indicators when asked for and computable (transactions, JavaScript engine). */
  retention?: Retention | null;
  /** The kept columns' per-customer attributes, in summary order (absent: none kept). */
  attributes?: AttributeCells;
}

/** The attribute specs of a stream's kept columns under `--attr` rules (usage error when an --attr names no kept column). */
export function attributeSpecsOf(dimNames: readonly string[], rules: Readonly<Record<string, string>>): AttrSpec[] {
  const specs = attrSpecs(dimNames, rules);
  if ('error' in specs) throw usageError(specs.error, specs.hint);
  const clash = specs.find((s) => OWN_COLUMN_NAMES.has(s.name));
  if (clash) {
    throw usageError(`kept column ${clash.name} has the name of a customer-table column, so it cannot be carried as an attribute`, 'rename the column in the export, or drop it from --keep');
  }
  return specs;
}

/** An AttrValueError as a data error naming the file, line and column. */
export function attrValueError(e: unknown, file: string, line?: number): unknown {
  if (!(e instanceof AttrValueError)) return e;
  return dataError(e.message, { file, line, column: e.column }, `give ${e.column} another rule (--attr ${e.column}=last), or fix the value`);
}

/** Adds one cleaned order to an accumulator, honouring the as-of date. */
export type Progress = (bytesSoFar: number, totalBytes: number | null) => void | Promise<void>;

/**
 * Reads `path` (file or '-') and returns sorted customer summaries at `asOf`
 * (default: the latest transaction date; transactions after an explicit as-of are ignored
 * and counted — `clean --as-of` removes them with an audit reason instead). With `parallel`,
 * a canonical file may be read on other threads (same result); without, all is read here.
 */
export async function aggregateInput(path: string, asOfOpt: number | null, progress?: Progress, parallel: Parallelism | null = null, attrRules: Readonly<Record<string, string>> = {}, cohorts: CohortGrain | null = null, outcome: DriverOutcome = 'second_purchase'): Promise<AggregateResult> {
  // Byte ranges aggregated on several threads, shares merged exactly.
  const par = parallel && (await parallel.aggregateRanges(path, asOfOpt, (dims) => attributeSpecsOf(dims, attrRules), cohorts));
  if (par) {
    const asOf = asOfOpt ?? (par.acc.size > 0 ? par.acc.maxDay : 0);
    return { ...withAttributes(par.acc, asOf), asOf, source: 'transactions', rows: par.rows, refundOnly: par.acc.refundOnly, afterAsOf: par.afterAsOf, label: path, threads: par.threads, retention: retentionOf(par.acc, asOf, outcome) };
  }
  const newAccumulator = (): CustomerAccumulator => {
    const a = new CustomerAccumulator();
    if (cohorts) a.trackCohorts(cohorts);
    return a;
  };
  // A canonical file parsed on a reader thread while this one aggregates.
  if (parallel && parallel.readerThread([path]) && hasCanonicalHeader(path)) {
    const acc = newAccumulator();
    let afterAsOf = 0;
    const r = await parallel.readTransactions(path, {
      onSchema(schema) {
        acc.keepAttributes(attributeSpecsOf(schema.dimNames, attrRules));
      },
      onTx(t, line) {
        if (asOfOpt !== null && t.day > asOfOpt) afterAsOf++;
        else {
          try {
            acc.attributes?.check(t.dims);
          } catch (e) {
            throw attrValueError(e, path, line);
          }
          acc.add(t.customerId, t.day, t.amount, t.dims, t.quantity ?? NaN);
        }
      },
      afterChunk: progress,
    });
    const asOf = asOfOpt ?? (acc.size > 0 ? acc.maxDay : 0);
    return { ...withAttributes(acc, asOf), asOf, source: 'transactions', rows: r.rows, refundOnly: acc.refundOnly, afterAsOf, label: r.label, threads: 2, retention: retentionOf(acc, asOf, outcome) };
  }
  const input = await openText(path, 'auto');
  let mode: 'tx' | 'table' | null = null;
  let tx: CanonicalLayout | null = null;
  let table: CustomerTableLayout | null = null;
  const acc = newAccumulator();
  const rowsOut: CustomerSummary[] = [];
  let rows = 0;
  let afterAsOf = 0;
  let amountless = false;
  await readCsv(input, {
    delimiter: ',',
    onBroken: failOnBrokenQuote(input.label),
    onRow(cells, line) {
      if (mode === null) {
        if (isCanonicalHeader(cells)) {
          mode = 'tx';
          tx = canonicalLayout(cells, input.label);
          acc.keepAttributes(attributeSpecsOf(tx.schema.dimNames, attrRules));
          tx.absentAmount = true;
          return;
        }
        table = detectCustomerTable(cells);
        if (!table) {
          throw dataError(
            `neither canonical transactions nor a customer table (${firstLineText(cells)})`,
            { file: input.label, line },
            'give the output of `custkit clean`, or a table with customer_id, orders, revenue and last_order (or recency) columns',
          );
        }
        if (layoutNeedsAsOf(table) && asOfOpt === null) {
          // A recency-days table (R rfm) has no dates at all; a last-order table has dates but no days since.
          const why = table.daysSinceLast >= 0 && table.lastOrder < 0
            ? `this customer table gives days since the last order (${table.names.daysSinceLast}) but no dates, so the as-of date they count from is unknown`
            : 'this customer table has dates but no days-since-last column, so the as-of date is unknown';
          throw usageError(`${input.label}: ${why}`, 'give --as-of YYYY-MM-DD');
        }
        if (Object.keys(attrRules).length) throw usageError(`${input.label}: --attr applies to transactions, and this is a customer table`, 'give --attr with the cleaned transactions');
        mode = 'table';
        return;
      }
      rows++;
      if (mode === 'tx') {
        const t = parseCanonicalRow(cells, line, tx!, input.label);
        // Amounts are all present or all absent (ingest --no-amount); absent counts as an order.
        const absent = Number.isNaN(t.amount);
        if (rows === 1) amountless = absent;
        else if (absent !== amountless) {
          throw dataError(absent ? 'the amount is empty, but earlier rows have amounts' : 'this row has an amount, but earlier rows have none', { file: input.label, line, column: 'amount' }, 'amounts are either all present or all absent (ingest --no-amount)');
        }
        if (asOfOpt !== null && t.day > asOfOpt) {
          afterAsOf++;
          return;
        }
        if (acc.attributes === null) acc.add(t.customerId, t.day, absent ? 0 : t.amount, undefined, t.quantity ?? NaN);
        else {
          try {
            acc.attributes.check(t.dims);
          } catch (e) {
            throw attrValueError(e, input.label, line);
          }
          acc.add(t.customerId, t.day, absent ? 0 : t.amount, t.dims, t.quantity ?? NaN);
        }
        return;
      }
      const r = rowToSummary(table!, cells, asOfOpt);
      if ('error' in r) throw dataError(r.error, { file: input.label, line, column: r.column });
      rowsOut.push(r);
    },
    afterChunk: progress ? () => progress(input.bytesRead(), input.size) : undefined,
  });
  if (mode === null) throw dataError('empty input: no header row', { file: input.label }, 'expected canonical transactions or a customer table');
  if (mode === 'tx') {
    const asOf = asOfOpt ?? (acc.size > 0 ? acc.maxDay : 0);
    const r = withAttributes(acc, asOf);
    if (amountless) for (const s of r.summaries) absentMoney(s);
    return { ...r, asOf, source: 'transactions', rows, refundOnly: acc.refundOnly, afterAsOf, label: input.label, ...(amountless ? { amountless } : {}), retention: withoutMoney(retentionOf(acc, asOf, outcome), amountless) };
  }
  rowsOut.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  // For custkit tables the as-of is last_order + days_since_last.
  let asOf = asOfOpt;
  if (asOf === null) {
    const s = rowsOut[0];
    asOf = s ? s.lastDay + s.daysSinceLast : 0;
  }
  return { summaries: rowsOut, asOf, source: table!.kind, rows, refundOnly: 0, afterAsOf: 0, label: input.label };
}

/** The summaries at `asOf`, with the kept attributes when the accumulator carries them. */
function withAttributes(acc: CustomerAccumulator, asOf: number): { summaries: CustomerSummary[]; attributes?: AttributeCells } {
  const r = acc.summariesWithAttributes(asOf);
  return r.attributes ? { summaries: r.summaries, attributes: r.attributes } : { summaries: r.summaries };
}

/** A summary of transactions without amounts: its money fields are absent, not 0. */
export function absentMoney(s: CustomerSummary): void {
  s.revenue = NaN;
  s.avgOrderValue = NaN;
  s.repeatAvgValue = null;
}

/** 'YYYY-MM-DD' for messages. */
export const dayText = formatDay;
