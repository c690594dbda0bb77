/**
 * Personal data in the report model (the single source of every report format): customer ids
 * that look like e-mails or phone numbers are masked in the people lists unless `--pii show`,
 * and the model says what was masked (`privacy`, absent when nothing was, so reports on data
 * without personal ids stay as they were). Attribute columns (kept with --keep) go through
 * {@link columnTreatment}: masked, dropped, or shown by `--pii`.
 */
import type { ReportModel, PersonRow } from '../report/report-model.js';
import { maskIfContact, maskPersonal } from './mask.js';
import { piiKindOf, type PiiKind, type PiiMode } from './pii-columns.js';
import { ATTR_PREFIX } from '../drivers/key-indicators.js';

/** What the report did with personal data. */
export interface PrivacyNote {
  pii: PiiMode;
  /** Columns whose values were masked, e.g. `customer_id`, `Email`. */
  masked: string[];
  /** Columns left out of the report (`--pii drop`). */
  dropped: string[];
}

/** How a report shows one attribute column: its values as they are, masked, or not at all. */
export function columnTreatment(header: string, sample: Iterable<string>, mode: PiiMode): { kind: PiiKind | null; show: 'as-is' | 'masked' | 'dropped' } {
  const kind = piiKindOf(header, sample);
  if (kind === null || mode === 'show') return { kind, show: 'as-is' };
  return { kind, show: mode === 'drop' ? 'dropped' : 'masked' };
}

/**
 * Breakdowns (`--by`) by a personal attribute (an e-mail column, a name): values masked, or the
 * breakdown left out under `--pii drop`.
 */
function maskBreakdowns(m: ReportModel, mode: PiiMode): { model: ReportModel; masked: string[]; dropped: string[] } {
  const masked: string[] = [], dropped: string[] = [];
  if (!m.breakdowns || mode === 'show') return { model: m, masked, dropped };
  const kept = [];
  for (const b of m.breakdowns) {
    const t = columnTreatment(b.attribute, b.rows.map((r) => r.value ?? ''), mode);
    if (t.show === 'dropped') { dropped.push(b.attribute); continue; }
    if (t.show === 'masked') {
      masked.push(b.attribute);
      kept.push({ ...b, rows: b.rows.map((r) => (r.value === null ? r : { ...r, value: maskPersonal(r.value) })) });
    } else kept.push(b);
  }
  if (masked.length === 0 && dropped.length === 0) return { model: m, masked, dropped };
  if (kept.length > 0) return { model: { ...m, breakdowns: kept }, masked, dropped };
  const { breakdowns: _gone, ...rest } = m;
  void _gone;
  return { model: { ...rest, meta: { ...m.meta, sections: m.meta.sections.filter((x) => x !== 'breakdowns') } }, masked, dropped };
}

/**
 * Key indicators measured on a personal attribute (a phone shared by many customers): its
 * group values masked, or the indicator left out under `--pii drop`.
 */
function maskDrivers(m: ReportModel, mode: PiiMode): { model: ReportModel; masked: string[]; dropped: string[] } {
  const masked: string[] = [], dropped: string[] = [];
  if (!m.drivers || mode === 'show') return { model: m, masked, dropped };
  const indicators = [];
  for (const x of m.drivers.indicators) {
    const name = x.indicator.startsWith(ATTR_PREFIX) ? x.indicator.slice(ATTR_PREFIX.length) : null;
    const t = name === null ? null : columnTreatment(name, x.groups.map((g) => g.value), mode);
    if (t === null || t.show === 'as-is') indicators.push(x);
    else if (t.show === 'dropped') dropped.push(name!);
    else {
      masked.push(name!);
      const v = (s: string | null): string | null => (s === null || s === 'other' || s === '' ? s : maskPersonal(s));
      indicators.push({ ...x, groups: x.groups.map((g) => ({ ...g, value: v(g.value)! })), best: v(x.best), worst: v(x.worst) });
    }
  }
  if (masked.length === 0 && dropped.length === 0) return { model: m, masked, dropped };
  return { model: { ...m, drivers: { ...m.drivers, indicators } }, masked, dropped };
}

/** A personal value as a report shows it under `show` (see columnTreatment). */
export const reportValue = (v: string, show: 'as-is' | 'masked' | 'dropped'): string => (show === 'as-is' ? v : show === 'masked' ? maskPersonal(v) : '');

/**
 * The model with e-mail- and phone-like customer ids masked (ids are the rows' keys, so even
 * `--pii drop` masks rather than drops them), and `privacy` set when anything was masked.
 * `columns` adds the attribute columns the caller masked or dropped.
 */
export function maskReportModel(m: ReportModel, mode: PiiMode, columns: { masked?: string[]; dropped?: string[] } = {}): ReportModel {
  let idsMasked = false;
  if (mode !== 'show') {
    const id = (s: string): string => {
      const v = maskIfContact(s);
      if (v !== s) idsMasked = true;
      return v;
    };
    const people = (rows: PersonRow[]): PersonRow[] => rows.map((r) => ({ ...r, customer_id: id(r.customer_id) }));
    if (m.sleeping) m = { ...m, sleeping: { ...m.sleeping, call_list: m.sleeping.call_list.map((r) => ({ ...r, customer_id: id(r.customer_id) })) } };
    if (m.clv) m = { ...m, clv: { ...m.clv, top: m.clv.top.map((r) => ({ ...r, customer_id: id(r.customer_id) })) } };
    if (m.changes) {
      const c = m.changes;
      m = {
        ...m,
        changes: {
          ...c,
          newly_sleeping: { ...c.newly_sleeping, top: people(c.newly_sleeping.top) },
          high_value_at_risk: { ...c.high_value_at_risk, top: people(c.high_value_at_risk.top) },
          new_customers: { ...c.new_customers, top: people(c.new_customers.top) },
          lost_from_table: { ...c.lost_from_table, top: people(c.lost_from_table.top) },
        },
      };
    }
  }
  const attrs = maskBreakdowns(m, mode);
  const drivers = maskDrivers(attrs.model, mode);
  m = drivers.model;
  const masked = [...(idsMasked ? ['customer_id'] : []), ...attrs.masked, ...(columns.masked ?? [])];
  const dropped = [...attrs.dropped, ...(columns.dropped ?? [])];
  // A column masked in the breakdowns or the table is named once.
  masked.push(...drivers.masked.filter((x) => !masked.includes(x)));
  dropped.push(...drivers.dropped.filter((x) => !dropped.includes(x)));
  if (masked.length === 0 && dropped.length === 0) return m;
  return { ...m, meta: { ...m.meta, sections: [...m.meta.sections, 'privacy'] }, privacy: { pii: mode, masked, dropped } };
}
