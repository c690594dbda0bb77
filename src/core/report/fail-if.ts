/**
 * `--fail-if` alert conditions: `metric OP number`, OP one of > >= < <= == !=.
 * Several conditions are separated by commas and/or given by repeating the option;
 * the run alerts (exit 4) when any condition holds. Metric names: see metrics.ts.
 */
import { CustkitError, EXIT } from '../../errors.js';
import { METRIC_NAMES, type MetricName } from './metrics.js';

export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface Condition {
  metric: MetricName;
  op: Op;
  value: number;
  /** The condition as written (trimmed), for messages. */
  text: string;
}

export interface ConditionResult {
  condition: Condition;
  /** The metric's value in this report. */
  actual: number;
  held: boolean;
}

const RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)\s*$/;

/**
 * Parses one or more `--fail-if` values. A trailing % divides the number by 100
 * (`top20_share > 80%` = `> 0.8`). Errors are usage errors; an unknown metric lists the known ones.
 */
export function parseFailIf(specs: string | readonly string[]): Condition[] {
  const parts = (typeof specs === 'string' ? [specs] : specs).flatMap((s) => s.split(','));
  const out: Condition[] = [];
  for (const raw of parts) {
    const text = raw.trim();
    if (text === '') continue;
    const m = RE.exec(text);
    if (!m) {
      throw new CustkitError(
        `--fail-if: cannot read ${JSON.stringify(text)}`,
        EXIT.USAGE,
        'write metric OP number, e.g. "sleeping_share > 0.3, rejected_rate >= 0.05"; OP is one of > >= < <= == !=',
      );
    }
    const name = m[1]!;
    if (!(METRIC_NAMES as string[]).includes(name)) {
      throw new CustkitError(`--fail-if: unknown metric ${JSON.stringify(name)}`, EXIT.USAGE, `known metrics: ${METRIC_NAMES.join(', ')}`);
    }
    const value = Number(m[3]) / (m[4] ? 100 : 1);
    out.push({ metric: name as MetricName, op: m[2] as Op, value, text });
  }
  return out;
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/**
 * Evaluates conditions against a report's metrics. A condition on a metric this report
 * cannot provide (its section is absent) is a usage error naming what is missing.
 * `==` / `!=` compare exactly (metrics are rounded to 1e-6).
 */
export function evaluateFailIf(conditions: readonly Condition[], values: Partial<Record<MetricName, number>>): ConditionResult[] {
  return conditions.map((c) => {
    const actual = values[c.metric];
    if (actual === undefined) {
      throw new CustkitError(
        `--fail-if: metric ${c.metric} is not available in this report`,
        EXIT.USAGE,
        'it needs a section this input lacks (amounts, score columns, sleep_state, --audit, --compare or --fit)',
      );
    }
    return { condition: c, actual, held: compare(actual, c.op, c.value) };
  });
}
