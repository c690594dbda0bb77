/**
 * A fast streaming RFC 4180 tokenizer for the hot path.
 *
 * Rows without a quote character are split with `indexOf` (the common case in machine
 * exports); a row containing the quote character falls back to a character loop that
 * handles quoted fields with embedded delimiters, doubled quotes and newlines.
 * Line endings LF, CRLF and lone CR are accepted. `line` is the 1-based physical line on
 * which a record starts. Cost: O(bytes); memory: one partial record.
 *
 * The same RFC 4180 test suite runs against this tokenizer and csv-parse
 * (test/io/csv-tokenizer.test.ts).
 */
export type Delimiter = ',' | ';' | '\t' | '|' | 'whitespace';

export type RowHandler = (fields: string[], line: number) => void;

export class CsvTokenizer {
  /**
   * Columns a reader needs: a field whose index is `false` here comes as '' instead of a new
   * string (unquoted records; indexes past the end are kept). Set after the header, e.g. by
   * readCsv's `project`.
   */
  keep: readonly boolean[] | null = null;
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

  /** Feeds decoded text; complete records are passed to the handler synchronously. */
  push(chunk: string): void {
    const text = this.buf.length > 0 ? this.buf + chunk : chunk;
    this.buf = '';
    const consumed = this.scan(text, false);
    if (consumed < text.length) this.buf = text.slice(consumed);
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.buf.length > 0) {
      const text = this.buf;
      this.buf = '';
      this.scan(text, true);
    }
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
      if (nl === -1) {
        if (!final) return pos;
        nl = n;
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
          this.emitSimple(text, pos, cr);
          pos = cr + 1;
          this.line++;
          continue;
        }
      }
      this.emitSimple(text, pos, end);
      this.line++;
      pos = nl + 1;
    }
    return n;
  }

  private emitSimple(text: string, start: number, end: number): void {
    if (end === start) return; // blank line: no record (line counter still advances)
    if (this.ws) {
      const s = text.slice(start, end).trim();
      if (s.length === 0) return;
      this.onRow(s.split(/[ \t]+/), this.line);
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
    this.onRow(fields, this.line);
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
        if (c === 10) lines++;
        i++;
        continue;
      }
      if (c === q && i === fieldStart && field.length === 0 && !quotedField) {
        inQuotes = true;
        quotedField = true;
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
        this.onRow(fields, this.line);
        this.line += 1 + lines;
        return next;
      }
      i++;
    }
    if (!final) return -1;
    if (inQuotes) {
      // Unterminated quote at end of input: keep what we have (the caller's ragged-row check reports it).
      fields.push(field + text.slice(fieldStart, n));
    } else {
      fields.push(field + text.slice(fieldStart, n));
    }
    this.onRow(fields, this.line);
    this.line += 1 + lines;
    return n;
  }
}
