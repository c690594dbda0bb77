/**
 * Reading the audit JSON written by `ingest`, `clean` and `run`, tolerantly, into one chain
 * in which every input row is counted once:
 *
 *   rows_read = rows_rejected + rows_in              (ingest: rejected or passed on)
 *   rows_in   = rows_removed + folded + rows_out     (clean: removed, folded, or an order row)
 *
 * then orders (distinct orders among the order rows) and customers.
 *
 * Accepted shapes (any mix; unknown keys are ignored):
 * - clean's `{ rows_in, rows_out, folded, removed: { reason: count }, orders_out, customers_out }`;
 * - ingest's `{ rows_read, rows_out, rejected: { reason: count } }`: its rows_out are the rows
 *   passed on to cleaning, so they count as rows_in when no clean part says otherwise;
 * - both nested as `{ ingest: {...}, clean: {...}, segment: { customers } }` (run's audit.json),
 *   or an array of parts; `rejected` / `removed` given as a plain number.
 * Counts must be finite non-negative numbers; other values are ignored.
 */
import { CustkitError, EXIT } from '../../errors.js';

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
  /** Rows into cleaning (clean's rows_in, else ingest's rows passed on). */
  rows_in: number | null;
  rows_removed: number | null;
  removed: ReasonCount[];
  folded: number | null;
  /** Order rows out of cleaning: rows_in − rows_removed − folded. */
  rows_out: number | null;
  /** Distinct orders among those rows (fewer when a late line re-opened an order). */
  orders: number | null;
  customers: number | null;
  /**
   * Whether the counts known add up (the two equations of the module comment); null when
   * too few are known to check. False means the audit parts come from different runs.
   */
  reconciles: boolean | null;
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

/** A part that describes cleaning (its rows_out are order rows), not ingest. */
const isCleanPart = (o: Record<string, unknown>): boolean => 'rows_in' in o || 'removed' in o || 'folded' in o;

/** Normalises an audit object (see module comment); throws a data error when nothing is recognised. */
export function readAudit(audit: unknown): DataQuality {
  const parts: Record<string, unknown>[] = [];
  let customers: number | null = null;
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      parts.push(o);
      if (o.ingest) collect(o.ingest);
      if (o.clean) collect(o.clean);
      const seg = o.segment as Record<string, unknown> | undefined;
      if (seg && typeof seg === 'object') customers = add(customers, count(seg.customers));
    }
  };
  collect(audit);
  const rej = new Map<string, number>();
  const rem = new Map<string, number>();
  let rowsRead: number | null = null, rowsRejected: number | null = null, rowsIn: number | null = null, passedOn: number | null = null;
  let rowsRemoved: number | null = null, rowsOut: number | null = null, folded: number | null = null;
  let orders: number | null = null, cleanCustomers: number | null = null;
  let recognised = false;
  for (const o of parts) {
    const clean = isCleanPart(o);
    if ('rows_read' in o) { rowsRead = add(rowsRead, count(o.rows_read)); recognised = true; }
    if ('rejected' in o) { rowsRejected = add(rowsRejected, reasons(o.rejected, rej)); recognised = true; }
    if ('rows_in' in o) { rowsIn = add(rowsIn, count(o.rows_in)); recognised = true; }
    if ('removed' in o) { rowsRemoved = add(rowsRemoved, reasons(o.removed, rem)); recognised = true; }
    if ('folded' in o) { folded = add(folded, count(o.folded)); recognised = true; }
    if ('rows_out' in o) {
      // Each row once: ingest's rows out are the rows into cleaning, clean's the order rows.
      if (clean) rowsOut = add(rowsOut, count(o.rows_out));
      else passedOn = add(passedOn, count(o.rows_out));
      recognised = true;
    }
    if (clean && 'orders_out' in o) orders = add(orders, count(o.orders_out));
    if (clean && 'customers_out' in o) cleanCustomers = add(cleanCustomers, count(o.customers_out));
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
  const checks: boolean[] = [];
  if (rowsIn !== null && passedOn !== null) checks.push(rowsIn === passedOn);
  const into = rowsIn ?? passedOn;
  if (rowsRead !== null && rowsRejected !== null && into !== null) checks.push(rowsRead === rowsRejected + into);
  if (rowsIn !== null && rowsRemoved !== null && folded !== null && rowsOut !== null) checks.push(rowsIn === rowsRemoved + folded + rowsOut);
  return {
    rows_read: rowsRead,
    rows_rejected: rowsRejected,
    rejected: list(rej),
    rows_in: into,
    rows_removed: rowsRemoved,
    removed: list(rem),
    folded,
    rows_out: rowsOut,
    orders,
    customers: customers ?? cleanCustomers,
    reconciles: checks.length ? checks.every(Boolean) : null,
    rejected_rate: rowsRead && rowsRejected !== null ? rowsRejected / rowsRead : null,
    removed_rate: into && rowsRemoved !== null ? rowsRemoved / into : null,
  };
}
