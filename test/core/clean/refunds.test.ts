/**
 * Refund and paid_at columns (issue #26 item 6): net = paid − refund, an order refunded in full
 * is `fully_refunded`, one never paid is `unpaid`; the audit reconciles with amount_refunded.
 * Every expected value is hand-computed in the comment above it.
 */
import { describe, expect, it } from 'vitest';
import { reconciles } from '../../../src/core/clean/audit.js';
import { cleanAll } from '../../../src/core/clean/clean-all.js';
import type { CleanOptions } from '../../../src/core/clean/clean-options.js';
import type { Transaction } from '../../../src/core/types.js';
import { L } from './tx.js';

const run = (lines: Transaction[], o: CleanOptions = {}) => cleanAll(lines, { outliers: 'off', ...o });
const brief = (t: Transaction) => [t.customerId, t.orderId, t.amount];
const P = (c: string, o: string, amount: number, refund: number, paidAt = '2024-01-01 10:00:00'): Transaction => L(c, o, 1, amount, { refund, paidAt });

describe('refunds', () => {
  it('nets partial refunds, removes full refunds and unpaid orders, and the audit reconciles', () => {
    // A/1 100 − 30 = 70 kept; A/2 50 − 50 = 0 fully_refunded (amount 50 removed); B/3 unpaid (no
    // paid_at, 80 removed); B/4 20 − 0 = 20. amount_in 250 = out 90 + removed 130 + refunded 30.
    const r = run([P('A', '1', 100, 30), P('A', '2', 50, 50), P('B', '3', 80, 0, ''), P('B', '4', 20, 0)]);
    expect(r.rows.map(brief)).toEqual([['A', '1', 70], ['B', '4', 20]]);
    const a = r.audit;
    expect([a.removed.fully_refunded, a.removed.unpaid, a.rows_out]).toEqual([1, 1, 2]);
    expect([a.amount_in, a.amount_out, a.amount_removed, a.amount_refunded]).toEqual([250, 90, 130, 30]);
    expect(reconciles(a)).toBe(true);
    expect(a.amount_out).toBe(a.amount_in! - a.amount_removed! - 2 * a.amount_negated! - a.amount_capped! - a.amount_refunded!);
    expect(r.rows.every((t) => t.refund === undefined)).toBe(true);
  });

  it('folds the refunds of an order\'s lines before netting (a refund on one line of two)', () => {
    // Order 1: lines 60 (refund 60) and 40 → 100 − 60 = 40, not a full refund.
    const r = run([P('A', '1', 60, 60), P('A', '1', 40, 0)]);
    expect(r.rows.map(brief)).toEqual([['A', '1', 40]]);
    expect([r.audit.folded, r.audit.amount_refunded, r.audit.removed.fully_refunded]).toEqual([1, 60, 0]);
  });

  it('without paid_at, an order with nothing paid and nothing refunded is unpaid', () => {
    const noPaid = (c: string, o: string, a: number, refund: number): Transaction => L(c, o, 1, a, { refund });
    const r = run([noPaid('A', '1', 0, 0), noPaid('A', '2', 30, 0), noPaid('A', '3', 30, 10)]);
    expect(r.rows.map(brief)).toEqual([['A', '2', 30], ['A', '3', 20]]);
    expect(r.audit.removed.unpaid).toBe(1);
  });

  it('returns keep leaves amounts as they are (unpaid still removed)', () => {
    const r = run([P('A', '1', 100, 30), P('A', '2', 50, 50), P('B', '3', 80, 0, '')], { returns: 'keep' });
    expect(r.rows.map(brief)).toEqual([['A', '1', 100], ['A', '2', 50]]);
    expect([r.audit.amount_refunded, r.audit.removed.unpaid]).toEqual([0, 1]);
  });

  it('lines without refund columns are untouched (no unpaid rule on a zero amount)', () => {
    const r = run([L('A', '1', 1, 0), L('A', '2', 1, 10)]);
    expect(r.rows.map(brief)).toEqual([['A', '1', 0], ['A', '2', 10]]);
    expect([r.audit.removed.unpaid, r.audit.amount_refunded]).toEqual([0, 0]);
  });
});
