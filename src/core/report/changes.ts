/**
 * The report's changes section: the current customer table against the previous one
 * (segment migration, newly sleeping, high value at risk, new and lost customers).
 *
 * What the section reads of the previous table is folded into a {@link PreviousMatch}: per
 * current customer its previous segment and two flags, and for the previous rows gone their
 * count, revenue and top list. The previous table comes whole ({@link changes}) or as a file
 * read once in blocks of rows ({@link PreviousStream}): then no previous row is kept, which
 * for a million customers is the difference between the table (ids, columns) and 29 bytes per
 * current customer. Both give the same section.
 */
import { roundMoney } from '../money.js';
import { textAt, type CustomerTable, type NumericKey, type TextKey } from './customer-record.js';
import type { Changes, PersonRow } from './report-model.js';
import { SEGMENT11_KEYS, ZH8_KEYS, zh8Key } from './segment-keys.js';
import {
  addZh8Sums,
  flags,
  segmentKeyOf,
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

/** WAS_ACTIVE | WAS_AT_RISK of row j of a previous table. */
function wasOf(tab: CustomerTable, j: number): number {
  return (textAt(tab.txt.sleepState, j) === 'active' ? WAS_ACTIVE : 0) | (flags(tab, j).atRisk ? WAS_AT_RISK : 0);
}

/** Row j of a previous table as a lost customer of the changes section. */
function lostRow(tab: CustomerTable, j: number, key: string | null | undefined): PersonRow {
  return {
    customer_id: tab.ids[j]!,
    segment: null,
    previous_segment: key ?? null,
    state: textAt(tab.txt.sleepState, j),
    revenue: r6(tab.num.revenue[j]!),
    value_at_risk: numOrNull(tab.num.valueAtRisk[j]!),
  };
}

/** Small integer codes for the previous segment keys, in the order they are first asked for. */
class KeyCodes {
  private readonly index = new Map<string | null, number>();
  readonly keys: (string | null)[] = [];

  code(key: string | null | undefined): number {
    const k = key ?? null;
    let c = this.index.get(k);
    if (c === undefined) {
      c = this.keys.length;
      this.index.set(k, c);
      this.keys.push(k);
    }
    return c;
  }
}

/**
 * The previous rows with no current row: their count and revenue, and the top list by revenue
 * (ties by id), offered in previous-table order as topK would see them; only the rows the list
 * holds are kept.
 */
class LostRows<T extends { revenue: number; row: PersonRow }> {
  customers = 0;
  revenue = 0;
  private seq = 0;
  private readonly held = new Map<number, T>();
  private readonly top: TopK;

  constructor(k: number) {
    this.top = new TopK(k, (x) => this.held.get(x)!.revenue, (x) => this.held.get(x)!.row.customer_id);
  }

  add(x: T): void {
    this.customers++;
    this.revenue += x.revenue;
    const s = this.seq++;
    this.held.set(s, x);
    const out = this.top.offer(s);
    if (out >= 0) this.held.delete(out);
  }

  result(): T[] {
    return this.top.result().map((s) => this.held.get(s)!);
  }
}

/** The changes section from the whole previous table. */
export function changes(cur: CustomerTable, prev: CustomerTable, top: number): Changes {
  const prevMode = prev.present.has('rfmSegment') ? segmentModeOf(prev.txt.rfmSegment.values) : null;
  const plan = planOf(cur, prevMode);
  const prevKeys = prevKeysOf(prev, plan, () => zh8MeansOf(sumsOf(prev)));
  const prevRow = previousRows(cur.ids, prev.ids);
  const curSeen = new Uint8Array(prev.length);
  const keyOf = new Int32Array(cur.length).fill(-1);
  const was = new Uint8Array(cur.length);
  const codes = new KeyCodes();
  for (let i = 0; i < cur.length; i++) {
    const j = prevRow[i]!;
    if (j < 0) continue;
    curSeen[j] = 1;
    keyOf[i] = codes.code(prevKeys[j]);
    was[i] = wasOf(prev, j);
  }
  const lost = new LostRows<{ revenue: number; row: PersonRow }>(top);
  for (let j = 0; j < prev.length; j++) if (!curSeen[j]) lost.add({ revenue: prev.num.revenue[j]!, row: lostRow(prev, j, prevKeys[j]) });
  const m: PreviousMatch = { keyOf, keys: codes.keys, was, lost: { customers: lost.customers, revenue: lost.revenue, top: lost.result().map((x) => x.row) } };
  return changesFrom(cur, plan, m, top);
}

function sumsOf(tab: CustomerTable): Zh8Sums {
  const s: Zh8Sums = { n: 0, dsl: 0, orders: 0, revenue: 0 };
  addZh8Sums(s, tab);
  return s;
}

/** What a previous row's key is made of, before the whole table is seen: its names (a code into the pairs seen) and the zh8 numbers. */
interface KeyParts {
  pair: number;
  dsl: number;
  orders: number;
  rev: number;
}

/**
 * The changes section from a previous table read once in blocks of rows, in file order: `add`
 * every block, then (when `streamable`) `finish`. Each block is merged with the current ids as
 * it comes; a row's segment key needs the whole table (the segment map its names follow, the
 * zh8 means), so each matched row keeps only what its key is made of, in arrays per current
 * row: its names' pair code (Int32), its days since last, orders and revenue (Float64) and its
 * was-flags (Uint8), 29 bytes per current customer; a lost row is kept only while the top list
 * holds it. Needs both tables sorted by id (custkit writes them so); else `streamable` turns
 * false and the caller loads the table whole for {@link changes}.
 */
export class PreviousStream {
  private readonly curSorted: boolean;
  private prevSorted = true;
  private lastId: string | null = null;
  private hasSegment = false;
  private readonly names = new Set<string>();
  private readonly sums: Zh8Sums = { n: 0, dsl: 0, orders: 0, revenue: 0 };
  /** The (rfm_segment, rfm_segment_en) pairs seen, and their codes. */
  private readonly pairs: { name: string | null; en: string | null }[] = [];
  private readonly pairIndex = new Map<string, number>();
  /** Per current row: the previous row's pair code (−1: no previous row), zh8 numbers, was-flags. */
  private readonly pair: Int32Array;
  private readonly dsl: Float64Array;
  private readonly orders: Float64Array;
  private readonly rev: Float64Array;
  private readonly was: Uint8Array;
  private readonly lost: LostRows<{ revenue: number; row: PersonRow; parts: KeyParts }>;
  private i = 0;

  constructor(
    private readonly cur: CustomerTable,
    private readonly top: number,
  ) {
    this.curSorted = strictlySorted(cur.ids);
    const n = this.curSorted ? cur.length : 0;
    this.pair = new Int32Array(n).fill(-1);
    this.dsl = new Float64Array(n);
    this.orders = new Float64Array(n);
    this.rev = new Float64Array(n);
    this.was = new Uint8Array(n);
    this.lost = new LostRows(top);
  }

  /** Whether the blocks so far could be merged (both tables sorted by id). */
  get streamable(): boolean {
    return this.curSorted && this.prevSorted;
  }

  /** The block's rows matched with the current ids by one merge pass, continued from the block before. */
  add(block: CustomerTable): void {
    if (!this.streamable) return;
    if (block.present.has('rfmSegment')) this.hasSegment = true;
    for (const v of block.txt.rfmSegment.values) this.names.add(v);
    addZh8Sums(this.sums, block);
    const pairOf = this.pairCodes(block);
    const { daysSinceLast: dsl, orders, revenue } = block.num;
    const ids = block.ids, cur = this.cur.ids;
    let i = this.i;
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]!;
      if (this.lastId !== null && !(this.lastId < id)) { this.prevSorted = false; return; }
      this.lastId = id;
      while (i < cur.length && cur[i]! < id) i++;
      if (i < cur.length && cur[i] === id) {
        this.pair[i] = pairOf(r);
        this.dsl[i] = dsl[r]!;
        this.orders[i] = orders[r]!;
        this.rev[i] = revenue[r]!;
        this.was[i++] = wasOf(block, r);
      } else {
        const parts = { pair: pairOf(r), dsl: dsl[r]!, orders: orders[r]!, rev: revenue[r]! };
        this.lost.add({ revenue: revenue[r]!, row: lostRow(block, r, null), parts });
      }
    }
    this.i = i;
  }

  /** Row r's pair code: codes of the block's columns are looked up once per distinct pair. */
  private pairCodes(block: CustomerTable): (r: number) => number {
    const seg = block.txt.rfmSegment, en = block.txt.rfmSegmentEn;
    const bySeg = new Map<number, Map<number, number>>();
    return (r) => {
      const c = seg.codes[r]!, e = en.codes[r]!;
      let byEn = bySeg.get(c);
      if (byEn === undefined) bySeg.set(c, (byEn = new Map()));
      let p = byEn.get(e);
      if (p === undefined) {
        const name = c < 0 ? null : seg.values[c]!;
        const enName = textAt(en, r);
        const k = JSON.stringify([name, enName]);
        p = this.pairIndex.get(k);
        if (p === undefined) {
          p = this.pairs.length;
          this.pairIndex.set(k, p);
          this.pairs.push({ name, en: enName });
        }
        byEn.set(e, p);
      }
      return p;
    };
  }

  finish(): Changes {
    const plan = planOf(this.cur, this.hasSegment ? segmentModeOf([...this.names]) : null);
    const keyAt = this.keyAt(plan);
    // The pair codes become key codes in place, in current-row order (as changes() assigns them).
    const keyOf = this.pair;
    const codes = new KeyCodes();
    for (let i = 0; i < keyOf.length; i++) {
      if (keyOf[i]! >= 0) keyOf[i] = codes.code(keyAt(keyOf[i]!, this.dsl[i]!, this.orders[i]!, this.rev[i]!));
    }
    const top = this.lost.result().map(({ row, parts }) => ({ ...row, previous_segment: keyAt(parts.pair, parts.dsl, parts.orders, parts.rev) }));
    const m: PreviousMatch = { keyOf, keys: codes.keys, was: this.was, lost: { customers: this.lost.customers, revenue: this.lost.revenue, top } };
    return changesFrom(this.cur, plan, m, this.top);
  }

  /** A previous row's key from its parts: its names under the previous map, or its zh8 class against the means. */
  private keyAt(plan: Plan): (pair: number, dsl: number, orders: number, rev: number) => string | null {
    const mode = plan.prevMode;
    if (mode !== null) {
      const keys = this.pairs.map((p) => segmentKeyOf(p.name, p.en, mode));
      return (pair) => keys[pair]!;
    }
    const m = zh8MeansOf(this.sums);
    const md = m.days_since_last, mo = m.orders, mr = m.revenue;
    // As zh8KeysWith: high R = fewer days since the last order than the mean.
    return (_, dsl, orders, rev) => zh8Key(dsl < md, orders > mo, rev > mr);
  }
}

function changesFrom(cur: CustomerTable, plan: Plan, m: PreviousMatch, top: number): Changes {
  const { map, curKeys } = plan;
  const { keyOf, keys, was } = m;
  const order: readonly string[] = map === 'zh8' ? ZH8_KEYS : SEGMENT11_KEYS;
  // Migration counts on small integer codes (a few distinct segment keys), not string pairs.
  const none = '-';
  const codes = new KeyCodes();
  const codeOf = (k: string | null | undefined): number => codes.code(k ?? none);
  const keyList = codes.keys as string[];
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
  const counts = from.map((f) => to.map((t2) => grid[codeOf(f) * K + codeOf(t2)]!));

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
