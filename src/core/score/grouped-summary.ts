/**
 * Customer summaries (x, t_x, T) collapsed to distinct rows with weights, so a likelihood over
 * a million customers costs one term per distinct (x, t_x, T) — with day-level data usually a
 * few thousand to a few tens of thousands. The distinct values of x, t_x and T are indexed too,
 * so per-evaluation work that depends on one of them only (ln Γ(r + x), ln(α + T)) is done once
 * per distinct value. Grouping is exact (identical numbers), never binned.
 */

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

function pairs(g: { xIdx: Int32Array; uniqueX: Float64Array }, tIdx: Int32Array, uniqueT: Float64Array): { pair: { x: Float64Array; t: Float64Array }; idx: Int32Array } {
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

function indexer(): { map: Map<number, number>; values: number[]; id(v: number): number } {
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

/**
 * Groups identical (x, t_x, T) rows. Optional per-row weights (default 1) are summed. O(n)
 * expected time with hash maps. Throws RangeError on a row that is not a valid summary
 * (non-finite, x < 0, t_x < 0, t_x > T, or t_x > 0 with x = 0).
 */
export function groupSummary(data: BtydSummary, weights?: Float64Array): GroupedSummary {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n || (weights && weights.length !== n))
    throw new RangeError('x, t_x, T (and weights) must have the same length');
  const ix = indexer();
  const itx = indexer();
  const iT = indexer();
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
