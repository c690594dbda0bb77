import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupSummary, type BtydSummary, type GroupedSummary } from '../../../src/core/score/grouped-summary.js';

// Reference: groupSummary as it was with Map<number, number> indexes (SameValueZero keys),
// copied verbatim; the typed-hash version must reproduce it exactly, orders included.
function refPairs(g: { xIdx: Int32Array; uniqueX: Float64Array }, tIdx: Int32Array, uniqueT: Float64Array): { pair: { x: Float64Array; t: Float64Array }; idx: Int32Array } {
  const map = new Map<number, number>();
  const px: number[] = [];
  const pt: number[] = [];
  const idx = new Int32Array(tIdx.length);
  const nT = uniqueT.length;
  for (let k = 0; k < tIdx.length; k++) {
    const key = g.xIdx[k]! * nT + tIdx[k]!;
    let i = map.get(key);
    if (i === undefined) {
      i = px.length;
      map.set(key, i);
      px.push(g.uniqueX[g.xIdx[k]!]!);
      pt.push(uniqueT[tIdx[k]!]!);
    }
    idx[k] = i;
  }
  return { pair: { x: Float64Array.from(px), t: Float64Array.from(pt) }, idx };
}

function refIndexer(): { map: Map<number, number>; values: number[]; id(v: number): number } {
  const map = new Map<number, number>();
  const values: number[] = [];
  return {
    map,
    values,
    id(v: number): number {
      let i = map.get(v);
      if (i === undefined) {
        i = values.length;
        map.set(v, i);
        values.push(v);
      }
      return i;
    },
  };
}

function referenceGroupSummary(data: BtydSummary, weights?: Float64Array): GroupedSummary {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n || (weights && weights.length !== n))
    throw new RangeError('x, t_x, T (and weights) must have the same length');
  const ix = refIndexer();
  const itx = refIndexer();
  const iT = refIndexer();
  const rx = new Int32Array(n);
  const rtx = new Int32Array(n);
  const rT = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.x[i]!;
    const tx = data.tx[i]!;
    const T = data.T[i]!;
    if (!(x >= 0 && tx >= 0 && T >= tx && Number.isFinite(T) && Number.isFinite(x)) || (x === 0 && tx !== 0))
      throw new RangeError(`row ${i}: invalid summary x=${x}, t_x=${tx}, T=${T}`);
    rx[i] = ix.id(x);
    rtx[i] = itx.id(tx);
    rT[i] = iT.id(T);
  }
  const nTx = itx.values.length;
  const nT = iT.values.length;
  const groupOf = new Map<number, number>();
  const rowGroup = new Int32Array(n);
  const gx: number[] = [];
  const gtx: number[] = [];
  const gT: number[] = [];
  const gw: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const key = (rx[i]! * nTx + rtx[i]!) * nT + rT[i]!; // < 2^53 for any realistic input
    let g = groupOf.get(key);
    if (g === undefined) {
      g = gx.length;
      groupOf.set(key, g);
      gx.push(rx[i]!);
      gtx.push(rtx[i]!);
      gT.push(rT[i]!);
      gw.push(0);
    }
    const w = weights ? weights[i]! : 1;
    gw[g]! += w;
    total += w;
    rowGroup[i] = g;
  }
  const groups = gx.length;
  const out: GroupedSummary = {
    x: new Float64Array(groups),
    tx: new Float64Array(groups),
    T: new Float64Array(groups),
    w: Float64Array.from(gw),
    n: total,
    groups,
    uniqueX: Float64Array.from(ix.values),
    xIdx: Int32Array.from(gx),
    uniqueTx: Float64Array.from(itx.values),
    txIdx: Int32Array.from(gtx),
    uniqueT: Float64Array.from(iT.values),
    TIdx: Int32Array.from(gT),
    rowGroup,
    pairXT: { x: new Float64Array(0), t: new Float64Array(0) },
    xTIdx: new Int32Array(0),
    pairXTx: { x: new Float64Array(0), t: new Float64Array(0) },
    xTxIdx: new Int32Array(0),
  };
  const a = refPairs(out, out.TIdx, out.uniqueT);
  out.pairXT = a.pair;
  out.xTIdx = a.idx;
  const b = refPairs(out, out.txIdx, out.uniqueTx);
  out.pairXTx = b.pair;
  out.xTxIdx = b.idx;
  for (let g = 0; g < groups; g++) {
    out.x[g] = out.uniqueX[out.xIdx[g]!]!;
    out.tx[g] = out.uniqueTx[out.txIdx[g]!]!;
    out.T[g] = out.uniqueT[out.TIdx[g]!]!;
  }
  return out;
}

/** Element-wise Object.is (−0 and +0 differ), with the array type checked too. */
function expectSame(actual: Float64Array | Int32Array, expected: Float64Array | Int32Array, field: string): void {
  expect(actual.constructor.name, field).toBe(expected.constructor.name);
  expect(actual.length, field).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    if (!Object.is(actual[i], expected[i])) expect({ field, i, value: actual[i] }).toEqual({ field, i, value: expected[i] });
}

function expectSameGrouping(a: GroupedSummary, b: GroupedSummary): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  expect(Object.is(a.n, b.n)).toBe(true);
  expect(a.groups).toBe(b.groups);
  for (const f of ['x', 'tx', 'T', 'w', 'uniqueX', 'xIdx', 'uniqueTx', 'txIdx', 'uniqueT', 'TIdx', 'rowGroup', 'xTIdx', 'xTxIdx'] as const) expectSame(a[f], b[f], f);
  expectSame(a.pairXT.x, b.pairXT.x, 'pairXT.x');
  expectSame(a.pairXT.t, b.pairXT.t, 'pairXT.t');
  expectSame(a.pairXTx.x, b.pairXTx.x, 'pairXTx.x');
  expectSame(a.pairXTx.t, b.pairXTx.t, 'pairXTx.t');
}

/** Both versions on the same input: equal results, or the same error. */
function expectSameAsReference(data: BtydSummary, weights?: Float64Array): void {
  let expected: GroupedSummary | Error;
  try {
    expected = referenceGroupSummary(data, weights);
  } catch (e) {
    expected = e as Error;
  }
  if (expected instanceof Error) {
    expect(() => groupSummary(data, weights)).toThrow(expected);
    expect(() => groupSummary(data, weights)).toThrow(RangeError);
  } else expectSameGrouping(groupSummary(data, weights), expected);
}

interface Row { x: number; tx: number; T: number; w: number }

/**
 * Valid rows from small pools, so groups repeat: T = d/7 (week fractions, not Smis) or d/7 + 0.1,
 * sometimes −0; t_x ≤ T in the same forms; t_x = ±0 when x = 0; x integers, fractions and −0.
 */
const rowArb: fc.Arbitrary<Row> = fc
  .record({
    x: fc.constantFrom(0, -0, 1, 2, 3, 5, 8, 200, 0.5, 2.25),
    d: fc.integer({ min: 0, max: 30 }),
    e: fc.integer({ min: 0, max: 30 }),
    shift: fc.boolean(),
    zero: fc.constantFrom(0, -0),
    w: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 10, noNaN: true })),
  })
  .map(({ x, d, e, shift, zero, w }) => {
    const T = d === 0 && !shift ? zero : d / 7 + (shift ? 0.1 : 0);
    const tx = x === 0 ? zero : Math.min(e, d) / 7 + (shift && e >= d ? 0.1 : 0);
    return { x, tx, T, w };
  });

function columns(rows: Row[]): BtydSummary & { w: Float64Array } {
  return {
    x: Float64Array.from(rows, (r) => r.x),
    tx: Float64Array.from(rows, (r) => r.tx),
    T: Float64Array.from(rows, (r) => r.T),
    w: Float64Array.from(rows, (r) => r.w),
  };
}

describe('groupSummary', () => {
  it('collapses identical rows and indexes distinct values', () => {
    // Rows: (0,0,10) ×2, (2,5,10), (2,5,12); weights default 1 → groups (0,0,10) w 2, (2,5,10) w 1, (2,5,12) w 1.
    const g = groupSummary({ x: Float64Array.of(0, 2, 0, 2), tx: Float64Array.of(0, 5, 0, 5), T: Float64Array.of(10, 10, 10, 12) });
    expect(g.groups).toBe(3);
    expect(g.n).toBe(4);
    expect(Array.from(g.w)).toEqual([2, 1, 1]);
    expect(Array.from(g.rowGroup)).toEqual([0, 1, 0, 2]);
    expect(Array.from(g.uniqueT)).toEqual([10, 12]);
    expect(Array.from(g.T)).toEqual([10, 10, 12]);
    expect(Array.from(g.x)).toEqual([0, 2, 2]);
  });
  it('sums weights and rejects invalid rows', () => {
    const g = groupSummary({ x: Float64Array.of(1, 1), tx: Float64Array.of(2, 2), T: Float64Array.of(3, 3) }, Float64Array.of(2.5, 4));
    expect(g.n).toBe(6.5);
    expect(g.w[0]).toBe(6.5);
    expect(() => groupSummary({ x: Float64Array.of(0), tx: Float64Array.of(1), T: Float64Array.of(2) })).toThrow(RangeError);
    expect(() => groupSummary({ x: Float64Array.of(NaN), tx: Float64Array.of(0), T: Float64Array.of(2) })).toThrow(RangeError);
    expect(() => groupSummary({ x: Float64Array.of(1), tx: Float64Array.of(0), T: Float64Array.of(2, 3) })).toThrow(/length/);
  });
  it('matches the Map-based reference field by field, orders included (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 300 }), fc.boolean(), (rows, weighted) => {
        const c = columns(rows);
        expectSameAsReference(c, weighted ? c.w : undefined);
      }),
    );
  });

  it('throws the reference error on rows that are not valid summaries (property)', () => {
    const bad = fc.constantFrom(-1, -0.5, NaN, Infinity, -Infinity, 1e9);
    const rowOrBad = fc.oneof(
      { arbitrary: rowArb, weight: 8 },
      { arbitrary: fc.record({ x: fc.oneof(bad, fc.constant(0)), tx: fc.oneof(bad, fc.constant(0.5)), T: fc.oneof(bad, fc.constant(1)), w: fc.constant(1) }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(rowOrBad, { maxLength: 40 }), (rows) => {
        expectSameAsReference(columns(rows));
      }),
    );
  });

  it('matches the reference on 200k rows shaped like day-level data (indexes grow many times)', () => {
    // Mulberry32, fixed seed: x geometric-ish in 0..200, T = days/7 up to 156 weeks, t_x ≤ T, t_x = 0 when x = 0.
    let seed = 12345;
    const rand = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const n = 200_000;
    const data = { x: new Float64Array(n), tx: new Float64Array(n), T: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const days = Math.floor(rand() * (156 * 7 + 1));
      let x = 0;
      while (x < 200 && rand() < (x === 0 ? 0.55 : 0.9)) x++;
      data.x[i] = x;
      data.T[i] = days / 7;
      data.tx[i] = x === 0 ? 0 : Math.floor(rand() * (days + 1)) / 7;
    }
    const g = groupSummary(data);
    expect(g.groups).toBeGreaterThan(10_000);
    expectSameGrouping(g, referenceGroupSummary(data));
  });
});
