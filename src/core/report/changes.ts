/**
 * The report's changes section: the current customer table against the previous one
 * (segment migration, newly sleeping, high value at risk, new and lost customers).
 *
 * What the section reads of the previous table is folded into a {@link PreviousMatch}: per
 * current customer its previous segment and two flags, and for the previous rows gone their
 * count, revenue and top list. The previous table comes whole ({@link changes}) or as a file
 * read twice in blocks of rows ({@link PreviousStream}): then no previous row is kept, which
 * for a million customers is the difference between the table (ids, columns) and 5 bytes per
 * current customer. Both give the same section.
 */
import { roundMoney } from '../money.js';
import { textAt, type CustomerTable, type NumericKey, type TextKey } from './customer-record.js';
import type { Changes, PersonRow } from './report-model.js';
import { SEGMENT11_KEYS, ZH8_KEYS } from './segment-keys.js';
import {
  addZh8Sums,
  flags,
  segmentKeysIn,
  segmentKeysOf,
  segmentModeOf,
  zh8Computed,
  zh8KeysWith,
  zh8MeansOf,
  type SegmentMap,
  type Zh8Means,
  type Zh8Sums,
} from './table-segments.js';
import { TopK, topK } from './top-k.js';

const r6 = roundMoney;
const numOrNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * The columns the changes section reads from the previous table besides the id and the
 * required columns: segment names (migration), sleep state and churn band (was the customer
 * at risk before), value at risk (lost customers' rows). Loading only these keeps a
 * million-customer comparison well over 100 MB smaller and skips decoding every sleep reason
 * (customer-table-reader.ts loadCustomerTable).
 */
export const PREVIOUS_TABLE_FIELDS: { numeric: ReadonlySet<NumericKey>; text: ReadonlySet<TextKey> } = {
  numeric: new Set<NumericKey>(['valueAtRisk']),
  text: new Set<TextKey>(['rfmSegment', 'rfmSegmentEn', 'sleepState', 'churnRisk']),
};

/** True when the ids are in strictly increasing UTF-16 code-unit order (no id twice). */
function strictlySorted(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}

/**
 * The previous table's row of each current id (−1: not there); with duplicate ids in the
 * previous table, its last row. Tables written by custkit are sorted by id: then one merge
 * pass over both lists, instead of a hash map of a million ids; other tables go through the
 * map.
 */
export function previousRows(cur: readonly string[], prev: readonly string[]): Int32Array {
  const out = new Int32Array(cur.length).fill(-1);
  if (strictlySorted(cur) && strictlySorted(prev)) {
    for (let i = 0, j = 0; i < cur.length && j < prev.length; ) {
      const a = cur[i]!, b = prev[j]!;
      if (a === b) out[i++] = j++;
      else if (a < b) i++;
      else j++;
    }
    return out;
  }
  const at = new Map<string, number>();
  for (let j = 0; j < prev.length; j++) at.set(prev[j]!, j);
  for (let i = 0; i < cur.length; i++) out[i] = at.get(cur[i]!) ?? -1;
  return out;
}

/**
 * The map both tables are compared on and the current keys under it; the previous rows take
 * their keys from their segment names under `prevMode`, or (null) from the zh8 means.
 * When the two tables use different maps, zh8 is computed for both (like with like).
 */
interface Plan {
  map: SegmentMap;
  curKeys: (string | null)[];
  prevMode: SegmentMap | null;
}

function planOf(cur: CustomerTable, prevMode: SegmentMap | null): Plan {
  const cs = segmentKeysOf(cur);
  if (cs.map === (prevMode ?? 'zh8')) return { map: cs.map, curKeys: cs.keys, prevMode };
  return { map: 'zh8', curKeys: zh8Computed(cur).keys, prevMode: null };
}

function prevKeysOf(tab: CustomerTable, plan: Plan, means: () => Zh8Means): (string | null)[] {
  return plan.prevMode !== null ? segmentKeysIn(tab, plan.prevMode) : zh8KeysWith(tab, means());
}

const WAS_ACTIVE = 1;
const WAS_AT_RISK = 2;

/** What the changes section reads of the previous table (see the module comment). */
interface PreviousMatch {
  /** Per current row: the index of its previous segment key in `keys`; −1: not in the previous table. */
  keyOf: Int32Array;
  keys: (string | null)[];
  /** Per current row: WAS_ACTIVE | WAS_AT_RISK. */
  was: Uint8Array;
  lost: { customers: number; revenue: number; top: PersonRow[] };
}

/** Folds previous rows, matched or gone, into a PreviousMatch; keeps only the gone rows of the top list. */
class MatchBuilder {
  private readonly keyOf: Int32Array;
  private readonly was: Uint8Array;
  private readonly keyIndex = new Map<string | null, number>();
  private readonly keys: (string | null)[] = [];
  private lostN = 0;
  private lostR = 0;
  private seq = 0;
  private readonly held = new Map<number, { revenue: number; row: PersonRow }>();
  private readonly top: TopK;

  constructor(n: number, k: number) {
    this.keyOf = new Int32Array(n).fill(-1);
    this.was = new Uint8Array(n);
    this.top = new TopK(k, (x) => this.held.get(x)!.revenue, (x) => this.held.get(x)!.row.customer_id);
  }

  /** Current row i is previous row j of `tab`, whose key is `key`. */
  matched(i: number, key: string | null | undefined, tab: CustomerTable, j: number): void {
    const k = key ?? null;
    let c = this.keyIndex.get(k);
    if (c === undefined) {
      c = this.keys.length;
      this.keyIndex.set(k, c);
      this.keys.push(k);
    }
    this.keyOf[i] = c;
    this.was[i] = (textAt(tab.txt.sleepState, j) === 'active' ? WAS_ACTIVE : 0) | (flags(tab, j).atRisk ? WAS_AT_RISK : 0);
  }

  /** Previous row j of `tab` has no current row; offered in previous-table order, as topK would see them. */
  lost(key: string | null | undefined, tab: CustomerTable, j: number): void {
    const revenue = tab.num.revenue[j]!;
    this.lostN++;
    this.lostR += revenue;
    const x = this.seq++;
    this.held.set(x, {
      revenue,
      row: {
        customer_id: tab.ids[j]!,
        segment: null,
        previous_segment: key ?? null,
        state: textAt(tab.txt.sleepState, j),
        revenue: r6(revenue),
        value_at_risk: numOrNull(tab.num.valueAtRisk[j]!),
      },
    });
    const out = this.top.offer(x);
    if (out >= 0) this.held.delete(out);
  }

  finish(): PreviousMatch {
    const top = this.top.result().map((x) => this.held.get(x)!.row);
    return { keyOf: this.keyOf, keys: this.keys, was: this.was, lost: { customers: this.lostN, revenue: this.lostR, top } };
  }
}

/** The changes section from the whole previous table. */
export function changes(cur: CustomerTable, prev: CustomerTable, top: number): Changes {
  const prevMode = prev.present.has('rfmSegment') ? segmentModeOf(prev.txt.rfmSegment.values) : null;
  const plan = planOf(cur, prevMode);
  const prevKeys = prevKeysOf(prev, plan, () => zh8MeansOf(sumsOf(prev)));
  const prevRow = previousRows(cur.ids, prev.ids);
  const curSeen = new Uint8Array(prev.length);
  const m = new MatchBuilder(cur.length, top);
  for (let i = 0; i < cur.length; i++) {
    const j = prevRow[i]!;
    if (j < 0) continue;
    curSeen[j] = 1;
    m.matched(i, prevKeys[j], prev, j);
  }
  for (let j = 0; j < prev.length; j++) if (!curSeen[j]) m.lost(prevKeys[j], prev, j);
  return changesFrom(cur, plan, m.finish(), top);
}

function sumsOf(tab: CustomerTable): Zh8Sums {
  const s: Zh8Sums = { n: 0, dsl: 0, orders: 0, revenue: 0 };
  addZh8Sums(s, tab);
  return s;
}

/**
 * The changes section from a previous table read twice in blocks of rows, in file order:
 * `scan` every block, then (when `streamable`) `begin`, `merge` every block again, `finish`.
 * Needs both tables sorted by id (custkit writes them so); else `streamable` is false and the
 * caller loads the table whole for {@link changes}.
 */
export class PreviousStream {
  private readonly curSorted: boolean;
  private prevSorted = true;
  private lastId: string | null = null;
  private hasSegment = false;
  private readonly names = new Set<string>();
  private readonly sums: Zh8Sums = { n: 0, dsl: 0, orders: 0, revenue: 0 };
  private plan: Plan | null = null;
  private means: Zh8Means | null = null;
  private m: MatchBuilder | null = null;
  private i = 0;

  constructor(
    private readonly cur: CustomerTable,
    private readonly top: number,
  ) {
    this.curSorted = strictlySorted(cur.ids);
  }

  /** First reading: the order of the ids, the segment names and the zh8 sums. */
  scan(block: CustomerTable): void {
    const ids = block.ids;
    for (let r = 0; r < ids.length && this.prevSorted; r++) {
      if (this.lastId !== null && !(this.lastId < ids[r]!)) this.prevSorted = false;
      this.lastId = ids[r]!;
    }
    if (block.present.has('rfmSegment')) this.hasSegment = true;
    for (const v of block.txt.rfmSegment.values) this.names.add(v);
    addZh8Sums(this.sums, block);
  }

  /** Whether the second reading can merge (both tables sorted by id). */
  get streamable(): boolean {
    return this.curSorted && this.prevSorted;
  }

  begin(): void {
    this.plan = planOf(this.cur, this.hasSegment ? segmentModeOf([...this.names]) : null);
    this.means = zh8MeansOf(this.sums);
    this.m = new MatchBuilder(this.cur.length, this.top);
  }

  /** Second reading: the block's rows matched with the current ids by one merge pass. */
  merge(block: CustomerTable): void {
    const m = this.m!;
    const keys = prevKeysOf(block, this.plan!, () => this.means!);
    const ids = block.ids, cur = this.cur.ids;
    let i = this.i;
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]!;
      while (i < cur.length && cur[i]! < id) i++;
      if (i < cur.length && cur[i] === id) m.matched(i++, keys[r], block, r);
      else m.lost(keys[r], block, r);
    }
    this.i = i;
  }

  finish(): Changes {
    return changesFrom(this.cur, this.plan!, this.m!.finish(), this.top);
  }
}

function changesFrom(cur: CustomerTable, plan: Plan, m: PreviousMatch, top: number): Changes {
  const { map, curKeys } = plan;
  const { keyOf, keys, was } = m;
  const order: readonly string[] = map === 'zh8' ? ZH8_KEYS : SEGMENT11_KEYS;
  // Migration counts on small integer codes (a few distinct segment keys), not string pairs.
  const none = '-';
  const code = new Map<string, number>();
  const keyList: string[] = [];
  const codeOf = (k: string | null | undefined): number => {
    const kk = k ?? none;
    let c = code.get(kk);
    if (c === undefined) { c = keyList.length; code.set(kk, c); keyList.push(kk); }
    return c;
  };
  const prevCode = keys.map(codeOf);
  let inBoth = 0;
  for (let i = 0; i < cur.length; i++) {
    if (keyOf[i]! < 0) continue;
    inBoth++;
    codeOf(curKeys[i]);
  }
  const K = keyList.length;
  const grid = new Float64Array(K * K);
  for (let i = 0; i < cur.length; i++) if (keyOf[i]! >= 0) grid[prevCode[keyOf[i]!]! * K + codeOf(curKeys[i])]!++;
  const fromSet = new Set<string>(), toSet = new Set<string>();
  for (let f = 0; f < K; f++) for (let t2 = 0; t2 < K; t2++) if (grid[f * K + t2]! > 0) { fromSet.add(keyList[f]!); toSet.add(keyList[t2]!); }
  const ordered = (s: Set<string>): string[] => [
    ...order.filter((k) => s.has(k)),
    ...[...s].filter((k) => !order.includes(k)).sort(),
  ];
  const from = ordered(fromSet), to = ordered(toSet);
  const counts = from.map((f) => to.map((t2) => grid[code.get(f)! * K + code.get(t2)!]!));

  const state = (i: number): string | null => textAt(cur.txt.sleepState, i);
  const person = (i: number): PersonRow => {
    const c = keyOf[i]!;
    return {
      customer_id: cur.ids[i]!,
      segment: curKeys[i] ?? null,
      previous_segment: c >= 0 ? keys[c]! : null,
      state: state(i),
      revenue: r6(cur.num.revenue[i]!),
      value_at_risk: numOrNull(cur.num.valueAtRisk[i]!),
    };
  };
  const varOf = (i: number): number => (Number.isNaN(cur.num.valueAtRisk[i]!) ? 0 : cur.num.valueAtRisk[i]!);
  const id = (i: number): string => cur.ids[i]!;
  const rev = (i: number): number => cur.num.revenue[i]!;

  const newlySleeping = (i: number): boolean => {
    if (keyOf[i]! < 0) return false;
    const s = state(i);
    return s !== null && s !== 'active' && (was[i]! & WAS_ACTIVE) !== 0;
  };
  const highAtRisk = (i: number): boolean => {
    if (keyOf[i]! < 0) return false;
    const f = flags(cur, i);
    return f.high && f.atRisk && (was[i]! & WAS_AT_RISK) === 0;
  };
  const isNew = (i: number): boolean => keyOf[i]! < 0;

  let nsN = 0, nsV = 0, hvN = 0, hvR = 0, newN = 0, newR = 0;
  for (let i = 0; i < cur.length; i++) {
    if (newlySleeping(i)) { nsN++; nsV += varOf(i); }
    if (highAtRisk(i)) { hvN++; hvR += rev(i); }
    if (isNew(i)) { newN++; newR += rev(i); }
  }
  return {
    map,
    migration: { from, to, counts },
    in_both: inBoth,
    newly_sleeping: { customers: nsN, value_at_risk: r6(nsV), top: topK(cur.length, top, varOf, newlySleeping, id).map(person) },
    high_value_at_risk: { customers: hvN, revenue: r6(hvR), top: topK(cur.length, top, rev, highAtRisk, id).map(person) },
    new_customers: { customers: newN, revenue: r6(newR), top: topK(cur.length, top, rev, isNew, id).map(person) },
    lost_from_table: { customers: m.lost.customers, revenue: r6(m.lost.revenue), top: m.lost.top },
  };
}
