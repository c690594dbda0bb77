/**
 * Streaming CSV reading shared by every command: decoded text → records, with the
 * header separated. `parser: 'fast'` uses CsvTokenizer (the hot path); `'csv-parse'`
 * uses the csv-parse library (same RFC 4180 behaviour, slower; kept for unusual
 * dialects and as the reference the fast tokenizer is tested against). Both give up on a
 * broken quote the same way (CsvTokenizer's bounds): the lines go to `onBroken`, reading
 * resumes on the next line.
 */
import { parse as csvParse } from 'csv-parse';
import { CsvTokenizer, type BrokenHandler, type Delimiter, type RowHandler } from './csv-tokenizer.js';
import type { TextInput } from './text-input.js';

export type CsvParser = 'fast' | 'csv-parse';

export interface ReadOptions {
  delimiter: Delimiter;
  parser?: CsvParser;
  /**
   * Called for every record (including the header) with its 1-based start line, the physical
   * lines it spans and whether it ended the input without a line ending.
   */
  onRow: RowHandler;
  /** Called for lines given up on because a quote opened on them ran past the bounds (in order with onRow). */
  onBroken: BrokenHandler;
  /** Awaited after each input chunk (lets writers apply back-pressure, shows progress). */
  afterChunk?: (charsSoFar: number) => Promise<void> | void;
  /**
   * Called after the first record (the header) was handled: the columns the caller reads
   * (CsvTokenizer.keep); other fields of later records may come as ''. null: all.
   */
  project?: () => readonly boolean[] | null;
}

export async function readCsv(input: TextInput, opts: ReadOptions): Promise<void> {
  if ((opts.parser ?? 'fast') === 'csv-parse' && opts.delimiter !== 'whitespace') {
    await readWithCsvParse(input, opts);
    return;
  }
  const project = opts.project;
  let first = true;
  const tok: CsvTokenizer = new CsvTokenizer(
    opts.delimiter,
    project === undefined
      ? opts.onRow
      : (fields, line, lines, unterminated) => {
          opts.onRow(fields, line, lines, unterminated);
          if (first) {
            first = false;
            tok.keep = project();
          }
        },
  );
  tok.onBroken = opts.onBroken;
  let chars = 0;
  for await (const chunk of input.chunks) {
    tok.push(chunk);
    chars += chunk.length;
    if (opts.afterChunk) await opts.afterChunk(chars);
  }
  tok.end();
}

/**
 * csv-parse reads the text a CsvTokenizer has consumed, with the lines the tokenizer gave up on
 * (a broken quote) blanked: csv-parse alone reads a stray quote to the end of the input and
 * fails there. The tokenizer only decides where records end; csv-parse still splits every field.
 */
async function readWithCsvParse(input: TextInput, opts: ReadOptions): Promise<void> {
  const parser = csvParse({
    delimiter: opts.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  const broken: Parameters<BrokenHandler>[0][] = [];
  let tailLine = 0; // start line of a last record without a line ending
  const guard = new CsvTokenizer(opts.delimiter, (_f, line, _l, unterminated) => {
    if (unterminated) tailLine = line;
  });
  guard.onBroken = (b) => broken.push(b);
  let pending = '';
  guard.onText = (t) => {
    pending += t;
  };
  const send = async (): Promise<void> => {
    const t = pending;
    pending = '';
    if (t.length > 0 && !parser.write(t)) await new Promise((r) => parser.once('drain', r));
  };
  let chars = 0;
  const feed = (async () => {
    for await (const chunk of input.chunks) {
      chars += chunk.length;
      guard.push(chunk);
      await send();
    }
    guard.end();
    await send();
    parser.end();
  })();
  const flushBroken = (before: number): void => {
    while (broken.length > 0 && broken[0]!.line < before) opts.onBroken(broken.shift()!);
  };
  // csv-parse counts every CR and every LF inside quoted fields as a line break, so a CRLF
  // (or a lone CR) inside a field shifts its count for all later records too. `drift` is that
  // excess so far; a physical line break is an LF, as in CsvTokenizer.
  let drift = 0;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // csv-parse reports the line where the record ends; custkit reports where it starts.
    const r = rec.record;
    let embedded = 0;
    let lf = 0;
    for (const f of r) for (let i = 0; i < f.length; i++) { const c = f.charCodeAt(i); if (c === 10) { embedded++; lf++; } else if (c === 13) embedded++; }
    const line = rec.info.lines - embedded - drift;
    flushBroken(line);
    opts.onRow(r, line, 1 + lf, line === tailLine);
    drift += embedded - lf;
    if (opts.afterChunk) await opts.afterChunk(chars);
  }
  await feed;
  flushBroken(Infinity);
}

/** Reads a whole small text input into records (sniffing samples, tests). */
export async function readAllRows(input: TextInput, delimiter: Delimiter): Promise<{ fields: string[]; line: number }[]> {
  const rows: { fields: string[]; line: number }[] = [];
  await readCsv(input, {
    delimiter,
    onRow: (fields, line) => rows.push({ fields, line }),
    onBroken: (b) => {
      throw new Error(`line ${b.line}: ${b.detail}`);
    },
  });
  return rows;
}
