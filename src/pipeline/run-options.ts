/**
 * What `run` is told: the typed options of every stage it composes plus its own (output
 * folder, report files, checks). Built from the parsed flags by cli/stage-options/run.ts,
 * with the same builders the single commands use, so run and the piped commands agree.
 */
import type { IngestOptions } from '../config/ingest-options.js';
import type { Condition } from '../core/report/fail-if.js';
import type { PiiMode } from '../core/privacy/pii-columns.js';
import type { SegmentOptions } from '../core/segment/classify.js';
import type { SleepOptions } from '../core/segment/sleep-states.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import type { DriverOutcome } from '../core/drivers/key-indicators.js';
import type { ActionSettings } from './actions-stage.js';
import type { CleanStageOptions } from './clean-stage.js';
import type { EngineOptions } from './engine-aggregate.js';
import type { ScoreOptions } from './score-stage.js';

/** Report files run writes (--format, a list): report.html, report.md, report.json, report.csv. */
export const RUN_REPORT_FORMATS = ['html', 'md', 'json', 'csv'] as const;
export type RunReportFormat = (typeof RUN_REPORT_FORMATS)[number];

export interface RunReportOptions {
  lang: 'en' | 'zh';
  top: number;
  /** --excel: customers.excel.csv and report.csv for spreadsheets. */
  excel: boolean;
  /** --by: attributes to break the report down by (kept columns). */
  by: string[];
  byTop: number;
  formats: RunReportFormat[];
}

export interface RunOptions {
  /** The output folder (--out), absolute. */
  out: string;
  /** --compare: auto, off, or a customer table. */
  compare: string;
  waitLock: boolean;
  allowEmpty: boolean;
  /** --parquet: customers.parquet beside customers.csv. */
  parquet: boolean;
  /** customers.xlsx (--no-workbook: false). */
  workbook: boolean;
  pii: PiiMode;
  ingest: IngestOptions;
  clean: CleanStageOptions;
  engine: EngineOptions;
  /** --as-of; null: the latest transaction date. */
  asOf: number | null;
  /** --attr: rule per kept column. */
  attrRules: Record<string, string>;
  cohorts: CohortGrain | null;
  outcome: DriverOutcome;
  segment: SegmentOptions;
  score: ScoreOptions;
  /** --holdout as a day, and as given (the run id hashes the text). */
  holdout: { day: number; text: string } | null;
  /** The sleeping rule the backtest compares the models with. */
  backtestSleep: SleepOptions;
  modelIn: string | null;
  backtestOut: string | null;
  actions: ActionSettings;
  report: RunReportOptions;
  maxRejectRate: number;
  failIf: Condition[];
  pseudonymMap: string | null;
  /** --rejects / --audit / --model-out: copies of the folder's rejects.csv, audit.json and fit.json. */
  copies: { file: string; to: string }[];
}
