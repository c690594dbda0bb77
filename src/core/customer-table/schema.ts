/**
 * The customer table (customers.csv, the output of `segment` and `score`): its columns, once.
 *
 * One row per customer. The columns come in three groups, each filled by one stage:
 * - aggregate: customer_id … repeat_avg_value, the summary (customer-summary.ts defines each);
 * - segment: abc_class … sleep_reason (classify.ts), with `rfm_segment_en` after
 *   `rfm_segment` only under the zh8 map; then the kept attributes (`ingest --keep`), named
 *   as kept;
 * - score: p_alive … value_at_risk (score-stage.ts), only in a scored table.
 *
 * Every writer (text cells: cells.ts; bytes: pipeline/customer-table-writer.ts), the readers
 * (report: customer-record.ts; score: pipeline/customer-table-reader.ts) and the typed
 * formats (XLSX, Parquet: the kinds below) take the columns from here.
 */

/**
 * How a column's values are typed where a format carries types: counts and day numbers are
 * integers, money is printed as formatMoney prints it, dates as YYYY-MM-DD.
 */
export type ColumnKind = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'date';

/** The stage that fills a column. */
export type ColumnStage = 'aggregate' | 'segment' | 'score';

export interface CustomerColumn {
  /** The CSV header name. */
  readonly name: string;
  /** The field of a decoded row (CustomerRecord, customer-record.ts). */
  readonly key: string;
  readonly kind: ColumnKind;
  readonly stage: ColumnStage;
  /** Required by the report's reader: every table `segment` writes has it, non-empty. */
  readonly required?: boolean;
  /** Written only under some options (rfm_segment_en: the zh8 map). */
  readonly optional?: boolean;
}

/** Every column custkit writes, in table order (attributes, when kept, follow sleep_reason). */
export const CUSTOMER_COLUMNS = [
  { name: 'customer_id', key: 'customerId', kind: 'text', stage: 'aggregate', required: true },
  { name: 'orders', key: 'orders', kind: 'integer', stage: 'aggregate', required: true },
  { name: 'purchase_days', key: 'purchaseDays', kind: 'integer', stage: 'aggregate', required: true },
  // Required, but empty for transactions without amounts (the report leaves money out).
  { name: 'revenue', key: 'revenue', kind: 'money', stage: 'aggregate', required: true },
  { name: 'avg_order_value', key: 'avgOrderValue', kind: 'money', stage: 'aggregate' },
  // Optional for the report: tables aggregated elsewhere (R rfm's) have no first purchase date.
  { name: 'first_order', key: 'firstOrder', kind: 'date', stage: 'aggregate' },
  { name: 'last_order', key: 'lastOrder', kind: 'date', stage: 'aggregate', required: true },
  { name: 'days_since_last', key: 'daysSinceLast', kind: 'integer', stage: 'aggregate', required: true },
  { name: 'tenure_days', key: 'tenureDays', kind: 'integer', stage: 'aggregate' },
  { name: 'mean_interval_days', key: 'meanIntervalDays', kind: 'number', stage: 'aggregate' },
  { name: 'frequency', key: 'frequency', kind: 'integer', stage: 'aggregate' },
  // Whole days, typed as numbers in the workbook and Parquet (as they always were).
  { name: 'recency', key: 'recency', kind: 'number', stage: 'aggregate' },
  { name: 'T', key: 'T', kind: 'number', stage: 'aggregate' },
  { name: 'repeat_avg_value', key: 'repeatAvgValue', kind: 'money', stage: 'aggregate' },
  { name: 'abc_class', key: 'abcClass', kind: 'text', stage: 'segment' },
  { name: 'value_tier', key: 'valueTier', kind: 'text', stage: 'segment' },
  { name: 'r_score', key: 'rScore', kind: 'integer', stage: 'segment' },
  { name: 'f_score', key: 'fScore', kind: 'integer', stage: 'segment' },
  { name: 'm_score', key: 'mScore', kind: 'integer', stage: 'segment' },
  { name: 'rfm_score', key: 'rfmScore', kind: 'integer', stage: 'segment' },
  { name: 'rfm_segment', key: 'rfmSegment', kind: 'text', stage: 'segment' },
  { name: 'rfm_segment_en', key: 'rfmSegmentEn', kind: 'text', stage: 'segment', optional: true },
  { name: 'cluster', key: 'cluster', kind: 'integer', stage: 'segment' },
  { name: 'cluster_label', key: 'clusterLabel', kind: 'text', stage: 'segment' },
  { name: 'sleep_state', key: 'sleepState', kind: 'text', stage: 'segment' },
  { name: 'overdue_factor', key: 'overdueFactor', kind: 'number', stage: 'segment' },
  { name: 'sleep_reason', key: 'sleepReason', kind: 'text', stage: 'segment' },
  { name: 'p_alive', key: 'pAlive', kind: 'percent', stage: 'score' },
  { name: 'expected_orders', key: 'expectedOrders', kind: 'number', stage: 'score' },
  { name: 'expected_avg_value', key: 'expectedAvgValue', kind: 'money', stage: 'score' },
  { name: 'clv', key: 'clv', kind: 'money', stage: 'score' },
  { name: 'historic_value', key: 'historicValue', kind: 'money', stage: 'score' },
  { name: 'churn_risk', key: 'churnRisk', kind: 'text', stage: 'score' },
  { name: 'value_at_risk', key: 'valueAtRisk', kind: 'money', stage: 'score' },
] as const satisfies readonly CustomerColumn[];

type Column = (typeof CUSTOMER_COLUMNS)[number];
/** A column's header name. */
export type ColumnName = Column['name'];

const namesOf = (stage: ColumnStage): string[] => CUSTOMER_COLUMNS.filter((c) => c.stage === stage && !('optional' in c)).map((c) => c.name);

/** The summary columns, customer_id first (CustomerSummary's fields, in its order). */
export const SUMMARY_COLUMNS: readonly string[] = namesOf('aggregate');

/** The classification columns of the 11-segment map (the zh8 map adds rfm_segment_en after rfm_segment). */
export const SEGMENT_COLUMNS: readonly string[] = namesOf('segment');

/** The columns `score` appends. */
export const SCORE_COLUMNS: readonly string[] = namesOf('score');

/** Every name a kept attribute may not take: custkit's own columns. */
export const OWN_COLUMN_NAMES: ReadonlySet<string> = new Set(CUSTOMER_COLUMNS.map((c) => c.name));

/** The classification columns, with rfm_segment_en when the RFM map names segments in two languages. */
export function segmentColumns(withEnglishSegment: boolean): string[] {
  if (!withEnglishSegment) return [...SEGMENT_COLUMNS];
  const cols = [...SEGMENT_COLUMNS];
  cols.splice(cols.indexOf('rfm_segment') + 1, 0, 'rfm_segment_en');
  return cols;
}

/**
 * The header of a customer table: summary, classification columns (as the segment result
 * lays them out), the kept attributes, then the score columns when scored.
 */
export function customerTableHeader(classColumns: readonly string[], attributes: readonly string[], scored: boolean): string[] {
  return [...SUMMARY_COLUMNS, ...classColumns, ...attributes, ...(scored ? SCORE_COLUMNS : [])];
}

const KIND = new Map<string, ColumnKind>(CUSTOMER_COLUMNS.map((c) => [c.name, c.kind]));

/** The kind of a column by name; attributes and unknown columns are text. */
export function columnKind(name: string): ColumnKind {
  return KIND.get(name) ?? 'text';
}

/** Numeric columns (every kind but text), as the report's reader decodes them. */
type NumericColumn = Exclude<Column, { kind: 'text' }>;
/** Text columns other than the id. */
type TextColumnSpec = Exclude<Extract<Column, { kind: 'text' }>, { name: 'customer_id' }>;

export type NumericKey = NumericColumn['key'];
export type TextKey = TextColumnSpec['key'];

/** Numeric fields: [record key, CSV column, required, is a date]. Empty cells → null (NaN in columns). */
export const NUMERIC_COLUMNS: readonly (readonly [NumericKey, string, boolean, boolean])[] = CUSTOMER_COLUMNS.filter(
  (c): c is NumericColumn => c.kind !== 'text',
).map((c) => [c.key, c.name, 'required' in c && c.required, c.kind === 'date'] as const);

/** Text fields other than the id: [record key, CSV column]. Empty cells → null. */
export const TEXT_COLUMNS: readonly (readonly [TextKey, string])[] = CUSTOMER_COLUMNS.filter(
  (c): c is TextColumnSpec => c.kind === 'text' && c.name !== 'customer_id',
).map((c) => [c.key, c.name] as const);
