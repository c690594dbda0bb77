/**
 * Customer summaries (x, t_x, T) collapsed to distinct rows with weights, so a likelihood over
 * a million customers costs one term per distinct (x, t_x, T) — with day-level data usually a
 * few thousand to a few tens of thousands. The distinct values of x, t_x and T are indexed too,
 * so per-evaluation work that depends on one of them only (ln Γ(r + x), ln(α + T)) is done once
 * per distinct value. Grouping is exact (identical numbers), never binned.
 */

import { FloatKeyIndex } from './float-key-index.js';

/** Per-customer BTYD summary: repeat purchases x, recency t_x and age T in one time unit. */
export interface BtydSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

export interface GroupedSummary {
  /** One entry per distinct (x, t_x, T). */
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Number of customers (or summed input weights) in each group. */
  w: Float64Array;
  /** Σ w. */
  n: number;
  groups: number;
  /** Distinct values and, per group, the index of its value in them. */
  uniqueX: Float64Array;
  xIdx: Int32Array;
  uniqueTx: Float64Array;
  txIdx: Int32Array;
  uniqueT: Float64Array;
  TIdx: Int32Array;
  /** For each input row, its group (lets callers score groups and expand back). */
  rowGroup: Int32Array;
  /**
   * Distinct (x, T) and (x, t_x) pairs and, per group, the index of its pairs: terms that depend
   * on one pair only (the Pareto/NBD ₂F₁ terms, E[Y(t) | alive]) are computed once per pair.
   */
  pairXT: { x: Float64Array; t: Float64Array };
  xTIdx: Int32Array;
  pairXTx: { x: Float64Array; t: Float64Array };
  xTxIdx: Int32Array;
}

/** `a`, or a copy with room for at least `need` entries (doubling). */
function room(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const grown = new Int32Array(Math.max(need, a.length * 2));
  grown.set(a);
  return grown;
}

/** Distinct (x, t) pairs over the groups in first-seen order, and each group's pair index. */
function pairs(g: { xIdx: Int32Array; uniqueX: Float64Array }, tIdx: Int32Array, uniqueT: Float64Array): { pair: { x: Float64Array; t: Float64Array }; idx: Int32Array } {
  const groups = tIdx.length;
  const index = new FloatKeyIndex(Math.min(groups, 1024));
  let first = new Int32Array(Math.min(groups, 1024)); // pair → first group with it
  const idx = new Int32Array(groups);
  const nT = uniqueT.length;
  let np = 0;
  for (let k = 0; k < groups; k++) {
    const i = index.id(g.xIdx[k]! * nT + tIdx[k]!);
    if (i === np) {
      first = room(first, np + 1);
      first[np++] = k;
    }
    idx[k] = i;
  }
  const px = new Float64Array(np);
  const pt = new Float64Array(np);
  for (let i = 0; i < np; i++) {
    const k = first[i]!;
    px[i] = g.uniqueX[g.xIdx[k]!]!;
    pt[i] = uniqueT[tIdx[k]!]!;
  }
  return { pair: { x: px, t: pt }, idx };
}

/**
 * Groups identical (x, t_x, T) rows. Optional per-row weights (default 1) are summed. O(n)
 * expected time with typed hash indexes (FloatKeyIndex); groups, distinct values and pairs come
 * in first-seen order. Throws RangeError on a row that is not a valid summary (non-finite,
 * x < 0, t_x < 0, t_x > T, or t_x > 0 with x = 0).
 */
export function groupSummary(data: BtydSummary, weights?: Float64Array): GroupedSummary {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n || (weights && weights.length !== n))
    throw new RangeError('x, t_x, T (and weights) must have the same length');
  const ix = new FloatKeyIndex();
  const itx = new FloatKeyIndex(1024);
  const iT = new FloatKeyIndex(1024);
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
  const nTx = itx.size;
  const nT = iT.size;
  const groupOf = new FloatKeyIndex(Math.min(n, 4096));
  const rowGroup = new Int32Array(n);
  let first = new Int32Array(Math.min(n, 4096)); // group → first row in it
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const g = groupOf.id((rx[i]! * nTx + rtx[i]!) * nT + rT[i]!); // key < 2^53 for any realistic input
    if (g === groups) {
      first = room(first, groups + 1);
      first[groups++] = i;
    }
    rowGroup[i] = g;
  }
  // Weights summed per group and in total in row order, as one pass would.
  const gw = new Float64Array(groups);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    gw[rowGroup[i]!]! += w;
    total += w;
  }
  const xIdx = new Int32Array(groups);
  const txIdx = new Int32Array(groups);
  const TIdx = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const i = first[g]!;
    xIdx[g] = rx[i]!;
    txIdx[g] = rtx[i]!;
    TIdx[g] = rT[i]!;
  }
  const out: GroupedSummary = {
    x: new Float64Array(groups),
    tx: new Float64Array(groups),
    T: new Float64Array(groups),
    w: gw,
    n: total,
    groups,
    uniqueX: ix.keys(),
    xIdx,
    uniqueTx: itx.keys(),
    txIdx,
    uniqueT: iT.keys(),
    TIdx,
    rowGroup,
    pairXT: { x: new Float64Array(0), t: new Float64Array(0) },
    xTIdx: new Int32Array(0),
    pairXTx: { x: new Float64Array(0), t: new Float64Array(0) },
    xTxIdx: new Int32Array(0),
  };
  const a = pairs(out, out.TIdx, out.uniqueT);
  out.pairXT = a.pair;
  out.xTIdx = a.idx;
  const b = pairs(out, out.txIdx, out.uniqueTx);
  out.pairXTx = b.pair;
  out.xTxIdx = b.idx;
  for (let g = 0; g < groups; g++) {
    out.x[g] = out.uniqueX[out.xIdx[g]!]!;
    out.tx[g] = out.uniqueTx[out.txIdx[g]!]!;
    out.T[g] = out.uniqueT[out.TIdx[g]!]!;
  }
  return out;
}
