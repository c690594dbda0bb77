/**
 * The ingest stage: raw export files → canonical Transactions (+ rejects).
 * Per file: decode, sniff the delimiter and header, map columns, infer the date format
 * and decimal mark from the first rows, then convert row by row. Memory: one chunk plus
 * the inference sample (the first SAMPLE_ROWS rows), whatever the file size.
 */
import { dataError } from '../cli/errors.js';
import { resolveMapping } from '../core/ingest/columns.js';
import { inferDateFormat, parseDateFormatOption, parseDateTime, type DateFormat } from '../core/ingest/dates.js';
import { createRowConverter } from '../core/ingest/row-converter.js';
import { looksLikeHeader, sniffDelimiter } from '../core/ingest/sniff.js';
import type { Reject, StreamSchema, Transaction } from '../core/types.js';
import { readCsv, type CsvParser } from '../io/csv-reader.js';
import type { Delimiter } from '../io/csv-tokenizer.js';
import { csvLine } from '../io/csv-format.js';
import { openText, type TextEncoding } from '../io/text-input.js';

export interface IngestOptions {
  encoding: TextEncoding | 'auto';
  delimiter: Delimiter | 'auto';
  header: boolean;
  map: Record<string, string>;
  keep: string[];
  decimal: '.' | ',' | 'auto';
  dateFormat: string;
  parser: CsvParser;
}

export interface IngestSinks {
  /** Called once, before the first transaction, with the output schema. */
  onSchema(schema: StreamSchema): void;
  onTx(tx: Transaction): void;
  onReject(r: Reject): void;
  /** Awaited between input chunks (back-pressure, progress). */
  afterChunk?(bytesSoFar: number, totalBytes: number | null): Promise<void> | void;
}

export interface FileReport {
  file: string;
  encoding: string;
  delimiter: string;
  header: boolean;
  mapping: string;
  /** field → source column (header name, or 1-based number for header-less files). */
  fields: Record<string, string>;
  /**
   * The mapping as a --map value that resolves to the same columns again (what `init`
   * writes): header names, except a 1-based column number for a name --map cannot carry
   * (one containing `,` or `=`, empty, or not the first column of that name).
   */
  mapSpec: string;
  dateFormat: string;
  decimal: string;
  rows: number;
}

export interface IngestResult {
  schema: StreamSchema;
  rowsRead: number;
  rowsOut: number;
  rejected: Record<string, number>;
  files: FileReport[];
}

const SAMPLE_ROWS = 2000;

/** Sniffs the delimiter from the first lines of decoded text. */
function firstLines(text: string, n: number): string[] {
  const lines: string[] = [];
  let p = 0;
  while (lines.length < n && p < text.length) {
    let e = text.indexOf('\n', p);
    if (e === -1) e = text.length;
    const l = text.slice(p, e).replace(/\r$/, '');
    if (l.trim().length > 0) lines.push(l);
    p = e + 1;
  }
  return lines;
}

const EU_AMOUNT = /^[^\d-]*-?\d{1,3}(\.\d{3})+,\d+[^\d]*$|^[^\d-]*-?\d+,\d{1,2}[^\d,.]*$/;
const DOT_AMOUNT = /^[^\d-]*-?\d{1,3}(,\d{3})+\.\d+[^\d]*$|^[^\d-]*-?\d+\.\d{1,2}[^\d,.]*$/;

/** Decimal mark from amount samples: ',' only when comma-decimal forms appear and dot-decimal forms do not. */
export function inferDecimal(samples: string[]): '.' | ',' {
  let eu = 0;
  let dot = 0;
  for (const s of samples) {
    const t = s.trim();
    if (EU_AMOUNT.test(t)) eu++;
    else if (DOT_AMOUNT.test(t)) dot++;
  }
  return eu > 0 && dot === 0 ? ',' : '.';
}

/** How --map names column i so that it resolves back to i (see FileReport.mapSpec). */
function mapSource(header: string[] | null, i: number): string {
  const name = header?.[i];
  if (name === undefined || name === '' || /[,=]/.test(name) || header!.indexOf(name) !== i) return String(i + 1);
  return name;
}

/** True when a date cell carries a time of day in the given format. */
function hasTimeOfDay(cell: string | undefined, format: DateFormat): boolean {
  if (cell === undefined || cell === '') return false;
  const dt = parseDateTime(cell, format);
  return dt !== null && dt.time !== null;
}

export async function ingestFiles(paths: string[], opts: IngestOptions, sinks: IngestSinks): Promise<IngestResult> {
  const rejected: Record<string, number> = {};
  const files: FileReport[] = [];
  let schema: StreamSchema | null = null;
  let fieldsKey = '';
  let rowsRead = 0;
  let rowsOut = 0;
  let fileNumber = 0;
  const userDateFormat: DateFormat | null = opts.dateFormat && opts.dateFormat !== 'auto' ? parseDateFormatOption(opts.dateFormat) : null;

  for (const path of paths) {
    fileNumber++;
    const input = await openText(path, opts.encoding);
    const label = input.label;
    // Peek the first decoded chunk for sniffing, then replay it.
    const it = input.chunks[Symbol.asyncIterator]();
    const head = await it.next();
    const headText = head.done ? '' : head.value;
    const delimiter: Delimiter = opts.delimiter === 'auto' ? sniffDelimiter(firstLines(headText, 50)) : opts.delimiter;
    const replay: AsyncIterable<string> = {
      [Symbol.asyncIterator]: async function* () {
        if (!head.done) yield headText;
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          yield r.value;
        }
      },
    };

    let header: string[] | null = null;
    let hasHeader = opts.header;
    let converter: ((cells: string[], line: number) => Transaction | { reason: string; column: string; detail: string }) | null = null;
    let width = 0;
    const sample: { cells: string[]; line: number }[] = [];
    let fileRows = 0;
    let report: FileReport | null = null;
    let firstRow: string[] | null = null;
    let firstLine = 0;

    const reject = (reason: string, detail: string, cells: string[], line: number): void => {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
      sinks.onReject({ file: label, line, reason, detail, raw: csvLine(cells).replace(/\n$/, '') });
    };

    const handle = (cells: string[], line: number): void => {
      rowsRead++;
      fileRows++;
      if (cells.length !== width && !(delimiter === 'whitespace' && cells.length > width)) {
        reject('ragged_row', `${cells.length} fields, expected ${width}`, cells, line);
        return;
      }
      const r = converter!(cells, line);
      if ('reason' in r) {
        reject(r.reason, r.column ? `${r.column}: ${r.detail}` : r.detail, cells, line);
        return;
      }
      rowsOut++;
      sinks.onTx(r);
    };

    const setup = (): void => {
      const columnCount = header ? header.length : Math.max(...sample.map((s) => s.cells.length), firstRow?.length ?? 0);
      width = columnCount;
      const m = resolveMapping({ header, columnCount, overrides: opts.map, keep: opts.keep });
      const f = m.fields;
      if (f.customer_id === undefined || f.order_date === undefined) {
        throw dataError('column mapping incomplete', { file: label }, 'use --map customer_id=<column>,order_date=<column>');
      }
      // Date format: user choice, or inferred from the sample's date column.
      let dateFormat: DateFormat;
      if (userDateFormat) dateFormat = userDateFormat;
      else {
        const dates = sample.map((s) => s.cells[f.order_date!] ?? '').filter((s) => s.trim() !== '');
        const inf = inferDateFormat(dates);
        if (inf.ambiguous) {
          throw dataError(
            `dates are ambiguous (${inf.reason})`,
            { file: label, line: sample[0]?.line, column: header?.[f.order_date] ?? String(f.order_date + 1) },
            'say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY',
          );
        }
        dateFormat = inf.format;
      }
      let decimal: '.' | ',' = opts.decimal === 'auto' ? '.' : opts.decimal;
      if (opts.decimal === 'auto') {
        const col = f.amount ?? f.unit_price;
        if (col !== undefined) decimal = inferDecimal(sample.map((s) => s.cells[col] ?? ''));
      }
      const s: StreamSchema = {
        // A time of day in any sampled date cell, as the converter will read it: this covers
        // `2026年3月6日 14:03`, Excel serial fractions and epoch seconds, which a digit-space-digit
        // pattern on the text misses.
        hasTime: f.order_time !== undefined || sample.some((r) => hasTimeOfDay(r.cells[f.order_date!], dateFormat)),
        hasItem: f.item !== undefined,
        dimNames: m.dims.map((d) => d.name),
        hasOutlier: false,
      };
      const key = JSON.stringify([Object.keys(f).sort(), s.dimNames, s.hasItem]);
      if (schema === null) {
        schema = s;
        fieldsKey = key;
        sinks.onSchema(s);
      } else if (key !== fieldsKey) {
        throw dataError(
          `columns map to different fields than the first file's (${m.describe})`,
          { file: label, line: 1 },
          'files ingested together must have the same kind of columns; ingest them separately or use --map',
        );
      }
      converter = createRowConverter({
        fields: f,
        dims: m.dims,
        decimal,
        dateFormat,
        fileNumber,
        hasOrderId: f.order_id !== undefined,
        withTime: schema.hasTime,
        header,
      });
      report = {
        file: label,
        encoding: input.encoding,
        delimiter: delimiter === '\t' ? 'tab' : delimiter,
        header: header !== null,
        mapping: m.describe,
        fields: Object.fromEntries(Object.entries(f).map(([k, i]) => [k, header ? header[i as number]! : String((i as number) + 1)])),
        mapSpec: Object.entries(f).map(([k, i]) => `${k}=${mapSource(header, i as number)}`).join(','),
        dateFormat,
        decimal,
        rows: 0,
      };
    };

    await readCsv(
      { ...input, chunks: replay },
      {
        delimiter,
        parser: opts.parser,
        onRow: (cells, line) => {
          if (firstRow === null) {
            firstRow = cells;
            firstLine = line;
            return;
          }
          if (converter) {
            handle(cells, line);
            return;
          }
          sample.push({ cells, line });
          if (sample.length >= SAMPLE_ROWS) {
            decideHeader();
            setup();
            flushSample();
          }
        },
        afterChunk: sinks.afterChunk ? (chars) => sinks.afterChunk!(chars, input.size) : undefined,
      },
    );
    function decideHeader(): void {
      // A first row that looks like data (numbers, dates) is not a header, even without --no-header.
      if (hasHeader && firstRow && sample.length > 0 && !looksLikeHeader(firstRow, sample[0]!.cells)) hasHeader = false;
      if (hasHeader) header = (firstRow ?? []).map((h) => h.trim());
      else if (firstRow) sample.unshift({ cells: firstRow, line: firstLine });
    }
    function flushSample(): void {
      const rows = sample.splice(0, sample.length);
      for (const r of rows) handle(r.cells, r.line);
    }
    if (!converter) {
      if (firstRow === null) {
        files.push({ file: label, encoding: input.encoding, delimiter, header: false, mapping: '', fields: {}, mapSpec: '', dateFormat: '', decimal: '', rows: 0 });
        continue; // empty file: nothing to do
      }
      decideHeader();
      if (sample.length === 0 && header !== null) {
        // header only: still validate the mapping so errors are reported
        setup();
      } else {
        setup();
        flushSample();
      }
    }
    report!.rows = fileRows;
    files.push(report!);
  }
  if (schema === null) {
    schema = { hasTime: false, hasItem: false, dimNames: opts.keep, hasOutlier: false };
    sinks.onSchema(schema);
  }
  return { schema, rowsRead, rowsOut, rejected, files };
}
