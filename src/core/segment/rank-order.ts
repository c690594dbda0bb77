/**
 * Deterministic ranking used by ABC and the value pyramid: by value descending, equal values
 * by customer id ascending (UTF-16 code-unit order), so the result never depends on input order.
 * O(n log n).
 */
export function rankOrder(ids: readonly string[], values: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(ids.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  // Fast path: when ids are already in ascending order (the customer table always is), the
  // id tie-break equals the index tie-break, and comparing numbers is much cheaper than strings.
  let sorted = true;
  for (let i = 1; i < ids.length; i++) {
    if (ids[i - 1]! > ids[i]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return rankByValueThenIndex(values);
  const arr = Array.from(idx);
  arr.sort((a, b) => {
    const d = values[b]! - values[a]!;
    if (d !== 0) return d;
    const x = ids[a]!, y = ids[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  idx.set(arr);
  return idx;
}

/**
 * Rankings of one id list already made, by values array: `segment` ranks revenue for ABC and
 * again for the value pyramid, and each ranking is an O(n log n) sort. Keyed by
 * the array itself, so the arrays ranked must not change while the cache is used.
 */
export class RankCache {
  private readonly done = new Map<ArrayLike<number>, Int32Array>();
  constructor(readonly ids: readonly string[]) {}

  /** rankOrder(ids, values), computed once per values array. */
  order(values: ArrayLike<number>): Int32Array {
    let o = this.done.get(values);
    if (o === undefined) {
      o = rankOrder(this.ids, values);
      this.done.set(values, o);
    }
    return o;
  }
}

/** rankOrder(ids, values), from `ranks` when it is a cache for these ids. */
export function rankOrderVia(ranks: RankCache | undefined, ids: readonly string[], values: ArrayLike<number>): Int32Array {
  return ranks !== undefined && ranks.ids === ids ? ranks.order(values) : rankOrder(ids, values);
}

/** How a group of equal values straddling a class boundary is treated. */
export type TieRule = 'split' | 'group';

/**
 * Applies the tie rule to per-rank classes (class indices in rank order, non-decreasing):
 * under 'group', every member of a run of equal values gets the class of the run's first
 * (best-ranked) member, i.e. a straddling tie group goes wholly to the earlier class.
 */
export function groupTies(order: Int32Array, values: ArrayLike<number>, cls: Int32Array): void {
  for (let r = 1; r < order.length; r++) {
    const i = order[r]!, p = order[r - 1]!;
    if (values[i] === values[p] && cls[i]! > cls[p]!) cls[i] = cls[p]!;
  }
}

/**
 * Order by value descending, equal values by index ascending, without a comparator sort:
 * sort the values natively, give each value the rank of its distinct value (binary search),
 * then a stable counting sort by rank. O(n log n) with small constants.
 */
function rankByValueThenIndex(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const sv = new Float64Array(n);
  for (let i = 0; i < n; i++) sv[i] = values[i]!;
  sv.sort();
  // Distinct values, ascending.
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sv[i] !== sv[m - 1]) sv[m++] = sv[i]!;
  const rank = new Int32Array(n);
  const count = new Int32Array(m + 1);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sv[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const r = m - 1 - lo; // 0 = largest value
    rank[i] = r;
    count[r + 1]!++;
  }
  for (let r = 1; r <= m; r++) count[r]! += count[r - 1]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[count[rank[i]!]!++] = i;
  return out;
}
