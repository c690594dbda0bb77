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

/** The bytes of `cells` (people-facing, as safeCsvLine writes them), joined by commas, without a line end. */
function cellBytes(cells: readonly string[]): Uint8Array {
  const rec = new CsvRecordBytes();
  for (const c of cells) rec.text(c);
  return rec.bytes.slice(0, rec.length);
}

/**
 * Each customer's numbers side by side (value at risk, CLV; NaN: none) and the middle cells'
 * code (action and sleep state), made in table order, where the columns are read in order: in
 * list order, scattered over the table, a customer then costs one cache line instead of four.
 */
interface Packed {
  values: Float64Array;
  code: Uint32Array;
  /** Per code: its action's index and the sleep state. */
  meaning: { action: number; state: string }[];
}

function pack(list: ActionList, n: number, seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null): Packed {
  const values = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    values[2 * i] = risk ? risk[i]! : NaN;
    values[2 * i + 1] = clv ? clv[i]! : NaN;
  }
  const code = new Uint32Array(n), meaning: Packed['meaning'] = [];
  const sleep = seg.sleep ? seg.sleep.state : null;
  const stateIndex = new Map<string, number>();
  const A = list.actions.length;
  for (let i = 0; i < n; i++) {
    const state = sleep ? sleep[i]! : '';
    let s = stateIndex.get(state);
    if (s === undefined) {
      s = stateIndex.size;
      stateIndex.set(state, s);
      for (let a = 0; a < A; a++) meaning[s * A + a] = { action: a, state };
    }
    code[i] = s * A + list.actionOf[i]!;
  }
  return { values, code, meaning };
}

/** Rows whose id strings are touched ahead of writing them (see writeActionLines). */
const BATCH = 1024;
/** What the touching read: kept, so that it is not optimized away. */
let touchedIds = 0;

/**
 * Writes actions.csv (header first) into `sink`: the list's customers with their attribute
 * cells, as bytes (CsvRecordBytes: the bytes safeCsvLine gives). The cells from segment to
 * priority are encoded once per action and sleep state. Does not close the sink.
 */
export async function writeActionLines(sink: TextSink, list: ActionList, ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): Promise<void> {
  sink.write(safeCsvLine([...ACTION_COLUMNS, ...(attrs ? attrs.specs.map((s) => s.name) : [])]));
  const { values, code, meaning } = pack(list, ids.length, seg, clv, risk);
  const middle = meaning.map(({ action, state }) => {
    const x = list.actions[action]!;
    return cellBytes([x.segment, state, x.action, lang === 'zh' ? x.zh : x.en, String(x.priority)]);
  });
  const nAttrs = attrs ? attrs.specs.length : 0;
  const rows = list.rows;
  let touched = 0;
  const rec = new CsvRecordBytes();
  for (let k0 = 0; k0 < list.rows.length; k0 += BATCH) {
    const k1 = Math.min(k0 + BATCH, rows.length);
    // The id strings are scattered in memory: touched a batch ahead, the misses overlap.
    for (let k = k0; k < k1; k++) touched ^= ids[rows[k]!]!.length;
    for (let k = k0; k < k1; k++) {
      const i = rows[k]!;
      rec.id(ids[i]!);
      const m = middle[code[i]!]!;
      rec.cells(m, 0, m.length);
      rec.roundedOrEmpty(values[2 * i]!, 2);
      rec.roundedOrEmpty(values[2 * i + 1]!, 2);
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
  touchedIds = touched;
}
