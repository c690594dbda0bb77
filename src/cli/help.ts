/**
 * Each command's --help on one screen (at most 60 lines of 80 columns): the usage text, the
 * options one per line where they fit (descriptions wrap under a narrow term column), the
 * options every command shares on one line, and the examples last. Details live in docs/commands.md.
 */
import type { Command, Help, Option } from 'commander';
import { displayWidth } from '../render/format.js';

export const HELP_WIDTH = 80;
/** Widest option term kept in the term column; longer terms put their description on the next line. */
const TERM_MAX = 26;
/** Options of every command, listed on one line at the end of the options. */
const SHARED = ['--config', '--quiet', '--debug', '--help'];

/** Words of `text` wrapped to `width` columns, every line after the first indented by `indent`. */
export function wrapWords(text: string, width: number, indent: number, first = 0): string[] {
  const lines: string[] = [];
  let cur = '';
  let room = width - first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && displayWidth(cur) + 1 + displayWidth(word) > room) {
      lines.push(cur);
      cur = word;
      room = width - indent;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/**
 * A command's usage text split in two: everything but the "Examples:" block (shown above the
 * options) and that block (shown last). The block runs from its heading to the first blank
 * line followed by an unindented line.
 */
export function splitHelp(text: string): { about: string; examples: string } {
  const lines = text.trim().split('\n');
  const start = lines.findIndex((l) => /^Examples?:\s*$/.test(l));
  if (start < 0) return { about: text.trim(), examples: '' };
  let end = start + 1;
  while (end < lines.length && (lines[end]!.startsWith(' ') || (lines[end] === '' && (lines[end + 1] ?? '').startsWith(' ')))) end++;
  const about = [...lines.slice(0, start), ...lines.slice(end)].join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { about: reflow(about, HELP_WIDTH), examples: lines.slice(start, end).join('\n').trimEnd() };
}

/** Text rewrapped to `width`: each run of unindented lines is one paragraph; indented lines stay as written. */
export function reflow(text: string, width: number): string {
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) out.push(...wrapWords(para.join(' '), width, 0));
    para = [];
  };
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ')) {
      flush();
      out.push(line);
    } else para.push(line);
  }
  flush();
  return out.join('\n');
}

/** The description with its choices (unless it names them all already) and its default. */
function optionText(o: Option): string {
  let d = o.description;
  const choices = o.argChoices;
  if (choices && !choices.every((c) => d.includes(c))) d += ` (${choices.join(', ')})`;
  const def = o.defaultValue as unknown;
  if (def !== undefined && typeof def !== 'boolean' && !o.negate && !d.includes(`${String(def)} (default`)) d += ` [default: ${String(def)}]`;
  return d;
}

/** Option lines: term column, descriptions wrapped to the help width. */
function optionLines(options: readonly Option[], helper: Help): string[] {
  const terms = options.map((o) => helper.optionTerm(o));
  const col = Math.min(TERM_MAX, Math.max(0, ...terms.map((t) => t.length).filter((n) => n <= TERM_MAX)));
  const out: string[] = [];
  options.forEach((o, i) => {
    const term = terms[i]!;
    const indent = 2 + col + 2;
    if (term.length > col) {
      out.push(`  ${term}`);
      out.push(' '.repeat(indent) + wrapWords(optionText(o), HELP_WIDTH, indent, indent).join('\n'));
    } else {
      out.push(`  ${term.padEnd(col)}  ` + wrapWords(optionText(o), HELP_WIDTH, indent, indent).join('\n'));
    }
  });
  return out;
}

/** The middle of a command's help (usage and options); main() adds the usage text before and examples after. */
export function formatCommandHelp(cmd: Command, helper: Help, extraLines: readonly string[] = []): string {
  const options = helper.visibleOptions(cmd);
  const own = options.filter((o) => !SHARED.includes(o.long ?? ''));
  const shared = options.filter((o) => SHARED.includes(o.long ?? '')).map((o) => helper.optionTerm(o).replace(', ', '/'));
  const lines = [`Usage: ${helper.commandUsage(cmd)}`, '', 'Options:', ...optionLines(own, helper), ...extraLines];
  if (shared.length) lines.push(`  Every command: ${shared.join(', ').replace('--config <file>', '--config <file> (JSON options)')}`);
  return lines.join('\n') + '\n';
}

/** "Stage options" lines for run: each stage's option names, wrapped under the stage name. */
export function stageOptionLines(stages: { stage: string; flags: string[] }[]): string[] {
  const out = ['  Stage options, as in each command (custkit <command> --help):'];
  for (const s of stages) {
    const head = `    ${s.stage}:`.padEnd(13);
    out.push(head + wrapWords(s.flags.join(' '), HELP_WIDTH, 13, 13).join('\n'));
  }
  return out;
}
