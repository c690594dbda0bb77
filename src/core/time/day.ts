/**
 * Calendar days as integers: days since 1970-01-01 in the proleptic Gregorian calendar.
 * custkit treats every date as the calendar date written in the source (no time zones),
 * so day arithmetic is exact integer arithmetic: as_of − last_order = days between.
 */

/** Day number of a calendar date (y, m 1..12, d 1..31). Howard Hinnant's days_from_civil. O(1). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of dayFromCivil: [year, month, day]. */
export function civilFromDay(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

/** True when (y, m, d) is a real calendar date. */
export function isValidCivil(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1]!;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

let lastDay = NaN;
let lastText = '';

/** 'YYYY-MM-DD' for a day number. Remembers the last answer: streams repeat the same day. */
export function formatDay(day: number): string {
  if (day === lastDay) return lastText;
  const [y, m, d] = civilFromDay(day);
  lastText = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  lastDay = day;
  return lastText;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/** Parses strict ISO 'YYYY-MM-DD' (the canonical format); returns null when invalid. Hot path: no allocation. */
export function parseIsoDay(s: string): number | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y < 0 || m < 0 || d < 0 || !isValidCivil(y, m, d)) return null;
  return dayFromCivil(y, m, d);
}
