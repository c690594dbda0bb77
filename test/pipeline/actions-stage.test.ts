import { describe, expect, it } from 'vitest';
import { actionList } from '../../src/core/actions/action-list.js';
import { defaultActionTable, validateActionTable, type ActionTable } from '../../src/core/actions/action-table.js';
import type { AttributeCells } from '../../src/core/aggregate/customer-attributes.js';
import { formatRounded } from '../../src/core/money.js';
import type { SegmentResult } from '../../src/core/segment/classify.js';
import { SEGMENT11 } from '../../src/core/segment/rfm-segments.js';
import { safeCsvLine } from '../../src/io/csv-format.js';
import { memorySink } from '../../src/io/text-output.js';
import { ACTION_COLUMNS, writeActionLines } from '../../src/pipeline/actions-stage.js';

/** actions.csv as a line of safeCsvLine per customer: what writeActionLines must give, byte for byte. */
function reference(table: ActionTable, ids: string[], segs: string[], sleep: string[] | null, risk: Float64Array | null, clv: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): string {
  const l = actionList({ ids, segment: (i) => segs[i]!, sleepState: null, valueAtRisk: risk, clv }, table, new Set(), new Set());
  const num = (a: Float64Array | null, i: number): string => (a && Number.isFinite(a[i]!) ? formatRounded(a[i]!, 2) : '');
  let out = safeCsvLine([...ACTION_COLUMNS, ...(attrs ? attrs.specs.map((s) => s.name) : [])]);
  for (const i of l.rows) {
    const a = table.get(segs[i]!)!;
    const cells = [ids[i]!, a.segment, sleep ? sleep[i]! : '', a.action, lang === 'zh' ? a.zh : a.en, String(a.priority), num(risk, i), num(clv, i)];
    if (attrs) for (let j = 0; j < attrs.specs.length; j++) cells.push(attrs.text(j, i));
    out += safeCsvLine(cells);
  }
  return out;
}

async function written(table: ActionTable, ids: string[], segs: string[], sleep: string[] | null, risk: Float64Array | null, clv: Float64Array | null, attrs: AttributeCells | null, lang: 'en' | 'zh'): Promise<string> {
  const l = actionList({ ids, segment: (i) => segs[i]!, sleepState: null, valueAtRisk: risk, clv }, table, new Set(), new Set());
  const sink = memorySink();
  await writeActionLines(sink, l, ids, { rfmSegment: segs, sleep: sleep ? { state: sleep } : null } as unknown as SegmentResult, clv, risk, attrs, lang);
  return sink.text();
}

describe('actions.csv lines', () => {
  // Cells that need the spreadsheet guard, quotes, or are not ASCII; numbers negative, huge, missing.
  const ids = ['=cmd', '-5', ' pad', 'a,b', 'q"x', 'é客户', '\u{1F600}', '007', '+1', 'plain'];
  const segs = ids.map((_, i) => SEGMENT11[i % SEGMENT11.length]!);
  const sleep = ids.map((_, i) => ['active', 'lost', 'deep-sleep'][i % 3]!);
  const risk = Float64Array.from([1.005, -2.5, 0, NaN, 1e20, 3, 3, -0, Infinity, 12.345]);
  const clv = Float64Array.from([10, 10, NaN, 5, 2e15, 7.1, 7.1, 0, 1, -3]);
  const channel = ['=HYPERLINK("x")', 'web', '', 'a\nb', '@x', 'app', '店铺', ' web', '-', 'x,y'];
  const attrs: AttributeCells = { specs: [{ name: 'channel', rule: 'last' }] as AttributeCells['specs'], text: (_k, i) => channel[i]!, isText: () => true };

  for (const lang of ['en', 'zh'] as const) {
    it(`are the bytes of safeCsvLine for each listed customer (${lang}, with and without attributes and sleep states)`, async () => {
      const table = defaultActionTable('11');
      for (const [a, s] of [[attrs, sleep], [null, null]] as const) {
        expect(await written(table, ids, segs, s, risk, clv, a, lang)).toBe(reference(table, ids, segs, s, risk, clv, a, lang));
      }
      expect(await written(table, ids, segs, sleep, null, null, null, lang)).toBe(reference(table, ids, segs, sleep, null, null, null, lang));
    });
  }

  it('writes texts of a replacement table that need quotes or the guard as safeCsvLine does', async () => {
    const t = validateActionTable({ actions: SEGMENT11.map((s, k) => ({ segment: s, action: k % 2 ? '=act' : 'call, now', priority: 1 + (k % 3), text: 'Say "hi", then -go', text_zh: '你好' })) }, SEGMENT11);
    if ('error' in t) throw new Error(t.error);
    expect(await written(t, ids, segs, sleep, risk, clv, attrs, 'en')).toBe(reference(t, ids, segs, sleep, risk, clv, attrs, 'en'));
  });
});
