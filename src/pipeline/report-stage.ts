/**
 * The report stage: a customer table (from segment/score) → ReportModel → text in one of
 * the formats. `run` calls the same functions on the table it builds from its typed
 * results (report-table.ts), which equals the one read from the customers.csv it wrote
 * (customer-table-reader.ts loadCustomerTable).
 */
import { dataError, usageError } from '../errors.js';
import { readJsonDocument } from '../io/json-file.js';
import { buildReport, type ReportOptions } from '../core/report/build-report.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { ModelFit, ReportModel } from '../core/report/report-model.js';
import { maskReportModel } from '../core/privacy/mask-report.js';
import type { PiiMode } from '../core/privacy/pii-columns.js';
import type { UnreliableReason } from '../core/score/fit-reliability.js';
import { renderCsv } from '../render/csv.js';
import { renderHtml } from '../render/html.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderTable } from '../render/table.js';

export type ReportFormat = 'table' | 'md' | 'json' | 'html' | 'csv';

/** Reads an audit JSON file (from clean or run). */
export function loadAudit(path: string): unknown {
  return readJsonDocument(path, 'audit', 'give the file written by `custkit clean --audit`');
}

/** The report model; personal data masked as `opts.pii` says (default mask: core/privacy/mask-report.ts). */
export function makeReport(table: CustomerTable, opts: ReportOptions & { pii?: PiiMode }): ReportModel {
  return maskReportModel(buildReport(table, opts), opts.pii ?? 'mask');
}

export function renderReport(model: ReportModel, format: ReportFormat, o: { color: boolean; excel: boolean; width?: number }): string {
  switch (format) {
    case 'table': return renderTable(model, { color: o.color, width: o.width });
    case 'md': return renderMarkdown(model);
    case 'json': return renderJson(model);
    case 'html': return renderHtml(model);
    case 'csv': return renderCsv(model, { bom: o.excel });
    default: throw usageError(`unknown report format ${String(format)}`);
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One reason of fit.json's unreliable_reasons, checked field by field (null when malformed). */
function reasonOf(r: unknown): UnreliableReason | null {
  if (r === null || typeof r !== 'object') return null;
  const o = r as Record<string, unknown>;
  switch (o.reason) {
    case 'few_customers':
    case 'few_repeat_buyers':
      return isNum(o.value) && isNum(o.minimum) ? { reason: o.reason, value: o.value, minimum: o.minimum } : null;
    case 'parameter_at_bound':
      return typeof o.model === 'string' && typeof o.parameter === 'string' && isNum(o.value) ? { reason: o.reason, model: o.model, parameter: o.parameter, value: o.value } : null;
    case 'not_converged':
      return { reason: o.reason };
    default:
      return null;
  }
}

/** Reads the fit summary (`score --model-out`, run's fit.json): the model and whether it is reliable. */
export function loadFitSummary(path: string): ModelFit {
  const hint = 'give the fit.json written by `custkit run` or `custkit score --model-out`';
  const raw = readJsonDocument(path, 'fit', hint);
  const o = (raw ?? {}) as Record<string, unknown>;
  const reasons = Array.isArray(o.unreliable_reasons) ? o.unreliable_reasons.map(reasonOf) : null;
  if (typeof o.model !== 'string' || typeof o.reliable !== 'boolean' || !reasons || reasons.includes(null) || o.reliable !== (reasons.length === 0)) {
    throw dataError('not a fit summary: needs model, reliable and unreliable_reasons', { file: path }, hint);
  }
  const fit: ModelFit = { model: o.model, reliable: o.reliable, reasons: reasons as UnreliableReason[] };
  // The clv column's basis, stated beside its figures (older fit files lack some: then unknown).
  if (typeof o.horizon === 'string' && typeof o.discount_rate === 'string' && isNum(o.margin)) {
    const spend = typeof o.spend_model === 'string' ? o.spend_model : null;
    fit.basis = { spend_model: spend, horizon: o.horizon, horizon_days: isNum(o.horizon_days) ? o.horizon_days : null, discount_rate: o.discount_rate, margin: o.margin };
  }
  return fit;
}
