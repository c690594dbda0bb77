/**
 * The ingest stage's typed options, and how they are read from the command's option values
 * (command line and config file alike): the parts of ingest a user sets.
 */
import { usageError } from '../errors.js';
import { listValue } from './options.js';
import type { Delimiter } from '../io/csv-tokenizer.js';
import type { CsvParser } from '../io/csv-reader.js';
import { normaliseEncoding, type TextEncoding } from '../io/text-input.js';
import { parseMapOption } from '../core/ingest/columns.js';
import type { DateWindow } from '../core/ingest/row-converter.js';
import { dayFromCivil, formatDay, parseIsoDay } from '../core/time/day.js';

export interface IngestOptions {
  encoding: TextEncoding | 'auto';
  delimiter: Delimiter | 'auto';
  header: boolean;
  map: Record<string, string>;
  keep: string[];
  /** --no-amount: map no money column (rows carry an absent amount). */
  noAmount?: boolean;
  decimal: '.' | ',' | 'auto';
  dateFormat: string;
  parser: CsvParser;
  /** Plausible order dates (--date-window); absent: from EARLIEST_DAY, no upper bound. */
  dateWindow?: DateWindow;
  /** --fold-ids: fold full-width ASCII in customer ids (counted in IngestResult.folded). */
  foldIds?: boolean;
  /** XLSX inputs: the sheet to read (null/absent: the first). */
  sheet?: string | null;
}

/** The earliest plausible order date by default: 1900-01-01. */
export const EARLIEST_DAY = dayFromCivil(1900, 1, 1);

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
