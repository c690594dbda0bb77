/**
 * Indices of the k largest scores, best first, in O(n log k) with a bounded min-heap
 * (a million customers need no full sort). Ties: the smaller `tieKey` wins (customer id
 * order), so lists are deterministic.
 */
export function topK(
  n: number,
  k: number,
  score: (i: number) => number,
  include: (i: number) => boolean,
  tieKey: (i: number) => string,
): number[] {
  if (k <= 0) return [];
  // "a ranks below b": lower score, or equal score and larger tie key.
  const below = (a: number, b: number): boolean => {
    const sa = score(a), sb = score(b);
    return sa < sb || (sa === sb && tieKey(a) > tieKey(b));
  };
  const heap: number[] = []; // heap[0] = worst kept
  const up = (j: number): void => {
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (!below(heap[j]!, heap[p]!)) break;
      [heap[j], heap[p]] = [heap[p]!, heap[j]!];
      j = p;
    }
  };
  const down = (j: number): void => {
    for (;;) {
      const l = 2 * j + 1, r = l + 1;
      let m = j;
      if (l < heap.length && below(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && below(heap[r]!, heap[m]!)) m = r;
      if (m === j) return;
      [heap[j], heap[m]] = [heap[m]!, heap[j]!];
      j = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (below(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
