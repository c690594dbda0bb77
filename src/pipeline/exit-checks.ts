/**
 * The two checks that turn a finished, fully written result into a non-zero exit code, shared
 * by the stage commands and run: the reject budget (exit 3) and --fail-if alerts (exit 4).
 * Both run after every output is written, so a failed check never loses the result.
 */
import { EXIT } from '../errors.js';
import type { Messages } from '../io/messages.js';
import { evaluateFailIf, type Condition } from '../core/report/fail-if.js';
import { metrics } from '../core/report/metrics.js';
import type { ReportModel } from '../core/report/report-model.js';

/** --max-reject-rate's default: 5 % of the rows read. */
export const DEFAULT_MAX_REJECT_RATE = 0.05;

/**
 * EXIT.REJECT_BUDGET (and one line on stderr) when `rate` is above `maxRate`, else EXIT.OK.
 * `where`: the rejects file, or null when none was asked for.
 */
export function rejectBudgetExit(msgs: Messages, rate: number, maxRate: number, where: string | null): number {
  if (!(rate > maxRate)) return EXIT.OK;
  msgs.error(`custkit: reject rate ${(rate * 100).toFixed(2)}% is above --max-reject-rate ${(maxRate * 100).toFixed(2)}%${where ? ` (rows in ${where})` : ' (use --rejects FILE to see them)'}`);
  return EXIT.REJECT_BUDGET;
}

/** EXIT.ALERT (and one line per condition that holds) when a --fail-if condition holds on the report, else EXIT.OK. */
export function failIfExit(msgs: Messages, conditions: readonly Condition[], model: ReportModel): number {
  if (!conditions.length) return EXIT.OK;
  const held = evaluateFailIf(conditions, metrics(model)).filter((r) => r.held);
  for (const h of held) msgs.error(`custkit: alert: ${h.condition.text} (value ${h.actual})`);
  return held.length ? EXIT.ALERT : EXIT.OK;
}
