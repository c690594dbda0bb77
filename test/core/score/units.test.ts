import { describe, expect, it } from 'vitest';
import { discountFactor, parseDuration, parseRate, parseTimeUnit, ratePerPeriod, unitDays } from '../../../src/core/score/units.js';

describe('units', () => {
  it('parses durations into days (month = 30.4375, year = 365.25)', () => {
    expect(parseDuration('90d')).toBe(90);
    expect(parseDuration('12w')).toBe(84);
    expect(parseDuration('6m')).toBe(182.625);
    expect(parseDuration('1y')).toBe(365.25);
    expect(parseDuration('1.5 years')).toBe(547.875);
    expect(() => parseDuration('12')).toThrow(RangeError);
    expect(() => parseDuration('3 fortnights')).toThrow(/unit/);
    expect(unitDays(parseTimeUnit('WEEK'))).toBe(7);
  });
  it('parses rates; a bare rate is per year', () => {
    expect(parseRate('10%/yr')).toEqual({ rate: 0.1, perDays: 365.25 });
    expect(parseRate('1%/month')).toEqual({ rate: 0.01, perDays: 30.4375 });
    expect(parseRate('0.1/yr')).toEqual({ rate: 0.1, perDays: 365.25 });
    expect(parseRate('10%')).toEqual({ rate: 0.1, perDays: 365.25 });
    expect(parseRate('2% / 3 months')).toEqual({ rate: 0.02, perDays: 91.3125 });
    expect(() => parseRate('-5%')).toThrow(RangeError);
    expect(() => parseRate('ten percent')).toThrow(RangeError);
  });
  it('converts compound rates between periods', () => {
    // 12.6825 %/yr compounded monthly is 1 %/month: 1.01^12 = 1.126825…
    expect(ratePerPeriod({ rate: 0.01, perDays: 30.4375 }, 365.25)).toBeCloseTo(Math.pow(1.01, 12) - 1, 14);
    // 15 %/yr as a weekly rate: 1.15^(7/365.25) − 1 = 0.0026821 (FHL 2005 "RFM and CLV" quote δ = 0.0027 continuous weekly).
    expect(ratePerPeriod({ rate: 0.15, perDays: 365.25 }, 7)).toBeCloseTo(0.0026821, 6);
    expect(discountFactor({ rate: 0.1, perDays: 365.25 }, 730.5)).toBeCloseTo(1 / 1.21, 14);
  });
});
