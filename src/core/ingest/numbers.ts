/**
 * Parsing money amounts, quantities and customer ids as they appear in order exports.
 *
 * Accepted number syntax (everything else → null, never an exception):
 * - surrounding whitespace (ASCII, NBSP, thin/narrow spaces, ideographic space U+3000);
 * - full-width digits and punctuation (`１２３．５`, `－１`, `（１２）`, `￥`) folded to ASCII first;
 * - currency marks at the start and/or end, outside or inside the sign/parentheses:
 *   `¥ ￥ $ € £ 元` and the codes `US$ RMB CNY USD EUR GBP` (codes case-insensitive);
 * - one sign: leading `+`/`-` (also U+2212 `−`), trailing `-` (`12.50-`, SAP style), or accounting
 *   parentheses `(12.50)` → −12.5. Two signs (`--5`, `-(5)`, `-5-`) → null;
 * - thousands separators in the integer part only, one kind per number, groups of exactly three
 *   digits after a first group of 1–3 (`1,234,567.89`; `1'234.50`; `1 234,50`). Indian grouping
 *   (`1,23,456`) is rejected. With decimal '.', separators are `,` space NBSP thin-space `'` `’`;
 *   with decimal ',' (`--decimal ,`) they are `.` space NBSP thin-space `'` `’`;
 * - a plain exponent (`1e-05`, as pandas writes tiny floats) only on numbers without grouping.
 * Results are rounded with roundMoney (1e-6) and never −0.
 *
 * Range (moneyTextInRange): |value| < 1e12 and at most 15 significant digits once rounded to
 * 1e-6. A double holds 15 decimal digits exactly (DBL_DIG), so every accepted value prints back
 * as the decimal it was read as; a number outside the range (`1e303`, `-1e400`, a 30-digit
 * amount) parses to NaN, which callers reject as amount_out_of_range: never Infinity, never a
 * silently shortened value.
 */
import { roundMoney } from '../money.js';
import { plainDecimal } from '../plain-decimal.js';

/** Decimal mark of a source: '.' (default) or ',' (European exports). */
export type DecimalMark = '.' | ',';

/** Options for parseAmount / parseQuantity. */
export interface NumberOptions {
  decimal?: DecimalMark;
}

const CURRENCY_SYMBOLS = ['US$', '¥', '$', '€', '£', '元'];
const CURRENCY_CODES = ['RMB', 'CNY', 'USD', 'EUR', 'GBP'];

/** True for the whitespace characters trimmed around numbers and ids. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x2009 || c === 0x202f || c === 0x3000 || c === 0x2007 || (c >= 10 && c <= 13);
}

/**
 * Folds full-width ASCII (U+FF01…U+FF5E) to ASCII, the ideographic space to a space,
 * U+2212 MINUS SIGN to '-', and the full-width yen/pound signs to ¥/£. Returns the input
 * itself when nothing changes (no allocation on the common path).
 */
export function foldFullWidth(s: string): string {
  let i = 0;
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x2212) break;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else if (c === 0x2212) out += '-';
    else if (c === 0xffe5) out += '¥';
    else if (c === 0xffe1) out += '£';
    else out += s[i];
  }
  return out;
}

/** Trims the whitespace characters of isSpace from both ends. */
export function trimAll(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Removes one currency mark at the start of s (after whitespace); returns s unchanged if none. */
function stripCurrencyStart(s: string): string {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 40 || c === 46 || s.length === 0) return s;
  for (const sym of CURRENCY_SYMBOLS) if (s.startsWith(sym)) return trimAll(s.slice(sym.length));
  if (s.length >= 3) {
    const head = s.slice(0, 3).toUpperCase();
    for (const code of CURRENCY_CODES) if (head === code) return trimAll(s.slice(3));
  }
  return s;
}

/** Removes one currency mark at the end of s (before whitespace); returns s unchanged if none. */
function stripCurrencyEnd(s: string): string {
  const c = s.charCodeAt(s.length - 1);
  if ((c >= 48 && c <= 57) || c === 41 || c === 46 || s.length === 0) return s;
  for (const sym of CURRENCY_SYMBOLS) if (s.endsWith(sym)) return trimAll(s.slice(0, s.length - sym.length));
  if (s.length >= 3) {
    const tail = s.slice(s.length - 3).toUpperCase();
    for (const code of CURRENCY_CODES) if (tail === code) return trimAll(s.slice(0, s.length - 3));
  }
  return s;
}

const stripCurrency = (s: string): string => stripCurrencyEnd(stripCurrencyStart(s));

/** Group separators allowed with each decimal mark. */
function isGroupSep(c: number, decimal: DecimalMark): boolean {
  if (decimal === '.' ? c === 44 : c === 46) return true; // ',' or '.'
  return c === 32 || c === 0xa0 || c === 0x2009 || c === 0x202f || c === 39 || c === 0x2019;
}

/**
 * Validates an unsigned number body (digits, group separators, one decimal mark, optional
 * exponent) and returns its plain ASCII form ("1234.5"), or null.
 */
function normaliseBody(s: string, decimal: DecimalMark): string | null {
  const n = s.length;
  if (n === 0) return null;
  const dec = decimal === '.' ? 46 : 44;
  let out = '';
  let copyFrom = 0; // s[copyFrom, i) is plain and not yet appended to out
  let digits = 0; // digits in the current group
  let groups = 0; // completed groups before a separator
  let sep = -1; // the separator character in use
  let seenDec = false;
  let anyDigit = false;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      anyDigit = true;
    } else if (c === dec && !seenDec) {
      if (groups > 0 && digits !== 3) return null;
      seenDec = true;
      if (dec !== 46) {
        out += s.slice(copyFrom, i) + '.';
        copyFrom = i + 1;
      }
      digits = 0;
    } else if (!seenDec && isGroupSep(c, decimal)) {
      out += s.slice(copyFrom, i);
      copyFrom = i + 1;
      if (sep === -1) sep = c;
      else if (c !== sep) return null;
      if (groups === 0 ? digits < 1 || digits > 3 : digits !== 3) return null;
      groups++;
      digits = 0;
    } else if ((c === 101 || c === 69) && groups === 0 && anyDigit) {
      // exponent: e[+-]digits to the end
      let j = i + 1;
      if (j < n && (s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45)) j++;
      const start = j;
      while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (j !== n || j === start) return null;
      return out + s.slice(copyFrom);
    } else return null;
  }
  if (!anyDigit) return null;
  if (groups > 0 && !seenDec && digits !== 3) return null;
  return out + s.slice(copyFrom);
}

/** The fast path: [-]digits[.digits] with decimal '.', no other characters (plainDecimal). Returns NaN when it does not apply. */
function fastPlain(s: string): number {
  return s.length > 20 ? NaN : plainDecimal(s);
}

/** Largest magnitude accepted for amounts, unit prices and quantities (exclusive). */
export const MAX_MONEY = 1e12;
/** Most significant digits an accepted value may have at money precision (1e-6). */
export const MAX_MONEY_DIGITS = 15;

/**
 * Significant digits of a plain ASCII number (`1234.5`, `-0.001`, `1.5e10`) once rounded to
 * 1e-6: leading zeros and trailing zeros after the point do not count; digits below 1e-6 are
 * rounded away (a dropped part starting with 5–9 counts the last kept place as non-zero).
 */
export function moneyDigits(body: string): number {
  let s = body.charCodeAt(0) === 45 || body.charCodeAt(0) === 43 ? body.slice(1) : body;
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  const digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  const point = (dot < 0 ? s.length : dot) + exp; // digits[k] has place 10^(point − 1 − k)
  const keep = Math.max(0, Math.min(digits.length, point + 6));
  let a = 0;
  while (a < keep && digits.charCodeAt(a) === 48) a++;
  const roundsUp = keep < digits.length && digits.charCodeAt(keep) >= 53;
  if (a === keep) return roundsUp ? 1 : 0;
  let b = keep;
  if (!roundsUp) while (b > a && digits.charCodeAt(b - 1) === 48) b--;
  return b - a;
}

/** True when the value v of plain number text `body` is in the accepted range (module comment). */
export function moneyTextInRange(v: number, body: string): boolean {
  const m = v < 0 ? -v : v;
  if (m < 1e9) return true; // ≤ 9 integer digits + 6 decimals: at most 15 digits
  return m < MAX_MONEY && moneyDigits(body) <= MAX_MONEY_DIGITS;
}

/**
 * A computed amount (quantity × unit price, rounded to 1e-6) in the accepted range: below 1e9
 * as it is; up to 1e12 the 15-significant-digit decimal it is within rounding error of (two
 * units in the last place), so it prints with at most 15 digits and reads back (canonical
 * input) unchanged; NaN when out of range or when it needs more digits.
 */
export function rangedMoney(x: number): number {
  const m = x < 0 ? -x : x;
  if (m < 1e9) return x;
  if (!(m < MAX_MONEY)) return NaN; // also NaN
  const v = Number(x.toPrecision(MAX_MONEY_DIGITS));
  return Math.abs(v - x) <= m * 4.5e-16 ? v : NaN;
}

/** Parses a number; null when the text is not a number, NaN when it is one outside the accepted range. */
function parseNumber(text: string, decimal: DecimalMark): number | null {
  if (decimal === '.') {
    const f = fastPlain(text);
    // f not NaN: the text is a plain decimal; below 1e9 it is in range without counting digits.
    if (f === f) return (f < 1e9 && f > -1e9) || moneyTextInRange(f, text) ? roundMoney(f) : NaN;
  }
  let s = trimAll(foldFullWidth(text));
  if (s.length === 0) return null;
  let negative = false;
  let signs = 0;
  s = stripCurrency(s);
  const takeSign = (): void => {
    const c = s.charCodeAt(0);
    if (c === 45 || c === 43) {
      if (c === 45) negative = !negative;
      signs++;
      s = trimAll(s.slice(1));
    }
  };
  takeSign();
  s = stripCurrency(s);
  if (s.length >= 2 && s.charCodeAt(0) === 40 && s.charCodeAt(s.length - 1) === 41) {
    negative = !negative;
    signs++;
    s = stripCurrency(trimAll(s.slice(1, s.length - 1)));
  }
  takeSign();
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 45) {
    negative = !negative;
    signs++;
    s = stripCurrency(trimAll(s.slice(0, s.length - 1)));
  }
  if (signs > 1) return null;
  const body = normaliseBody(s, decimal);
  if (body === null) return null;
  const v = Number(body);
  if (!moneyTextInRange(v, body)) return NaN; // Infinity included
  return roundMoney(negative ? -v : v);
}

/**
 * Parses a money amount (see the module comment for the accepted syntax).
 * Examples: "$1,234.50" → 1234.5; "1.234,50 €" with {decimal: ','} → 1234.5; "(12.50)" → −12.5;
 * "１２３．５" → 123.5; "" → null; "12abc" → null; "1e303", "1234567890123" → NaN (out of range).
 * Rounded to 1e-6.
 */
export function parseAmount(text: string, opts?: NumberOptions): number | null {
  return parseNumber(text, opts?.decimal ?? '.');
}

/** Parses a quantity with the same rules and range as parseAmount (integers or decimals, may be negative for returns). */
export function parseQuantity(text: string, opts?: NumberOptions): number | null {
  return parseNumber(text, opts?.decimal ?? '.');
}

/** Cell values that mean "no value" in common exports (R, pandas, Excel, SQL dumps). */
export const MISSING_MARKERS: ReadonlySet<string> = new Set(['NA', 'N/A', '#N/A', 'NaN', 'nan', 'NULL', 'null', 'None', '-']);

/** True for a control character (Unicode category Cc: C0, DEL, C1). */
function isControl(c: number): boolean {
  return c < 32 || (c >= 127 && c <= 159);
}

/**
 * Canonical customer id from a source cell, or null when it holds a control character (NUL,
 * a tab or line break inside it, …): such an id would silently be a customer of its own, so
 * the row is rejected (bad_customer_id). Rules: whitespace trimmed at both ends (incl. NBSP
 * and U+3000); the id is otherwise kept exactly as written — no Unicode folding, so `＝1+1`
 * and `=1+1` stay two customers — unless `foldIds` (--fold-ids) folds full-width ASCII to
 * ASCII (`１７８５０` → `17850`). A float-exported integer id (pandas writes `17850.0` when the
 * column had missing values) is reduced to its digits: a trailing `.0…0` after an all-digit id
 * is removed (`17850.0` → `17850`, `00042.00` → `00042`; `17850.5` and `A17.0` are left as they
 * are). Missing markers (NA, N/A, #N/A, NaN, NULL, null, None, -) become '' (missing). Leading
 * zeros are kept: ids are text.
 */
export function normalizeCustomerId(raw: string, foldIds = false): string | null {
  let s = raw;
  const n = s.length;
  // Fast path: printable ASCII without surrounding spaces.
  let ascii = n > 0 && s.charCodeAt(0) > 32 && s.charCodeAt(n - 1) > 32;
  if (ascii) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126) {
        ascii = false;
        break;
      }
    }
  }
  if (!ascii) {
    s = trimAll(foldIds ? foldFullWidth(s) : s);
    for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return null;
  }
  const m = s.length;
  if (m === 0) return '';
  if (m <= 4 && MISSING_MARKERS.has(s)) return '';
  if (s.charCodeAt(m - 1) === 48) {
    const dot = s.indexOf('.');
    if (dot > 0) {
      let ok = true;
      for (let i = 0; i < dot && ok; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) ok = false;
      }
      for (let i = dot + 1; i < m && ok; i++) if (s.charCodeAt(i) !== 48) ok = false;
      if (ok) return s.slice(0, dot);
    }
  }
  return s;
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
