/**
 * `run`'s actions.csv: the action list (core/actions) of the customer table, with the contact
 * attributes kept (every --keep column, as in the customer table: contacts are the purpose).
 * People-facing: text cells are spreadsheet-guarded.
 */
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import { actionList, type ActionList } from '../core/actions/action-list.js';
import { type ActionTable } from '../core/actions/action-table.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { safeCsvLine } from '../io/csv-format.js';
import { CsvRecordBytes } from '../io/csv-record-bytes.js';
import type { TextSink } from '../io/text-output.js';

export const ACTION_COLUMNS = ['customer_id', 'segment', 'sleep_state', 'action', 'action_text', 'priority', 'value_at_risk', 'clv'] as const;

/** What run needs to write actions.csv: the table (null: the segment map has no default and no --actions was given) and the suppression list. */
export interface ActionSettings {
  table: ActionTable | null;
  suppress: ReadonlySet<string>;
  /** Why there is no table (a note), when table is null. */
  why?: string;
}

/** The action list of run's customer table; `risk`: the score's value_at_risk per customer ((1 − p_alive) × clv), null unscored. */
export function runActionList(ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null, s: ActionSettings & { table: ActionTable }, exclude: ReadonlySet<string>): ActionList {
  const segment = seg.rfmSegment;
  const sleep = seg.sleep;
  return actionList(
    { ids, segment: segment ? (i) => segment[i]! : () => '', sleepState: sleep ? (i) => sleep.state[i]! : null, valueAtRisk: risk, clv },
    s.table,
    s.suppress,
    exclude,
  );
}

/** Bytes handed to the sink at a time. */
const CHUNK = 1 << 16;
/** Rows gathered at a time (see writeActionLines). */
const BATCH = 2048;

/** The bytes of `cells` (people-facing, as safeCsvLine writes them), joined by commas, without a line end. */
function cellBytes(cells: readonly string[]): Uint8Array {
  const rec = new CsvRecordBytes();
  for (const c of cells) rec.text(c);
  return rec.bytes.slice(0, rec.length);
}

/** One batch of listed rows' numbers, gathered from the table's columns. */
interface Batch {
  n: number;
  action: Uint16Array;
  risk: Float64Array;
  clv: Float64Array;
  /** Keeps the touching of strings from being optimized away. */
  touched: number;
}

/**
 * Gathers rows `rows[k0, k0 + b.n)` column by column, and touches their id and sleep strings:
 * the list order is scattered over the table, and loads that do not wait on each other let
 * the cache misses overlap (a row at a time, each waited for the next).
 */
function gather(b: Batch, rows: Uint32Array, k0: number, list: ActionList, ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null): void {
  const sleep = seg.sleep ? seg.sleep.state : null;
  for (let k = 0; k < b.n; k++) b.action[k] = list.actionOf[rows[k0 + k]!]!;
  for (let k = 0; k < b.n; k++) b.risk[k] = risk ? risk[rows[k0 + k]!]! : NaN;
  for (let k = 0; k < b.n; k++) b.clv[k] = clv ? clv[rows[k0 + k]!]! : NaN;
  let touch = 0;
  for (let k = 0; k < b.n; k++) touch ^= ids[rows[k0 + k]!]!.length;
  if (sleep) for (let k = 0; k < b.n; k++) touch ^= sleep[rows[k0 + k]!]!.length;
  b.touched = touch;
}

/**
 * Writes actions.csv (header first) into `sink`: the list's customers with their attribute
 * cells, as bytes (CsvRecordBytes: the bytes safeCsvLine gives). The cells a segment's customers
 * share (segment; action, its text, priority) are encoded once per action. Does not close the sink.
 */
export async function writeActionLines(sink: TextSink, list: ActionList, ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): Promise<void> {
  sink.write(safeCsvLine([...ACTION_COLUMNS, ...(attrs ? attrs.specs.map((s) => s.name) : [])]));
  // Per action, per sleep state: the cells from segment to priority, encoded once.
  const middle = list.actions.map((a) => new Map<string, Uint8Array>());
  const middleOf = (a: number, state: string): Uint8Array => {
    const x = list.actions[a]!;
    const b = cellBytes([x.segment, state, x.action, lang === 'zh' ? x.zh : x.en, String(x.priority)]);
    middle[a]!.set(state, b);
    return b;
  };
  const nAttrs = attrs ? attrs.specs.length : 0;
  const b: Batch = { n: 0, action: new Uint16Array(BATCH), risk: new Float64Array(BATCH), clv: new Float64Array(BATCH), touched: 0 };
  const sleep = seg.sleep ? seg.sleep.state : null;
  const rec = new CsvRecordBytes();
  for (let k0 = 0; k0 < list.rows.length; k0 += BATCH) {
    b.n = Math.min(BATCH, list.rows.length - k0);
    gather(b, list.rows, k0, list, ids, seg, clv, risk);
    for (let k = 0; k < b.n; k++) {
      const i = list.rows[k0 + k]!, a = b.action[k]!;
      rec.id(ids[i]!);
      const state = sleep ? sleep[i]! : '';
      const m = middle[a]!.get(state) ?? middleOf(a, state);
      rec.cells(m, 0, m.length);
      rec.roundedOrEmpty(b.risk[k]!, 2);
      rec.roundedOrEmpty(b.clv[k]!, 2);
      for (let j = 0; j < nAttrs; j++) rec.text(attrs!.text(j, i));
      rec.end();
    }
    if (rec.length >= CHUNK) {
      sink.writeBytes(rec.bytes, 0, rec.length);
      rec.clear();
      await sink.drain();
    }
  }
  sink.writeBytes(rec.bytes, 0, rec.length);
}
