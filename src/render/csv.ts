/**
 * The report's summary tables as CSV for spreadsheets: one file holding every table, with a
 * leading `table` column naming it (ids as in sections.ts, e.g. rfm_segments11, sleep_states).
 * Each table starts with its own header row (`table,<column labels…>`), so a filter on the
 * `table` column gives one clean table. Text cells are formula-guarded (spreadsheet-safe.ts);
 * numbers are raw (unformatted, unrounded beyond the model's 1e-6). CRLF line ends (RFC 4180).
 */
import type { ReportModel } from '../core/report/report-model.js';
import { t, type Lang } from '../core/report/i18n.js';
import { reportSections } from './sections.js';
import { excelIdCell, quoteCsv, spreadsheetCell } from './spreadsheet-safe.js';

export interface CsvOptions {
  lang?: Lang;
  /**
   * `--excel`: start with a UTF-8 byte-order mark so Excel reads UTF-8 (Chinese names) correctly,
   * and write customer ids a spreadsheet would change (000123, 18 digits) as ="000123".
   */
  bom?: boolean;
  /** Only these table ids (default: all). */
  tables?: readonly string[];
}

/** Renders the summary tables (see module comment). */
export function renderCsv(model: ReportModel, opts: CsvOptions = {}): string {
  const lines: string[] = [];
  const line = (cells: string[]): void => void lines.push(cells.map(quoteCsv).join(','));
  const lang = opts.lang ?? model.meta.lang;
  const idLabel = t(lang, 'customer_id');
  for (const s of reportSections(model, lang)) {
    for (const tb of s.tables) {
      if (opts.tables && !opts.tables.includes(tb.id)) continue;
      line(['table', ...tb.columns.map((c) => spreadsheetCell(c.label))]);
      const isId = tb.columns.map((c) => opts.bom === true && c.label === idLabel);
      for (const r of tb.rows) line([tb.id, ...r.map((c, k) => (isId[k] && typeof c.value === 'string' ? excelIdCell(c.value) : spreadsheetCell(c.value)))]);
    }
  }
  return (opts.bom ? '\uFEFF' : '') + lines.map((l) => l + '\r\n').join('');
}
