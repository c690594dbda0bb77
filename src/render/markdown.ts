/** GitHub-flavoured markdown report: headings, GFM pipe tables, sentences. */
import type { ReportModel } from '../core/report/report-model.js';
import { t, type Lang } from '../core/report/i18n.js';
import { reportSections, type ViewTable } from './sections.js';
import { escapeTerminal } from '../core/terminal-text.js';

export interface MarkdownOptions {
  lang?: Lang;
}

/**
 * Escapes text for a markdown table cell or line: backslash-escapes markdown punctuation and
 * the pipe, and writes < > & as entities so ids like `<script>` stay inert text. Markdown is
 * often read in a terminal: other control characters are shown escaped (terminal-text.ts).
 */
export function escapeMarkdown(s: string): string {
  return escapeTerminal(s.replace(/[\r\n]+/g, ' '))
    .replace(/[\\`*_[\]|#]/g, (c) => '\\' + c)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function table(tb: ViewTable): string {
  const head = '| ' + tb.columns.map((c) => escapeMarkdown(c.label)).join(' | ') + ' |';
  const sep = '| ' + tb.columns.map((c) => (c.align === 'right' ? '---:' : ':---')).join(' | ') + ' |';
  const rows = tb.rows.map((r) => '| ' + r.map((c) => escapeMarkdown(c.text)).join(' | ') + ' |');
  return [head, sep, ...rows].join('\n');
}

/** Renders the whole report as markdown (ends with a newline). */
export function renderMarkdown(model: ReportModel, opts: MarkdownOptions = {}): string {
  const lang = opts.lang ?? model.meta.lang;
  const parts: string[] = [`# ${t(lang, 'title')}`, `${t(lang, 'generated_by')}: ${escapeMarkdown(model.meta.generated_by)}`];
  // The run id as a comment: invisible when rendered, there for tools that check a folder's files belong together.
  if (model.meta.run_id) parts.push(`<!-- run_id: ${model.meta.run_id} -->`);
  for (const s of reportSections(model, lang)) {
    parts.push(`## ${escapeMarkdown(s.title)}`);
    for (const p of s.paragraphs) parts.push(escapeMarkdown(p));
    for (const tb of s.tables) {
      if (tb.title !== s.title) parts.push(`### ${escapeMarkdown(tb.title)}`);
      parts.push(tb.rows.length ? table(tb) : `_${t(lang, 'none')}_`);
    }
  }
  return parts.join('\n\n') + '\n';
}
