/**
 * The report stage: a customer table (from segment/score) → ReportModel → text in one of
 * the formats. `run` calls the same functions on the table it just wrote.
 */
import { readFileSync } from 'node:fs';
import { dataError, usageError } from '../cli/errors.js';
import { buildReport, type ReportOptions } from '../core/report/build-report.js';
import { CustomerTableBuilder, type CustomerTable } from '../core/report/customer-record.js';
import type { ReportModel } from '../core/report/report-model.js';
import { readCsv } from '../io/csv-reader.js';
import { openText } from '../io/text-input.js';
import { renderCsv } from '../render/csv.js';
import { renderHtml } from '../render/html.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderTable } from '../render/table.js';

export type ReportFormat = 'table' | 'md' | 'json' | 'html' | 'csv';

/** Streams a customer-table CSV into the columnar table the report reads. */
export async function loadCustomerTable(path: string): Promise<CustomerTable> {
  const input = await openText(path, 'auto');
  let b: CustomerTableBuilder | null = null;
  await readCsv(input, {
    delimiter: ',',
    onRow: (cells, line) => {
      if (b === null) {
        try {
          b = new CustomerTableBuilder(cells.map((c) => c.trim()));
        } catch (e) {
          if (e instanceof Error && 'exitCode' in e) {
            throw dataError(e.message, { file: input.label, line: 1 }, 'report reads the customer table written by `custkit segment` or `custkit score`');
          }
          throw e;
        }
        return;
      }
      try {
        b.add(cells, line);
      } catch (e) {
        if (e instanceof Error && 'exitCode' in e) throw dataError(e.message, { file: input.label, line });
        throw e;
      }
    },
  });
  if (b === null) throw dataError('empty customer table', { file: input.label }, 'report reads the customer table written by `custkit segment` or `custkit score`');
  return (b as CustomerTableBuilder).finish();
}

/** Reads an audit JSON file (from clean or run). */
export function loadAudit(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw dataError(`cannot read audit JSON (${(e as Error).message})`, { file: path }, 'give the file written by `custkit clean --audit`');
  }
}

export function makeReport(table: CustomerTable, opts: ReportOptions): ReportModel {
  return buildReport(table, opts);
}

export function renderReport(model: ReportModel, format: ReportFormat, o: { color: boolean; excel: boolean; width?: number }): string {
  switch (format) {
    case 'table': return renderTable(model, { color: o.color, width: o.width });
    case 'md': return renderMarkdown(model);
    case 'json': return renderJson(model);
    case 'html': return renderHtml(model);
    case 'csv': return renderCsv(model, { bom: o.excel });
    default: throw usageError(`unknown report format ${String(format)}`);
  }
}
