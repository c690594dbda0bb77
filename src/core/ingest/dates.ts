/**
 * Parsing order dates (and times of day) in the formats order exports use.
 *
 * Every date is the calendar date as written: a time-zone suffix (`Z`, `+08:00`, `-0500`) is
 * accepted and ignored, never converted. Epoch timestamps have no written calendar date, so
 * they are read as UTC. The result is a day number (days since 1970-01-01, core/time/day.ts)
 * and the time of day as 'HH:MM:SS' when the text has one.
 *
 * Formats (DateFormat):
 * - 'ymd': year first, separators `-` `/` `.` or 年月日: `2026-03-05`, `2026/3/5`, `2026.03.05`,
 *   `2026年3月5日`; optional time after a space or `T` (`2026-03-05T14:03:07Z`, `2026年3月5日 14:03`).
 * - 'dmy' / 'mdy': `05/03/2026`, `05-03-2026`, `05.03.2026`, `3/5/2026 2:03 PM`. A year-first date is
 *   unambiguous and is accepted under 'dmy' and 'mdy' too. Two-digit years are accepted in the
 *   last position with the POSIX strptime pivot: 00–68 → 2000–2068, 69–99 → 1969–1999 (`5/3/26` → 2026).
 * - 'compact': `YYYYMMDD` (CDNOW).
 * - 'excel': Excel serial day numbers of the 1900 date system, fraction = time of day. Serial 1 =
 *   1900-01-01; Excel counts the non-existent 1900-02-29 as serial 60, so serials ≥ 61 are days
 *   since 1899-12-30, serials 1–59 days since 1899-12-31, and 60 is rejected. Range 1…2958465 (9999-12-31).
 * - 'epoch' / 'epoch-ms': Unix seconds / milliseconds (non-negative integers) → UTC date and time.
 * - 'auto' (and inference): each value on its own, only when unambiguous: year-first, 8 digits
 *   (compact), 10 digits (epoch), 13 digits (epoch-ms), a number with a 5-digit integer part (excel
 *   serials 10000–99999 = 1927–2173; shorter numbers such as a bare year `2026` are not dates
 *   unless --date-format excel is given), d/m/y only when the
 *   first part > 12 (day-first) or the second part > 12 (month-first).
 * Times: `H:MM`, `H:MM:SS`, optional fraction (dropped), optional `AM`/`PM`. Invalid calendar
 * dates (2026-02-30) and times (25:00) → null.
 */
import { dataError, usageError } from '../../errors.js';
import { quoteDatum } from '../terminal-text.js';
import { dayFromCivil, isValidCivil } from '../time/day.js';
import { foldFullWidth, trimAll } from './numbers.js';

/** A date format: resolved ('ymd' … 'epoch-ms') or 'auto' (decide per value when unambiguous). */
export type DateFormat = 'auto' | 'ymd' | 'dmy' | 'mdy' | 'compact' | 'excel' | 'epoch' | 'epoch-ms';

/** A parsed date: day number and 'HH:MM:SS' or null. */
export interface ParsedDateTime {
  day: number;
  time: string | null;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** Two-digit year pivot (POSIX strptime %y): 00–68 → 20xx, 69–99 → 19xx. */
export function expandTwoDigitYear(yy: number): number {
  return yy <= 68 ? 2000 + yy : 1900 + yy;
}

/** Day number 1899-12-30, the Excel serial epoch for serials ≥ 61. */
const EXCEL_EPOCH = -25569;

/** Day and time of an Excel 1900-system serial (see module comment), or null outside 1…2958465 or at 60. */
export function excelSerialToDay(serial: number): ParsedDateTime | null {
  if (!(serial >= 1 && serial < 2958466)) return null;
  const whole = Math.floor(serial);
  if (whole === 60) return null;
  const day = whole >= 61 ? EXCEL_EPOCH + whole : EXCEL_EPOCH + 1 + whole;
  const frac = serial - whole;
  return { day, time: frac === 0 ? null : secondsToTime(Math.round(frac * 86400) % 86400) };
}

function secondsToTime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${pad2(h)}:${pad2(m)}:${pad2(sec % 60)}`;
}

function epochToDay(ms: number): ParsedDateTime {
  const day = Math.floor(ms / 86400000);
  const rest = Math.floor((ms - day * 86400000) / 1000);
  return { day, time: secondsToTime(rest) };
}

// ---- scanner state (module-level scratch: parsing is synchronous and never re-entered) ----
let p = 0;
let s = '';

function readInt(maxDigits: number): number {
  let v = 0;
  let k = 0;
  while (p < s.length && k < maxDigits) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
    k++;
  }
  return k === 0 ? -1 : v;
}

let lastDigits = 0;
function readIntCount(maxDigits: number): number {
  const start = p;
  const v = readInt(maxDigits);
  lastDigits = p - start;
  return v;
}

/** Parses an optional time at s[p…] to the end; returns 'HH:MM:SS', null when absent, undefined when invalid. */
function readTime(): string | null | undefined {
  if (p >= s.length) return null;
  let c = s.charCodeAt(p);
  if (c === 84 || c === 116) p++; // 'T'
  else if (c === 32) {
    while (p < s.length && s.charCodeAt(p) === 32) p++;
  } else if (!(p > 0 && s.charCodeAt(p - 1) === 0x65e5 && c >= 48 && c <= 57)) return undefined; // '2026年3月5日14:03'
  if (p >= s.length) return null;
  let h = readIntCount(2);
  if (h < 0) return undefined;
  if (p >= s.length || s.charCodeAt(p) !== 58) return undefined;
  p++;
  const mi = readIntCount(2);
  if (mi < 0 || lastDigits !== 2) return undefined;
  let sec = 0;
  if (p < s.length && s.charCodeAt(p) === 58) {
    p++;
    sec = readIntCount(2);
    if (sec < 0 || lastDigits !== 2) return undefined;
    if (p < s.length && (s.charCodeAt(p) === 46 || s.charCodeAt(p) === 44)) {
      p++;
      if (readIntCount(9) < 0) return undefined;
    }
  }
  // optional AM/PM
  while (p < s.length && s.charCodeAt(p) === 32) p++;
  if (p + 1 < s.length) {
    const a = s.charCodeAt(p) | 32;
    const m2 = s.charCodeAt(p + 1) | 32;
    if ((a === 97 || a === 112) && m2 === 109) {
      if (h < 1 || h > 12) return undefined;
      if (a === 97 && h === 12) h = 0;
      else if (a === 112 && h !== 12) h += 12;
      p += 2;
    }
  }
  // optional zone: Z, +HH:MM, -HHMM, +HH (ignored)
  while (p < s.length && s.charCodeAt(p) === 32) p++;
  if (p < s.length) {
    c = s.charCodeAt(p);
    if (c === 90 || c === 122) p++;
    else if (c === 43 || c === 45) {
      p++;
      if (readIntCount(2) < 0 || lastDigits !== 2) return undefined;
      if (p < s.length && s.charCodeAt(p) === 58) p++;
      if (p < s.length && readIntCount(2) < 0) return undefined;
    }
  }
  if (p !== s.length) return undefined;
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  return `${pad2(h)}:${pad2(mi)}:${pad2(sec)}`;
}

function finish(y: number, m: number, d: number): ParsedDateTime | null {
  if (!isValidCivil(y, m, d)) return null;
  const time = readTime();
  if (time === undefined) return null;
  return { day: dayFromCivil(y, m, d), time };
}

/** Classification of one value's shape, used by parsing and inference. */
type Shape =
  | { kind: 'ymd'; y: number; m: number; d: number }
  | { kind: 'dm'; a: number; b: number; y: number; sep: number }
  | { kind: 'digits'; len: number; value: number }
  | { kind: 'serial'; value: number }
  | null;

/** Reads the date part of s (already trimmed and folded), leaving p at the time part. */
function readShape(text: string): Shape {
  s = text;
  p = 0;
  const n = s.length;
  const a = readIntCount(15);
  if (a < 0) return null;
  const la = lastDigits;
  if (p === n || s.charCodeAt(p) === 46) {
    // all digits, or digits '.' digits: compact / epoch / serial (a 4-digit '.' form is a dotted date)
    if (p === n) return { kind: 'digits', len: la, value: a };
    if (la <= 5) {
      const q = p + 1;
      let k = q;
      while (k < n && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
      if (k === n && k > q) {
        const v = Number(s);
        p = n;
        return { kind: 'serial', value: v };
      }
    }
    if (la === 8) return null;
  }
  if (la === 8 || la > 4) return null;
  const sep = s.charCodeAt(p);
  if (sep === 0x5e74 /* 年 */) {
    if (la !== 4) return null;
    p++;
    const m = readIntCount(2);
    if (m < 0 || s.charCodeAt(p) !== 0x6708 /* 月 */) return null;
    p++;
    const d = readIntCount(2);
    if (d < 0) return null;
    if (s.charCodeAt(p) === 0x65e5 /* 日 */) p++;
    return { kind: 'ymd', y: a, m, d };
  }
  if (sep !== 45 && sep !== 47 && sep !== 46) return null;
  p++;
  const b = readIntCount(2);
  if (b < 0 || s.charCodeAt(p) !== sep) return null;
  p++;
  if (la === 4) {
    const d = readIntCount(2);
    if (d < 0) return null;
    return { kind: 'ymd', y: a, m: b, d };
  }
  if (la > 2) return null;
  const y = readIntCount(4);
  if (y < 0 || (lastDigits !== 4 && lastDigits !== 2)) return null;
  return { kind: 'dm', a, b, y: lastDigits === 2 ? expandTwoDigitYear(y) : y, sep };
}

function parseCompact(v: number, len: number): ParsedDateTime | null {
  if (len !== 8) return null;
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  return isValidCivil(y, m, d) ? { day: dayFromCivil(y, m, d), time: null } : null;
}

/**
 * Parses one date (and optional time) in the given format; null when the text is not a valid
 * date in that format (never throws). See the module comment for the formats.
 */
export function parseDateTime(text: string, format: DateFormat): ParsedDateTime | null {
  let t = text;
  // Fast path for ISO 'YYYY-MM-DD' exactly.
  if (t.length === 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45 && format !== 'compact' && format !== 'excel' && format !== 'epoch' && format !== 'epoch-ms') {
    const y = d4(t, 0);
    const m = d2(t, 5);
    const d = d2(t, 8);
    if (y >= 0 && m >= 0 && d >= 0) return isValidCivil(y, m, d) ? { day: dayFromCivil(y, m, d), time: null } : null;
  }
  // Fast path for 'YYYY-MM-DD HH:MM:SS' / 'YYYY-MM-DDTHH:MM:SS' exactly.
  if (t.length === 19 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45 && t.charCodeAt(13) === 58 && t.charCodeAt(16) === 58 && (t.charCodeAt(10) === 32 || t.charCodeAt(10) === 84) && format !== 'compact' && format !== 'excel' && format !== 'epoch' && format !== 'epoch-ms') {
    const y = d4(t, 0);
    const m = d2(t, 5);
    const d = d2(t, 8);
    const h = d2(t, 11);
    const mi = d2(t, 14);
    const se = d2(t, 17);
    if (y >= 0 && m >= 0 && d >= 0 && h >= 0 && mi >= 0 && se >= 0) {
      if (!isValidCivil(y, m, d) || h > 23 || mi > 59 || se > 59) return null;
      return { day: dayFromCivil(y, m, d), time: t.slice(11) };
    }
  }
  t = trimAll(foldFullWidth(t));
  if (t.length === 0) return null;
  const sh = readShape(t);
  if (sh === null) return null;
  switch (sh.kind) {
    case 'ymd':
      if (format === 'compact' || format === 'excel' || format === 'epoch' || format === 'epoch-ms') return null;
      return finish(sh.y, sh.m, sh.d);
    case 'dm': {
      let dayFirst: boolean;
      if (format === 'dmy') dayFirst = true;
      else if (format === 'mdy') dayFirst = false;
      else if (format === 'auto') {
        if (sh.a > 12 && sh.b <= 12) dayFirst = true;
        else if (sh.b > 12 && sh.a <= 12) dayFirst = false;
        else return null;
      } else return null;
      return dayFirst ? finish(sh.y, sh.b, sh.a) : finish(sh.y, sh.a, sh.b);
    }
    case 'digits':
      if (format === 'compact' || (format === 'auto' && sh.len === 8)) return parseCompact(sh.value, sh.len);
      if (format === 'epoch' || (format === 'auto' && sh.len === 10)) return epochToDay(sh.value * 1000);
      if (format === 'epoch-ms' || (format === 'auto' && sh.len === 13)) return epochToDay(sh.value);
      if (format === 'excel' || (format === 'auto' && sh.len === 5)) return excelSerialToDay(sh.value);
      return null;
    case 'serial':
      return format === 'excel' || (format === 'auto' && sh.value >= 10000) ? excelSerialToDay(sh.value) : null;
  }
}

function d4(t: string, i: number): number {
  let v = 0;
  for (let k = i; k < i + 4; k++) {
    const c = t.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
function d2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/** Result of inferDateFormat. */
export interface DateInference {
  format: DateFormat;
  /** True when the samples cannot decide between day-first and month-first: the caller must ask for --date-format. */
  ambiguous: boolean;
  /** One line saying why, quoting example values. */
  reason: string;
}

/**
 * Infers one date format for a column from sample values (empty values ignored).
 * Each value is classified by shape: year-first, d/m/y, 8 digits (compact), 10 digits (epoch),
 * 13 digits (epoch-ms), a number with a 5-digit integer part (excel serial). The most frequent shape
 * wins. For d/m/y: any first part > 12 → 'dmy'; any second part > 12 → 'mdy'; both → ambiguous
 * ("mixed"); neither → ambiguous (all parts ≤ 12). The separator does not decide: `05.03.2026` is
 * inferred like `05/03/2026`. No samples → 'auto'.
 * @throws CustkitError (exit 2) when no sample has a recognisable date shape.
 */
export function inferDateFormat(samples: string[]): DateInference {
  let ymd = 0;
  let dm = 0;
  let compact = 0;
  let epoch = 0;
  let epochMs = 0;
  let excel = 0;
  let unknown = 0;
  let dayFirst: string | null = null;
  let monthFirst: string | null = null;
  let firstDm: string | null = null;
  const unknownExamples: string[] = [];
  for (const raw of samples) {
    const t = trimAll(foldFullWidth(raw));
    if (t.length === 0) continue;
    const sh = readShape(t);
    if (sh === null) {
      unknown++;
      if (unknownExamples.length < 3) unknownExamples.push(t);
      continue;
    }
    switch (sh.kind) {
      case 'ymd':
        ymd++;
        break;
      case 'dm':
        dm++;
        firstDm ??= t;
        if (sh.a > 12) dayFirst ??= t;
        if (sh.b > 12) monthFirst ??= t;
        break;
      case 'digits':
        if (sh.len === 8) compact++;
        else if (sh.len === 10) epoch++;
        else if (sh.len === 13) epochMs++;
        else if (sh.len === 5) excel++;
        else {
          unknown++;
          if (unknownExamples.length < 3) unknownExamples.push(t);
        }
        break;
      case 'serial':
        if (sh.value >= 10000) excel++;
        else {
          unknown++;
          if (unknownExamples.length < 3) unknownExamples.push(t);
        }
        break;
    }
  }
  const total = ymd + dm + compact + epoch + epochMs + excel;
  if (total === 0) {
    if (unknown === 0) return { format: 'auto', ambiguous: false, reason: 'no date values to infer from' };
    throw dataError(
      `order_date values are not dates in any known format (e.g. ${unknownExamples.map((x) => `"${quoteDatum(x, 40)}"`).join(', ')})`,
      undefined,
      'check the column mapping (--map order_date=<column>) or give --date-format (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, YYYYMMDD, excel, epoch, epoch-ms)',
    );
  }
  const best = Math.max(ymd, dm, compact, epoch, epochMs, excel);
  const of = (k: number, what: string): string => `${k} of ${total + unknown} values ${what}`;
  if (best === dm) {
    if (dayFirst !== null && monthFirst !== null)
      return {
        format: 'dmy',
        ambiguous: true,
        reason: `mixed: "${quoteDatum(dayFirst, 40)}" can only be day-first and "${quoteDatum(monthFirst, 40)}" only month-first`,
      };
    if (dayFirst !== null) return { format: 'dmy', ambiguous: false, reason: `${of(dm, 'are d/m/y')}; "${quoteDatum(dayFirst, 40)}" has a first part > 12, so day-first` };
    if (monthFirst !== null) return { format: 'mdy', ambiguous: false, reason: `${of(dm, 'are m/d/y')}; "${quoteDatum(monthFirst, 40)}" has a second part > 12, so month-first` };
    return { format: 'dmy', ambiguous: true, reason: `all ${dm} dates like "${quoteDatum(String(firstDm), 40)}" have both parts ≤ 12: day-first or month-first?` };
  }
  if (best === ymd) return { format: 'ymd', ambiguous: false, reason: of(ymd, 'are year-first') };
  if (best === compact) return { format: 'compact', ambiguous: false, reason: of(compact, 'are YYYYMMDD') };
  if (best === epoch) return { format: 'epoch', ambiguous: false, reason: of(epoch, 'are 10-digit Unix seconds') };
  if (best === epochMs) return { format: 'epoch-ms', ambiguous: false, reason: of(epochMs, 'are 13-digit Unix milliseconds') };
  return { format: 'excel', ambiguous: false, reason: of(excel, 'are Excel serial numbers') };
}

const FORMAT_ALIASES: Record<string, DateFormat> = {
  auto: 'auto',
  ymd: 'ymd',
  iso: 'ymd',
  'yyyy-mm-dd': 'ymd',
  'yyyy/mm/dd': 'ymd',
  'yyyy.mm.dd': 'ymd',
  'yyyy-m-d': 'ymd',
  'yyyy/m/d': 'ymd',
  'yyyy年m月d日': 'ymd',
  dmy: 'dmy',
  'dd/mm/yyyy': 'dmy',
  'dd-mm-yyyy': 'dmy',
  'dd.mm.yyyy': 'dmy',
  'd/m/yyyy': 'dmy',
  'dd/mm/yy': 'dmy',
  'd/m/yy': 'dmy',
  mdy: 'mdy',
  'mm/dd/yyyy': 'mdy',
  'mm-dd-yyyy': 'mdy',
  'mm.dd.yyyy': 'mdy',
  'm/d/yyyy': 'mdy',
  'mm/dd/yy': 'mdy',
  'm/d/yy': 'mdy',
  compact: 'compact',
  yyyymmdd: 'compact',
  excel: 'excel',
  serial: 'excel',
  epoch: 'epoch',
  'epoch-s': 'epoch',
  unix: 'epoch',
  'epoch-ms': 'epoch-ms',
  'unix-ms': 'epoch-ms',
};

/**
 * Reads a --date-format value: a format name (auto, ymd, dmy, mdy, compact, excel, epoch,
 * epoch-ms) or a pattern alias such as YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD
 * (case-insensitive; the separator in a pattern does not restrict parsing).
 * @throws CustkitError (usage, exit 1) for unknown values, listing the accepted ones.
 */
export function parseDateFormatOption(value: string): DateFormat {
  const f = FORMAT_ALIASES[value.trim().toLowerCase()];
  if (f === undefined)
    throw usageError(
      `unknown --date-format "${value}"`,
      'use one of auto, YYYY-MM-DD (ymd), DD/MM/YYYY (dmy), MM/DD/YYYY (mdy), DD.MM.YYYY, YYYYMMDD (compact), excel, epoch, epoch-ms',
    );
  return f;
}
