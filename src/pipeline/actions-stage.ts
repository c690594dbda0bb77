/**
 * `run`'s actions.csv: the action list (core/actions) of the customer table, with the contact
 * attributes kept (every --keep column, as in the customer table: contacts are the purpose).
 * People-facing: text cells are spreadsheet-guarded.
 */
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import { actionList, type ActionList } from '../core/actions/action-list.js';
import { type ActionTable } from '../core/actions/action-table.js';
import { formatRounded } from '../core/money.js';
import type { SegmentResult } from '../core/segment/classify.js';
import { safeCsvLine } from '../io/csv-format.js';

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

/** actions.csv's lines (header first): the list's customers with their attribute cells. */
export function* actionLines(list: ActionList, ids: readonly string[], seg: SegmentResult, clv: Float64Array | null, risk: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): Generator<string> {
  yield safeCsvLine([...ACTION_COLUMNS, ...(attrs ? attrs.specs.map((s) => s.name) : [])]);
  const sleep = seg.sleep;
  for (let k = 0; k < list.rows.length; k++) {
    const i = list.rows[k]!, a = list.actions[k]!;
    const cells = [
      ids[i]!,
      a.segment,
      sleep ? sleep.state[i]! : '',
      a.action,
      lang === 'zh' ? a.zh : a.en,
      String(a.priority),
      risk && Number.isFinite(risk[i]!) ? formatRounded(risk[i]!, 2) : '',
      clv && Number.isFinite(clv[i]!) ? formatRounded(clv[i]!, 2) : '',
    ];
    if (attrs) for (let j = 0; j < attrs.specs.length; j++) cells.push(attrs.text(j, i));
    yield safeCsvLine(cells);
  }
}
