/**
 * The report's summary tables as CSV for spreadsheets: one file holding every table, with a
 * leading `table` column naming it (ids as in sections.ts, e.g. rfm_segments11, sleep_states).
 * Each table starts with its own header row (`table,<column labels…>`), so a filter on the
 * `table` column gives one clean table. Text cells are formula-guarded (spreadsheet-safe.ts);
 * numbers are raw (unformatted, unrounded beyond the model's 1e-6). CRLF line ends (RFC 4180).
 */
import type { ReportModel } from '../core/report/report-model.js';
import type { Lang } from '../core/report/i18n.js';
import { reportSections } from './sections.js';
import { quoteCsv, spreadsheetCell } from './spreadsheet-safe.js';

export interface CsvOptions {
  lang?: Lang;
  /** `--excel`: start with a UTF-8 byte-order mark so Excel reads UTF-8 (Chinese names) correctly. */
  bom?: boolean;
  /** Only these table ids (default: all). */
  tables?: readonly string[];
}

/** Renders the summary tables (see module comment). */
export function renderCsv(model: ReportModel, opts: CsvOptions = {}): string {
  const lines: string[] = [];
  const line = (cells: string[]): void => void lines.push(cells.map(quoteCsv).join(','));
  for (const s of reportSections(model, opts.lang ?? model.meta.lang)) {
    for (const tb of s.tables) {
      if (opts.tables && !opts.tables.includes(tb.id)) continue;
      line(['table', ...tb.columns.map((c) => spreadsheetCell(c.label))]);
      for (const r of tb.rows) line([tb.id, ...r.map((c) => spreadsheetCell(c.value))]);
    }
  }
  return (opts.bom ? '\uFEFF' : '') + lines.map((l) => l + '\r\n').join('');
}
