/**
 * Reading the customer table (core/customer-table/schema.ts) back from CSV, streaming: into
 * the columnar table the report reads (customer-record.ts decodes the cells), or into the
 * score inputs plus each row's exact text (`score` appends its columns to the rows as read).
 */
import { CustkitError, dataError } from '../errors.js';
import { CustomerTableBuilder, type CustomerTable, type NumericKey, type TextKey } from '../core/report/customer-record.js';
import { csvLine } from '../io/csv-format.js';
import { readCsv } from '../io/csv-reader.js';
import { openText } from '../io/text-input.js';
import { failOnBrokenQuote } from './broken-quote.js';
import type { ScoreInput } from './score-stage.js';

type TableFields = { numeric: ReadonlySet<NumericKey>; text: ReadonlySet<TextKey> };

/**
 * Streams a customer-table CSV (custkit's own, piped or `run`'s customers.csv: exact, never
 * spreadsheet-guarded, so its cells are read as they are) into the columnar table the report
 * reads; `fields` limits the optional columns read (e.g. PREVIOUS_TABLE_FIELDS for the
 * previous table of a comparison).
 */
export async function loadCustomerTable(path: string, fields?: TableFields, attributes: readonly string[] = []): Promise<CustomerTable> {
  let table: CustomerTable | null = null;
  await readCustomerTableBlocks(path, Infinity, (t) => (table = t), fields, attributes);
  return table!;
}

/**
 * Streams a customer-table CSV as {@link loadCustomerTable} does, handing over a table of each
 * `rows` rows in file order (the last one shorter, or empty for a table without rows), so that
 * a caller folding the rows keeps none of them. Same checks and messages as loadCustomerTable.
 */
export async function readCustomerTableBlocks(path: string, rows: number, onBlock: (t: CustomerTable) => void, fields?: TableFields, attributes: readonly string[] = []): Promise<void> {
  const input = await openText(path, 'auto');
  let b: CustomerTableBuilder | null = null;
  let inBlock = 0;
  await readCsv(input, {
    delimiter: ',',
    onBroken: failOnBrokenQuote(input.label),
    // Cells of columns the builder does not read are not made into strings.
    project: () => (b === null ? null : (b as CustomerTableBuilder).columnsRead()),
    onRow: (cells, line) => {
      if (b === null) {
        try {
          b = new CustomerTableBuilder(cells.map((c) => c.trim()), Math.min(rows, 1 << 14), fields?.numeric, fields?.text, attributes);
        } catch (e) {
          if (e instanceof Error && 'exitCode' in e) {
            throw dataError(e.message, { file: input.label, line: 1 }, (e as { hint?: string }).hint ?? 'report reads the customer table written by `custkit segment` or `custkit score`');
          }
          throw e;
        }
        return;
      }
      try {
        b.add(cells, line);
      } catch (e) {
        if (e instanceof Error && 'exitCode' in e) throw dataError(e.message, { file: input.label, line }, (e as CustkitError).hint);
        throw e;
      }
      if (++inBlock === rows) {
        onBlock(b.finish());
        b.reset();
        inBlock = 0;
      }
    },
  });
  if (b === null) throw dataError('empty customer table', { file: input.label }, 'report reads the customer table written by `custkit segment` or `custkit score`');
  if (inBlock > 0 || rows === Infinity) onBlock((b as CustomerTableBuilder).finish());
}

/** The columns `score` reads from a segment table. */
const SCORE_NEEDS = ['customer_id', 'orders', 'revenue', 'frequency', 'recency', 'T', 'repeat_avg_value'] as const;

/** A segment table as `score` reads it: the score inputs, and the header and rows to append the scores to. */
export interface SegmentTableForScoring {
  header: string[];
  /** Each row's text as csvLine writes its cells, without the line end. */
  lines: string[];
  input: ScoreInput;
  /** Transactions without amounts: every revenue cell empty. */
  noAmounts: boolean;
}

/**
 * Reads the customer table `segment` wrote (file or '-') for scoring: every row's score inputs,
 * checked (a data error names the file, line and column), and its text.
 */
export async function readSegmentTableForScoring(file: string): Promise<SegmentTableForScoring> {
  const input = await openText(file, 'auto');
  let header: string[] | null = null;
  let idx: Record<string, number> = {};
  let noAmounts = false;
  const lines: string[] = [];
  const cols = { frequency: [] as number[], recency: [] as number[], T: [] as number[], repeat: [] as number[], revenue: [] as number[], orders: [] as number[] };
  await readCsv(input, {
    delimiter: ',',
    onBroken: failOnBrokenQuote(input.label),
    onRow(cells, line) {
      if (header === null) {
        header = cells;
        idx = Object.fromEntries(SCORE_NEEDS.map((c) => [c, cells.indexOf(c)]));
        const missing = SCORE_NEEDS.filter((c) => idx[c]! < 0);
        if (missing.length) {
          throw dataError(`not a customer table from segment: no ${missing.join(', ')} column`, { file: input.label, line: 1 }, 'run `custkit segment` first (score needs frequency, recency, T and repeat_avg_value)');
        }
        if (cells.includes('p_alive')) throw dataError('this table is already scored (has p_alive)', { file: input.label, line: 1 }, 'score the table written by segment');
        return;
      }
      if (cells.length !== header.length) throw dataError(`expected ${header.length} fields, found ${cells.length}`, { file: input.label, line });
      const num = (c: string, allowEmpty = false): number => {
        const s = cells[idx[c]!]!;
        if (s === '' && allowEmpty) return NaN;
        const v = Number(s);
        if (s === '' || !Number.isFinite(v)) throw dataError(`${c} "${s}" is not a number`, { file: input.label, line, column: c });
        return v;
      };
      // segment leaves recency and T empty for aggregated inputs without first-purchase dates
      // (e.g. the R rfm customer table): say so instead of '"" is not a number'.
      if (cells[idx.recency!] === '' || cells[idx.T!] === '') {
        throw dataError(
          `customer ${cells[idx.customer_id!]}: recency and T are empty (the table has no first-order dates), so no BTYD model can be fitted`,
          { file: input.label, line },
          'score needs first and last purchase dates per customer: run `custkit segment` on transactions, not on an aggregated customer table',
        );
      }
      cols.frequency.push(num('frequency'));
      cols.recency.push(num('recency'));
      cols.T.push(num('T'));
      cols.repeat.push(num('repeat_avg_value', true));
      // An empty revenue: a table of transactions without amounts (all rows or none).
      const noRevenue = cells[idx.revenue!] === '';
      if (cols.revenue.length === 0) noAmounts = noRevenue;
      else if (noRevenue !== noAmounts) {
        throw dataError(noRevenue ? 'revenue is empty, but earlier rows have revenue' : 'this row has revenue, but earlier rows have none', { file: input.label, line, column: 'revenue' }, 'a table from transactions without amounts has every revenue empty');
      }
      cols.revenue.push(noRevenue ? NaN : num('revenue'));
      cols.orders.push(num('orders'));
      lines.push(csvLine(cells).slice(0, -1));
    },
  });
  if (header === null) throw dataError('empty input', { file: input.label }, 'give the customer table written by `custkit segment`');
  return {
    header,
    lines,
    noAmounts,
    input: {
      frequency: Float64Array.from(cols.frequency),
      recencyDays: Float64Array.from(cols.recency),
      TDays: Float64Array.from(cols.T),
      repeatAvg: Float64Array.from(cols.repeat),
      revenue: Float64Array.from(cols.revenue),
      orders: Float64Array.from(cols.orders),
    },
  };
}
