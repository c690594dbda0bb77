/** Small helpers shared by command files (option coercion, summaries on stderr). */
import { usageError } from '../errors.js';
import { listValue } from './options.js';
import type { Delimiter } from '../io/csv-tokenizer.js';
import { normaliseEncoding } from '../io/text-input.js';
import { parseMapOption } from '../core/ingest/columns.js';
import { EARLIEST_DAY, type IngestOptions } from '../pipeline/ingest-stage.js';
import type { DateWindow } from '../core/ingest/row-converter.js';
import { formatDay, parseIsoDay } from '../core/time/day.js';

export const OUTPUT_OPTION = { flags: '-o, --output <file>', description: 'write data here (atomically) instead of stdout' };
export const ALLOW_EMPTY_OPTION = { flags: '--allow-empty', description: 'accept an input with no data rows (else exit 2)' };

export function delimiterOption(v: unknown): Delimiter | 'auto' {
  const s = String(v ?? 'auto');
  if (s === 'tab' || s === '\\t' || s === '\t') return '\t';
  if (s === 'pipe') return '|';
  if (s === 'auto' || s === ',' || s === ';' || s === '|' || s === 'whitespace') return s as Delimiter | 'auto';
  throw usageError(`--delimiter "${s}" is not supported`, 'use auto, ",", ";", tab, "|" or whitespace');
}

/**
 * The file-reading ingest options. --from/--table/--query (a PostgreSQL source) are read by
 * `custkit ingest` alone, which strips them before calling this; any other command (run,
 * init) given them, on the command line or in the config file, fails instead of silently
 * reading files.
 */
export function ingestOptionsFrom(o: Record<string, unknown>, today: number): IngestOptions {
  for (const k of ['from', 'table', 'query'] as const) {
    if (o[k] !== undefined && o[k] !== null) {
      throw usageError(`--${k} (a PostgreSQL source) is read by \`custkit ingest\` only`, 'run `custkit ingest --from URL --table T -o tx.csv` first, then give tx.csv to this command');
    }
  }
  const map = o.map ? parseMapOption(listValue(o.map).join(',')) : {};
  return {
    encoding: normaliseEncoding(String(o.encoding ?? 'auto')),
    delimiter: delimiterOption(o.delimiter),
    header: o.header !== false,
    map,
    keep: listValue(o.keep),
    noAmount: o.amount === false,
    decimal: (o.decimal ?? 'auto') as IngestOptions['decimal'],
    dateFormat: String(o.dateFormat ?? 'auto'),
    parser: (o.parser ?? 'fast') as IngestOptions['parser'],
    dateWindow: dateWindowOption(o.dateWindow, today, o.asOf !== undefined && o.asOf !== null && o.asOf !== ''),
    foldIds: o.foldIds === true,
    sheet: o.sheet == null ? null : String(o.sheet),
  };
}

/**
 * The plausible order dates of --date-window FROM..TO (inclusive; an empty end keeps its
 * default). Defaults: from 1900-01-01; to the day after `today` (time zones ahead of UTC), or
 * no upper bound when --as-of is given (clean then removes later rows as after_as_of).
 */
export function dateWindowOption(v: unknown, today: number, hasAsOf: boolean): DateWindow {
  const window: DateWindow = { from: EARLIEST_DAY, to: hasAsOf ? null : today + 1 };
  if (v === undefined || v === null || v === '') return window;
  const text = String(v).trim();
  const sep = text.indexOf('..');
  const hint = 'write --date-window YYYY-MM-DD..YYYY-MM-DD, e.g. 2015-01-01..2026-12-31 (an end may be left empty)';
  if (sep < 0) throw usageError(`--date-window "${text}" has no ".."`, hint);
  const end = (s: string): number | null => {
    if (s.trim() === '') return null;
    const d = parseIsoDay(s.trim());
    if (d === null) throw usageError(`--date-window "${text}": "${s.trim()}" is not a date`, hint);
    return d;
  };
  const from = end(text.slice(0, sep));
  const to = end(text.slice(sep + 2));
  if (from !== null) window.from = from;
  if (to !== null) window.to = to;
  if (window.to !== null && window.from > window.to) throw usageError(`--date-window "${text}" ends (${formatDay(window.to)}) before it starts (${formatDay(window.from)})`, hint);
  return window;
}

/** Day number of a --date option, or null. */
export function dayOption(v: unknown, name: string): number | null {
  if (v === undefined || v === null || v === '') return null;
  const d = parseIsoDay(String(v));
  if (d === null) throw usageError(`--${name} "${String(v)}" is not a date`, 'write it as YYYY-MM-DD');
  return d;
}

/** "a: 3, b: 1" for counts by reason, largest first. */
export function countsLine(counts: Record<string, number>): string {
  const e = Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return e.length ? e.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

/** Formats a MB/s figure. */
export const mbps = (bytes: number, ms: number): string => (ms > 0 ? (bytes / 1e6 / (ms / 1000)).toFixed(1) : '–');
