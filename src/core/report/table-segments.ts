/**
 * Segment keys of a customer table's rows, for the report's segment sections and the changes
 * section: the names of its rfm_segment column mapped onto the 11-segment or the zh8 map, or
 * the zh8 key computed against the table's means. Split into the whole-table decisions (the
 * map, the means) and the per-row keys, so that a table read in blocks (the previous table of
 * a comparison, changes.ts) gets the keys the whole table would.
 */
import { roundMoney } from '../money.js';
import { textAt, type CustomerTable } from './customer-record.js';
import { ZH8_KEYS, segment11FromName, zh8FromName, zh8Key } from './segment-keys.js';

export type SegmentMap = 'segments11' | 'zh8';

/** The sleep states that count as "at risk" (deep-sleep, lost), besides the churn band high. */
export const AT_RISK_STATES = new Set(['deep-sleep', 'lost']);

/** Segment key of every customer: 11-map keys, zh8 keys, or the raw name for unknown names. */
export interface SegmentAssignment {
  mode: SegmentMap | null;
  keys: (string | null)[];
}

/** The map a table's segment names follow, from its distinct names (null: no names). */
export function segmentModeOf(values: readonly string[]): SegmentMap | null {
  if (values.length === 0) return null;
  const known11 = values.filter((v) => segment11FromName(v) !== null).length;
  const known8 = values.filter((v) => zh8FromName(v) !== null).length;
  return known8 > known11 ? 'zh8' : 'segments11';
}

const nameKey = (v: string, mode: SegmentMap): string => (mode === 'zh8' ? zh8FromName(v) : segment11FromName(v)) ?? v;

/** A zh8 table's key not among the zh8 keys falls back to its English name's (rfm_segment_en). */
function withEnglish(k: string | null, mode: SegmentMap, en: () => string | null): string | null {
  if (mode === 'zh8' && k !== null && !(ZH8_KEYS as readonly string[]).includes(k)) {
    const e = en();
    return (e && zh8FromName(e)) ?? k;
  }
  return k;
}

/** Each row's key under `mode` (the names of rfm_segment, an unknown one as it is). */
export function segmentKeysIn(tab: CustomerTable, mode: SegmentMap): (string | null)[] {
  const col = tab.txt.rfmSegment;
  const enCol = tab.txt.rfmSegmentEn;
  const valueKeys = col.values.map((v) => nameKey(v, mode));
  const keys: (string | null)[] = new Array(tab.length);
  for (let i = 0; i < tab.length; i++) {
    const c = col.codes[i]!;
    keys[i] = withEnglish(c < 0 ? null : valueKeys[c]!, mode, () => textAt(enCol, i));
  }
  return keys;
}

/** The key of a row whose rfm_segment and rfm_segment_en are `name` and `en` (as segmentKeysIn gives it). */
export function segmentKeyOf(name: string | null, en: string | null, mode: SegmentMap): string | null {
  return withEnglish(name === null ? null : nameKey(name, mode), mode, () => en);
}

export function tableSegments(tab: CustomerTable): SegmentAssignment {
  if (!tab.present.has('rfmSegment')) return { mode: null, keys: [] };
  const mode = segmentModeOf(tab.txt.rfmSegment.values);
  return mode === null ? { mode, keys: [] } : { mode, keys: segmentKeysIn(tab, mode) };
}

/** Sums behind the zh8 means, added row by row (a table read in blocks adds them in the same order). */
export interface Zh8Sums {
  n: number;
  dsl: number;
  orders: number;
  revenue: number;
}

export function addZh8Sums(s: Zh8Sums, tab: CustomerTable): void {
  const { daysSinceLast: dsl, orders, revenue } = tab.num;
  let sd = s.dsl, so = s.orders, sr = s.revenue;
  for (let i = 0; i < tab.length; i++) { sd += dsl[i]!; so += orders[i]!; sr += revenue[i]!; }
  s.dsl = sd; s.orders = so; s.revenue = sr; s.n += tab.length;
}

export interface Zh8Means {
  days_since_last: number;
  orders: number;
  revenue: number;
}

export function zh8MeansOf(s: Zh8Sums): Zh8Means {
  const n = s.n;
  return { days_since_last: n ? s.dsl / n : 0, orders: n ? s.orders / n : 0, revenue: n ? s.revenue / n : 0 };
}

/** Each row's zh8 key against the means (unrounded). */
export function zh8KeysWith(tab: CustomerTable, m: Zh8Means): string[] {
  const { daysSinceLast: dsl, orders, revenue } = tab.num;
  const md = m.days_since_last, mo = m.orders, mr = m.revenue;
  const keys: string[] = new Array(tab.length);
  // High R = more recent than average (fewer days since the last order); ties at the mean count as low.
  for (let i = 0; i < tab.length; i++) keys[i] = zh8Key(dsl[i]! < md, orders[i]! > mo, revenue[i]! > mr);
  return keys;
}

export function zh8Computed(tab: CustomerTable): { means: Zh8Means; keys: string[] } {
  const s: Zh8Sums = { n: 0, dsl: 0, orders: 0, revenue: 0 };
  addZh8Sums(s, tab);
  const m = zh8MeansOf(s);
  return { means: { days_since_last: roundMoney(m.days_since_last), orders: roundMoney(m.orders), revenue: roundMoney(m.revenue) }, keys: zh8KeysWith(tab, m) };
}

/** High value: tier vip/key or an ABC class starting with A. At risk: sleep deep-sleep/lost or churn high. */
export function flags(tab: CustomerTable, i: number): { high: boolean; atRisk: boolean } {
  const tier = textAt(tab.txt.valueTier, i);
  const abc = textAt(tab.txt.abcClass, i);
  const st = textAt(tab.txt.sleepState, i);
  const churn = textAt(tab.txt.churnRisk, i);
  return {
    high: tier === 'vip' || tier === 'key' || (abc !== null && abc.startsWith('A')),
    atRisk: (st !== null && AT_RISK_STATES.has(st)) || churn === 'high',
  };
}

export function segmentKeysOf(tab: CustomerTable): { map: SegmentMap; keys: (string | null)[] } {
  const s = tableSegments(tab);
  if (s.mode) return { map: s.mode, keys: s.keys };
  return { map: 'zh8', keys: zh8Computed(tab).keys };
}
