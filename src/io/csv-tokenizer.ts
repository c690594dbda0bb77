/**
 * A fast streaming RFC 4180 tokenizer for the hot path.
 *
 * Rows without a quote character are split with `indexOf` (the common case in machine
 * exports); a row containing the quote character falls back to a character loop that
 * handles quoted fields with embedded delimiters, doubled quotes and newlines.
 * Line endings LF, CRLF and lone CR are accepted. `line` is the 1-based physical line on
 * which a record starts. Cost: O(bytes); memory: one partial record.
 *
 * A broken quote must not swallow the file: a quoted field that runs past QUOTED_MAX_LINES
 * lines, past QUOTED_MAX_CHARS characters (checked only at its line breaks, so the common path
 * pays nothing), or to the end of input is given up on. The record's lines up to the end of the
 * line that opened the quote go to onBroken, and reading resumes on the next line.
 *
 * The same RFC 4180 test suite runs against this tokenizer and csv-parse
 * (test/io/csv-tokenizer.test.ts).
 */
export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';

/**
 * One record: its fields, the physical line it starts on, how many physical lines it spans
 * (1 unless a quoted field holds line breaks) and whether it ended the input without a line
 * ending (a possibly torn last line).
 */
export type RowHandler = (fields: string[], line: number, lines: number, unterminated: boolean) => void;

/** Lines a quoted field may span before it counts as a broken quote (an address or note needs a few). */
export const QUOTED_MAX_LINES = 100;
/** Characters a quoted field spanning lines may hold before it counts as a broken quote (64 Ki). */
export const QUOTED_MAX_CHARS = 65536;

/** Lines the tokenizer gave up on: a quote opened on them and ran past the bounds above. */
export interface BrokenRecord {
  /** Physical line the record starts on. */
  line: number;
  /** Physical lines dropped: from the record's first line to the one whose quote broke. */
  lines: number;
  /** Their text, without the last line ending. */
  raw: string;
  detail: string;
  /** The span ran to the end of input without a line ending. */
  unterminated: boolean;
}
export type BrokenHandler = (b: BrokenRecord) => void;

export class CsvTokenizer {
  /**
   * Columns a reader needs: a field whose index is `false` here comes as '' instead of a new
   * string (unquoted records; indexes past the end are kept). Set after the header, e.g. by
   * readCsv's `project`.
   */
  keep: readonly boolean[] | null = null;
  /** Receives broken quotes; without one, a broken quote throws (the caller must decide). */
  onBroken: BrokenHandler | null = null;
  /**
   * When set, receives the consumed text in order, each broken span replaced by as many empty
   * lines (the csv-parse path parses that text, so both parsers drop the same lines).
   */
  onText: ((text: string) => void) | null = null;
  /** Broken spans of the text being scanned, as start/end pairs (only with onText). */
  private spans: number[] = [];
  private buf = '';
  private line = 1;
  private readonly delim: string;
  private readonly ws: boolean;
  private ended = false;

  constructor(
    delimiter: Delimiter,
    private readonly onRow: RowHandler,
    private readonly quote = '"',
  ) {
    this.ws = delimiter === 'whitespace';
    this.delim = this.ws ? ' ' : delimiter;
  }

  /**
   * Chunks after `buf` that hold no line ending: no record can end in them, so they wait here
   * unscanned. Rescanning the whole partial record on every chunk made one long line (a 50 MB
   * header) cost time and memory quadratic in its length.
   */
  private held: string[] = [];

  /** Feeds decoded text; complete records are passed to the handler synchronously. */
  push(chunk: string): void {
    if (this.buf.length > 0 && chunk.indexOf('\n') === -1 && chunk.indexOf('\r') === -1) {
      this.held.push(chunk);
      return;
    }
    const text = this.pending() + chunk;
    const consumed = this.scan(text, false);
    if (consumed < text.length) this.buf = text.slice(consumed);
    if (this.onText !== null) this.passText(text, consumed);
  }

  /** The partial record so far (buf and held chunks) as one string; empties both. */
  private pending(): string {
    const text = this.held.length > 0 ? this.buf + this.held.join('') : this.buf;
    this.buf = '';
    this.held = [];
    return text;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const text = this.pending();
    if (text.length > 0) {
      const consumed = this.scan(text, true);
      if (this.onText !== null) this.passText(text, consumed);
    }
  }

  /** Hands text[0, end) to onText with each broken span replaced by its count of line endings. */
  private passText(text: string, end: number): void {
    const spans = this.spans;
    let p = 0;
    for (let k = 0; k < spans.length; k += 2) {
      const s = spans[k]!, e = spans[k + 1]!;
      const span = text.slice(s, e);
      const eol = /\r\n$|\n$|\r$/.exec(span)?.[0] ?? '';
      const lfs = span.split('\n').length - 1;
      this.onText!(text.slice(p, s) + eol.repeat(Math.max(lfs, eol === '' ? 0 : 1)));
      p = e;
    }
    if (p < end) this.onText!(text.slice(p, end));
    this.spans = [];
  }

  /** Scans complete records of `text`; returns the number of characters consumed. */
  private scan(text: string, final: boolean): number {
    const q = this.quote;
    const n = text.length;
    let pos = 0;
    // Next quote / CR positions are cached so each is searched for once per chunk, not per line.
    let nextQ = this.ws ? n : -2;
    let nextCR = -2;
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      const lineEnd = nl === -1 ? n : nl;
      if (nextQ !== n && nextQ < pos) {
        nextQ = text.indexOf(q, pos);
        if (nextQ === -1) nextQ = n;
      }
      // A quote anywhere in this line means the slow path for this record.
      if (nextQ < lineEnd) {
        const r = this.scanQuoted(text, pos, final);
        if (r < 0) return pos; // incomplete record: wait for more text
        pos = r;
        continue;
      }
      let unterminated = false;
      if (nl === -1) {
        if (!final) return pos;
        nl = n;
        unterminated = text.charCodeAt(n - 1) !== 13; // a final lone CR ends the line
      }
      let end = nl;
      // CR handling: CRLF, or lone CR line endings inside this span.
      if (nextCR !== n && nextCR < pos) {
        nextCR = text.indexOf('\r', pos);
        if (nextCR === -1) nextCR = n;
      }
      const cr = nextCR;
      if (cr < end) {
        if (cr === end - 1) {
          end = cr;
        } else {
          // lone CR terminates a record (old Mac files)
          this.emitSimple(text, pos, cr, false);
          pos = cr + 1;
          this.line++;
          continue;
        }
      }
      this.emitSimple(text, pos, end, unterminated);
      this.line++;
      pos = nl + 1;
    }
    return n;
  }

  private emitSimple(text: string, start: number, end: number, unterminated: boolean): void {
    if (end === start) return; // blank line: no record (line counter still advances)
    if (this.ws) {
      const s = text.slice(start, end).trim();
      if (s.length === 0) return;
      this.onRow(s.split(/[ \t]+/), this.line, 1, unterminated);
      return;
    }
    const d = this.delim;
    const fields: string[] = [];
    const keep = this.keep;
    let p = start;
    for (;;) {
      const di = text.indexOf(d, p);
      const k = fields.length;
      const skip = keep !== null && k < keep.length && !keep[k];
      if (di === -1 || di >= end) {
        fields.push(skip ? '' : text.slice(p, end));
        break;
      }
      fields.push(skip ? '' : text.slice(p, di));
      p = di + 1;
    }
    this.onRow(fields, this.line, 1, unterminated);
  }

  /**
   * Character loop for one record that contains quotes. Returns the index after the
   * record's line ending, or −1 when the record is not complete in `text` (unless final).
   */
  private scanQuoted(text: string, start: number, final: boolean): number {
    const q = this.quote.charCodeAt(0);
    const d = this.ws ? -1 : this.delim.charCodeAt(0);
    const n = text.length;
    const fields: string[] = [];
    let field = '';
    let i = start;
    let inQuotes = false;
    let lines = 0;
    let fieldStart = i;
    let quotedField = false;
    // Where the open quote is, and the record's line breaks before it (for the bounds).
    let openAt = start;
    let openLines = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === q) {
          if (i + 1 < n && text.charCodeAt(i + 1) === q) {
            field += text.slice(fieldStart, i + 1);
            i += 2;
            fieldStart = i;
            continue;
          }
          if (i + 1 >= n && !final) return -1; // cannot tell "" from " yet
          field += text.slice(fieldStart, i);
          inQuotes = false;
          i++;
          fieldStart = i;
          continue;
        }
        if (c === 10) {
          lines++;
          if (lines - openLines >= QUOTED_MAX_LINES) return this.broken(text, start, openAt, openLines, `within ${QUOTED_MAX_LINES} lines`);
          if (i - openAt > QUOTED_MAX_CHARS) return this.broken(text, start, openAt, openLines, `within ${QUOTED_MAX_CHARS} characters`);
        }
        i++;
        continue;
      }
      if (c === q && i === fieldStart && field.length === 0 && !quotedField) {
        inQuotes = true;
        quotedField = true;
        openAt = i;
        openLines = lines;
        i++;
        fieldStart = i;
        continue;
      }
      if (c === d) {
        fields.push(field + text.slice(fieldStart, i));
        field = '';
        quotedField = false;
        i++;
        fieldStart = i;
        continue;
      }
      if (c === 10 || c === 13) {
        fields.push(field + text.slice(fieldStart, i));
        let next = i + 1;
        if (c === 13) {
          if (next >= n && !final) return -1; // CR at chunk end: maybe CRLF
          if (next < n && text.charCodeAt(next) === 10) next++;
        }
        this.onRow(fields, this.line, 1 + lines, false);
        this.line += 1 + lines;
        return next;
      }
      i++;
    }
    if (!final) return -1;
    if (inQuotes) return this.broken(text, start, openAt, openLines, 'before the end of the input');
    fields.push(field + text.slice(fieldStart, n));
    this.onRow(fields, this.line, 1 + lines, true);
    this.line += 1 + lines;
    return n;
  }

  /**
   * Gives up on the record at `start` whose quote at `openAt` broke a bound: its lines up to the
   * end of the one holding that quote go to onBroken; returns where reading resumes (the next line).
   */
  private broken(text: string, start: number, openAt: number, openLines: number, bound: string): number {
    const n = text.length;
    let j = openAt;
    for (let c = text.charCodeAt(j); j < n && c !== 10 && c !== 13; c = text.charCodeAt(++j));
    let next = j < n ? j + 1 : n;
    if (j < n && text.charCodeAt(j) === 13 && next < n && text.charCodeAt(next) === 10) next++;
    const lines = openLines + 1;
    const openLine = this.line + openLines;
    const b: BrokenRecord = { line: this.line, lines, raw: text.slice(start, j), detail: `quote opened on line ${openLine} not closed ${bound}`, unterminated: j >= n };
    this.line += lines;
    if (this.onText !== null) this.spans.push(start, next);
    if (this.onBroken === null) throw new Error(`line ${b.line}: ${b.detail}`);
    this.onBroken(b);
    return next;
  }
}
