/**
 * Reading the audit JSON written by `ingest` and `clean`, tolerantly.
 *
 * Accepted shapes (any mix; unknown keys are ignored):
 * - clean's `{ rows_in, rows_out, folded, removed: { reason: count } }`;
 * - ingest's `{ rows_read, rejected: { reason: count } }`;
 * - both merged in one object, or nested as `{ ingest: {...}, clean: {...} }`, or an array of them;
 * - `rejected` / `removed` given as a plain number instead of a per-reason object.
 * Counts must be finite non-negative numbers; other values are ignored.
 */
import { CustkitError, EXIT } from '../../cli/errors.js';

/** One reason with its row count. */
export interface ReasonCount {
  reason: string;
  rows: number;
}

/** The data-quality section of the report. Absent facts are null. */
export interface DataQuality {
  rows_read: number | null;
  rows_rejected: number | null;
  rejected: ReasonCount[];
  rows_in: number | null;
  rows_removed: number | null;
  removed: ReasonCount[];
  rows_out: number | null;
  folded: number | null;
  /** rows_rejected / rows_read (null when either is unknown or rows_read is 0). */
  rejected_rate: number | null;
  /** rows_removed / rows_in (null likewise). */
  removed_rate: number | null;
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

function reasons(v: unknown, into: Map<string, number>): number | null {
  const n = count(v);
  if (n !== null) return n;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    let sum = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const c = count(x);
      if (c === null) continue;
      into.set(k, (into.get(k) ?? 0) + c);
      sum += c;
    }
    return sum;
  }
  return null;
}

const add = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

/** Normalises an audit object (see module comment); throws a data error when nothing is recognised. */
export function readAudit(audit: unknown): DataQuality {
  const parts: Record<string, unknown>[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      parts.push(o);
      if (o.ingest) collect(o.ingest);
      if (o.clean) collect(o.clean);
    }
  };
  collect(audit);
  const rej = new Map<string, number>();
  const rem = new Map<string, number>();
  let rowsRead: number | null = null, rowsRejected: number | null = null, rowsIn: number | null = null;
  let rowsRemoved: number | null = null, rowsOut: number | null = null, folded: number | null = null;
  let recognised = false;
  for (const o of parts) {
    if ('rows_read' in o) { rowsRead = add(rowsRead, count(o.rows_read)); recognised = true; }
    if ('rejected' in o) { rowsRejected = add(rowsRejected, reasons(o.rejected, rej)); recognised = true; }
    if ('rows_in' in o) { rowsIn = add(rowsIn, count(o.rows_in)); recognised = true; }
    if ('removed' in o) { rowsRemoved = add(rowsRemoved, reasons(o.removed, rem)); recognised = true; }
    if ('rows_out' in o) { rowsOut = add(rowsOut, count(o.rows_out)); recognised = true; }
    if ('folded' in o) { folded = add(folded, count(o.folded)); recognised = true; }
  }
  if (!recognised) {
    throw new CustkitError(
      'audit JSON has none of rows_read, rejected, rows_in, removed, rows_out, folded',
      EXIT.DATA,
      'pass the audit file written by `custkit clean --audit` or the audit.json of `custkit run`',
    );
  }
  const list = (m: Map<string, number>): ReasonCount[] =>
    [...m].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows || (a.reason < b.reason ? -1 : 1));
  return {
    rows_read: rowsRead,
    rows_rejected: rowsRejected,
    rejected: list(rej),
    rows_in: rowsIn,
    rows_removed: rowsRemoved,
    removed: list(rem),
    rows_out: rowsOut,
    folded,
    rejected_rate: rowsRead && rowsRejected !== null ? rowsRejected / rowsRead : null,
    removed_rate: rowsIn && rowsRemoved !== null ? rowsRemoved / rowsIn : null,
  };
}
