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
  const top = new TopK(k, score, tieKey);
  for (let i = 0; i < n; i++) if (include(i)) top.offer(i);
  return top.result();
}

/**
 * The heap behind {@link topK}, offered one index at a time: a caller streaming rows it does
 * not keep (the previous table of a comparison) holds only the rows the heap holds, and gets
 * the same list as topK over all of them (same steps in the same order, NaN scores included).
 */
export class TopK {
  private readonly heap: number[] = []; // heap[0] = worst kept

  constructor(
    private readonly k: number,
    private readonly score: (i: number) => number,
    private readonly tieKey: (i: number) => string,
  ) {}

  /** "a ranks below b": lower score, or equal score and larger tie key. */
  private below(a: number, b: number): boolean {
    const sa = this.score(a), sb = this.score(b);
    return sa < sb || (sa === sb && this.tieKey(a) > this.tieKey(b));
  }

  /** Offers index i; returns the index it leaves out (i itself, or the one it replaced), or −1. */
  offer(i: number): number {
    const heap = this.heap;
    if (this.k <= 0) return i;
    if (heap.length < this.k) {
      heap.push(i);
      this.up(heap.length - 1);
      return -1;
    }
    if (!this.below(heap[0]!, i)) return i;
    const out = heap[0]!;
    heap[0] = i;
    this.down(0);
    return out;
  }

  /** The kept indices, best first. */
  result(): number[] {
    return [...this.heap].sort((a, b) => (this.below(a, b) ? 1 : this.below(b, a) ? -1 : 0));
  }

  private up(j: number): void {
    const heap = this.heap;
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (!this.below(heap[j]!, heap[p]!)) break;
      [heap[j], heap[p]] = [heap[p]!, heap[j]!];
      j = p;
    }
  }

  private down(j: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * j + 1, r = l + 1;
      let m = j;
      if (l < heap.length && this.below(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && this.below(heap[r]!, heap[m]!)) m = r;
      if (m === j) return;
      [heap[j], heap[m]] = [heap[m]!, heap[j]!];
      j = m;
    }
  }
}
