/** Builders for clean tests: compact canonical lines. */
import type { Transaction } from '../../../src/core/types.js';
import { dayFromCivil } from '../../../src/core/time/day.js';

/** Day number of 2024-01-dd (d may exceed 31: plain offset from 2024-01-01). */
export const D = (d: number): number => dayFromCivil(2024, 1, 1) + d - 1;

/** A line: customer, order, day (D(n)), amount; other fields optional. */
export function L(customerId: string, orderId: string, day: number, amount: number, o: Partial<Transaction> = {}): Transaction {
  return { customerId, orderId, day: D(day), amount, quantity: null, status: '', time: null, item: null, dims: [], ...o };
}
