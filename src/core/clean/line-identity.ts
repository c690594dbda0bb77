/**
 * Whether two equal lines of one order can be told to be one line written twice.
 *
 * Without a column that tells an order's lines apart (item / SKU, line number, time of
 * day), two equal lines are as likely two units bought on one order as one line exported
 * twice: on the UCI Online Retail extract without its product and time columns, removing
 * them took 2,267 lines instead of the 114 true repeats. So `--duplicates auto` removes
 * exact duplicates only when the canonical header carries such a column (mapped by ingest
 * as `item` / `order_time`, or kept with `--keep` under one of IDENTITY_DIMS' names), and
 * otherwise keeps them and says how many it kept.
 */
import type { StreamSchema } from '../types.js';
import type { DuplicatesMode } from './clean-options.js';

/**
 * Kept (`--keep`) column names that identify a line, compared lower-cased with everything
 * but letters and digits removed (`Line No.` → `lineno`).
 */
export const IDENTITY_DIMS: ReadonlySet<string> = new Set([
  'item', 'itemid', 'itemcode', 'sku', 'stockcode', 'productid', 'productcode', 'lineitemid', 'lineitemsku',
  'line', 'lineno', 'linenumber', 'lineid', 'position', 'orderline', 'orderlineid',
  'time', 'ordertime', 'timestamp', 'datetime', 'createdat',
]);

const squash = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The canonical columns of `schema` that identify a line, in header order. */
export function lineIdentityColumns(schema: StreamSchema): string[] {
  const cols: string[] = [];
  if (schema.hasTime) cols.push('order_time');
  if (schema.hasItem) cols.push('item');
  for (const d of schema.dimNames) if (IDENTITY_DIMS.has(squash(d))) cols.push(d);
  return cols;
}

/** The duplicate rule as applied (audit `duplicate_rule`). */
export interface DuplicateRule {
  mode: DuplicatesMode;
  /** Whether exact duplicate lines are removed. */
  drop: boolean;
  /** The columns that identify a line (empty: none). */
  identity: string[];
}

/** The rule for a stream with this schema. */
export function duplicateRule(mode: DuplicatesMode, schema: StreamSchema): DuplicateRule {
  const identity = lineIdentityColumns(schema);
  return { mode, drop: mode === 'drop' || (mode === 'auto' && identity.length > 0), identity };
}
