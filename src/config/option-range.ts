/**
 * The allowed range of a numeric option, checked with the other option checks before any work
 * (command line and config file alike): a value far outside what makes sense (a fold window of
 * 10⁸ open orders, a horizon of 10⁶ years) would otherwise fail deep inside a stage, after
 * minutes, or exhaust memory. Ranges are listed in docs/commands.md, "Option ranges".
 */
import { usageError } from '../errors.js';
import { DAYS_PER_UNIT, parseDuration, parseRate, ratePerPeriod } from '../core/score/units.js';

export interface OptionRange {
  /** Inclusive bounds, in the unit of `parse`'s result (the number itself without `parse`). */
  min: number;
  max: number;
  /**
   * For options written as text (90d, 10%/yr, 2GB, auto): the number the text stands for, or
   * null when it has none to check (`auto`, or text the stage rejects with its own hint).
   */
  parse?: (text: string) => number | null;
  /** How the range reads in messages, help and README when the bare numbers would not say it. */
  text?: string;
}

const grouped = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** "1 to 1,000,000", or the range's own text. */
export const rangeText = (r: OptionRange): string => r.text ?? `${grouped(r.min)} to ${grouped(r.max)}`;

/**
 * Throws a usage error naming the option, the value and the range when `value` (one number, or
 * each item of a comma-separated list) is outside `r`. Values that are not numbers pass: the
 * type check and the stage report those with their own hints.
 */
export function checkRange(r: OptionRange, value: unknown, where: string, list = false): void {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  const items = list ? text.split(',').map((s) => s.trim()).filter((s) => s !== '') : [text];
  for (const item of items) {
    const n = r.parse ? r.parse(item) : item.trim() === '' ? NaN : Number(item);
    if (n === null || Number.isNaN(n)) continue;
    if (!(n >= r.min && n <= r.max)) {
      throw usageError(`${where} ${text} is out of range`, `allowed: ${rangeText(r)}${list ? ' for each item' : ''}`);
    }
  }
}

/** Days of a duration like 90d, 12w, 6m, 1y (core/score/units.ts); null if not one. */
export function durationDays(s: string): number | null {
  try {
    return parseDuration(s);
  } catch {
    return null;
  }
}

/** A rate like 10%/yr or 1%/month as its annual equivalent (0.1 = 10 %/yr); null if not one. */
export function annualRate(s: string): number | null {
  try {
    const r = parseRate(s);
    return r.perDays === DAYS_PER_UNIT.year ? r.rate : ratePerPeriod(r, DAYS_PER_UNIT.year);
  } catch {
    return null;
  }
}

/** A whole number, or null for anything else (`auto`). */
export const wholeOrNull = (s: string): number | null => (/^\s*[-+]?\d+\s*$/.test(s) ? Number(s) : null);
