import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  SEGMENT11, segment11, segment11Index, rescaleTo5, fmScore, zh8Classes, ZH8_NAMES, ZH8_EN,
  validateSegmentMap, customSegmentIndex, type CompiledSegmentMap,
} from '../../../src/core/segment/rfm-segments.js';
import { rfmScores } from '../../../src/core/segment/rfm-scores.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { rfmOrders } from './reference-data.js';

describe('11-segment map', () => {
  it('every (R, FM) cell of the 5×5 grid, as listed in the brief', () => {
    // rows R = 5..1, columns FM = 5..1; F = M = FM gives FM exactly
    const grid = [5, 4, 3, 2, 1].map((r) => [5, 4, 3, 2, 1].map((fm) => segment11(r, fm, fm)));
    expect(grid).toEqual([
      ['Champions', 'Champions', 'Loyal', 'Potential Loyalist', 'New'],
      ['Champions', 'Loyal', 'Potential Loyalist', 'Potential Loyalist', 'Promising'],
      ['Loyal', 'Loyal', 'Potential Loyalist', 'Need Attention', 'Promising'],
      ['At Risk', 'At Risk', 'Need Attention', 'Need Attention', 'About To Sleep'],
      ["Can't Lose Them", "Can't Lose Them", 'At Risk', 'Hibernating', 'Lost'],
    ]);
  });
  it('FM = (F + M)/2 rounded half up: (5,4) → 5, (1,2) → 2, (3,4) → 4', () => {
    expect([fmScore(5, 4), fmScore(1, 2), fmScore(3, 4), fmScore(2, 2)]).toEqual([5, 2, 4, 2]);
    expect(segment11(5, 5, 4)).toBe('Champions'); // R5 FM5
    expect(segment11(1, 1, 2)).toBe('Hibernating'); // R1 FM2
  });
  it('other bin counts rescale to 1..5: N = 3 → 1, 3, 5; N = 4 → 1, 2, 4, 5', () => {
    expect([1, 2, 3].map((s) => rescaleTo5(s, 3))).toEqual([1, 3, 5]);
    expect([1, 2, 3, 4].map((s) => rescaleTo5(s, 4))).toEqual([1, 2, 4, 5]);
    expect(segment11(3, 3, 3, 3)).toBe('Champions');
    expect(segment11(2, 2, 2, 3)).toBe('Potential Loyalist'); // R3 FM3 → 33
  });
  it('property: for any N in 2..9 every (R, F, M) cell maps to exactly one of the 11 segments', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), (n) => {
        const seen = new Set<number>();
        for (let r = 1; r <= n; r++) for (let f = 1; f <= n; f++) for (let m = 1; m <= n; m++) {
          const k = segment11Index(r, f, m, n);
          expect(k >= 0 && k < SEGMENT11.length).toBe(true);
          seen.add(k);
        }
        if (n === 5) expect(seen.size).toBe(11);
      }),
    );
  });
});

describe('zh8Classes', () => {
  it('high/low against the mean: days 10, 20, 30, 40 (mean 25), orders 1, 2, 3, 10 (mean 4), revenue 100, 10, 50, 20 (mean 45)', () => {
    const z = zh8Classes([10, 20, 30, 40], [1, 2, 3, 10], [100, 10, 50, 20]);
    // c0: R high, F low, M high → 重要发展; c1: R high F low M low → 一般发展; c2: R low F low M high → 重要挽留; c3: R low F high M low → 一般保持
    expect(Array.from(z.index, (k) => ZH8_NAMES[k])).toEqual(['重要发展客户', '一般发展客户', '重要挽留客户', '一般保持客户']);
    expect(Array.from(z.index, (k) => ZH8_EN[k])).toEqual(['Important development', 'General development', 'Important win-back', 'General retention']);
    expect(z.centers).toEqual({ daysSinceLast: 25, orders: 4, revenue: 45 });
  });
  it('median option; a value equal to the center counts as low', () => {
    // medians: days 20, orders 2, revenue 50 → c0 (10 < 20, 1 ≤ 2, 100 > 50) 重要发展; c1 (20 = 20 low R, 2 = 2 low F, 10) 一般挽留
    const z = zh8Classes([10, 20, 30], [1, 2, 3], [100, 10, 50], 'median');
    expect(Array.from(z.index, (k) => ZH8_NAMES[k])).toEqual(['重要发展客户', '一般挽留客户', '一般保持客户']);
  });
  it('all eight classes are reachable and distinct', () => {
    const days: number[] = [], ord: number[] = [], rev: number[] = [];
    for (let b = 0; b < 8; b++) { days.push(b & 4 ? 0 : 10); ord.push(b & 2 ? 10 : 0); rev.push(b & 1 ? 10 : 0); }
    expect(new Set(zh8Classes(days, ord, rev).index).size).toBe(8);
  });
});

describe('validateSegmentMap', () => {
  it('names every uncovered and every doubly covered cell', () => {
    const r = validateSegmentMap({ basis: 'r_fm', segments: [{ name: 'Top', cells: ['22', '21'] }, { name: 'Low', r: [1, 1], fm: [1, 2] }, { name: 'Dup', cells: ['21'] }] }, 2);
    expect(r).toEqual({ error: 'segment map (r_fm, 2 bins): cells in more than one segment: 21 (Top, Dup)' });
    const u = validateSegmentMap({ basis: 'r_fm', segments: [{ name: 'Top', cells: ['22'] }] }, 2);
    expect(u).toEqual({ error: 'segment map (r_fm, 2 bins): uncovered cells: 11 12 21' });
    const bad = validateSegmentMap({ basis: 'rfm', segments: [{ name: 'X', cells: ['61'] }, { cells: [] }] }, 5) as { error: string };
    expect(bad.error).toContain('segment 1 "X": bad cell "61" (want 3 digits 1..5)');
    expect(bad.error).toContain('segment 2: needs a non-empty "name"');
  });
  it('a complete map compiles and looks up by (R, FM) or (R, F, M)', () => {
    const m = validateSegmentMap({ basis: 'r_fm', segments: [{ name: 'Hi', r: [2, 2] }, { name: 'Lo', r: [1, 1] }] }, 2) as CompiledSegmentMap;
    expect(m.names).toEqual(['Hi', 'Lo']);
    expect(customSegmentIndex(m, 2, 1, 1)).toBe(0);
    expect(customSegmentIndex(m, 1, 2, 2)).toBe(1);
  });
  it('property: the 11-map written as a cells map validates for 5 bins and agrees with segment11 everywhere', () => {
    const segs = SEGMENT11.map((name) => ({ name, cells: [] as string[] }));
    for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) segs[segment11Index(r, fm, fm)]!.cells.push(`${r}${fm}`);
    const m = validateSegmentMap({ basis: 'r_fm', segments: segs }, 5) as CompiledSegmentMap;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (r, f, mm) => {
        expect(m.names[customSegmentIndex(m, r, f, mm)]).toBe(segment11(r, f, mm));
      }),
    );
  });
  it('property: random cell assignments validate exactly when each cell is covered once', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 9 }), { minLength: 1, maxLength: 4 }), (assign) => {
        const cells = (xs: number[]): string[] => xs.map((c) => `${Math.floor(c / 3) + 1}${(c % 3) + 1}`);
        const res = validateSegmentMap({ basis: 'r_fm', segments: assign.map((xs, k) => ({ name: `s${k}`, cells: cells(xs) })) }, 3);
        const cover = new Array<number>(9).fill(0);
        assign.forEach((xs) => new Set(xs).forEach((c) => cover[c]!++));
        expect('error' in res).toBe(!cover.every((c) => c === 1));
      }),
    );
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'R rfm segment maps on rfm_data_orders.csv (REFERENCE.md §5)' : SKIP_SHARED_REASON, () => {
  const testMap = {
    basis: 'rfm',
    overlap: 'first',
    fallback: 'Others',
    segments: [
      { name: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
      { name: 'Loyal Customers', r: [2, 5], f: [3, 5], m: [3, 5] },
      { name: 'Potential Loyalist', r: [3, 5], f: [1, 3], m: [1, 3] },
      { name: 'New Customers', r: [4, 5], f: [1, 1], m: [1, 1] },
      { name: 'Promising', r: [3, 4], f: [1, 1], m: [1, 1] },
      { name: 'Need Attention', r: [2, 3], f: [2, 3], m: [2, 3] },
      { name: 'About To Sleep', r: [2, 3], f: [1, 2], m: [1, 2] },
      { name: 'At Risk', r: [1, 2], f: [2, 5], m: [2, 5] },
      { name: "Can't Lose Them", r: [1, 1], f: [4, 5], m: [4, 5] },
      { name: 'Lost', r: [1, 2], f: [1, 2], m: [1, 2] },
    ],
  };
  it('test map (first match, Others): per-segment customers / orders / revenue', () => {
    const s = rfmOrders();
    const sc = rfmScores(s.map((x) => x.daysSinceLast), s.map((x) => x.orders), s.map((x) => x.revenue));
    const m = validateSegmentMap(testMap, 5) as CompiledSegmentMap;
    const agg: Record<string, [number, number, number]> = {};
    s.forEach((x, i) => {
      const name = m.names[customSegmentIndex(m, sc.r[i]!, sc.f[i]!, sc.m[i]!)]!;
      const a = (agg[name] ??= [0, 0, 0]);
      a[0]++; a[1] += x.orders; a[2] += x.revenue;
    });
    expect(agg).toEqual({
      'About To Sleep': [50, 127, 10914], 'At Risk': [86, 438, 44178], Champions: [158, 1234, 120178],
      Lost: [111, 244, 20955], 'Loyal Customers': [278, 1708, 166712], 'Need Attention': [35, 144, 13287],
      'Potential Loyalist': [229, 801, 65873], Others: [48, 210, 22061],
    });
    // without the fallback it is rejected: 36 of the 125 cells are unmatched (REFERENCE §5)
    const strict = validateSegmentMap({ ...testMap, fallback: undefined }, 5) as { error: string };
    expect(strict.error.match(/uncovered cells: ([\d ]+)/)![1]!.split(' ').length).toBe(36);
  });
  it('README map: exactly the 10 unmatched cells listed in REFERENCE §5 are named', () => {
    const readme = {
      basis: 'rfm', overlap: 'first',
      segments: [
        { name: 'Champions', r: [5, 5], f: [5, 5], m: [5, 5] },
        { name: 'Potential Loyalist', r: [3, 5], f: [3, 5], m: [2, 5] },
        { name: 'Loyal Customers', r: [2, 4], f: [2, 4], m: [2, 4] },
        { name: 'Promising', r: [3, 4], f: [1, 3], m: [3, 5] },
        { name: 'New Customers', r: [4, 5], f: [1, 3], m: [1, 5] },
        { name: "Can't Lose Them", r: [1, 2], f: [3, 4], m: [4, 5] },
        { name: 'At Risk', r: [1, 2], f: [2, 5], m: [4, 5] },
        { name: 'Need Attention', r: [1, 3], f: [3, 5], m: [3, 5] },
        { name: 'About To Sleep', r: [2, 3], f: [1, 3], m: [1, 4] },
        { name: 'Lost', r: [1, 1], f: [1, 5], m: [1, 5] },
      ],
    };
    expect(validateSegmentMap(readme, 5)).toEqual({ error: 'segment map (rfm, 5 bins): uncovered cells: 215 241 251 252 341 351 441 451 541 551' });
  });
});
