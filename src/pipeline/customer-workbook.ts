/**
 * customers.xlsx: the customer table and the report's summary tables as one workbook, for
 * people who open results in a spreadsheet. `run` writes it beside customers.csv and
 * `report --format xlsx` writes the same workbook from a customer table.
 *
 * The Customers sheet streams the customer-table CSV back (the file `run` just wrote, or
 * the one `report` was given): its cells are the table's exact values (run's spreadsheet
 * guard undone), typed by column. Sheets: Customers (split beyond Excel's row limit),
 * Segments (counts and revenue per classification, with definitions), Actions (run's
 * actions.csv, when there is one), Cohorts and New vs returning (when the report has
 * cohorts), Data quality.
 */
import type { ReportModel, SegmentRow } from '../core/report/report-model.js';
import { segment11Name, sleepName, tierName, zh8Name } from '../core/report/i18n.js';
import { SEGMENT11_KEYS, ZH8_KEYS } from '../core/report/segment-keys.js';
import { SEGMENT11_CELLS } from '../core/segment/rfm-segments.js';
import { readCsv } from '../io/csv-reader.js';
import { openText } from '../io/text-input.js';
import { XlsxBook, EXCEL_MAX_ROWS, typedCell, type XlsxColumn, type XlsxTable, type XlsxValue } from '../io/xlsx-writer.js';
import { NotPlainCsv, writeCsvRows } from '../io/xlsx-csv-rows.js';
import { failOnBrokenQuote } from './broken-quote.js';
import { customerColumnKind } from './customer-columns.js';
import { spreadsheetSafe } from '../io/csv-format.js';

/**
 * Undoes the spreadsheet guard of a people-facing CSV (actions.csv): a cell is unguarded only
 * when guarding the rest gives the cell back. customers.csv is exact and is read as it is.
 */
function unguardCell(s: string): string {
  return s.length > 1 && s.charCodeAt(0) === 39 && spreadsheetSafe(s.slice(1)) === s ? s.slice(1) : s;
}

export { typedCell };

/**
 * Writes a table sheet (split beyond `maxRows`) from custkit CSV of `rows` rows: a people-facing
 * CSV's spreadsheet guard undone (`guarded`; the exact customers.csv is taken as it is), each
 * column typed by customerColumnKind. `fromBytes`: straight from the file's bytes
 * (xlsx-csv-rows.ts; throws NotPlainCsv for a file it does not take), else through the CSV reader.
 */
async function csvSheet(book: XlsxBook, name: string, csvPath: string, rows: number, maxRows: number, guarded: boolean, fromBytes: boolean): Promise<void> {
  const open = (header: string[]): XlsxTable =>
    book.table(name, header.map((h) => ({ header: h, kind: customerColumnKind(h) })), rows, maxRows);
  let table: XlsxTable | null;
  if (fromBytes) table = await writeCsvRows(csvPath, { open, unguard: guarded ? unguardCell : undefined });
  else {
    const input = await openText(csvPath, 'auto');
    let t: XlsxTable | null = null;
    await readCsv(input, {
      delimiter: ',',
      onBroken: failOnBrokenQuote(input.label),
      onRow(cells) {
        if (t === null) {
          t = open(cells.map((c) => c.trim()));
          return;
        }
        if (guarded) for (let i = 0; i < cells.length; i++) if (cells[i]!.charCodeAt(0) === 39) cells[i] = unguardCell(cells[i]!);
        t.addText(cells);
      },
      afterChunk: () => (t as XlsxTable | null)?.drain(),
    });
    table = t;
  }
  table ??= book.table(name, [{ header: 'customer_id', kind: 'text' }], 0, maxRows);
  await table.end();
}

const ZH8_FLAGS = ['R↑ F↑ M↑', 'R↑ F↓ M↑', 'R↓ F↑ M↑', 'R↓ F↓ M↑', 'R↑ F↑ M↓', 'R↑ F↓ M↓', 'R↓ F↑ M↓', 'R↓ F↓ M↓'];

function segment11Definition(key: string): string {
  const i = (SEGMENT11_KEYS as readonly string[]).indexOf(key);
  if (i < 0) return 'from the segment map given with --segments';
  return `R×FM cells ${SEGMENT11_CELLS[i]!.join(', ')} (R = recency score, FM = ⌈(F + M) / 2⌉)`;
}

function zh8Definition(key: string, means: NonNullable<ReportModel['rfm']['zh8']>['means']): string {
  const i = (ZH8_KEYS as readonly string[]).indexOf(key);
  const flags = i < 0 ? key : ZH8_FLAGS[i]!;
  const against = means
    ? `R↑ = days since last < ${round2(means.days_since_last)}, F↑ = orders > ${round2(means.orders)}, M↑ = revenue > ${round2(means.revenue)}`
    : 'high/low against the population split of days since last, orders, revenue';
  return `${flags} (${against})`;
}

const round2 = (x: number): string => String(Math.round(x * 100) / 100);

const TIER_DEF: Record<string, string> = {
  vip: 'best customers by value, first pyramid tier (--pyramid, default the best 1 %)',
  key: 'next pyramid tier (default the next 4 %)',
  medium: 'next pyramid tier (default the next 15 %)',
  ordinary: 'the rest, and every customer with value ≤ 0',
};
const SLEEP_DEF: Record<string, string> = {
  active: 'bought within the expected interval (--sleep-rule)',
  drowsy: 'overdue: first threshold of --sleep-rule (cycle: 1.5× the expected interval; days: 30)',
  'half-asleep': 'second threshold (cycle: 2×; days: 60)',
  'deep-sleep': 'third threshold (cycle: 3×; days: 90)',
  lost: 'fourth threshold (cycle: 6×; days: 180)',
};

const SEGMENT_COLUMNS: XlsxColumn[] = [
  { header: 'classification', kind: 'text' },
  { header: 'segment', kind: 'text' },
  { header: 'definition', kind: 'text' },
  { header: 'customers', kind: 'integer' },
  { header: 'customer_share', kind: 'percent' },
  { header: 'revenue', kind: 'money' },
  { header: 'revenue_share', kind: 'percent' },
  { header: 'action', kind: 'text' },
];

/** Rows of the Segments sheet: every classification the report has, with what each group means. */
export function segmentRows(m: ReportModel): XlsxValue[][] {
  const lang = m.meta.lang;
  const rows: XlsxValue[][] = [];
  const seg = (cls: string, r: SegmentRow, name: string, def: string): void =>
    void rows.push([cls, name, def, r.customers, r.customer_share, r.revenue, r.revenue_share, r.action ? r.action[lang] : null]);
  for (const r of m.rfm.segments11 ?? []) seg('RFM segments', r, segment11Name(lang, r.key), segment11Definition(r.key));
  const zh8 = m.rfm.zh8;
  for (const r of zh8?.segments ?? []) seg('RFM 8 classes', r, zh8Name(lang, r.key), zh8Definition(r.key, zh8!.means));
  for (const c of m.pareto?.abc ?? []) {
    rows.push(['ABC', c.class, 'customers ranked by value; A reaches the first cumulative share (--abc, default 80 %), B the next (15 %), C the rest', c.customers, c.customer_share, c.revenue, c.revenue_share, null]);
  }
  for (const tr of m.pyramid ?? []) rows.push(['Value pyramid', tierName(lang, tr.tier), TIER_DEF[tr.tier] ?? '', tr.customers, tr.customer_share, tr.revenue, tr.revenue_share, null]);
  for (const c of m.clusters?.profiles ?? []) {
    rows.push(['k-means clusters', `${c.cluster}${c.label ? ` ${c.label}` : ''}`, 'cluster means against the overall mean (log1p, z-scored features)', c.customers, c.customer_share, c.revenue, c.revenue_share, null]);
  }
  const revenue = m.overview.revenue;
  for (const s of m.sleeping?.states ?? []) {
    rows.push(['Sleeping customers', sleepName(lang, s.state), SLEEP_DEF[s.state] ?? '', s.customers, s.customer_share, s.revenue, revenue !== null && revenue > 0 ? s.revenue / revenue : null, null]);
  }
  return rows;
}

const QUALITY_COLUMNS: XlsxColumn[] = [
  { header: 'step', kind: 'text' },
  { header: 'reason', kind: 'text' },
  { header: 'rows', kind: 'integer' },
  { header: 'share_of_rows_read', kind: 'percent' },
];

/** Rows of the Data quality sheet (empty without an audit). */
export function qualityRows(m: ReportModel): XlsxValue[][] {
  const q = m.data_quality;
  if (!q) return [];
  const share = (n: number | null): number | null => (n !== null && q.rows_read ? n / q.rows_read : null);
  const rows: XlsxValue[][] = [];
  const line = (step: string, reason: string | null, n: number | null): void => {
    if (n !== null) rows.push([step, reason, n, share(n)]);
  };
  line('rows read', null, q.rows_read);
  line('rejected', null, q.rows_rejected);
  for (const r of q.rejected) line('rejected', r.reason, r.rows);
  line('rows in (clean)', null, q.rows_in);
  line('removed', null, q.rows_removed);
  for (const r of q.removed) line('removed', r.reason, r.rows);
  line('folded', null, q.folded);
  line('rows out', null, q.rows_out);
  return rows;
}

const COHORT_COLUMNS: XlsxColumn[] = [
  { header: 'cohort', kind: 'text' },
  { header: 'customers', kind: 'integer' },
  { header: 'second_purchase', kind: 'integer' },
  { header: 'second_purchase_share', kind: 'percent' },
  { header: 'median_days_to_second', kind: 'number' },
  { header: 'offset', kind: 'integer' },
  { header: 'period', kind: 'text' },
  { header: 'active', kind: 'integer' },
  { header: 'retention', kind: 'percent' },
  { header: 'revenue', kind: 'money' },
  { header: 'cumulative_revenue_per_customer', kind: 'money' },
];

/**
 * Rows of the Cohorts sheet: one per cohort and period offset, every offset (the report's
 * tables show the latest cohorts only), the cohort's size and time to second purchase repeated
 * on each of its rows so that a filter on one cohort shows all of it.
 */
export function cohortRows(m: ReportModel): XlsxValue[][] {
  const rows: XlsxValue[][] = [];
  for (const c of m.cohorts?.cohorts ?? []) {
    for (const o of c.offsets) {
      rows.push([c.cohort, c.customers, c.second_purchase, c.second_purchase_share, c.median_days_to_second, o.offset, o.period, o.active, o.retention, o.revenue, o.cumulative_revenue_per_customer]);
    }
  }
  return rows;
}

const PERIOD_COLUMNS: XlsxColumn[] = [
  { header: 'period', kind: 'text' },
  { header: 'new_customers', kind: 'integer' },
  { header: 'new_revenue', kind: 'money' },
  { header: 'returning_customers', kind: 'integer' },
  { header: 'returning_revenue', kind: 'money' },
];

/** Rows of the New vs returning sheet: revenue per calendar period from customers in their first period and from the rest. */
export function periodRows(m: ReportModel): XlsxValue[][] {
  return (m.cohorts?.periods ?? []).map((p) => [p.period, p.new_customers, p.new_revenue, p.returning_customers, p.returning_revenue]);
}

export interface WorkbookSource {
  /** The customer table as custkit CSV (from run, segment or score). */
  customersCsv: string;
  /** Its number of customers (rows after the header). */
  customers: number;
  /** run's actions.csv and its number of rows: the Actions sheet (absent: no such sheet). */
  actions?: { csv: string; rows: number };
  model: ReportModel;
  /** Rows per sheet (tests use a small one to see the split). */
  maxRows?: number;
  /** Tables through the CSV reader, not from their bytes (tests: both ways give the same workbook). */
  viaReader?: boolean;
}

/** What the Customers sheet needs: all of it is known once the customer table is written. */
export interface WorkbookStart {
  path: string;
  customersCsv: string;
  customers: number;
  /** The report's as-of day: the workbook's creation date (null: 1970-01-01). */
  asOf: string | null;
  maxRows?: number;
  viaReader?: boolean;
}

/** The sheets after Customers: plain rows, so they can be handed to another thread. */
export interface WorkbookRest {
  segments: XlsxValue[][];
  actions?: { csv: string; rows: number };
  /** The Cohorts and New vs returning sheets (null: the report has no cohorts). */
  cohorts: { cohorts: XlsxValue[][]; periods: XlsxValue[][] } | null;
  quality: XlsxValue[][];
}

export function workbookRest(model: ReportModel, actions?: { csv: string; rows: number }): WorkbookRest {
  return {
    segments: segmentRows(model),
    actions,
    cohorts: model.cohorts ? { cohorts: cohortRows(model), periods: periodRows(model) } : null,
    quality: qualityRows(model),
  };
}

/**
 * Writes the workbook to `path` atomically: the tables straight from their files' bytes, or,
 * for a table file that is not plain UTF-8 custkit CSV, again through the CSV reader.
 */
export async function writeCustomerWorkbook(path: string, src: WorkbookSource): Promise<void> {
  const start: WorkbookStart = { path, customersCsv: src.customersCsv, customers: src.customers, asOf: src.model.overview.as_of, maxRows: src.maxRows, viaReader: src.viaReader };
  await writeWorkbookParts(start, () => Promise.resolve(workbookRest(src.model, src.actions)));
}

/**
 * The same workbook in two parts: the Customers sheet from `start`, then the sheets `rest`
 * gives (awaited only then: `run` writes the customer sheet while it makes the report).
 * The sheet order is the order written, so both ways give the same bytes.
 */
export async function writeWorkbookParts(start: WorkbookStart, rest: () => Promise<WorkbookRest>): Promise<void> {
  try {
    await writeBook(start, rest, !start.viaReader);
  } catch (e) {
    if (!(e instanceof NotPlainCsv)) throw e;
    await writeBook(start, rest, false);
  }
}

async function writeBook(start: WorkbookStart, rest: () => Promise<WorkbookRest>, fromBytes: boolean): Promise<void> {
  const created = start.asOf ? new Date(`${start.asOf}T00:00:00Z`) : new Date(0);
  const book = new XlsxBook(start.path, created);
  const maxRows = start.maxRows ?? EXCEL_MAX_ROWS;
  try {
    await csvSheet(book, 'Customers', start.customersCsv, start.customers, maxRows, false, fromBytes);
    const r = await rest();
    await book.smallTable('Segments', SEGMENT_COLUMNS, r.segments);
    if (r.actions) await csvSheet(book, 'Actions', r.actions.csv, r.actions.rows, maxRows, true, fromBytes);
    if (r.cohorts) {
      await book.smallTable('Cohorts', COHORT_COLUMNS, r.cohorts.cohorts);
      await book.smallTable('New vs returning', PERIOD_COLUMNS, r.cohorts.periods);
    }
    await book.smallTable('Data quality', QUALITY_COLUMNS, r.quality);
    await book.close();
  } catch (e) {
    book.abort();
    throw e;
  }
}
