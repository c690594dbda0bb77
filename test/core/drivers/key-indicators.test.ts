/** Key indicators: Wilson interval, Cramér's V and the ranking, on hand-checked numbers. */
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/core/drivers/wilson.js';
import { cramersV } from '../../../src/core/drivers/cramers-v.js';
import { hasDrivers, keyIndicators } from '../../../src/core/drivers/key-indicators.js';
import { dayFromCivil } from '../../../src/core/time/day.js';

describe('Wilson interval', () => {
  it('5 of 10: 0.2366 – 0.7634; 0 of 20: 0 – 0.1611; n = 0: [0, 1]', () => {
    const [a, b] = wilsonInterval(5, 10);
    expect(a).toBeCloseTo(0.236593, 5);
    expect(b).toBeCloseTo(0.763407, 5);
    const [c, d] = wilsonInterval(0, 20);
    expect(c).toBe(0);
    expect(d).toBeCloseTo(0.161125, 5);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe("Cramér's V", () => {
  it('40/50 against 10/50: χ² = 36, V = 0.6; equal rates: 0; one group: 0', () => {
    expect(cramersV([{ n: 50, yes: 40 }, { n: 50, yes: 10 }])).toBeCloseTo(0.6, 12);
    expect(cramersV([{ n: 40, yes: 10 }, { n: 80, yes: 20 }])).toBe(0);
    expect(cramersV([{ n: 40, yes: 10 }])).toBe(0);
  });
});

describe('keyIndicators', () => {
  // 120 customers first bought on 2024-01-01 (a Monday): 60 for 10, 60 for 100; 12 of the
  // first and 48 of the second bought again within 90 days (two more after 120 days);
  // five more first bought 30 days before as-of and are not eligible.
  const first = dayFromCivil(2024, 1, 1), asOf = dayFromCivil(2024, 12, 31);
  const firstDay: number[] = [], secondDay: number[] = [], firstValue: number[] = [];
  for (let i = 0; i < 120; i++) {
    const low = i < 60;
    firstDay.push(first);
    firstValue.push(low ? 10 : 100);
    const k = low ? i : i - 60;
    secondDay.push((low ? k < 12 : k < 48) ? first + 90 : k === 58 ? first + 120 : -1);
  }
  for (let i = 0; i < 5; i++) { firstDay.push(asOf - 30); secondDay.push(-1); firstValue.push(1000); }
  const d = keyIndicators({ firstDay, secondDay, firstValue }, asOf);

  it('eligible customers, base rate; groups with rate, Wilson interval and lift; V', () => {
    expect([d.eligible_customers, d.base_rate, d.min_group, d.outcome_days]).toEqual([120, 0.5, 30, 90]);
    const v = d.indicators[0]!;
    expect(v.indicator).toBe('first_value');
    expect(v.cramers_v).toBeCloseTo(0.6, 6); // [[12, 48], [48, 12]]: χ² = 43.2, n = 120
    const [lo, hi] = wilsonInterval(12, 60);
    expect(v.groups).toEqual([
      { value: '(−∞, 10]', customers: 60, outcome: 12, rate: 0.2, ci_low: +lo.toFixed(6), ci_high: +hi.toFixed(6), lift: 0.4 },
      { value: '(55, 100]', customers: 60, outcome: 48, rate: 0.8, ci_low: +(1 - hi).toFixed(6), ci_high: +(1 - lo).toFixed(6), lift: 1.6 },
    ]);
    expect([v.best, v.worst, v.small_group_customers]).toEqual(['(55, 100]', '(−∞, 10]', 0]);
  });
  it('an indicator with one group is not ranked (all first purchases on one Monday in January)', () => {
    const wd = d.indicators.find((x) => x.indicator === 'first_weekday')!;
    expect([wd.cramers_v, wd.best, wd.groups.map((g) => [g.value, g.customers])]).toEqual([null, null, [['mon', 120]]]);
    expect(d.indicators.map((x) => x.indicator)).toEqual(['first_value', 'first_weekday', 'first_month']);
    expect(hasDrivers(d)).toBe(true);
  });
  it('a kept attribute with a real value "other" and a rest group: the two stay apart', () => {
    // 120 eligible customers: 30 "other", 30 "web", 3 each of a0…a7, one each of b0…b35 (the rest: 36).
    const channel: string[] = [];
    for (let i = 0; i < 30; i++) channel.push('other');
    for (let i = 0; i < 30; i++) channel.push('web');
    for (let k = 0; k < 8; k++) for (let j = 0; j < 3; j++) channel.push(`a${k}`);
    for (let k = 0; k < 36; k++) channel.push(`b${k}`);
    for (let i = 0; i < 5; i++) channel.push('web'); // the five not eligible
    const r = keyIndicators({ firstDay, secondDay, firstValue, firstAttributes: [{ name: 'channel', values: channel }] }, asOf);
    const a = r.indicators.find((x) => x.indicator === 'attr:channel')!;
    expect(a.groups.map((g) => [g.value, g.customers])).toEqual([['other', 30], ['web', 30], ['other*', 36]]);
    expect(a.small_group_customers).toBe(24);
  });
  it('groups under 30 customers are never reported', () => {
    // 20 customers at 10, 60 at 100: quartile cuts 77.5, 100, 100; the band of the 20 is left out.
    const small = keyIndicators({ firstDay: firstDay.slice(40, 120), secondDay: secondDay.slice(40, 120), firstValue: firstValue.slice(40, 120) }, asOf);
    const v = small.indicators[0]!;
    expect(v.groups.map((g) => [g.value, g.customers])).toEqual([['(77.5, 100]', 60]]);
    expect([v.small_group_customers, v.cramers_v]).toEqual([20, null]);
    expect(hasDrivers(small)).toBe(false);
  });
  it('alive outcome: the sleeping-state flags as outcome, and days to second purchase as a candidate', () => {
    // The alive flags: the 60 high-value customers and 6 of the low ones.
    const alive = firstDay.map((_, i) => (i >= 60 && i < 120) || i < 6 ? 1 : 0);
    const a = keyIndicators({ firstDay, secondDay, firstValue, alive }, asOf, 'alive');
    expect([a.outcome, a.eligible_customers, a.base_rate]).toEqual(['alive', 120, 0.55]);
    const v = a.indicators.find((x) => x.indicator === 'first_value')!;
    expect(v.groups.map((g) => [g.value, g.customers, g.outcome])).toEqual([['(−∞, 10]', 60, 6], ['(55, 100]', 60, 60]]);
    const gap = a.indicators.find((x) => x.indicator === 'days_to_second')!;
    // 60 customers came back after 90 days (31-90 band), 2 after 120 (91-180: too few), 58 never.
    expect(gap.groups.map((g) => [g.value, g.customers, g.outcome])).toEqual([['31-90', 60, 54], ['none', 58, 11]]);
    expect(gap.small_group_customers).toBe(2);
    expect(() => keyIndicators({ firstDay, secondDay, firstValue }, asOf, 'alive')).toThrow();
  });
});
