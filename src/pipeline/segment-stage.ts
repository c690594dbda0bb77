// placeholder until the classification core lands
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { SUMMARY_COLUMNS, summaryToCells } from '../core/aggregate/customer-summary.js';
import { csvLine } from '../io/csv-format.js';
export type SegmentOptions = Record<string, unknown>;
export const segmentOptionsFrom = (o: Record<string, unknown>): SegmentOptions => o;
export const segmentSummaries = (_s: CustomerSummary[], _o: SegmentOptions): null => null;
export function* segmentTableLines(s: CustomerSummary[], _seg: null): Generator<string> {
  yield csvLine([...SUMMARY_COLUMNS]);
  for (const x of s) yield csvLine(summaryToCells(x));
}
export const segmentSummaryLines = (_s: CustomerSummary[], _seg: null): string[] => [];
export const sleepFlags = (cs: CustomerSummary[], _o: Record<string, unknown>): { rule: string; flags: boolean[] } => ({ rule: 'days', flags: cs.map((c) => c.daysSinceLast > 180) });
