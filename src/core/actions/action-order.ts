/**
 * The order of the action list: priority (ascending), value at risk, CLV (both descending),
 * customer id (UTF-16 code-unit order, `a < b`; equal ids keep table order). A stable LSD radix
 * sort on the two numbers as order-preserving 64-bit keys, from an id-ordered start: no
 * comparator call per comparison, which dominated writing the list of a large table.
 */

/** Bits per pass: 2 passes per 32-bit half of a key. */
const DIGIT = 16;
const BUCKETS = 1 << DIGIT;
const MASK = BUCKETS - 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sorts `rows` (table rows) in place. `rank[row]`: the row's priority as a rank (0 first);
 * `risk`, `clv`: the sort values per table row (non-finite or missing: 0); `ids` per table row.
 */
export function sortActionRows(rows: Uint32Array, rank: Uint8Array, risk: ArrayLike<number> | null, clv: ArrayLike<number> | null, ids: readonly string[]): Uint32Array {
  const start = idOrdered(rows, ids);
  // The keys travel with the rows (read in order, not looked up by row): least significant
  // first, CLV's low half … risk's high half, then the priority rank.
  const [clvHi, clvLo] = descendingKeys(clv, start);
  const [riskHi, riskLo] = descendingKeys(risk, start);
  const rankKey = new Uint32Array(start.length);
  for (let k = 0; k < start.length; k++) rankKey[k] = rank[start[k]!]!;
  const cols: Uint32Array[] = [start, clvLo, clvHi, riskLo, riskHi, rankKey];
  let spare: Uint32Array = new Uint32Array(start.length);
  const pos = new Uint32Array(start.length), next = new Uint32Array(BUCKETS);
  for (let key = 1; key < cols.length; key++) {
    for (let shift = 0; shift < 32; shift += DIGIT) {
      if (!positions(cols[key]!, shift, pos, next)) continue;
      // Only the rows and the keys still to sort by move; each column's old array takes the next.
      for (let c = 0; c < cols.length; c++) {
        if (c !== 0 && c < key) continue;
        scatter(cols[c]!, spare, pos);
        [cols[c], spare] = [spare, cols[c]!];
      }
    }
  }
  rows.set(cols[0]!);
  return rows;
}

/** The rows in id order: as they are when the table is sorted by id (the usual case), else sorted. */
function idOrdered(rows: Uint32Array, ids: readonly string[]): Uint32Array {
  let sorted = true;
  for (let k = 1; k < rows.length && sorted; k++) sorted = ids[rows[k - 1]!]! < ids[rows[k]!]!;
  if (sorted) return rows;
  // Array sort is stable: equal ids keep table order.
  return Uint32Array.from(Array.from(rows).sort((x, y) => (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0)));
}

/**
 * Keys (high and low 32 bits, in the order of `rows`) whose unsigned order is the values'
 * descending order: the IEEE 754 bits with the sign bit flipped (all bits for negatives) order
 * doubles ascending; complemented, descending. −0 is taken as 0, as the subtraction comparing
 * them did; a missing or non-finite value as 0, as the list has always sorted them.
 */
function descendingKeys(v: ArrayLike<number> | null, rows: Uint32Array): [Uint32Array, Uint32Array] {
  const f = new Float64Array(1), u = new Uint32Array(f.buffer);
  const H = LITTLE_ENDIAN ? 1 : 0, L = 1 - H;
  const hi = new Uint32Array(rows.length), lo = new Uint32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const x = v ? v[rows[k]!]! : 0;
    f[0] = x === 0 || !Number.isFinite(x) ? 0 : x;
    const h = u[H]!, l = u[L]!;
    if (h >>> 31) {
      hi[k] = h;
      lo[k] = l;
    } else {
      hi[k] = ~h & 0x7fffffff;
      lo[k] = ~l >>> 0;
    }
  }
  return [hi, lo];
}

/**
 * A stable counting sort's target positions on the digit `(key >>> shift) & MASK`, into `pos`
 * (`next`: room for the bucket counts).
 * False (no positions made) when every key has the same digit: the pass would move nothing.
 */
function positions(key: Uint32Array, shift: number, pos: Uint32Array, next: Uint32Array): boolean {
  const n = key.length;
  next.fill(0);
  for (let k = 0; k < n; k++) next[(key[k]! >>> shift) & MASK]!++;
  if (n === 0 || next[(key[0]! >>> shift) & MASK] === n) return false;
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = next[b]!;
    next[b] = sum;
    sum += c;
  }
  for (let k = 0; k < n; k++) pos[k] = next[(key[k]! >>> shift) & MASK]!++;
  return true;
}

function scatter(src: Uint32Array, dst: Uint32Array, pos: Uint32Array): void {
  for (let k = 0; k < src.length; k++) dst[pos[k]!] = src[k]!;
}
