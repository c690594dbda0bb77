import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  excelSerialToDay,
  expandTwoDigitYear,
  inferDateFormat,
  parseDateFormatOption,
  parseDateTime,
  type DateFormat,
} from '../../../src/core/ingest/dates.js';
import { civilFromDay, dayFromCivil, formatDay } from '../../../src/core/time/day.js';
import { CustkitError, EXIT } from '../../../src/errors.js';
import { eachValue } from './each-case.js';

/** 'YYYY-MM-DD[ HH:MM:SS]' of a parse, or null — compared with the date as written (read by hand). */
function show(text: string, format: DateFormat): string | null {
  const r = parseDateTime(text, format);
  return r === null ? null : r.time === null ? formatDay(r.day) : `${formatDay(r.day)} ${r.time}`;
}

function cases(format: DateFormat, table: [string, string | null][]): void {
  for (const [text, want] of table) it(`${format}: ${JSON.stringify(text)} → ${want}`, () => expect(show(text, format)).toBe(want));
}

describe('day number', () => {
  it('2026-03-05 is day 20517', () => {
    // 56 years × 365 + 14 leap days (1972…2024) = 20454 for 2026-01-01; + 31 + 28 + 4 = 20517.
    expect(parseDateTime('2026-03-05', 'ymd')).toEqual({ day: 20517, time: null });
  });
});

describe('year-first (ymd)', () => {
  cases('ymd', [
    ['2026-03-05', '2026-03-05'],
    ['2026-3-5', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026.03.05', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['２０２６年３月５日', '2026-03-05'], // full-width digits
    ['2026年3月5日 14:03', '2026-03-05 14:03:00'],
    ['2026年3月5日14:03:07', '2026-03-05 14:03:07'],
    ['2026-03-05 14:03:07', '2026-03-05 14:03:07'],
    ['2026-03-05T14:03', '2026-03-05 14:03:00'],
    ['2026-03-05T14:03:07Z', '2026-03-05 14:03:07'], // zone ignored: calendar date as written
    ['2026-03-05T23:30:00-05:00', '2026-03-05 23:30:00'], // not moved to 03-06 UTC
    ['2026-03-05T01:00:00+0800', '2026-03-05 01:00:00'],
    ['2026-03-05 14:03:07.123', '2026-03-05 14:03:07'], // fraction dropped
    ['2014-03-08 00:00:00', '2014-03-08 00:00:00'], // lifetimes example_transactions.csv
    ['  2026-03-05  ', '2026-03-05'],
    ['2024-02-29', '2024-02-29'], // leap year
    ['2026-02-30', null], // invalid calendar date
    ['2023-02-29', null],
    ['2026-13-01', null],
    ['2026-03-05 25:00', null],
    ['2026-03-05 14:60', null],
    ['2026-03-05 14:3', null],
    ['2026-03-05x', null],
    ['05/03/2026', null], // d/m/y is not accepted under ymd
    ['19970101', null],
    ['', null],
  ]);
});

describe('day-first and month-first', () => {
  cases('dmy', [
    ['05/03/2026', '2026-03-05'],
    ['5/3/2026', '2026-03-05'],
    ['05-03-2026', '2026-03-05'],
    ['05.03.2026', '2026-03-05'],
    ['31/12/2025', '2025-12-31'],
    ['5/3/26', '2026-03-05'], // two-digit year, POSIX pivot
    ['5/3/69', '1969-03-05'],
    ['2026-03-05', '2026-03-05'], // year-first is unambiguous and accepted
    ['12/31/2025', null], // month 31
    ['5/3/226', null],
  ]);
  cases('mdy', [
    ['03/05/2026', '2026-03-05'],
    ['3/5/2026', '2026-03-05'],
    ['1/9/2011 11:27', '2011-01-09 11:27:00'], // UCI random 2709 style
    ['10/31/2011 10:42', '2011-10-31 10:42:00'],
    ['3/5/2026 2:03 PM', '2026-03-05 14:03:00'],
    ['3/5/2026 12:15 am', '2026-03-05 00:15:00'],
    ['3/5/2026 13:15 PM', null],
    ['31/12/2025', null],
  ]);
  cases('auto', [
    ['13/03/2026', '2026-03-13'], // first part > 12: only day-first works
    ['3/13/2026', '2026-03-13'], // second part > 12: only month-first works
    ['05/03/2026', null], // ambiguous on its own
  ]);
});

describe('compact, excel, epoch', () => {
  cases('compact', [
    ['19970101', '1997-01-01'], // CDNOW
    ['19980630', '1998-06-30'],
    ['19970230', null],
    ['1997010', null],
    ['1997-01-01', null],
  ]);
  cases('excel', [
    // Excel 1900 system: serial 1 = 1900-01-01; 59 = 1900-02-28; 60 = the fictional 1900-02-29;
    // 61 = 1900-03-01; 45000 = 2023-03-15 (Excel's DATEVALUE("2023-03-15") = 45000).
    ['1', '1900-01-01'],
    ['59', '1900-02-28'],
    ['60', null],
    ['61', '1900-03-01'],
    ['25569', '1970-01-01'], // Unix epoch (a well-known serial)
    ['45000', '2023-03-15'],
    ['45000.5', '2023-03-15 12:00:00'],
    ['45000.75', '2023-03-15 18:00:00'],
    ['0', null],
    ['2958465', '9999-12-31'],
    ['2958466', null],
  ]);
  cases('epoch', [
    ['1700000000', '2023-11-14 22:13:20'], // date -u -d @1700000000
    ['0', '1970-01-01 00:00:00'],
    ['86399', '1970-01-01 23:59:59'],
  ]);
  cases('epoch-ms', [['1700000000123', '2023-11-14 22:13:20']]);
  cases('auto', [
    ['19970101', '1997-01-01'],
    ['1700000000', '2023-11-14 22:13:20'],
    ['1700000000123', '2023-11-14 22:13:20'],
    ['45000', '2023-03-15'],
    ['123456', null], // 6 digits: no format
    ['2026', null], // a bare year is not an Excel serial under auto
    ['45000.5', '2023-03-15 12:00:00'],
  ]);
  it('excelSerialToDay gives a day number', () => {
    // 25569 is 1970-01-01 (day 0) in Excel's 1900 system.
    expect(excelSerialToDay(25569)).toEqual({ day: 0, time: null });
  });
  it('expandTwoDigitYear pivots at 68/69', () => {
    expect([expandTwoDigitYear(0), expandTwoDigitYear(68), expandTwoDigitYear(69), expandTwoDigitYear(99)]).toEqual([2000, 2068, 1969, 1999]);
  });
});

describe('inferDateFormat', () => {
  it('day-first when a first part is > 12', () => {
    const r = inferDateFormat(['05/03/2026', '13/03/2026', '']);
    expect(r.format).toBe('dmy');
    expect(r.ambiguous).toBe(false);
    expect(r.reason).toContain('13/03/2026');
  });
  it('month-first when a second part is > 12', () => {
    expect(inferDateFormat(['1/9/2011 11:27', '10/31/2011 10:42'])).toMatchObject({ format: 'mdy', ambiguous: false });
  });
  it('dotted dates are inferred the same way', () => {
    expect(inferDateFormat(['05.03.2026', '21.03.2026'])).toMatchObject({ format: 'dmy', ambiguous: false });
    expect(inferDateFormat(['05.03.2026', '01.02.2026']).ambiguous).toBe(true);
  });
  it('ambiguous when every part is ≤ 12', () => {
    const r = inferDateFormat(['05/03/2026', '01/02/2026', '12/11/2025']);
    expect(r.ambiguous).toBe(true);
    expect(r.reason).toContain('≤ 12');
  });
  it('mixed when both orders are proven', () => {
    const r = inferDateFormat(['13/03/2026', '03/13/2026']);
    expect(r.ambiguous).toBe(true);
    expect(r.reason).toMatch(/^mixed/);
  });
  it('other shapes', () => {
    expect(inferDateFormat(['2026-03-05', '2026-03-06 10:00:00'])).toMatchObject({ format: 'ymd', ambiguous: false });
    expect(inferDateFormat(['2026年3月5日'])).toMatchObject({ format: 'ymd' });
    expect(inferDateFormat(['19970101', '19970112'])).toMatchObject({ format: 'compact' });
    expect(inferDateFormat(['45000', '45001.25'])).toMatchObject({ format: 'excel' });
    expect(inferDateFormat(['1700000000'])).toMatchObject({ format: 'epoch' });
    expect(inferDateFormat(['1700000000123'])).toMatchObject({ format: 'epoch-ms' });
    expect(inferDateFormat([])).toMatchObject({ format: 'auto', ambiguous: false });
  });
  it('the majority shape wins; stray junk does not matter', () => {
    expect(inferDateFormat(['2026-03-05', '2026-03-06', 'n/a'])).toMatchObject({ format: 'ymd', ambiguous: false });
  });
  it('throws a data error when nothing looks like a date', () => {
    try {
      inferDateFormat(['hello', 'world']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CustkitError);
      expect((e as CustkitError).exitCode).toBe(EXIT.DATA);
      expect((e as CustkitError).message).toContain('"hello"');
    }
  });
});

describe('parseDateFormatOption', () => {
  const table: [string, DateFormat][] = [
    ['auto', 'auto'],
    ['YYYY-MM-DD', 'ymd'],
    ['DD/MM/YYYY', 'dmy'],
    ['dd.mm.yyyy', 'dmy'],
    ['MM/DD/YYYY', 'mdy'],
    ['M/D/YYYY', 'mdy'],
    ['YYYYMMDD', 'compact'],
    ['excel', 'excel'],
    ['epoch', 'epoch'],
    ['epoch-ms', 'epoch-ms'],
    [' dmy ', 'dmy'],
  ];
  for (const [opt, want] of table) it(`${opt} → ${want}`, () => expect(parseDateFormatOption(opt)).toBe(want));
  it('unknown values are usage errors listing the accepted ones', () => {
    try {
      parseDateFormatOption('DD/YYYY');
      expect.unreachable();
    } catch (e) {
      expect((e as CustkitError).exitCode).toBe(EXIT.USAGE);
      expect((e as CustkitError).hint).toContain('DD/MM/YYYY');
    }
  });
});

describe('properties', () => {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  // Any valid date rendered in each supported format parses back to the same day.
  const renders: [DateFormat, (y: number, m: number, d: number) => string][] = [
    ['ymd', (y, m, d) => `${y}-${pad(m)}-${pad(d)}`],
    ['ymd', (y, m, d) => `${y}/${m}/${d}`],
    ['ymd', (y, m, d) => `${y}.${pad(m)}.${pad(d)}`],
    ['ymd', (y, m, d) => `${y}年${m}月${d}日`],
    ['ymd', (y, m, d) => `${y}-${pad(m)}-${pad(d)}T08:15:00Z`],
    ['dmy', (y, m, d) => `${pad(d)}/${pad(m)}/${y}`],
    ['dmy', (y, m, d) => `${d}-${m}-${y}`],
    ['dmy', (y, m, d) => `${pad(d)}.${pad(m)}.${y}`],
    ['mdy', (y, m, d) => `${m}/${d}/${y} 11:27`],
    ['compact', (y, m, d) => `${y}${pad(m)}${pad(d)}`],
    ['auto', (y, m, d) => `${y}-${pad(m)}-${pad(d)}`],
  ];
  it('render → parse is the identity on days (years 1900–2099)', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayFromCivil(1900, 3, 1), max: dayFromCivil(2099, 12, 31) }), fc.nat(renders.length - 1), (day, i) => {
        const [fmt, render] = renders[i]!;
        const [y, m, d] = civilFromDay(day);
        expect(parseDateTime(render(y, m, d), fmt)?.day).toBe(day);
      }),
      { numRuns: 3000 },
    );
  });
  it('excel serial and epoch round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: dayFromCivil(2099, 12, 31) }), fc.integer({ min: 0, max: 86399 }), (day, sec) => {
        // serial = day + 25569 for days after 1900-03-01 (25569 = serial of 1970-01-01)
        expect(parseDateTime(String(day + 25569), 'excel')?.day).toBe(day);
        expect(parseDateTime(String(day + 25569), 'auto')?.day).toBe(day); // 5-digit serials from 1970 on
        expect(parseDateTime(String(day * 86400 + sec), 'epoch')?.day).toBe(day);
        expect(parseDateTime(String((day * 86400 + sec) * 1000), 'epoch-ms')?.day).toBe(day);
      }),
    );
  });
  it('never throws; returns null or an integer day', () => {
    const formats: DateFormat[] = ['auto', 'ymd', 'dmy', 'mdy', 'compact', 'excel', 'epoch', 'epoch-ms'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789-/.: T年月日ZPAM+１'.split('')), maxLength: 24 }), fc.constantFrom(...formats), (s, f) => {
        const r = parseDateTime(s, f);
        expect(r === null || Number.isInteger(r.day)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.string(), (s) => {
      expect(() => parseDateTime(s, 'auto')).not.toThrow();
    }));
  });
});

describe('junk', () => {
  eachValue(['abc', '2026', '2026-03', '--', '2026-03-05 14', '32/01/2026', 'T14:00'], (text) => expect(parseDateTime(text, 'auto')).toBeNull());
});
