/**
 * The action list: one row per customer whose segment has an action (action-table.ts), most
 * urgent first — by priority, then value at risk, then CLV (both descending), then customer id.
 * Excluded customers (`--exclude`, the blacklist) and suppressed ones (`--suppress`, opt-outs)
 * are never listed; suppressed customers stay in every other output.
 */
import type { ActionTable, SegmentAction } from './action-table.js';
import { NO_ACTION } from './action-table.js';

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
  rows: number[];
  /** The action of each listed row (same order). */
  actions: SegmentAction[];
  /** Customers left out because they are on the suppression list / the exclusion list. */
  suppressed: number;
  excluded: number;
  /** Customers whose segment's action is 'none'. */
  noAction: number;
}

const valueOr0 = (a: ArrayLike<number> | null, i: number): number => {
  const v = a ? a[i]! : NaN;
  return Number.isFinite(v) ? v : 0;
};

export function actionList(inp: ActionInput, table: ActionTable, suppress: ReadonlySet<string>, exclude: ReadonlySet<string>): ActionList {
  const rows: number[] = [];
  let suppressed = 0, excluded = 0, noAction = 0;
  for (let i = 0; i < inp.ids.length; i++) {
    const a = table.get(inp.segment(i));
    if (!a || a.action === NO_ACTION) {
      noAction++;
      continue;
    }
    const id = inp.ids[i]!;
    if (exclude.has(id)) excluded++;
    else if (suppress.has(id)) suppressed++;
    else rows.push(i);
  }
  // The sort keys, read once per customer (not once per comparison).
  const n = inp.ids.length;
  const pri = new Float64Array(n), risk = new Float64Array(n), clv = new Float64Array(n);
  for (const i of rows) {
    pri[i] = table.get(inp.segment(i))!.priority;
    risk[i] = valueOr0(inp.valueAtRisk, i);
    clv[i] = valueOr0(inp.clv, i);
  }
  const ids = inp.ids;
  rows.sort((x, y) => {
    const d = pri[x]! - pri[y]! || risk[y]! - risk[x]! || clv[y]! - clv[x]!;
    if (d !== 0) return d;
    const a = ids[x]!, b = ids[y]!;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return { rows, actions: rows.map((i) => table.get(inp.segment(i))!), suppressed, excluded, noAction };
}
