/**
 * Terminal report: cli-table3 box tables fitted to a width (default 80 columns).
 * Colour only when the caller says so (`color`: from TTY / NO_COLOR, decided in the CLI);
 * without it the output is plain text with no escape codes.
 * Fitting: a long free-text column (e.g. "Recommended action") that does not fit is taken
 * out of the table and printed below it as "name: text" lines. Each remaining column starts
 * at its widest cell (headers count up to their longest word, at most 10); while the table
 * is too wide the widest column loses one position, down to 4; data cells are truncated
 * with "…", headers wrap onto more lines. Ids and header names are data: their control
 * characters and bidi overrides are shown escaped (terminal-text.ts) before fitting.
 */
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import type { ReportModel } from '../core/report/report-model.js';
import { t, type Lang } from '../core/report/i18n.js';
import { reportSections, type ViewTable } from './sections.js';
import { displayWidth, truncate } from './format.js';
import { escapeTerminal } from '../core/terminal-text.js';

export interface TableOptions {
  color: boolean;
  lang?: Lang;
  /** Terminal width (default 80). */
  width?: number;
}

/** Content widths that fit `width` (see module comment). */
export function fitWidths(tb: ViewTable, width: number): number[] {
  const w = tb.columns.map((c, i) =>
    Math.max(
      Math.min(Math.max(...c.label.split(/\s+/).map(displayWidth)), 10),
      ...tb.rows.map((r) => displayWidth(r[i]!.text)),
      1,
    ),
  );
  // Box: each column adds 2 padding and 1 border, plus the last border.
  const budget = width - 3 * w.length - 1;
  let total = w.reduce((a, b) => a + b, 0);
  // First let headers wrap further (down to the widest data cell), then cut data.
  const data = tb.columns.map((_, i) => Math.max(1, ...tb.rows.map((r) => displayWidth(r[i]!.text))));
  while (total > budget) {
    let j = -1;
    for (let i = 0; i < w.length; i++) if (w[i]! > Math.max(data[i]!, 4) && (j < 0 || w[i]! - data[i]! > w[j]! - data[j]!)) j = i;
    if (j < 0) break;
    w[j]!--;
    total--;
  }
  while (total > budget) {
    let j = -1;
    for (let i = 0; i < w.length; i++) if (w[i]! > 4 && (j < 0 || w[i]! > w[j]!)) j = i;
    if (j < 0) break;
    w[j]!--;
    total--;
  }
  return w;
}

const naturalWidth = (tb: ViewTable): number =>
  tb.columns.reduce((s, c, i) => s + 3 + Math.max(displayWidth(c.label), ...tb.rows.map((r) => displayWidth(r[i]!.text))), 1);

/** Removes column `col` from a table; returns the table and "first cell: removed cell" lines. */
function splitOut(tb: ViewTable, col: number): { table: ViewTable; notes: string[] } {
  const keep = (_: unknown, i: number): boolean => i !== col;
  return {
    table: { ...tb, columns: tb.columns.filter(keep), rows: tb.rows.map((r) => r.filter(keep)), wideColumn: undefined },
    notes: tb.rows.filter((r) => r[col]!.text !== '').map((r) => `  ${r[0]!.text}: ${r[col]!.text}`),
  };
}

/** A series table cut from the right until it fits at full cell width; the note says what was left out. */
function cutSeries(tb: ViewTable, width: number): { table: ViewTable; notes: string[] } {
  let n = tb.columns.length;
  const fits = (k: number): boolean => naturalWidth({ ...tb, columns: tb.columns.slice(0, k), rows: tb.rows.map((r) => r.slice(0, k)) }) <= width;
  while (n > tb.seriesFrom! && !fits(n)) n--;
  if (n === tb.columns.length) return { table: tb, notes: [] };
  return {
    table: { ...tb, columns: tb.columns.slice(0, n), rows: tb.rows.map((r) => r.slice(0, n)) },
    notes: [n === tb.columns.length - 1 ? `  (${tb.columns[n]!.label} …)` : `  (${tb.columns[n]!.label} … ${tb.columns[tb.columns.length - 1]!.label})`],
  };
}

function drawTable(tb0: ViewTable, width: number, chalk: InstanceType<typeof Chalk>): string {
  let tb = tb0;
  let notes: string[] = [];
  if (tb.seriesFrom !== undefined) ({ table: tb, notes } = cutSeries(tb, width));
  if (tb.wideColumn !== undefined && naturalWidth(tb) > width) {
    ({ table: tb, notes } = splitOut(tb, tb.wideColumn));
    notes.unshift(chalk.bold(tb0.columns[tb0.wideColumn!]!.label) + ':');
  }
  const w = fitWidths(tb, width);
  const table = new Table({
    head: tb.columns.map((c) => chalk.bold.cyan(c.label)),
    colWidths: w.map((x) => x + 2),
    colAligns: tb.columns.map((c) => c.align),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], compact: true },
  });
  for (const r of tb.rows) table.push(r.map((c, i) => truncate(c.text, w[i]!)));
  return [table.toString(), ...notes.map((n) => truncate(n, width))].join('\n');
}

/** Wraps a sentence at spaces (CJK text at any character) to lines of at most `width` columns. */
export function wrapText(s: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  // Tokens: runs of non-space non-CJK characters, single CJK characters, spaces.
  for (const tok of s.match(/[\u2e80-\u9fff\uac00-\ud7a3\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7a3\uff00-\uffef]+|\s+/g) ?? []) {
    if (displayWidth(cur + tok) > width && cur.trim() !== '') {
      lines.push(cur.trimEnd());
      cur = /^\s+$/.test(tok) ? '' : tok;
    } else cur += tok;
  }
  if (cur.trim() !== '') lines.push(cur.trimEnd());
  return lines.map((l) => truncate(l, width));
}

/** The table with every label and cell escaped for a terminal. */
const escapedTable = (tb: ViewTable): ViewTable => ({
  ...tb,
  title: escapeTerminal(tb.title),
  columns: tb.columns.map((c) => ({ ...c, label: escapeTerminal(c.label) })),
  rows: tb.rows.map((r) => r.map((c) => ({ ...c, text: escapeTerminal(c.text) }))),
});

/** Renders the report for a terminal (ends with a newline). */
export function renderTable(model: ReportModel, opts: TableOptions): string {
  const lang = opts.lang ?? model.meta.lang;
  const width = opts.width ?? 80;
  const chalk = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [chalk.bold(t(lang, 'title')) + `  (${escapeTerminal(model.meta.generated_by)})`];
  for (const s of reportSections(model, lang)) {
    out.push('', chalk.bold.underline(escapeTerminal(s.title)));
    for (const p of s.paragraphs) out.push(...wrapText(escapeTerminal(p), width));
    for (const tb of s.tables.map(escapedTable)) {
      if (tb.title !== s.title) out.push(chalk.bold(tb.title));
      out.push(tb.rows.length ? drawTable(tb, width, chalk) : `(${t(lang, 'none')})`);
    }
  }
  return out.join('\n') + '\n';
}
