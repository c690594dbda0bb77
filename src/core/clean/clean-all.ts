/**
 * Cleans an in-memory list of lines in two passes, as the CLI does on a file: pass 1 runs
 * the Cleaner with outliers 'off' and feeds every output amount to an OutlierFence; pass 2
 * runs it again with that fence. Both passes see the same deterministic order stream, so
 * the fence's `expected` count equals the outliers found. One pass when outliers is 'off'
 * or a fence is given. For tests, fixtures and small inputs (holds everything in memory).
 */
import type { StreamSchema, Transaction } from '../types.js';
import type { CleanAudit, Reason } from './audit.js';
import type { CleanOptions } from './clean-options.js';
import { Cleaner } from './cleaner.js';
import { OutlierFence, type Fence } from './outlier-fence.js';

/** A removed line with its reason and line number. */
export interface RemovedLine {
  tx: Transaction;
  reason: Reason;
  line: number;
}

export interface CleanResult {
  rows: Transaction[];
  removed: RemovedLine[];
  audit: CleanAudit;
  /** The fence used (null when outliers were off). */
  fence: Fence | null;
}

/**
 * The schema a list of lines shows: time / item columns when any line has a value there, no
 * dimension names (pass the real schema when the lines come from a file).
 */
export function schemaOfLines(lines: readonly Transaction[]): StreamSchema {
  return { hasTime: lines.some((t) => t.time !== null), hasItem: lines.some((t) => t.item !== null), dimNames: [], hasOutlier: false };
}

/**
 * Cleans `lines`; line i is reported as line number i + 2 (a CSV with a header line).
 * `schema` decides the duplicate rule under 'auto' (default: schemaOfLines).
 */
export function cleanAll(lines: readonly Transaction[], options: CleanOptions = {}, schema: StreamSchema = schemaOfLines(lines)): CleanResult {
  let fence = options.fence ?? null;
  if (fence === null && (options.outliers ?? 'flag') !== 'off') {
    const f = new OutlierFence();
    const pass1 = new Cleaner({ ...options, outliers: 'off', fence: null }, (tx) => f.add(tx.amount));
    pass1.useSchema(schema);
    for (let i = 0; i < lines.length; i++) pass1.push(lines[i]!, i + 2);
    pass1.finish();
    fence = f.fence();
  }
  const rows: Transaction[] = [];
  const removed: RemovedLine[] = [];
  const c = new Cleaner({ ...options, fence }, (tx) => rows.push(tx), (tx, reason, line) => removed.push({ tx, reason, line }));
  c.useSchema(schema);
  for (let i = 0; i < lines.length; i++) c.push(lines[i]!, i + 2);
  c.finish();
  return { rows, removed, audit: c.audit(), fence: (options.outliers ?? 'flag') === 'off' ? null : fence };
}
