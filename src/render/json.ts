/**
 * JSON report: one document `{ schema_version: 1, metrics: {...}, ...model }`, numbers as
 * numbers, key order fixed by construction (the model's own order). Schema:
 * fixtures/report/report.schema.json.
 */
import type { ReportModel } from '../core/report/report-model.js';
import { metrics } from '../core/report/metrics.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface JsonOptions {
  /** Indent (default 2); 0 for one line. */
  indent?: number;
}

/** Renders the model as JSON text ending with a newline. */
export function renderJson(model: ReportModel, opts: JsonOptions = {}): string {
  const doc = { schema_version: REPORT_SCHEMA_VERSION, ...model, metrics: metrics(model) };
  return JSON.stringify(doc, null, opts.indent ?? 2) + '\n';
}
