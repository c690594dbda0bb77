/** run's typed options (pipeline/run-options.ts) from the parsed flags, built with the stage builders the single commands use. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../../errors.js';
import { asOfDay, dayOption, listValue } from '../../config/options.js';
import { ingestOptionsFrom } from '../../config/ingest-options.js';
import { parseFailIf } from '../../core/report/fail-if.js';
import type { PiiMode } from '../../core/privacy/pii-columns.js';
import { attrRulesOption } from '../../pipeline/aggregate-stage.js';
import { DEFAULT_MAX_REJECT_RATE } from '../../pipeline/exit-checks.js';
import { RUN_REPORT_FORMATS, type RunOptions, type RunReportFormat } from '../../pipeline/run-options.js';
import { cleanOptionsFrom } from './clean.js';
import { backtestSleepOptionsFrom, cohortGrainFrom, driverOutcomeFrom, engineOptionsFrom, segmentOptionsFrom } from './segment.js';
import { scoreOptionsFrom } from './score.js';
import { actionSettingsFrom } from './actions.js';

/** Every option of run, checked before any work; `today` is the day --as-of today and relative dates mean. */
export function runOptionsFrom(o: Record<string, unknown>, today: number): RunOptions {
  const compare = String(o.compare ?? 'auto');
  if (compare !== 'auto' && compare !== 'off' && !existsSync(compare)) {
    throw usageError(`--compare ${compare}: no such file`, 'use auto, off, or a customer table from an earlier run');
  }
  const formats = reportFormatsOf(o.format);
  const failIf = o.failIf ? parseFailIf(String(o.failIf)) : [];
  const ingest = ingestOptionsFrom(o, today);
  const clean = cleanOptionsFrom(o);
  const segment = segmentOptionsFrom(o);
  const score = scoreOptionsFrom(o);
  const asOf = asOfDay(o.asOf);
  if (asOf !== null && clean.asOf === null) clean.asOf = asOf;
  const holdout = dayOption(o.holdout, 'holdout');
  return {
    out: resolve(String(o.out ?? 'custkit-out')),
    compare,
    waitLock: Boolean(o.waitLock),
    allowEmpty: Boolean(o.allowEmpty),
    parquet: Boolean(o.parquet),
    workbook: o.workbook !== false,
    pii: (o.pii ?? 'mask') as PiiMode,
    ingest,
    clean,
    engine: engineOptionsFrom(o),
    asOf,
    attrRules: attrRulesOption(o.attr),
    cohorts: cohortGrainFrom(o, 'month'),
    outcome: driverOutcomeFrom(o),
    segment,
    score,
    holdout: holdout === null ? null : { day: holdout, text: String(o.holdout) },
    backtestSleep: backtestSleepOptionsFrom(o),
    modelIn: o.modelIn ? String(o.modelIn) : null,
    backtestOut: o.backtestOut ? String(o.backtestOut) : null,
    actions: actionSettingsFrom(o, segment),
    report: { lang: (o.lang ?? 'en') as 'en' | 'zh', top: Number(o.top ?? 20), excel: Boolean(o.excel), by: [...new Set(listValue(o.by))], byTop: Number(o.byTop ?? 10), formats },
    maxRejectRate: Number(o.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE),
    failIf,
    pseudonymMap: o.pseudonymMap ? String(o.pseudonymMap) : null,
    copies: copiesOf(o),
  };
}

/** Parses run's --format list. */
export function reportFormatsOf(v: unknown): RunReportFormat[] {
  const list = v === undefined || v === null ? ['html', 'md', 'json'] : listValue(v);
  const bad = list.filter((f) => !(RUN_REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length || list.length === 0) {
    throw usageError(`--format ${String(v)}: run writes report files in ${RUN_REPORT_FORMATS.join(', ')}`, 'give a list, e.g. --format html,json (the terminal table is `custkit report --format table`)');
  }
  return [...new Set(list)] as RunReportFormat[];
}

/** --rejects / --audit / --model-out: copies of the folder's rejects.csv, audit.json and fit.json. */
function copiesOf(o: Record<string, unknown>): { file: string; to: string }[] {
  const out: { file: string; to: string }[] = [];
  for (const [key, file] of [['rejects', 'rejects.csv'], ['audit', 'audit.json'], ['modelOut', 'fit.json']] as const) {
    if (typeof o[key] === 'string' && o[key] !== '') out.push({ file, to: resolve(String(o[key])) });
  }
  return out;
}
