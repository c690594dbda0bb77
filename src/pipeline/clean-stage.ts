// placeholder until the clean core lands: passes every transaction through.
import type { Transaction } from '../core/types.js';
export interface CleanOptions { asOf: number | null; [k: string]: unknown }
export const cleanOptionsFrom = (o: Record<string, unknown>): CleanOptions => ({ ...o, asOf: null });
export async function runCleanPasses(
  _opts: CleanOptions,
  source: (push: (tx: Transaction, line?: number) => void) => Promise<void>,
  sink: (tx: Transaction) => void,
): Promise<{ audit: Record<string, unknown>; summaryLine: string }> {
  let n = 0;
  await source((tx) => { n++; sink(tx); });
  return { audit: { rows_in: n, rows_out: n, folded: 0, removed: {} }, summaryLine: `${n} rows in, ${n} out` };
}
