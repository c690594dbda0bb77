/**
 * What `run` tells a person at a terminal: at most five lines (where the report is, customers,
 * revenue, alerts) instead of every stage's notes. The notes stay for logs: they print when
 * stderr is not a terminal, or with --verbose. Warnings and errors always print.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Messages } from '../io/messages.js';
import { fmtInt, fmtMoney } from '../render/format.js';

/** Alert lines as printed by the pipeline ("custkit: alert: <condition> (value x)"). */
const ALERT = /^custkit: alert: /;

/** Messages that drop notes and hold alerts back for the summary; `flush` prints what was held. */
export function briefMessages(msgs: Messages): { msgs: Messages; alerts: string[]; flush(): void } {
  const alerts: string[] = [];
  const brief: Messages = {
    ...msgs,
    note() {},
    warn: (t) => msgs.warn(t),
    error: (t) => (ALERT.test(t) ? alerts.push(t.replace(ALERT, '')) : msgs.error(t)),
    progress: (t) => msgs.progress(t),
    endProgress: () => msgs.endProgress(),
  };
  return { msgs: brief, alerts, flush: () => alerts.splice(0).forEach((a) => msgs.error(`custkit: alert: ${a}`)) };
}

/** The closing lines of a run into `outDir` (reads the report.json it wrote). */
export function runSummaryLines(outDir: string, alerts: readonly string[]): string[] {
  const o = (JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as { overview: { customers: number; revenue: number | null; as_of: string | null } }).overview;
  return [
    `Report: ${join(outDir, 'report.html')} (also report.md; customers in customers.csv)`,
    `Customers: ${fmtInt(o.customers)}${o.as_of ? ` (as of ${o.as_of})` : ''}`,
    // Transactions without amounts: revenue is absent, not 0.
    o.revenue === null ? 'Revenue: – (transactions without amounts)' : `Revenue: ${fmtMoney(o.revenue)}`,
    alerts.length ? `Alerts: ${alerts.join('; ')}` : 'Alerts: none',
  ];
}
