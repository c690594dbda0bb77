import { describe, it, expect } from 'vitest';
import {
  classifyLine, isCancellationInvoice, LINE_PURCHASE, LINE_RETURN, LINE_STATUS_ONLY, StatusClassifier, statusKind,
} from '../../../src/core/clean/return-lines.js';

describe('statusKind', () => {
  it('cancel statuses → 1, refund/return statuses → 2, exact match after trim + lower-case', () => {
    for (const s of ['cancelled', 'Canceled', ' CANCEL ', 'voided', 'void', '取消', '已取消', '交易关闭']) expect([s, statusKind(s)]).toEqual([s, 1]);
    for (const s of ['refunded', 'Refund', 'returned', 'return', 'Chargeback', '退款', '已退款', '退货', '退款成功']) expect([s, statusKind(s)]).toEqual([s, 2]);
    for (const s of ['', 'completed', 'paid', 'cancellation requested', 'not refunded', '交易成功']) expect([s, statusKind(s)]).toEqual([s, 0]);
  });
  it('the memoising classifier agrees', () => {
    const c = new StatusClassifier();
    for (const s of ['paid', 'Refunded', 'paid', '交易关闭', '']) expect(c.kind(s)).toBe(statusKind(s));
  });
});

describe('isCancellationInvoice', () => {
  it('C followed by a digit (UCI), upper-case only', () => {
    expect(['C536379', 'C1', 'c536379', 'C', 'CA123', '536379', 'XC1'].map(isCancellationInvoice)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('classifyLine', () => {
  it('negative amount, negative quantity or C-invoice → return; status alone → status-only; else purchase', () => {
    expect(classifyLine(-5, 1, 0, '1')).toBe(LINE_RETURN);
    expect(classifyLine(5, -1, 0, '1')).toBe(LINE_RETURN);
    expect(classifyLine(0, -2, 0, '1')).toBe(LINE_RETURN); // UCI: negative quantity at price 0
    expect(classifyLine(5, 1, 0, 'C9')).toBe(LINE_RETURN);
    expect(classifyLine(5, -1, 1, '1')).toBe(LINE_RETURN); // negative quantity wins over status-only
    expect(classifyLine(5, 1, 1, '1')).toBe(LINE_STATUS_ONLY);
    expect(classifyLine(5, null, 2, '1')).toBe(LINE_STATUS_ONLY);
    expect(classifyLine(5, null, 0, '1')).toBe(LINE_PURCHASE);
    expect(classifyLine(0, 0, 0, '1')).toBe(LINE_PURCHASE);
  });
});
