import { describe, expect, it } from 'vitest';
import { actionList } from '../../../src/core/actions/action-list.js';
import { defaultActionTable, validateActionTable } from '../../../src/core/actions/action-table.js';
import { SEGMENT11, ZH8_NAMES } from '../../../src/core/segment/rfm-segments.js';

describe('action table', () => {
  it('the default tables cover every segment of the 11-map and of zh8 once, in English and Chinese', () => {
    for (const [map, names] of [['11', SEGMENT11], ['zh8', ZH8_NAMES]] as const) {
      const t = defaultActionTable(map);
      expect([...t.keys()].sort()).toEqual([...names].sort());
      for (const a of t.values()) {
        expect(a.action).toMatch(/^[a-z_]+$/);
        expect(a.priority).toBeGreaterThanOrEqual(1);
        expect(a.en.length).toBeGreaterThan(0);
        expect(a.zh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(defaultActionTable('11').get("Can't Lose Them")).toMatchObject({ action: 'personal_call', priority: 1 });
    expect(defaultActionTable('zh8').get('重要挽留客户')).toMatchObject({ action: 'personal_call', priority: 1 });
    expect(defaultActionTable('11').get('New')).toMatchObject({ action: 'welcome_series' });
  });

  it('a replacement table must cover every segment exactly once', () => {
    const segs = ['Top', 'Rest'];
    const ok = validateActionTable({ actions: [{ segment: 'Top', action: 'call', priority: 1, text: 'Call them', text_zh: '电话' }, { segment: 'Rest', action: 'none' }] }, segs);
    expect(ok instanceof Map && ok.get('Top')).toEqual({ segment: 'Top', action: 'call', priority: 1, en: 'Call them', zh: '电话' });
    const bad = validateActionTable({ actions: [{ segment: 'Top', action: 'call', priority: 1 }, { segment: 'Top', action: 'mail', priority: 2 }, { segment: 'Else', action: 'x', priority: 1 }, { segment: 'Rest', action: 'x', priority: 0 }] }, segs);
    expect('error' in bad && bad.error).toBe(
      'entry 2: "Top" is listed twice; entry 3: "Else" is not a segment of the map in use; entry 4 "Rest": "priority" must be a whole number from 1 to 9; no action for segment "Rest"',
    );
    expect(validateActionTable([], segs)).toMatchObject({ error: expect.stringContaining('expected {"actions"') });
  });
});

describe('action list', () => {
  const table = validateActionTable(
    { actions: [{ segment: 'Hot', action: 'call', priority: 1 }, { segment: 'Warm', action: 'mail', priority: 2 }, { segment: 'Cold', action: 'none' }] },
    ['Hot', 'Warm', 'Cold'],
  );
  if ('error' in table) throw new Error(table.error);
  const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  const seg = ['Warm', 'Hot', 'Hot', 'Cold', 'Hot', 'Warm'];
  const inp = { ids, segment: (i: number) => seg[i]!, sleepState: null, valueAtRisk: [5, 10, 10, 99, 50, 5], clv: [1, 2, 3, 4, 5, NaN] };

  it('lists customers by priority, then value at risk, then CLV, then id; segments without an action are left out', () => {
    const l = actionList(inp, table, new Set(), new Set());
    expect(Array.from(l.rows, (i) => ids[i])).toEqual(['c5', 'c3', 'c2', 'c1', 'c6']);
    expect(Array.from(l.rows, (i) => l.actions[l.actionOf[i]!]!.action)).toEqual(['call', 'call', 'call', 'mail', 'mail']);
    expect(l.noAction).toBe(1);
  });
  it('suppressed and excluded customers are never listed, and counted', () => {
    const l = actionList(inp, table, new Set(['c5', 'c4']), new Set(['c2']));
    expect(Array.from(l.rows, (i) => ids[i])).toEqual(['c3', 'c1', 'c6']);
    expect([l.suppressed, l.excluded, l.noAction]).toEqual([1, 1, 1]);
  });
});
