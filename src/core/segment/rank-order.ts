/**
 * Deterministic ranking used by ABC and the value pyramid: by value descending, equal values
 * by customer id ascending (UTF-16 code-unit order), so the result never depends on input order.
 * O(n log n).
 */
export function rankOrder(ids: readonly string[], values: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(ids.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
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
