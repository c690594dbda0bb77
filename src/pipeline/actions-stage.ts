/**
 * `run`'s actions.csv: the action list (core/actions) of the customer table, with the contact
 * attributes kept (every --keep column, as in the customer table: contacts are the purpose).
 * People-facing: text cells are spreadsheet-guarded.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import { actionList, type ActionList } from '../core/actions/action-list.js';
import { defaultActionTable, validateActionTable, type ActionTable } from '../core/actions/action-table.js';
import { formatRounded } from '../core/money.js';
import type { SegmentOptions, SegmentResult } from '../core/segment/classify.js';
import { SEGMENT11, ZH8_NAMES } from '../core/segment/rfm-segments.js';
import { safeCsvLine } from '../io/csv-format.js';
import { readExcludeList } from './exclude-list.js';

export const ACTION_COLUMNS = ['customer_id', 'segment', 'sleep_state', 'action', 'action_text', 'priority', 'value_at_risk', 'clv'] as const;

/** What run needs to write actions.csv: the table (null: the segment map has no default and no --actions was given) and the suppression list. */
export interface ActionSettings {
  table: ActionTable | null;
  suppress: ReadonlySet<string>;
  /** Why there is no table (a note), when table is null. */
  why?: string;
}

/** The segment names of the map in use. */
function segmentNames(map: NonNullable<SegmentOptions['rfm']>['map']): readonly string[] {
  if (map === 'zh8') return ZH8_NAMES;
  if (map === undefined || map === '11') return SEGMENT11;
  return map.names;
}

/** --actions FILE (validated against the map's segments) or the default table; --suppress FILE. Read before any work. */
export function actionSettingsFrom(o: Record<string, unknown>, segOpts: SegmentOptions): ActionSettings {
  const suppress = o.suppress ? readExcludeList(String(o.suppress)).ids : new Set<string>();
  const only = new Set(segOpts.only ?? ['rfm']);
  if (!only.has('rfm')) {
    if (o.actions) throw usageError('--actions needs RFM segments', 'drop --only, or add rfm to it');
    return { table: null, suppress, why: 'no RFM segments (--only without rfm)' };
  }
  const map = segOpts.rfm?.map;
  if (o.actions) {
    const file = String(o.actions);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw usageError(`--actions ${file}: cannot read a JSON action table (${(e as Error).message})`, 'docs/commands.md, "Action lists", shows the format');
    }
    const t = validateActionTable(json, segmentNames(map));
    if ('error' in t) throw usageError(`--actions ${file}: ${t.error}`, 'docs/commands.md, "Action lists", shows the format');
    return { table: t, suppress };
  }
  if (map !== undefined && map !== '11' && map !== 'zh8') return { table: null, suppress, why: 'a custom segment map has no default action table: give --actions FILE' };
  return { table: defaultActionTable(map === 'zh8' ? 'zh8' : '11'), suppress };
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
