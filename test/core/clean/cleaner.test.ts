/**
 * The Cleaner rule by rule. Every expected audit is hand-computed in the comment above it;
 * outliers are 'off' unless the test is about them (so the fence does not interfere).
 */
import { describe, it, expect } from 'vitest';
import { reconciles, type Reason } from '../../../src/core/clean/audit.js';
import { cleanAll, schemaOfLines } from '../../../src/core/clean/clean-all.js';
import type { CleanOptions } from '../../../src/core/clean/clean-options.js';
import { Cleaner } from '../../../src/core/clean/cleaner.js';
import type { Transaction } from '../../../src/core/types.js';
import { D, L } from './tx.js';

const run = (lines: Transaction[], o: CleanOptions = {}) => cleanAll(lines, { outliers: 'off', ...o });
const removedBy = (r: ReturnType<typeof run>): Partial<Record<Reason, number>> => {
  const out: Partial<Record<Reason, number>> = {};
  for (const [k, v] of Object.entries(r.audit.removed)) if (v > 0) out[k as Reason] = v;
  return out;
};
const brief = (t: Transaction) => [t.customerId, t.orderId, t.amount];

describe('duplicates', () => {
  it('a line equal in every field to an earlier one is removed; one differing field keeps it', () => {
    // 5 lines: A/1 10, A/1 10 (dup), A/1 10 item x (kept: item differs), B/2 10, B/2 10 (dup).
    // Orders: A/1 = 10 + 10 = 20 (2 lines, folded 1), B/2 = 10. rows_in 5 = rows_out 2 + folded 1 + duplicate 2.
    const lines = [L('A', '1', 1, 10), L('A', '1', 1, 10), L('A', '1', 1, 10, { item: 'x' }), L('B', '2', 1, 10), L('B', '2', 1, 10)];
    const r = run(lines);
    expect(r.rows.map(brief)).toEqual([['A', '1', 20], ['B', '2', 10]]);
    expect([r.audit.rows_in, r.audit.rows_out, r.audit.folded, removedBy(r)]).toEqual([5, 2, 1, { duplicate: 2 }]);
    expect(r.removed.map((x) => [x.line, x.reason])).toEqual([[3, 'duplicate'], [6, 'duplicate']]); // line = index + 2
  });
  it('dims, time, status and quantity are part of the identity', () => {
    const base = L('A', '1', 1, 10, { quantity: 1, time: '10:00:00', status: 'paid', dims: ['UK'] });
    const lines = [base, { ...base, dims: ['FR'] }, { ...base, time: '10:00:01' }, { ...base, status: 'Paid' }, { ...base, quantity: 2 }, { ...base, day: D(2) }, { ...base }];
    expect(run(lines).audit.removed.duplicate).toBe(1); // only the last, an exact copy
  });
});

describe('order folding', () => {
  it('sums amount and quantity, earliest (day, time), first purchase status, item null when mixed, first dims', () => {
    // 10 + 5 + 2.5 = 17.5; quantity 1 + null + 2 = 3; earliest (day, time) = (day 4, 09:00);
    // items p, q, p → mixed → null; status of the first line 'paid'; dims of the first line.
    const lines = [
      L('A', '1', 5, 10, { quantity: 1, time: '10:00:00', item: 'p', status: 'paid', dims: ['UK'] }),
      L('A', '1', 4, 5, { time: '12:00:00', item: 'q', status: 'shipped', dims: ['FR'] }),
      L('A', '1', 4, 2.5, { quantity: 2, time: '09:00:00', item: 'p', dims: ['DE'] }),
    ];
    const r = run(lines);
    expect(r.rows).toEqual([{ customerId: 'A', orderId: '1', day: D(4), amount: 17.5, quantity: 3, status: 'paid', time: '09:00:00', item: null, dims: ['UK'] }]);
    expect([r.audit.rows_out, r.audit.folded, r.audit.orders_out, r.audit.customers_out]).toEqual([1, 2, 1, 1]);
  });
  it('one item kept when all lines share it; quantity null when all null; a missing time sorts after times', () => {
    const r = run([L('A', '1', 3, 1, { item: 'p' }), L('A', '1', 3, 2, { item: 'p', time: '23:59:59' })]);
    expect(r.rows[0]).toMatchObject({ amount: 3, quantity: null, item: 'p', time: '23:59:59' });
  });
  it('same order id, different customers: two orders', () => {
    expect(run([L('A', '1', 1, 1), L('B', '1', 1, 2)]).rows.map(brief)).toEqual([['A', '1', 1], ['B', '1', 2]]);
  });
  it('a non-adjacent line folds while its order is open; emission in first-seen order', () => {
    // A/1, B/2, A/1 → A/1 = 3 (folded 1), then B/2.
    const r = run([L('A', '1', 1, 1), L('B', '2', 1, 5), L('A', '1', 1, 2)]);
    expect(r.rows.map(brief)).toEqual([['A', '1', 3], ['B', '2', 5]]);
    expect(r.audit.folded).toBe(1);
  });
  it('fold window 2: a line of an order already emitted becomes a late row', () => {
    // A/1 B/2 open; C/3 opens → A/1 (oldest) emitted; A/1 again: late, reopens and evicts B/2;
    // finish emits C/3 then late A/1. rows_out 4, orders_out 3, late_order_lines 1, folded 0.
    const r = run([L('A', '1', 1, 1), L('B', '2', 1, 2), L('C', '3', 1, 3), L('A', '1', 2, 4)], { foldWindow: 2 });
    expect(r.rows.map(brief)).toEqual([['A', '1', 1], ['B', '2', 2], ['C', '3', 3], ['A', '1', 4]]);
    expect([r.audit.rows_out, r.audit.orders_out, r.audit.late_order_lines, r.audit.folded, r.audit.customers_out]).toEqual([4, 3, 1, 0, 3]);
    expect(reconciles(r.audit)).toBe(true);
    // With the default window the same lines fold: A/1 = 5.
    expect(run([L('A', '1', 1, 1), L('B', '2', 1, 2), L('C', '3', 1, 3), L('A', '1', 2, 4)]).rows.map(brief)).toEqual([['A', '1', 5], ['B', '2', 2], ['C', '3', 3]]);
  });
  it('rejects a fold window below 1', () => {
    expect(() => new Cleaner({ foldWindow: 0 }, () => {})).toThrow(RangeError);
  });
});

// The returns scenario (10 lines):
//   P1: purchase 30, return −30            → net 0 with purchase + return  → fully_refunded (2 lines)
//   P2: purchase 50, return −20            → partial refund: 30, folded 1
//   C100: −15 (C-invoice, own order)       → standalone return row −15
//   S1: +40 status 'cancelled', alone      → status-only, no purchase      → cancelled (1 line)
//   S2: purchase 25, +25 status 'refunded' → refund line negated, net 0   → fully_refunded (2 lines)
//   S3: purchase 60, +10 status 'Refund'   → negated: 50, folded 1, amount_negated 10
const RET = [
  L('A', 'P1', 1, 30), L('A', 'P1', 2, -30),
  L('A', 'P2', 1, 50, { quantity: 5 }), L('A', 'P2', 3, -20, { quantity: -2 }),
  L('B', 'C100', 2, -15),
  L('B', 'S1', 2, 40, { status: 'cancelled' }),
  L('C', 'S2', 3, 25, { status: 'paid' }), L('C', 'S2', 4, 25, { status: 'refunded' }),
  L('C', 'S3', 3, 60, { status: 'paid', quantity: 3 }), L('C', 'S3', 5, 10, { status: 'Refund', quantity: 1 }),
];

describe('returns', () => {
  it("'net' (default): fully refunded and status-only orders removed, partial refunds and C-invoices kept", () => {
    // rows_out 3 (P2 30, C100 −15, S3 50), folded 2 (P2, S3), removed fully_refunded 4, cancelled 1: 3 + 2 + 5 = 10.
    // amount_in = 30 − 30 + 50 − 20 − 15 + 40 + 25 + 25 + 60 + 10 = 175; amount_removed = 0 + 40 + 50 = 90;
    // amount_negated = 10 (S3); amount_out = 175 − 90 − 2·10 = 65 = 30 − 15 + 50.
    const r = run(RET);
    expect(r.rows.map(brief)).toEqual([['A', 'P2', 30], ['B', 'C100', -15], ['C', 'S3', 50]]);
    expect(r.rows[0]!.quantity).toBe(3); // 5 − 2
    expect(r.rows[2]).toMatchObject({ quantity: 2, status: 'paid', day: D(3) }); // 3 − 1 (negated); purchase status kept
    expect(removedBy(r)).toEqual({ fully_refunded: 4, cancelled: 1 });
    expect(r.audit).toMatchObject({ rows_in: 10, rows_out: 3, folded: 2, amount_in: 175, amount_removed: 90, amount_negated: 10, amount_out: 65, customers_out: 3 });
    expect(reconciles(r.audit)).toBe(true);
    // Removed rows are reported per input line, with their own line numbers.
    expect(r.removed.map((x) => [x.tx.orderId, x.reason, x.line])).toEqual([
      ['P1', 'fully_refunded', 2], ['P1', 'fully_refunded', 3], ['S1', 'cancelled', 7], ['S2', 'fully_refunded', 8], ['S2', 'fully_refunded', 9],
    ]);
  });
  it("'drop': every return line removed — cancelled for cancel statuses and C-invoices, returned otherwise", () => {
    // Removed: P1 −30 returned, P2 −20 returned, C100 cancelled, S1 cancelled, S2 'refunded' returned,
    // S3 'Refund' returned → returned 4, cancelled 2. Out: P1 30, P2 50, S2 25, S3 60 → 4 rows, folded 0.
    const r = run(RET, { returns: 'drop' });
    expect(r.rows.map(brief)).toEqual([['A', 'P1', 30], ['A', 'P2', 50], ['C', 'S2', 25], ['C', 'S3', 60]]);
    expect(removedBy(r)).toEqual({ cancelled: 2, returned: 4 });
    expect([r.audit.rows_out, r.audit.folded, r.audit.amount_out, r.audit.amount_removed]).toEqual([4, 0, 165, 10]);
  });
  it("'keep': nothing removed, amounts as they are", () => {
    // P1 0, P2 30, C100 −15, S1 40, S2 50, S3 70: 6 rows, folded 4, Σ 175 = amount_in.
    const r = run(RET, { returns: 'keep' });
    expect(r.rows.map(brief)).toEqual([['A', 'P1', 0], ['A', 'P2', 30], ['B', 'C100', -15], ['B', 'S1', 40], ['C', 'S2', 50], ['C', 'S3', 70]]);
    expect([r.audit.rows_out, r.audit.folded, r.audit.rows_removed, r.audit.amount_out]).toEqual([6, 4, 0, 175]);
  });
  it('a return exceeding its purchase is fully refunded too (net < 0); a return-only order with a negative line stays', () => {
    // X: 10 − 12 = −2 ≤ 0 with purchase and return → fully_refunded. Y: +5 'refund' (status-only, negated) and −5 → −10 standalone.
    const r = run([L('A', 'X', 1, 10), L('A', 'X', 1, -12), L('A', 'Y', 1, 5, { status: 'refund' }), L('A', 'Y', 1, -5)]);
    expect(r.rows.map(brief)).toEqual([['A', 'Y', -10]]);
    expect(r.audit.removed.fully_refunded).toBe(2);
    expect(r.audit.amount_negated).toBe(5);
  });
  it('cleaning the cleaned rows again changes nothing (net)', () => {
    const once = run(RET).rows;
    const twice = run(once);
    expect(twice.rows).toEqual(once);
    expect(twice.audit.rows_removed).toBe(0);
  });
});

describe('guests and exclusions', () => {
  const lines = [L('', '1', 1, 1), L(' Guest ', '2', 1, 2), L('匿名', '3', 1, 3), L('test', '4', 1, 4), L('X1', '5', 1, 5), L('17850', '6', 1, 6), L(' X1 ', '7', 1, 7)];
  it("'drop' (default): placeholder ids → guest; exclude set → excluded (exact or trimmed)", () => {
    // guest: '', ' Guest ', '匿名' = 3; excluded: 'X1', ' X1 ' = 2; kept: test, 17850.
    const r = run(lines, { exclude: new Set(['X1']) });
    expect(r.rows.map((t) => t.customerId)).toEqual(['test', '17850']);
    expect(removedBy(r)).toEqual({ guest: 3, excluded: 2 });
    expect(r.audit.options.excluded_ids).toBe(1);
  });
  it("'keep': guest rows pass", () => {
    expect(run(lines, { guests: 'keep' }).audit.rows_out).toBe(7);
  });
});

describe('date window', () => {
  it('since / until inclusive; as-of inclusive; one reason per line in rule order', () => {
    // Days 1..6 with since 2, until 5, asOf 4: day 1 before_since; day 6 after_until (checked before as-of);
    // day 5 after_as_of; days 2, 3, 4 kept.
    const lines = [1, 2, 3, 4, 5, 6].map((d) => L('A', 'o' + d, d, d));
    const r = run(lines, { since: D(2), until: D(5), asOf: D(4) });
    expect(r.rows.map((t) => t.amount)).toEqual([2, 3, 4]);
    expect(removedBy(r)).toEqual({ before_since: 1, after_until: 1, after_as_of: 1 });
    expect(r.audit.options).toMatchObject({ since: '2024-01-02', until: '2024-01-05', as_of: '2024-01-04' });
  });
  it('applies per line before folding: a refund after as-of is not netted', () => {
    // Order Z: 40 on day 1, −40 on day 9; asOf day 5 → the refund line is after_as_of, Z stays 40.
    const r = run([L('A', 'Z', 1, 40), L('A', 'Z', 9, -40)], { asOf: D(5) });
    expect(r.rows.map(brief)).toEqual([['A', 'Z', 40]]);
    expect(removedBy(r)).toEqual({ after_as_of: 1 });
  });
  it('guest wins over the window, the window over duplicates', () => {
    // '' on day 9 → guest (rule 1); A/1 day 9 twice → after_as_of both (rule 3 before rule 4).
    const r = run([L('', '1', 9, 1), L('A', '1', 9, 1), L('A', '1', 9, 1)], { asOf: D(5) });
    expect(removedBy(r)).toEqual({ guest: 1, after_as_of: 2 });
  });
});

describe('outliers', () => {
  // Ten orders 10, 11, …, 19 and one of 1,000 (all single-line). Bins ⌊(ln a + 14)·1000⌋:
  // n = 11, lower-median rank 6 → amount 15, ln 15 = 2.70805 → bin 16708, median = 2.7085 (bin centre).
  // Bin distances from 16708: 15→0, 16→64, 14→69, 17→125, 13→143, 18→182, 12→223, 19→236, 11→310,
  // 10→405, 1000→4199; the 6th smallest is 182 → MAD = 0.182. Fence in bins: 16708.5 + 3.5·182/0.6745
  // = 17652.903 → edge bin 17653 → threshold e^(−14 + 17.653) = e^3.653 = 38.59026…: only 1,000 is above.
  const lines = [...Array.from({ length: 10 }, (_, i) => L('C' + i, 'o' + i, 1, 10 + i)), L('W', 'big', 1, 1000)];
  it("'flag' (default): outlier true on the big order, false elsewhere; rows stay", () => {
    const r = cleanAll(lines);
    expect(r.rows.filter((t) => t.outlier).map((t) => t.orderId)).toEqual(['big']);
    expect(r.rows.every((t) => typeof t.outlier === 'boolean')).toBe(true);
    expect(r.audit.outliers_flagged).toBe(1);
    expect(r.audit.outlier_rule.threshold).toBeCloseTo(Math.exp(3.653), 9);
    expect(r.audit.outlier_rule.mad_ln).toBeCloseTo(0.182, 12);
    expect(r.audit.outlier_rule).toMatchObject({ mode: 'flag', applied: true, n: 11, expected: 1 });
    expect(r.audit.outlier_rule.median_ln).toBeCloseTo(2.7085, 12);
  });
  it("'cap': the amount becomes the threshold; amount_capped = 1000 − threshold", () => {
    const r = cleanAll(lines, { outliers: 'cap' });
    const thr = r.audit.outlier_rule.threshold!;
    const big = r.rows.find((t) => t.orderId === 'big')!;
    expect(big.amount).toBeCloseTo(thr, 6);
    expect(r.audit.outliers_capped).toBe(1);
    expect(r.audit.amount_capped).toBeCloseTo(1000 - thr, 6);
    expect(r.audit.amount_out).toBeCloseTo(145 + thr, 6); // 10 + … + 19 = 145
  });
  it("'drop': the order's lines are removed as outlier", () => {
    const r = cleanAll(lines, { outliers: 'drop' });
    expect(r.rows).toHaveLength(10);
    expect(removedBy(r)).toEqual({ outlier: 1 });
  });
  it("'off' or no fence: no outlier field, rule not applied", () => {
    const off = cleanAll(lines, { outliers: 'off' });
    expect(off.rows.some((t) => 'outlier' in t)).toBe(false);
    expect(off.audit.outlier_rule.applied).toBe(false);
    const rows: Transaction[] = [];
    const c = new Cleaner({}, (t) => rows.push(t)); // flag mode but no fence given
    c.useSchema(schemaOfLines(lines));
    lines.forEach((t, i) => c.push(t, i + 2));
    c.finish();
    expect(rows.some((t) => 'outlier' in t)).toBe(false);
    expect(c.audit().outlier_rule).toMatchObject({ applied: false, threshold: null });
  });
  it('negative and zero amounts are never outliers', () => {
    const r = cleanAll([...lines, L('N', 'C1', 1, -5000)]);
    expect(r.rows.find((t) => t.orderId === 'C1')!.outlier).toBe(false);
  });
});

describe('streaming contract', () => {
  it('does not modify pushed lines; push after finish throws; audit keys are stable', () => {
    const line = Object.freeze(L('A', '1', 1, 5, { status: 'refunded', quantity: 1 }));
    const p = Object.freeze(L('A', '1', 1, 20));
    const out: Transaction[] = [];
    const c = new Cleaner({ outliers: 'off' }, (t) => out.push(t));
    c.push(p, 2);
    c.push(line, 3);
    c.finish();
    expect(out.map(brief)).toEqual([['A', '1', 15]]);
    expect(() => c.push(p, 4)).toThrow();
    expect(Object.keys(c.audit())).toEqual([
      'rows_in', 'rows_out', 'folded', 'removed', 'rows_removed', 'late_order_lines', 'outliers_flagged', 'outliers_capped', 'outlier_rule',
      'duplicate_rule', 'guests_removed', 'exclusion', 'orders_out', 'customers_out', 'amount_in', 'amount_out', 'amount_removed', 'amount_negated', 'amount_capped', 'amount_refunded', 'options',
    ]);
    expect(Object.keys(c.audit().removed)).toEqual(['guest', 'excluded', 'before_since', 'after_until', 'after_as_of', 'duplicate', 'cancelled', 'returned', 'unpaid', 'fully_refunded', 'outlier']);
  });
  it('without onRemoved the counts are the same', () => {
    const c = new Cleaner({ outliers: 'off' }, () => {});
    c.useSchema(schemaOfLines(RET));
    RET.forEach((t, i) => c.push(t, i + 2));
    c.finish();
    expect(c.audit()).toEqual(run(RET).audit);
  });
});

describe('Cleaner.expectFraction (sizing hint)', () => {
  it('changes no output, removal or audit figure, whenever it comes', () => {
    // 30,000 lines: orders of 1–4 lines, repeats, refunds, lines of orders already emitted.
    const lines: Transaction[] = [];
    for (let i = 0; i < 30_000; i++) {
      const order = Math.floor(i / (1 + (i % 4)));
      lines.push({ customerId: `C${order % 977}`, orderId: `O${order}`, day: 19000 + (order % 400), amount: i % 13 === 0 ? -5 : 10 + (i % 7), quantity: 1, status: i % 29 === 0 ? 'refunded' : 'paid', time: null, item: null, dims: [] });
      if (i % 101 === 0) lines.push({ ...lines[lines.length - 1]! });
    }
    const run = (hintAt: number | null, fraction: number): { log: string[]; audit: unknown } => {
      const log: string[] = [];
      const c = new Cleaner({ foldWindow: 64, duplicates: 'drop' }, (t) => log.push(`out ${t.customerId}/${t.orderId} ${t.day} ${t.amount}`), (_t, reason, line) => log.push(`removed ${line} ${reason}`));
      c.useSchema(schemaOfLines(lines));
      lines.forEach((t, i) => {
        if (i === hintAt) c.expectFraction(fraction);
        c.push(t, i + 2);
      });
      c.finish();
      return { log, audit: c.audit() };
    };
    const plain = run(null, 0);
    expect(plain.log.some((l) => l.includes('duplicate'))).toBe(true);
    for (const [at, f] of [[12_000, 0.4], [12_001, 0.02], [20_000, 0.99], [15_000, 0.011], [100, 0.5]] as const) expect(run(at, f)).toEqual(plain);
  });
});

describe('customers_out', () => {
  it('counts the distinct customers of the output rows, in batches or not, at any audit', () => {
    const lines: Transaction[] = [];
    for (let i = 0; i < 1000; i++) lines.push({ customerId: `C${(i * 7) % 150}`, orderId: `O${i}`, day: 19000 + (i % 50), amount: i % 10 === 0 ? 0 : 12, quantity: 1, status: 'paid', time: null, item: null, dims: [] });
    const out = new Set<string>();
    const c = new Cleaner({ foldWindow: 8 }, (t) => out.add(t.customerId));
    c.useSchema(schemaOfLines(lines));
    const seen = new Set<string>();
    let checked = 0;
    lines.forEach((t, i) => {
      c.push(t, i + 2);
      seen.add(t.customerId);
      // Mid-stream audits: the customers of every row output so far, pending adds included.
      if (i % 97 === 0 && out.size < 150) {
        expect(c.audit().customers_out).toBe(out.size);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1);
    c.finish();
    expect(c.audit().customers_out).toBe(seen.size);
    expect(seen.size).toBe(150);
  });
});
