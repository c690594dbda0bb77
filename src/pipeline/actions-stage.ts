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
import { CsvRecordBytes, RECORD_BLOCK } from '../io/csv-record-bytes.js';
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

/** The bytes of `cells` (people-facing, as safeCsvLine writes them), joined by commas, without a line end. */
function cellBytes(cells: readonly string[]): Uint8Array {
  const rec = new CsvRecordBytes();
  for (const c of cells) rec.text(c);
  return rec.bytes.slice(0, rec.length);
}

/** Words of a customer's record: value at risk, CLV, the middle cells' code, padding (32 bytes: one cache line). */
const STRIDE = 4;

/**
 * Each customer's record, side by side: value at risk, CLV (NaN: none) and the middle cells'
 * code (action and sleep state), made in table order, where the columns are read in order: in
 * list order, scattered over the table, a customer then costs one cache line instead of four.
 */
interface Packed {
  records: Float64Array;
  /** Per code: its action's index and the sleep state. */
  meaning: { action: number; state: string }[];
}

function pack(list: ActionList, n: number, seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null): Packed {
  const records = new Float64Array(STRIDE * n), meaning: Packed['meaning'] = [];
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
    records[STRIDE * i] = risk ? risk[i]! : NaN;
    records[STRIDE * i + 1] = clv ? clv[i]! : NaN;
    records[STRIDE * i + 2] = s * A + list.actionOf[i]!;
  }
  return { records, meaning };
}

/** Rows gathered at a time (see Batch). */
const BATCH = 1024;

/**
 * A batch of listed rows' packed cells, gathered from table order in tight loops: loads that
 * do not wait on each other let the cache misses overlap (in the writing loop, a row at a time,
 * each waited for the next). The id strings are touched for the same reason.
 */
class Batch {
  n = 0;
  code = new Uint32Array(BATCH);
  values = new Float64Array(2 * BATCH);
  attr: string[][];
  /** What the touching read, kept so that it is not optimized away. */
  touched = 0;
  constructor(nAttrs: number) {
    this.attr = Array.from({ length: nAttrs }, () => new Array<string>(BATCH).fill(''));
  }

  gather(rows: Uint32Array, k0: number, p: Packed, ids: readonly string[], attrs: AttributeCells | null): void {
    this.n = Math.min(BATCH, rows.length - k0);
    const n = this.n, code = this.code, values = this.values;
    for (let k = 0; k < n; k++) {
      const at = STRIDE * rows[k0 + k]!;
      values[2 * k] = p.records[at]!;
      values[2 * k + 1] = p.records[at + 1]!;
      code[k] = p.records[at + 2]!;
    }
    let touched = this.touched;
    for (let k = 0; k < n; k++) touched ^= ids[rows[k0 + k]!]!.length;
    this.touched = touched;
    for (let j = 0; j < this.attr.length; j++) {
      const cells = this.attr[j]!;
      for (let k = 0; k < n; k++) cells[k] = attrs!.text(j, rows[k0 + k]!);
    }
  }
}

/**
 * Writes actions.csv (header first) into `sink`: the list's customers with their attribute
 * cells, as bytes (CsvRecordBytes: the bytes safeCsvLine gives). The cells from segment to
 * priority are encoded once per action and sleep state. Does not close the sink.
 */
export async function writeActionLines(sink: TextSink, list: ActionList, ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): Promise<void> {
  sink.write(safeCsvLine([...ACTION_COLUMNS, ...(attrs ? attrs.specs.map((s) => s.name) : [])]));
  const packed = pack(list, ids.length, seg, clv, risk);
  const middle = packed.meaning.map(({ action, state }) => {
    const x = list.actions[action]!;
    return cellBytes([x.segment, state, x.action, lang === 'zh' ? x.zh : x.en, String(x.priority)]);
  });
  const nAttrs = attrs ? attrs.specs.length : 0;
  const rows = list.rows;
  const b = new Batch(nAttrs);
  const rec = new CsvRecordBytes();
  for (let k0 = 0; k0 < rows.length; k0 += BATCH) {
    b.gather(rows, k0, packed, ids, attrs);
    for (let k = 0; k < b.n; k++) {
      rec.id(ids[rows[k0 + k]!]!);
      const m = middle[b.code[k]!]!;
      rec.cells(m, 0, m.length);
      rec.roundedOrEmpty(b.values[2 * k]!, 2);
      rec.roundedOrEmpty(b.values[2 * k + 1]!, 2);
      for (let j = 0; j < nAttrs; j++) rec.text(b.attr[j]![k]!);
      rec.end();
    }
    if (rec.length >= RECORD_BLOCK) {
      rec.handTo(sink);
      await sink.drain();
    }
  }
  rec.handTo(sink);
}
