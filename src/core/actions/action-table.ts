/**
 * The segment → action table behind `run`'s actions.csv: for every RFM segment of the map in
 * use, the action (a short code, with its text in English and Chinese) and its priority
 * (1 = first). The defaults cover the 11-segment map and the zh8 map (texts: the report's
 * recommended actions, i18n.ts ACTIONS); `--actions FILE` replaces them with a JSON table,
 * validated like a segment map: every segment of the map covered exactly once.
 */
import { ACTIONS } from '../report/i18n.js';
import { SEGMENT11_KEYS, ZH8_KEYS } from '../report/segment-keys.js';
import { SEGMENT11, ZH8_NAMES } from '../segment/rfm-segments.js';

/** The action of one segment; `action` 'none' leaves its customers out of the list. */
export interface SegmentAction {
  segment: string;
  action: string;
  priority: number;
  en: string;
  zh: string;
}

/** Segment name (as in the customer table's rfm_segment) → its action. */
export type ActionTable = ReadonlyMap<string, SegmentAction>;

export const NO_ACTION = 'none';
export const MAX_PRIORITY = 9;

/** [segment key, action code, priority] of the 11-segment map, in map order. */
const DEFAULT11: readonly [string, string, number][] = [
  ['champions', 'account_manager', 2],
  ['loyal', 'loyalty_upsell', 3],
  ['potential_loyalist', 'membership_offer', 3],
  ['new', 'welcome_series', 2],
  ['promising', 'brand_awareness', 4],
  ['need_attention', 'limited_time_offer', 3],
  ['about_to_sleep', 'reactivation_offer', 2],
  ['at_risk', 'win_back_offer', 1],
  ['cant_lose', 'personal_call', 1],
  ['hibernating', 'low_cost_reminder', 4],
  ['lost', 'last_reactivation', 5],
];

/** The same for the zh8 map (重要价值客户 …), in map order. */
const DEFAULT_ZH8: readonly [string, string, number][] = [
  ['important_value', 'account_manager', 2],
  ['important_develop', 'frequency_programme', 3],
  ['important_retain', 'personal_contact', 1],
  ['important_winback', 'personal_call', 1],
  ['general_value', 'cross_sell', 4],
  ['general_develop', 'welcome_series', 3],
  ['general_retain', 'automated_reminder', 4],
  ['general_winback', 'low_cost_reactivation', 5],
];

function tableOf(names: readonly string[], keys: readonly string[], rows: readonly [string, string, number][]): ActionTable {
  const m = new Map<string, SegmentAction>();
  rows.forEach(([key, action, priority], k) => {
    if (keys[k] !== key) throw new Error(`action table: row ${k} is ${key}, the map's key is ${keys[k]}`);
    const text = (ACTIONS as Record<string, { en: string; zh: string }>)[key]!;
    m.set(names[k]!, { segment: names[k]!, action, priority, en: text.en, zh: text.zh });
  });
  return m;
}

/** The default table of the 11-segment map ('11') or the zh8 map. */
export function defaultActionTable(map: '11' | 'zh8'): ActionTable {
  return map === 'zh8' ? tableOf(ZH8_NAMES, ZH8_KEYS, DEFAULT_ZH8) : tableOf(SEGMENT11, SEGMENT11_KEYS, DEFAULT11);
}

/**
 * Validates an actions JSON file against the segment names of the map in use:
 * `{"actions": [{"segment": "Champions", "action": "account_manager", "priority": 2, "text": "…", "text_zh": "…"}, …]}`.
 * Every segment exactly once; `action` a non-empty code ("none": no action, priority then optional);
 * `priority` a whole number 1…9; texts optional (default: the code). All problems in one message.
 */
export function validateActionTable(json: unknown, segments: readonly string[]): ActionTable | { error: string } {
  const j = json as { actions?: unknown } | null;
  if (j === null || typeof j !== 'object' || !Array.isArray(j.actions)) return { error: 'expected {"actions": [{"segment": …, "action": …, "priority": …}, …]}' };
  const problems: string[] = [];
  const m = new Map<string, SegmentAction>();
  const known = new Set(segments);
  (j.actions as unknown[]).forEach((raw, k) => {
    const e = raw as Record<string, unknown> | null;
    const where = `entry ${k + 1}`;
    if (e === null || typeof e !== 'object') return void problems.push(`${where}: not an object`);
    const seg = e.segment;
    if (typeof seg !== 'string' || seg === '') return void problems.push(`${where}: needs a "segment" name`);
    if (!known.has(seg)) return void problems.push(`${where}: "${seg}" is not a segment of the map in use`);
    if (m.has(seg)) return void problems.push(`${where}: "${seg}" is listed twice`);
    const action = e.action;
    if (typeof action !== 'string' || action.trim() === '') return void problems.push(`${where} "${seg}": needs an "action" (or "none")`);
    const none = action === NO_ACTION;
    const p = e.priority ?? (none ? MAX_PRIORITY : undefined);
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > MAX_PRIORITY) return void problems.push(`${where} "${seg}": "priority" must be a whole number from 1 to ${MAX_PRIORITY}`);
    for (const t of ['text', 'text_zh'] as const) if (e[t] !== undefined && typeof e[t] !== 'string') problems.push(`${where} "${seg}": "${t}" must be text`);
    const en = typeof e.text === 'string' ? e.text : action;
    m.set(seg, { segment: seg, action, priority: p, en, zh: typeof e.text_zh === 'string' ? e.text_zh : en });
  });
  const missing = segments.filter((s) => !m.has(s));
  if (missing.length) problems.push(`no action for segment${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${s}"`).join(', ')}`);
  return problems.length ? { error: problems.join('; ') } : m;
}
