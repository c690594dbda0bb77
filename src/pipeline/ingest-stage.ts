/**
 * The ingest stage: raw export files → canonical Transactions (+ rejects).
 * Per file: decode, sniff the delimiter and header, map columns, infer the date format
 * and decimal mark from the first rows, then convert row by row. Memory: one chunk plus
 * the inference sample (the first SAMPLE_ROWS rows), whatever the file size.
 */
import { dataError, usageError } from '../errors.js';
import { resolveMapping } from '../core/ingest/columns.js';
import { personalCells } from '../core/privacy/pii-columns.js';
import { inferDateFormat, parseDateFormatOption, parseDateTime, type DateFormat } from '../core/ingest/dates.js';
import { createRowConverter } from '../core/ingest/row-converter.js';
import { looksLikeHeader, sniffDelimiter } from '../core/ingest/sniff.js';
import type { Reject, StreamSchema, Transaction } from '../core/types.js';
import { readCsv } from '../io/csv-reader.js';
import type { BrokenRecord, Delimiter } from '../io/csv-tokenizer.js';
import { csvLine } from '../io/csv-format.js';
import { openText } from '../io/text-input.js';
import { openXlsxRows } from '../io/xlsx-reader.js';
import { openParquetRows } from '../io/parquet.js';
import { EARLIEST_DAY, type IngestOptions } from '../config/ingest-options.js';
import { mapSource, type FileReport } from '../core/ingest/file-report.js';
import { inferDecimal } from '../core/ingest/numbers.js';

export interface IngestSinks {
  /** Called once, before the first transaction, with the output schema. */
  onSchema(schema: StreamSchema): void;
  /** fps/at: the line's fingerprints, verdict: its screen verdict, from a reader thread asked for them (see Cleaner.pushScreened). */
  onTx(tx: Transaction, fps?: Uint32Array, at?: number, verdict?: number): void;
  onReject(r: Reject): void;
  /** Awaited between input chunks (back-pressure, progress). */
  afterChunk?(bytesSoFar: number, totalBytes: number | null): Promise<void> | void;
}

export interface IngestResult {
  schema: StreamSchema;
  rowsRead: number;
  rowsOut: number;
  rejected: Record<string, number>;
  files: FileReport[];
  /** Under --fold-ids: distinct customer ids as written that folding changed, and their rows. */
  folded: { ids: number; rows: number };
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

/** True when a date cell carries a time of day in the given format. */
function hasTimeOfDay(cell: string | undefined, format: DateFormat): boolean {
  if (cell === undefined || cell === '') return false;
  const dt = parseDateTime(cell, format);
  return dt !== null && dt.time !== null;
}

/** State shared by the sources of one ingest run: counts, rejects, the schema every source must match. */
interface RunState {
  opts: IngestOptions;
  sinks: IngestSinks;
  userDateFormat: DateFormat | null;
  rejected: Record<string, number>;
  files: FileReport[];
  schema: StreamSchema | null;
  fieldsKey: string;
  rowsRead: number;
  rowsOut: number;
  sourceNumber: number;
  /** Distinct ids changed by --fold-ids, and the rows that had one. */
  foldedIds: Set<string>;
  foldedRows: number;
}

function newRun(opts: IngestOptions, sinks: IngestSinks): RunState {
  return {
    opts,
    sinks,
    userDateFormat: opts.dateFormat && opts.dateFormat !== 'auto' ? parseDateFormatOption(opts.dateFormat) : null,
    rejected: {},
    files: [],
    schema: null,
    fieldsKey: '',
    rowsRead: 0,
    rowsOut: 0,
    sourceNumber: 0,
    foldedIds: new Set(),
    foldedRows: 0,
  };
}

function finishRun(st: RunState): IngestResult {
  let schema = st.schema;
  if (schema === null) {
    schema = { hasTime: false, hasItem: false, dimNames: st.opts.keep, hasOutlier: false };
    st.sinks.onSchema(schema);
  }
  return { schema, rowsRead: st.rowsRead, rowsOut: st.rowsOut, rejected: st.rejected, files: st.files, folded: { ids: st.foldedIds.size, rows: st.foldedRows } };
}

/** One source of rows, as openSource sees it. */
interface SourceDescription {
  /** Names the source in rejects and errors (file path, or a redacted database URL + table/query). */
  label: string;
  encoding: string;
  /** The delimiter rows were split on (null for sources that are not text). */
  delimiter: Delimiter | null;
  /** 'first-row': the first row is the header unless it looks like data; null: no header; an array: the header itself. */
  header: 'first-row' | null | string[];
  /** Decimal mark a column is known to use (typed database columns); overrides inference, not --decimal. */
  decimalOf?: (column: number) => '.' | ',' | undefined;
}

/** The seam every source goes through: rows in (cells + line), transactions and rejects out. */
interface RowSink {
  /**
   * One row; `line` is what rejects report (physical line of a file, row number of a query
   * result); `lines`: the physical lines it spans; `torn`: a file's last line without its line ending.
   */
  row(cells: string[], line: number, lines?: number, torn?: boolean): void;
  /** Lines the tokenizer gave up on (a broken quote): one unbalanced_quote reject. */
  broken(b: BrokenRecord): void;
  /** After the last row: finishes the sample, records the source's report. */
  end(): void;
}

/**
 * Mapping, date-format and decimal inference on the first SAMPLE_ROWS rows, then row-by-row
 * conversion and rejects for one source. Hot path (after the sample): row() → handle() →
 * converter, no allocation beyond the converter's Transaction.
 */
function openSource(st: RunState, src: SourceDescription): RowSink {
  const { opts, sinks, rejected } = st;
  const fileNumber = ++st.sourceNumber;
  const label = src.label;
  const delimiter = src.delimiter;
  let header: string[] | null = null;
  let hasHeader = src.header !== null;
  let converter: ((cells: string[], line: number) => Transaction | { reason: string; column: string; detail: string }) | null = null;
  let width = 0;
  const sample: { cells: string[]; line: number; lines: number; torn: boolean }[] = [];
  // Broken lines met while the sample is held, rejected in line order with it.
  const heldBroken: BrokenRecord[] = [];
  let fileRows = 0;
  let rowsOut = 0;
  let report: FileReport | null = null;
  // Text sources hold back their first row until the header is decided; given headers do not.
  let expectFirst = !Array.isArray(src.header);
  let firstRow: string[] | null = null;
  let firstLine = 0;
  let firstLines = 1;
  let firstTorn = false;

  /**
   * A rejected record counts once per physical line it spans, in rows read, in its reason and
   * so against the reject budget: a quote that swallowed lines cannot hide them in one reject.
   * A last line without its line ending that fails is a torn line: truncated_last_line.
   */
  /** Where the id and personal data sit in a row's cells, so the rejects writer can mask them. */
  let cellsOf: { idCell: number; piiCells: number[] } | null = null;
  const reject = (reason: string, detail: string, raw: string, line: number, lines: number, torn: boolean, cells = false): void => {
    if (torn) {
      detail = `no line ending at the end of the file (${reason}: ${detail})`;
      reason = 'truncated_last_line';
    }
    if (lines > 1) detail += ` (spans ${lines} lines)`;
    fileRows += lines;
    rejected[reason] = (rejected[reason] ?? 0) + lines;
    sinks.onReject(cells && cellsOf ? { file: label, line, reason, detail, raw, ...cellsOf } : { file: label, line, reason, detail, raw });
  };
  const rawOf = (cells: string[]): string => csvLine(cells).replace(/\n$/, '');

  const handle = (cells: string[], line: number, lines: number, torn: boolean): void => {
    if (cells.length !== width && !(delimiter === 'whitespace' && cells.length > width)) {
      reject('ragged_row', `${cells.length} fields, expected ${width}`, rawOf(cells), line, lines, torn);
      return;
    }
    const r = converter!(cells, line);
    if ('reason' in r) {
      reject(r.reason, r.column ? `${r.column}: ${r.detail}` : r.detail, rawOf(cells), line, lines, torn, true);
      return;
    }
    fileRows++;
    rowsOut++;
    sinks.onTx(r);
  };
  const handleBroken = (b: BrokenRecord): void => reject('unbalanced_quote', b.detail, b.raw, b.line, b.lines, b.unterminated);

  const setup = (): void => {
    const columnCount = header ? header.length : Math.max(...sample.map((s) => s.cells.length), firstRow?.length ?? 0);
    width = columnCount;
    const m = resolveMapping({ header, columnCount, overrides: opts.map, keep: opts.keep, noAmount: opts.noAmount });
    const f = m.fields;
    cellsOf = { idCell: f.customer_id ?? -1, piiCells: personalCells(header, f) };
    if (f.customer_id === undefined || f.order_date === undefined) {
      throw dataError('column mapping incomplete', { file: label }, 'use --map customer_id=<column>,order_date=<column>');
    }
    // Date format: user choice, or inferred from the sample's date column.
    let dateFormat: DateFormat;
    if (st.userDateFormat) dateFormat = st.userDateFormat;
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
      if (col !== undefined) decimal = src.decimalOf?.(col) ?? inferDecimal(sample.map((s) => s.cells[col] ?? ''));
    }
    const s: StreamSchema = {
      // A time of day in any sampled date cell, as the converter will read it: this covers
      // `2026年3月6日 14:03`, Excel serial fractions and epoch seconds, which a digit-space-digit
      // pattern on the text misses.
      hasTime: f.order_time !== undefined || sample.some((r) => hasTimeOfDay(r.cells[f.order_date!], dateFormat)),
      hasItem: f.item !== undefined,
      dimNames: m.dims.map((d) => d.name),
      hasOutlier: false,
      // Only when mapped: streams without them keep today's schema and bytes.
      ...(f.refund !== undefined ? { hasRefund: true } : {}),
      ...(f.paid_at !== undefined ? { hasPaidAt: true } : {}),
    };
    const key = JSON.stringify([Object.keys(f).sort(), s.dimNames, s.hasItem]);
    if (st.schema === null) {
      st.schema = s;
      st.fieldsKey = key;
      sinks.onSchema(s);
    } else if (key !== st.fieldsKey) {
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
      withTime: st.schema.hasTime,
      header,
      dateWindow: opts.dateWindow ?? { from: EARLIEST_DAY, to: null },
      foldIds: opts.foldIds === true,
      onFold: (asWritten) => {
        st.foldedIds.add(asWritten);
        st.foldedRows++;
      },
    });
    report = {
      file: label,
      encoding: src.encoding,
      delimiter: delimiter === null ? '' : delimiter === '\t' ? 'tab' : delimiter,
      header: header !== null,
      mapping: m.describe,
      ...(m.amountless ? { amountless: true } : {}),
      fields: Object.fromEntries(Object.entries(f).map(([k, i]) => [k, header ? header[i as number]! : String((i as number) + 1)])),
      mapSpec: Object.entries(f).map(([k, i]) => `${k}=${mapSource(header, i as number)}`).join(','),
      dateFormat,
      decimal,
      rows: 0,
    };
  };

  function decideHeader(): void {
    if (Array.isArray(src.header)) {
      header = src.header.map((h) => h.trim());
      return;
    }
    // A first row that looks like data (numbers, dates) is not a header, even without --no-header.
    if (hasHeader && firstRow && sample.length > 0 && !looksLikeHeader(firstRow, sample[0]!.cells)) hasHeader = false;
    if (hasHeader) header = (firstRow ?? []).map((h) => h.trim());
    else if (firstRow) sample.unshift({ cells: firstRow, line: firstLine, lines: firstLines, torn: firstTorn });
  }
  /** Handles the held rows and broken lines, merged in line order. */
  function flushSample(): void {
    const rows = sample.splice(0, sample.length);
    const broken = heldBroken.splice(0, heldBroken.length);
    let k = 0;
    for (const r of rows) {
      while (k < broken.length && broken[k]!.line < r.line) handleBroken(broken[k++]!);
      handle(r.cells, r.line, r.lines, r.torn);
    }
    while (k < broken.length) handleBroken(broken[k++]!);
  }

  return {
    row(cells: string[], line: number, lines = 1, torn = false): void {
      if (converter !== null) {
        handle(cells, line, lines, torn);
        return;
      }
      if (expectFirst) {
        expectFirst = false;
        firstRow = cells;
        firstLine = line;
        firstLines = lines;
        firstTorn = torn;
        return;
      }
      sample.push({ cells, line, lines, torn });
      if (sample.length >= SAMPLE_ROWS) {
        decideHeader();
        setup();
        flushSample();
      }
    },
    broken(b: BrokenRecord): void {
      if (converter !== null) handleBroken(b);
      else if (expectFirst && hasHeader) {
        throw dataError(`unbalanced quote in the header line: ${b.detail}`, { file: label, line: b.line }, 'a quote that opens a header cell must close it on the same line');
      } else heldBroken.push(b);
    },
    end(): void {
      if (!converter) {
        if (firstRow === null && !Array.isArray(src.header)) {
          // Empty file (or, without a header, only broken lines): nothing to map.
          flushSample();
          st.files.push({ file: label, encoding: src.encoding, delimiter: delimiter ?? '', header: false, mapping: '', fields: {}, mapSpec: '', dateFormat: '', decimal: '', rows: fileRows });
          st.rowsRead += fileRows;
          return;
        }
        decideHeader();
        // With only a header, setup() still validates the mapping so errors are reported.
        setup();
        flushSample();
      }
      report!.rows = fileRows;
      st.files.push(report!);
      st.rowsRead += fileRows;
      st.rowsOut += rowsOut;
    },
  };
}

/** Which reader a path needs: by its extension (a workbook and Parquet are not text). */
export function inputKind(path: string): 'xlsx' | 'parquet' | 'text' {
  return /\.xlsx$/i.test(path) ? 'xlsx' : /\.parquet$/i.test(path) ? 'parquet' : 'text';
}

/** Rows of an XLSX sheet or a Parquet file through the same mapping, inference and rejects as a text file's. */
async function ingestTable(st: RunState, path: string, kind: 'xlsx' | 'parquet'): Promise<void> {
  const { sinks } = st;
  let rows = 0;
  if (kind === 'xlsx') {
    const x = await openXlsxRows(path, st.opts.sheet ?? null);
    try {
      const source = openSource(st, { label: x.label, encoding: 'xlsx', delimiter: null, header: st.opts.header ? 'first-row' : null });
      for await (const b of x.batches) {
        for (let i = 0; i < b.rows.length; i++) source.row(b.rows[i]!, b.lines[i]!);
        rows += b.rows.length;
        if (sinks.afterChunk) await sinks.afterChunk(rows, null);
      }
      source.end();
    } finally {
      // No work of the workbook reader outlives the ingest, also on an error (xlsx-reader.ts close).
      await x.close();
    }
    return;
  }
  const p = await openParquetRows(path);
  // Column names are the header (a Parquet file always has them); --no-header does not apply.
  const source = openSource(st, { label: p.label, encoding: 'parquet', delimiter: null, header: p.header, decimalOf: p.decimalOf });
  for await (const batch of p.batches) {
    for (let i = 0; i < batch.length; i++) source.row(batch[i]!, ++rows);
    if (sinks.afterChunk) await sinks.afterChunk(rows, null);
  }
  source.end();
}

export async function ingestFiles(paths: string[], opts: IngestOptions, sinks: IngestSinks): Promise<IngestResult> {
  const st = newRun(opts, sinks);
  if (opts.sheet != null && !paths.some((p) => inputKind(p) === 'xlsx')) {
    throw usageError(`--sheet ${opts.sheet}: no .xlsx input`, '--sheet names the sheet of an .xlsx file to read');
  }
  for (const path of paths) {
    const kind = inputKind(path);
    if (kind !== 'text') {
      await ingestTable(st, path, kind);
      continue;
    }
    const input = await openText(path, opts.encoding);
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
    const source = openSource(st, { label: input.label, encoding: input.encoding, delimiter, header: opts.header ? 'first-row' : null });
    await readCsv(
      { ...input, chunks: replay },
      {
        delimiter,
        parser: opts.parser,
        onRow: source.row,
        onBroken: source.broken,
        afterChunk: sinks.afterChunk ? () => sinks.afterChunk!(input.bytesRead(), input.size) : undefined,
      },
    );
    source.end();
  }
  return finishRun(st);
}

/** A source of rows that are already split into cells, with a known header (a database query). */
export interface RowBatchSource {
  /** Names the source in rejects, errors and notes (never a password). */
  label: string;
  encoding: string;
  header: string[];
  /** Rows in batches; a row's reject line is its 1-based number in the whole stream. */
  batches: AsyncIterable<string[][]>;
  /** Decimal mark known from a column's type ('.' for numeric database columns), used when --decimal is auto. */
  decimalOf?: (column: number) => '.' | ',' | undefined;
}

/**
 * Same as ingestFiles after tokenizing, for one source of rows with a known header: mapping,
 * inference, conversion and rejects are the file path's (openSource). sinks.afterChunk is
 * awaited after each batch with the number of rows so far (back-pressure).
 */
export async function ingestRowBatches(src: RowBatchSource, opts: IngestOptions, sinks: IngestSinks): Promise<IngestResult> {
  const st = newRun(opts, sinks);
  const source = openSource(st, { label: src.label, encoding: src.encoding, delimiter: null, header: src.header, decimalOf: src.decimalOf });
  let n = 0;
  for await (const batch of src.batches) {
    for (let i = 0; i < batch.length; i++) source.row(batch[i]!, ++n);
    if (sinks.afterChunk) await sinks.afterChunk(n, null);
  }
  source.end();
  return finishRun(st);
}
