/**
 * The type of each customer-table column, for files that carry types (XLSX, Parquet): ids,
 * classes and unknown columns are text; counts integers; money, shares and other measures
 * numbers; first/last order dates.
 */
import type { XlsxKind } from '../io/xlsx-writer.js';
import type { ParquetType } from '../io/parquet.js';

const MONEY = new Set(['revenue', 'avg_order_value', 'repeat_avg_value', 'value_at_risk', 'expected_avg_value', 'clv', 'historic_value']);
const INTEGER = new Set(['orders', 'purchase_days', 'days_since_last', 'tenure_days', 'frequency', 'r_score', 'f_score', 'm_score', 'rfm_score', 'cluster', 'priority']);
const NUMBER = new Set(['mean_interval_days', 'recency', 'T', 'overdue_factor', 'expected_orders']);
const PERCENT = new Set(['p_alive']);
const DATE = new Set(['first_order', 'last_order']);

/** How a customer-table column is typed in a workbook (its display format follows). */
export function customerColumnKind(name: string): XlsxKind {
  if (MONEY.has(name)) return 'money';
  if (INTEGER.has(name)) return 'integer';
  if (NUMBER.has(name)) return 'number';
  if (PERCENT.has(name)) return 'percent';
  if (DATE.has(name)) return 'date';
  return 'text';
}

/**
 * The Parquet type of a customer-table column. Money is DOUBLE, not DECIMAL: the table's
 * cells are shortest exact decimals, which a DOUBLE gives back as the same text.
 */
export function customerParquetType(name: string): ParquetType {
  switch (customerColumnKind(name)) {
    case 'text': return 'VARCHAR';
    case 'integer': return 'BIGINT';
    case 'date': return 'DATE';
    default: return 'DOUBLE';
  }
}
