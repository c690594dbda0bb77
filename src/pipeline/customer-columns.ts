/**
 * The type of each customer-table column in files that carry types (XLSX, Parquet), from its
 * kind in the table's schema (core/customer-table/schema.ts): ids, classes and attributes are
 * text; counts integers; money, shares and other measures numbers; first/last order dates.
 */
import type { XlsxKind } from '../io/xlsx-writer.js';
import type { ParquetType } from '../io/parquet.js';
import { columnKind } from '../core/customer-table/schema.js';

/** How a customer-table column is typed in a workbook (its display format follows). */
export function customerColumnKind(name: string): XlsxKind {
  // The workbook's Actions sheet (actions.csv) shares these kinds; its one column of its own is priority.
  return name === 'priority' ? 'integer' : columnKind(name);
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
