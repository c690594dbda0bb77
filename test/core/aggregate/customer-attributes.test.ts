import { describe, expect, it } from 'vitest';
import { CustomerAccumulator } from '../../../src/core/aggregate/customer-accumulator.js';
import { attrSpecs, AttrValueError, CustomerAttributes, parseAttrOption, type AttrSpec } from '../../../src/core/aggregate/customer-attributes.js';

/** [customer, day, amount, country, discount] */
type Row = [string, number, number, string, string];
const ROWS: Row[] = [
  ['a', 10, 5, 'DE', '1.5'],
  ['b', 11, 7, 'FR', ''],
  ['a', 12, 9, 'FR', '2'],
  ['a', 12, 1, 'AT', '0.25'], // same day as the row before: `last` takes this one (later in the stream)
  ['b', 9, 3, '', 'x'], // empty country skipped; 'x' only in a text column here
  ['a', 13, 2, '', ''], // empty cells never erase a value
  ['c', 14, -4, 'IT', '3'], // a refund-only customer
];

const SPECS = (rule: string, dRule = 'sum'): AttrSpec[] => [
  { name: 'country', rule: rule as AttrSpec['rule'] },
  { name: 'discount', rule: dRule as AttrSpec['rule'] },
];

function accumulate(rows: Row[], specs: AttrSpec[]): CustomerAccumulator {
  const acc = new CustomerAccumulator(4).keepAttributes(specs);
  for (const [id, day, amount, c, d] of rows) acc.add(id, day, amount, [c, d === 'x' ? '' : d]);
  return acc;
}

/** id → [country cell, discount cell] in the summaries' order. */
function cells(acc: CustomerAccumulator): Record<string, [string, string]> {
  const r = acc.summariesWithAttributes(20);
  const out: Record<string, [string, string]> = {};
  r.summaries.forEach((s, i) => (out[s.customerId] = [r.attributes!.text(0, i), r.attributes!.text(1, i)]));
  return out;
}

describe('customer attributes: rules', () => {
  it('last (default): the latest order’s value, the later row on a tie; sum over numeric cells', () => {
    expect(cells(accumulate(ROWS, SPECS('last')))).toEqual({ a: ['AT', '3.75'], b: ['FR', ''] });
  });
  it('first: the earliest order’s value', () => {
    expect(cells(accumulate(ROWS, SPECS('first', 'mean')))).toEqual({ a: ['DE', '1.25'], b: ['FR', ''] });
  });
  it('mode: the most frequent value, ties to the smallest; distinct-count counts values', () => {
    const rows: Row[] = [['a', 1, 1, 'FR', ''], ['a', 2, 1, 'DE', ''], ['a', 3, 1, 'FR', ''], ['b', 1, 1, 'ZZ', ''], ['b', 2, 1, 'AA', '']];
    expect(cells(accumulate(rows, SPECS('mode')))).toEqual({ a: ['FR', ''], b: ['AA', ''] });
    expect(cells(accumulate(rows, SPECS('distinct-count')))).toEqual({ a: ['2', ''], b: ['2', ''] });
    expect(cells(accumulate([['a', 1, 1, '', '']], SPECS('distinct-count')))).toEqual({ a: ['0', ''] });
  });
  it('refund-only customers get no row (as without attributes)', () => {
    expect(Object.keys(cells(accumulate(ROWS, SPECS('last'))))).toEqual(['a', 'b']);
  });
});

describe('customer attributes: merging shares', () => {
  for (const rule of ['first', 'last', 'mode', 'distinct-count'] as const) {
    for (const dRule of ['sum', 'mean'] as const) {
      it(`${rule} / ${dRule}: every split of the stream, merged in order, equals one pass`, () => {
        const whole = cells(accumulate(ROWS, SPECS(rule, dRule)));
        for (let k = 0; k <= ROWS.length; k++) {
          const a = accumulate(ROWS.slice(0, k), SPECS(rule, dRule));
          const b = accumulate(ROWS.slice(k), SPECS(rule, dRule));
          const merged = CustomerAccumulator.fromState(a.toState());
          merged.merge(CustomerAccumulator.fromState(b.toState()));
          expect(cells(merged), `split at ${k}`).toEqual(whole);
        }
      });
    }
  }
});

describe('customer attributes: values and options', () => {
  it('a sum column with a value that is not a number fails, naming the column', () => {
    const a = new CustomerAttributes(SPECS('last'));
    expect(() => a.check(['DE', '12.5'])).not.toThrow();
    expect(() => a.check(['DE', ''])).not.toThrow();
    expect(() => a.check(['DE', 'ten'])).toThrow(AttrValueError);
    expect(() => a.check(['DE', 'ten'])).toThrow('attribute discount: "ten" is not a number');
  });
  it('--attr: every kept column gets a rule (default last); unknown columns and rules are errors', () => {
    expect(attrSpecs(['country', 'discount'], { discount: 'sum' })).toEqual([{ name: 'country', rule: 'last' }, { name: 'discount', rule: 'sum' }]);
    expect(attrSpecs(['country'], { region: 'mode' })).toMatchObject({ error: expect.stringContaining('no kept column region (kept: country)') });
    expect(attrSpecs(['country'], { country: 'median' })).toMatchObject({ error: expect.stringContaining('unknown rule') });
    expect(parseAttrOption(['country=mode', 'a=b=sum'])).toEqual({ country: 'mode', 'a=b': 'sum' });
    expect(parseAttrOption(['country'])).toMatchObject({ error: 'bad --attr entry "country"' });
  });
});

describe('first-purchase attribute values (key indicators)', () => {
  /** [customer, day, amount, channel]: out of date order, a refund before the first purchase, an empty first cell. */
  const rows: [string, number, number, string][] = [
    ['a', 20, 5, 'late'],
    ['a', 10, 5, 'first'],
    ['a', 10, 5, 'same-day-later'], // the first row of the first day wins
    ['a', 5, -3, 'refund'], // a refund is no purchase
    ['b', 7, 4, ''], // an empty cell on the first purchase is its value
    ['b', 8, 4, 'later'],
  ];
  const acc = (part: typeof rows): CustomerAccumulator => {
    const a = new CustomerAccumulator().keepAttributes([{ name: 'channel', rule: 'last' }]);
    a.trackCohorts('month');
    for (const [c, d, amt, ch] of part) a.add(c, d, amt, [ch]);
    return a;
  };
  const values = (a: CustomerAccumulator): Record<string, string> => {
    const f = a.firstPurchases();
    expect(f.firstAttributes.map((x) => x.name)).toEqual(['channel']);
    return Object.fromEntries(f.ids.map((id, j) => [id, f.firstAttributes[0]!.values[j]!]));
  };

  it('are the first purchase\'s own values, in one pass, split and merged, or through toState', () => {
    const whole = acc(rows);
    expect(values(whole)).toEqual({ a: 'first', b: '' });
    for (let cut = 1; cut < rows.length; cut++) {
      const left = acc(rows.slice(0, cut));
      left.merge(acc(rows.slice(cut)));
      expect(values(left), `split at ${cut}`).toEqual({ a: 'first', b: '' });
    }
    expect(values(CustomerAccumulator.fromState(whole.toState()))).toEqual({ a: 'first', b: '' });
  });

  it('are not kept without cohorts', () => {
    const a = new CustomerAccumulator().keepAttributes([{ name: 'channel', rule: 'last' }]);
    a.add('a', 1, 1, ['x']);
    expect(a.firstPurchases().firstAttributes).toEqual([]);
  });
});

describe('customer attributes: several first/last columns (one record per customer)', () => {
  /** Rows for 300 customers (the arrays grow past their first capacity), values by a fixed pattern. */
  const rows: [string, number, string[]][] = [];
  for (let r = 0; r < 3000; r++) rows.push([`c${(r * 37) % 300}`, (r * 13) % 50, [`x${r % 7}`, r % 5 === 0 ? '' : `y${r % 3}`, `z${r % 11}`, `m${r % 2}`]]);
  const specs: AttrSpec[] = [{ name: 'x', rule: 'first' }, { name: 'y', rule: 'last' }, { name: 'z', rule: 'last' }, { name: 'm', rule: 'mode' }];

  /** The rules computed directly from the rows (empty cells skipped; ties: first keeps the earlier row, last takes the later). */
  function reference(): Record<string, string[]> {
    const out: Record<string, { v: string; d: number }[]> = {};
    const modes: Record<string, Map<string, number>> = {};
    for (const [id, day, vals] of rows) {
      const cur = (out[id] ??= specs.map(() => ({ v: '', d: 0 })));
      vals.slice(0, 3).forEach((v, k) => {
        if (v === '') return;
        const c = cur[k]!;
        if (c.v === '' || (k === 0 ? day < c.d : day >= c.d)) cur[k] = { v, d: day };
      });
      const m = (modes[id] ??= new Map());
      m.set(vals[3]!, (m.get(vals[3]!) ?? 0) + 1);
    }
    const res: Record<string, string[]> = {};
    for (const [id, cur] of Object.entries(out)) {
      const m = [...modes[id]!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
      res[id] = [cur[0]!.v, cur[1]!.v, cur[2]!.v, m];
    }
    return res;
  }

  function values(acc: CustomerAccumulator): Record<string, string[]> {
    const r = acc.summariesWithAttributes(60);
    const out: Record<string, string[]> = {};
    r.summaries.forEach((s, i) => (out[s.customerId] = specs.map((_, k) => r.attributes!.text(k, i))));
    return out;
  }

  const accumulate = (part: typeof rows): CustomerAccumulator => {
    const acc = new CustomerAccumulator(4).keepAttributes(specs);
    for (const [id, day, vals] of part) acc.add(id, day, 1, vals);
    return acc;
  };

  it('each column keeps its own value, in one pass and split, merged and through toState', () => {
    const want = reference();
    expect(Object.keys(want).length).toBe(300);
    expect(values(accumulate(rows))).toEqual(want);
    for (const k of [1, 1234, 2999]) {
      const merged = CustomerAccumulator.fromState(accumulate(rows.slice(0, k)).toState());
      merged.merge(CustomerAccumulator.fromState(accumulate(rows.slice(k)).toState()));
      expect(values(merged), `split at ${k}`).toEqual(want);
    }
  });
});
