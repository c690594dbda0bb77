/**
 * Text for a terminal: data (ids, header names, file contents) can hold escape sequences that
 * retitle the window, clear the screen or reorder what is shown (bidi overrides, "Trojan
 * Source", CVE-2021-42574). Everything custkit prints for people passes through
 * escapeTerminal, and so do SQL comments (a line break would end one); machine outputs (CSV,
 * JSON, SQL strings and identifiers) keep their exact values. Pure text functions, in core so
 * that every layer uses the one rule.
 */

/**
 * C0 controls, DEL, C1 controls, the line and paragraph separators (U+2028/9: line breaks to
 * some readers), and the bidi marks and overrides that reorder text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** The same set without the newline (for multi-line notes). */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (NAMED[c]) return NAMED[c]!;
  if (code <= 0x9f) return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Control characters shown visibly: ESC → `\x1B`, tab → `\t`, C1 CSI → `\x9B`, U+202E → `<U+202E>`.
 * With `keepNewlines`, '\n' stays a line break (notes of several lines).
 */
export function escapeTerminal(s: string, keepNewlines = false): string {
  return s.replace(keepNewlines ? UNSAFE_BUT_NEWLINE : UNSAFE, visible);
}

/** Most characters of one datum an error or note quotes. */
export const DATUM_MAX = 200;

/**
 * A datum (cell, header name, option value) as an error may quote it: at most `max` characters
 * of it (then "…"), escaped. Cut before escaping, so a 50 MB header costs no 50 MB copy.
 */
export function quoteDatum(s: string, max = DATUM_MAX): string {
  if (s.length <= max) return escapeTerminal(s);
  let end = max;
  // Do not split a surrogate pair.
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return escapeTerminal(s.slice(0, end)) + '…';
}

/** SGR colour sequences (chalk's), the only escapes custkit writes on purpose. */
const SGR = /\x1b\[[0-9;]*m/g;

/** escapeTerminal for text that may carry custkit's own colours: those are kept, nothing else. */
export function escapeKeepingColour(s: string, keepNewlines = false): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(SGR)) {
    out += escapeTerminal(s.slice(last, m.index), keepNewlines) + m[0];
    last = m.index! + m[0].length;
  }
  return out + escapeTerminal(s.slice(last), keepNewlines);
}
