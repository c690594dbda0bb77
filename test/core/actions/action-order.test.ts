import { describe, expect, it } from 'vitest';
import { sortActionRows } from '../../../src/core/actions/action-order.js';

/** The order as a comparator states it (the list's definition): priority, risk and CLV descending (missing/non-finite: 0), id. */
function reference(rows: number[], rank: Uint8Array, risk: number[], clv: number[], ids: string[]): number[] {
  const v = (a: number[], i: number): number => (Number.isFinite(a[i]!) ? a[i]! : 0);
  return rows.slice().sort((x, y) => rank[x]! - rank[y]! || v(risk, y) - v(risk, x) || v(clv, y) - v(clv, x) || (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0));
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('action list order', () => {
  // Values drawn from a few, so that ties on every key happen; with the edge values of a double.
  const VALUES = [0, -0, 1, 1.5, 2, 1e-300, 5e-324, -5e-324, -1, -2.5, 1e300, NaN, Infinity, -Infinity, 123.456, 0.1 + 0.2, 0.3];
  for (const [name, sortedIds] of [['ids in table order', true], ['ids not in table order', false]] as const) {
    it(`matches the comparator's order on ties, signs, −0 and non-finite values (${name})`, () => {
      const rnd = random(sortedIds ? 7 : 11);
      const n = 3000;
      const ids = Array.from({ length: n }, (_, i) => `c${String(i).padStart(5, '0')}`);
      if (!sortedIds) ids.sort(() => rnd() - 0.5).forEach((_, i) => (ids[i] = i % 17 === 0 ? `é${ids[i]}` : ids[i]!));
      const pick = (): number => VALUES[Math.floor(rnd() * VALUES.length)]!;
      const risk = Array.from({ length: n }, pick), clv = Array.from({ length: n }, pick);
      const rank = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 3));
      const rows = Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.8);
      const got = sortActionRows(Uint32Array.from(rows), rank, Float64Array.from(risk), Float64Array.from(clv), ids);
      expect(Array.from(got)).toEqual(reference(rows, rank, risk, clv, ids));
    });
  }

  it('orders equal priority, risk and CLV by id, in code-unit order, whatever the table order', () => {
    const ids = ['b', 'B', 'a', '\u{1F600}', '\uFF21', 'a0'];
    const zeros = new Float64Array(ids.length);
    const got = sortActionRows(Uint32Array.from([0, 1, 2, 3, 4, 5]), new Uint8Array(ids.length), zeros, null, ids);
    expect(Array.from(got, (i) => ids[i])).toEqual(['B', 'a', 'a0', 'b', '\u{1F600}', '\uFF21']);
  });

  it('keeps an empty list empty', () => {
    expect(Array.from(sortActionRows(new Uint32Array(0), new Uint8Array(0), null, null, []))).toEqual([]);
  });
});
