/**
 * The action list: one row per customer whose segment has an action (action-table.ts), most
 * urgent first — by priority, then value at risk, then CLV (both descending), then customer id
 * (action-order.ts). Excluded customers (`--exclude`, the blacklist) and suppressed ones
 * (`--suppress`, opt-outs) are never listed; suppressed customers stay in every other output.
 */
import type { ActionTable, SegmentAction } from './action-table.js';
import { NO_ACTION } from './action-table.js';
import { sortActionRows } from './action-order.js';

/** The per-customer columns the list is made from (table order; null: the column is absent). */
export interface ActionInput {
  ids: readonly string[];
  segment: (i: number) => string;
  sleepState: ((i: number) => string) | null;
  valueAtRisk: ArrayLike<number> | null;
  clv: ArrayLike<number> | null;
}

export interface ActionList {
  /** Table rows of the listed customers, in list order. */
  rows: Uint32Array;
  /** The table's actions, each once (listed ones and 'none'). */
  actions: readonly SegmentAction[];
  /** Per table row: its action's index in `actions` (rows not listed: any). */
  actionOf: Uint16Array;
  /** Customers left out because they are on the suppression list / the exclusion list. */
  suppressed: number;
  excluded: number;
  /** Customers whose segment's action is 'none'. */
  noAction: number;
}

export function actionList(inp: ActionInput, table: ActionTable, suppress: ReadonlySet<string>, exclude: ReadonlySet<string>): ActionList {
  const n = inp.ids.length;
  const actions = [...table.values()];
  const indexOf = new Map([...table.keys()].map((segment, k) => [segment, k]));
  // Priorities as ranks 0, 1, … (a table has a handful of actions).
  const priorities = [...new Set(actions.map((a) => a.priority))].sort((x, y) => x - y);
  const rankOf = actions.map((a) => priorities.indexOf(a.priority));
  const actionOf = new Uint16Array(n), rank = new Uint8Array(n);
  const listed = new Uint32Array(n);
  let m = 0, suppressed = 0, excluded = 0, noAction = 0;
  for (let i = 0; i < n; i++) {
    const k = indexOf.get(inp.segment(i));
    if (k === undefined || actions[k]!.action === NO_ACTION) {
      noAction++;
      continue;
    }
    const id = inp.ids[i]!;
    if (exclude.size && exclude.has(id)) excluded++;
    else if (suppress.size && suppress.has(id)) suppressed++;
    else {
      actionOf[i] = k;
      rank[i] = rankOf[k]!;
      listed[m++] = i;
    }
  }
  const rows = sortActionRows(listed.subarray(0, m), rank, inp.valueAtRisk, inp.clv, inp.ids);
  return { rows, actions, actionOf, suppressed, excluded, noAction };
}
