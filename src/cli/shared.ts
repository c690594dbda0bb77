/** Small helpers shared by command files (option coercion, summaries on stderr). */
import { usageError } from './errors.js';
import { listValue } from './options.js';
import type { Delimiter } from '../io/csv-tokenizer.js';
import { normaliseEncoding } from '../io/text-input.js';
import { parseMapOption } from '../core/ingest/columns.js';
import type { IngestOptions } from '../pipeline/ingest-stage.js';
import { parseIsoDay } from '../core/time/day.js';

export const OUTPUT_OPTION = { flags: '-o, --output <file>', description: 'write data here (atomically) instead of stdout' };

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
export function ingestOptionsFrom(o: Record<string, unknown>): IngestOptions {
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
    decimal: (o.decimal ?? 'auto') as IngestOptions['decimal'],
    dateFormat: String(o.dateFormat ?? 'auto'),
    parser: (o.parser ?? 'fast') as IngestOptions['parser'],
  };
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
