/**
 * Named segments from RFM scores: the default 11-segment map, the Chinese 8-class map (zh8),
 * and validated custom JSON maps.
 *
 * 11-segment map (the widely used "Champions … Lost" grid on R × FM, as in Putler's RFM guide
 * and the R rfm vignette's names): FM = (F + M) / 2 rounded half up (= ⌈(F + M) / 2⌉ for integer
 * scores). Cells "R FM": Champions 55 54 45 · Loyal 53 44 35 34 · Potential Loyalist 52 42 43 33 ·
 * New 51 · Promising 41 31 · Need Attention 32 23 22 · About To Sleep 21 · At Risk 25 24 13 ·
 * Can't Lose Them 15 14 · Hibernating 12 · Lost 11 — a partition of the 25 cells.
 * With N ≠ 5 bins each score is first rescaled to 1…5 by round-half-up(1 + (s − 1)·4/(N − 1))
 * (N = 3 → 1, 3, 5; N = 4 → 1, 2, 4, 5), then the 5×5 map applies.
 */
import { quantileSorted, sortedCopy } from './quantile.js';

/** Segment names of the 11-map, best first (the report maps them to keys, segment-keys.ts). */
export const SEGMENT11 = [
  'Champions', 'Loyal', 'Potential Loyalist', 'New', 'Promising', 'Need Attention',
  'About To Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost',
] as const;

/** The "R FM" cells of each 11-map segment, in SEGMENT11 order. */
export const SEGMENT11_CELLS: readonly (readonly string[])[] = [
  ['55', '54', '45'], ['53', '44', '35', '34'], ['52', '42', '43', '33'], ['51'], ['41', '31'],
  ['32', '23', '22'], ['21'], ['25', '24', '13'], ['15', '14'], ['12'], ['11'],
];

/** 5×5 table: index (R−1)·5 + (FM−1) → segment index. */
const GRID11 = (() => {
  const g = new Int8Array(25).fill(-1);
  SEGMENT11_CELLS.forEach((cells, k) => cells.forEach((c) => (g[(+c[0]! - 1) * 5 + (+c[1]! - 1)] = k)));
  return g;
})();

/** Round half up of (F + M) / 2 for integer scores. */
export const fmScore = (f: number, m: number): number => Math.ceil((f + m) / 2);

/** Score s on 1…N rescaled to 1…5 (identity for N = 5). */
export function rescaleTo5(s: number, bins: number): number {
  return bins === 5 ? s : Math.floor(1 + ((s - 1) * 4) / (bins - 1) + 0.5);
}

/** 11-map segment index (into SEGMENT11) of one customer's scores. */
export function segment11Index(r: number, f: number, m: number, bins = 5): number {
  const R = rescaleTo5(r, bins);
  const FM = fmScore(rescaleTo5(f, bins), rescaleTo5(m, bins));
  return GRID11[(R - 1) * 5 + (FM - 1)]!;
}

/** 11-map segment name of one customer's scores. */
export function segment11(r: number, f: number, m: number, bins = 5): string {
  return SEGMENT11[segment11Index(r, f, m, bins)]!;
}

// ---------------------------------------------------------------------------------------------
// zh8

/** zh8 names (Chinese) in key order R F M bits 111, 101, 011, 001, 110, 100, 010, 000. */
export const ZH8_NAMES = ['重要价值客户', '重要发展客户', '重要保持客户', '重要挽留客户', '一般价值客户', '一般发展客户', '一般保持客户', '一般挽留客户'] as const;
/** English labels, same order. */
export const ZH8_EN = [
  'Important value', 'Important development', 'Important retention', 'Important win-back',
  'General value', 'General development', 'General retention', 'General win-back',
] as const;

/** zh8 class index from the three high/low flags (M first: important vs general). */
export function zh8Index(rHigh: boolean, fHigh: boolean, mHigh: boolean): number {
  return (mHigh ? 0 : 4) + (rHigh ? 0 : 2) + (fHigh ? 0 : 1);
}

export interface Zh8Result {
  index: Uint8Array;
  /** The centers compared against: days since last, orders, revenue. */
  centers: { daysSinceLast: number; orders: number; revenue: number };
}

const center = (v: ArrayLike<number>, how: 'mean' | 'median'): number => {
  if (v.length === 0) return NaN;
  if (how === 'median') return quantileSorted(sortedCopy(v), 0.5);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
};

/**
 * The Chinese 8-class RFM model (RFM 客户价值模型): each of R, F, M is "high" or "low" against
 * the population mean (default) or median. R is high when days since last order is strictly
 * below the center (more recent); F high when orders are strictly above; M high when revenue is
 * strictly above. A value equal to the center counts as low.
 */
export function zh8Classes(daysSinceLast: ArrayLike<number>, orders: ArrayLike<number>, revenue: ArrayLike<number>, how: 'mean' | 'median' = 'mean'): Zh8Result {
  const c = { daysSinceLast: center(daysSinceLast, how), orders: center(orders, how), revenue: center(revenue, how) };
  const index = new Uint8Array(daysSinceLast.length);
  for (let i = 0; i < index.length; i++) {
    index[i] = zh8Index(daysSinceLast[i]! < c.daysSinceLast, orders[i]! > c.orders, revenue[i]! > c.revenue);
  }
  return { index, centers: c };
}

// ---------------------------------------------------------------------------------------------
// custom maps

/**
 * Custom segment map (JSON). Two bases:
 * - `"basis": "r_fm"` — cells "RF" on R and FM (FM = ⌈(F + M)/2⌉ on the same N-bin scale);
 *   a segment lists `"cells": ["55", "54"]` and/or ranges `"r": [4, 5], "fm": [4, 5]`.
 * - `"basis": "rfm"` — cells "RFM" on R, F, M; a segment lists `"cells": ["555"]` and/or the
 *   R rfm package's ranges `"r": [4, 5], "f": [4, 5], "m": [4, 5]` (inclusive; a missing range
 *   means the whole scale).
 * ```json
 * {"basis": "r_fm", "segments": [{"name": "Top", "cells": ["55", "54"]}, {"name": "Rest", "r": [1, 5], "fm": [1, 5]}], "overlap": "first"}
 * ```
 * By default every cell must be covered exactly once. `"overlap": "first"` lets the first
 * listed segment win (the R rfm package's rule); `"fallback": "Others"` names the segment for
 * uncovered cells (R rfm's "Others"). Cells use scores 1…N of the run's bin count (no rescaling).
 */
export interface SegmentMapJson {
  basis: 'r_fm' | 'rfm';
  segments: { name: string; cells?: string[]; r?: number[]; f?: number[]; m?: number[]; fm?: number[] }[];
  overlap?: 'error' | 'first';
  fallback?: string;
}

/** A validated map: lookup table over cells → index into `names` (the fallback is last when used). */
export interface CompiledSegmentMap {
  basis: 'r_fm' | 'rfm';
  bins: number;
  names: string[];
  table: Int16Array;
}

const cellKey = (digits: number[]): string => digits.join('');

/**
 * Validates and compiles a custom map for N bins. Returns the map, or an error text naming every
 * malformed entry, every uncovered cell and every doubly covered cell (with the segments that
 * cover it).
 */
export function validateSegmentMap(json: unknown, bins: number): CompiledSegmentMap | { error: string } {
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null) return { error: 'segment map must be a JSON object' };
  const j = json as Partial<SegmentMapJson>;
  if (j.basis !== 'r_fm' && j.basis !== 'rfm') return { error: 'segment map "basis" must be "r_fm" or "rfm"' };
  if (!Array.isArray(j.segments) || j.segments.length === 0) return { error: 'segment map "segments" must be a non-empty array' };
  if (j.overlap !== undefined && j.overlap !== 'error' && j.overlap !== 'first') problems.push('"overlap" must be "error" or "first"');
  if (j.fallback !== undefined && (typeof j.fallback !== 'string' || j.fallback === '')) problems.push('"fallback" must be a non-empty string');
  const dims = j.basis === 'rfm' ? 3 : 2;
  const axes = j.basis === 'rfm' ? (['r', 'f', 'm'] as const) : (['r', 'fm'] as const);
  const size = bins ** dims;
  const cover: number[][] = Array.from({ length: size }, () => []);
  const names: string[] = [];
  const idxOf = (d: number[]): number => d.reduce((a, x) => a * bins + (x - 1), 0);
  j.segments.forEach((seg, k) => {
    const where = `segment ${k + 1}${seg && typeof seg.name === 'string' ? ` "${seg.name}"` : ''}`;
    if (!seg || typeof seg.name !== 'string' || seg.name === '') { problems.push(`${where}: needs a non-empty "name"`); names.push(''); return; }
    names.push(seg.name);
    const hits = new Set<number>();
    if (seg.cells !== undefined) {
      if (!Array.isArray(seg.cells)) problems.push(`${where}: "cells" must be an array of strings`);
      else for (const c of seg.cells) {
        const d = typeof c === 'string' && c.length === dims ? [...c].map(Number) : [];
        if (d.length !== dims || d.some((x) => !Number.isInteger(x) || x < 1 || x > bins)) problems.push(`${where}: bad cell ${JSON.stringify(c)} (want ${dims} digits 1..${bins})`);
        else hits.add(idxOf(d));
      }
    }
    const hasRange = axes.some((a) => seg[a] !== undefined);
    if (hasRange) {
      const ranges: [number, number][] = [];
      for (const a of axes) {
        const r = seg[a];
        if (r === undefined) { ranges.push([1, bins]); continue; }
        const ok = Array.isArray(r) && (r.length === 1 || r.length === 2) && r.every((x) => Number.isInteger(x) && x >= 1 && x <= bins) && r[0]! <= r[r.length - 1]!;
        if (!ok) { problems.push(`${where}: "${a}" must be [low, high] within 1..${bins}`); return; }
        ranges.push([r[0]!, r[r.length - 1]!]);
      }
      const walk = (d: number[]): void => {
        if (d.length === dims) { hits.add(idxOf(d)); return; }
        const [lo, hi] = ranges[d.length]!;
        for (let x = lo; x <= hi; x++) walk([...d, x]);
      };
      walk([]);
    }
    if (seg.cells === undefined && !hasRange) problems.push(`${where}: needs "cells" or ranges (${axes.join(', ')})`);
    for (const h of hits) cover[h]!.push(k);
  });
  const first = j.overlap === 'first';
  const fallback = typeof j.fallback === 'string' && j.fallback !== '' ? j.fallback : null;
  const uncovered: string[] = [];
  const doubled: string[] = [];
  const table = new Int16Array(size);
  const digits = (idx: number): number[] => {
    const d: number[] = [];
    for (let t = 0; t < dims; t++) { d.unshift((idx % bins) + 1); idx = Math.floor(idx / bins); }
    return d;
  };
  for (let c = 0; c < size; c++) {
    const cv = cover[c]!;
    if (cv.length === 0) {
      if (fallback === null) uncovered.push(cellKey(digits(c)));
      table[c] = names.length; // fallback index
    } else {
      if (cv.length > 1 && !first) doubled.push(`${cellKey(digits(c))} (${cv.map((k) => names[k]).join(', ')})`);
      table[c] = cv[0]!;
    }
  }
  if (uncovered.length) problems.push(`uncovered cells: ${uncovered.join(' ')}`);
  if (doubled.length) problems.push(`cells in more than one segment: ${doubled.join('; ')}`);
  if (problems.length) return { error: `segment map (${j.basis}, ${bins} bins): ${problems.join('; ')}` };
  return { basis: j.basis, bins, names: fallback === null ? names : [...names, fallback], table };
}

/** Segment index (into map.names) of one customer's scores under a compiled custom map. */
export function customSegmentIndex(map: CompiledSegmentMap, r: number, f: number, m: number): number {
  const b = map.bins;
  const idx = map.basis === 'rfm' ? ((r - 1) * b + (f - 1)) * b + (m - 1) : (r - 1) * b + (fmScore(f, m) - 1);
  return map.table[idx]!;
}
