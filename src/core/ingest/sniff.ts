/**
 * Sniffing a file's encoding, delimiter and header from its first bytes / lines.
 */
import { parseDateTime } from './dates.js';
import { parseAmount, trimAll } from './numbers.js';

/** Encodings custkit decodes. GB18030 is the superset of GBK and GB2312. */
export type SniffedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Result of detectEncoding: bom = BOM length in bytes (0 when none). */
export interface EncodingGuess {
  encoding: SniffedEncoding;
  bom: number;
  confident: boolean;
}

/**
 * Length of the valid UTF-8 prefix of b; a multi-byte sequence cut by the end of the sample
 * counts as valid. Returns -1 when b is valid UTF-8 (to its end), else the offset of the first
 * invalid byte. Rejects overlongs, surrogates and code points above U+10FFFF (RFC 3629).
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1; // cut at the end of the sample
      const d = b[i + k]!;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** True when b is structurally GB18030 (1-, 2- and 4-byte sequences; a sequence cut at the end is accepted). */
function looksGb18030(b: Uint8Array): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c === 0x80 || c === 0xff) return false;
    if (i + 1 >= n) return true;
    const d = b[i + 1]!;
    if ((d >= 0x40 && d <= 0x7e) || (d >= 0x80 && d <= 0xfe)) {
      i += 2;
      continue;
    }
    if (d >= 0x30 && d <= 0x39) {
      if (i + 3 >= n) return true;
      const e = b[i + 2]!;
      const f = b[i + 3]!;
      if (e < 0x81 || e > 0xfe || f < 0x30 || f > 0x39) return false;
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * Detects the text encoding of the first bytes of a file:
 * 1. BOM: EF BB BF → utf-8 (bom 3); FF FE → utf-16le (2); FE FF → utf-16be (2).
 * 2. No BOM, NUL bytes: UTF-16 text of mostly ASCII has a NUL in every other byte. When ≥ 30 % of
 *    the 2-byte units have a NUL in the odd byte and ≤ 5 % in the even byte → utf-16le (and
 *    mirrored → utf-16be); confident.
 * 3. Valid UTF-8 (a sequence cut at the sample's end is allowed) → utf-8, confident (pure ASCII
 *    included: it decodes the same in every supported encoding).
 * 4. Otherwise gb18030; confident only when the bytes are well-formed GB18030 (else the file is in
 *    some other encoding, e.g. Windows-1252, and the caller should ask for --encoding).
 */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  const n = head.length;
  if (n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3, confident: true };
  if (n >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, confident: true };
  if (n >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, confident: true };
  const pairs = Math.min(n, 8192) >> 1;
  if (pairs > 0) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) evenNul++;
      if (head[2 * i + 1] === 0) oddNul++;
    }
    if (oddNul >= 0.3 * pairs && evenNul <= 0.05 * pairs) return { encoding: 'utf-16le', bom: 0, confident: true };
    if (evenNul >= 0.3 * pairs && oddNul <= 0.05 * pairs) return { encoding: 'utf-16be', bom: 0, confident: true };
  }
  if (firstInvalidUtf8(head) === -1) return { encoding: 'utf-8', bom: 0, confident: true };
  return { encoding: 'gb18030', bom: 0, confident: looksGb18030(head) };
}

/** Delimiters custkit reads; 'whitespace' = runs of spaces/tabs, leading ones ignored (CDNOW). */
export type SniffedDelimiter = ',' | ';' | '\t' | '|' | 'whitespace';

const CANDIDATES = [',', '\t', ';', '|'] as const;

/** Field counts per record for delimiter d, outside double quotes; a quoted newline joins lines into one record. */
function fieldCounts(lines: string[], d: string): number[] {
  const counts: number[] = [];
  let inQuote = false;
  let count = 1;
  const dc = d.charCodeAt(0);
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 34) inQuote = !inQuote;
      else if (c === dc && !inQuote) count++;
    }
    if (!inQuote) {
      counts.push(count);
      count = 1;
    }
  }
  if (inQuote) counts.push(count);
  return counts;
}

/** Most frequent count and the share of records having it. */
function modeShare(counts: number[]): { mode: number; share: number } {
  const freq = new Map<number, number>();
  let mode = 0;
  let best = 0;
  for (const c of counts) {
    const f = (freq.get(c) ?? 0) + 1;
    freq.set(c, f);
    if (f > best || (f === best && c > mode)) {
      best = f;
      mode = c;
    }
  }
  return { mode, share: counts.length ? best / counts.length : 0 };
}

/**
 * Picks the delimiter from sample lines (blank lines ignored). For each of `,` tab `;` `|` the
 * field count of every record is counted outside double quotes; a candidate qualifies when its
 * most frequent count is > 1 and at least 80 % of records have it. The qualifier with the highest
 * share wins, then the most fields, then the order `,` tab `;` `|`. When none qualifies and
 * splitting on runs of whitespace gives a consistent count > 1 → 'whitespace'. Else ','.
 */
export function sniffDelimiter(lines: string[]): SniffedDelimiter {
  const sample = lines.filter((l) => l.trim().length > 0);
  if (sample.length === 0) return ',';
  let best: SniffedDelimiter | null = null;
  let bestShare = 0;
  let bestMode = 0;
  for (const d of CANDIDATES) {
    const { mode, share } = modeShare(fieldCounts(sample, d));
    if (mode < 2 || share < 0.8) continue;
    if (share > bestShare || (share === bestShare && mode > bestMode)) {
      best = d;
      bestShare = share;
      bestMode = mode;
    }
  }
  if (best !== null) return best;
  const ws = modeShare(sample.map((l) => l.trim().split(/[ \t]+/).length));
  if (ws.mode >= 2 && ws.share >= 0.8) return 'whitespace';
  return ',';
}

/** True when a cell looks like data rather than a column name: a number, or a date in any supported shape. */
export function looksLikeData(cell: string): boolean {
  const t = trimAll(cell);
  if (t.length === 0) return false;
  return parseAmount(t) !== null || parseAmount(t, { decimal: ',' }) !== null || parseDateTime(t, 'auto') !== null || looksLikeDmyDate(t);
}

/** d/m/y shaped text with both parts ≤ 12 (not parsed by 'auto', still data). */
function looksLikeDmyDate(t: string): boolean {
  return parseDateTime(t, 'dmy') !== null || parseDateTime(t, 'mdy') !== null;
}

/**
 * Whether the first row is a header. Heuristic: a first row containing any data-like cell (a number
 * or a date, e.g. CDNOW's `00004 0001 19970101 2 29.33`) is data, not a header. A first row of
 * only text (or empty cells) is a header, even when the second row is text too.
 * The second row is used to confirm: a data-like cell in row 1 counts only when the same column
 * of row 2 is data-like too or empty (so a header such as `2024` above text cells stays a header).
 */
export function looksLikeHeader(firstRow: string[], secondRow?: string[] | null): boolean {
  for (let i = 0; i < firstRow.length; i++) {
    if (!looksLikeData(firstRow[i]!)) continue;
    if (!secondRow) return false;
    const below = secondRow[i];
    if (below === undefined || trimAll(below) === '' || looksLikeData(below)) return false;
  }
  return true;
}
