/**
 * Every option of every stage, defined once. The table feeds commander (flags and help),
 * the config file (`--config`: keys are the long flag names, grouped by stage), its
 * validation, `custkit init` (which writes every option with its default) and the JSON
 * Schema in schema/custkit.config.schema.json (`npm run build` checks it is current).
 */
import { usageError } from '../errors.js';
import { parseIsoDay } from '../core/time/day.js';
import { annualRate, checkRange, durationDays, wholeOrNull, type OptionRange } from './option-range.js';
import { sizeBytes } from '../core/size-bytes.js';

export type Stage = 'common' | 'ingest' | 'clean' | 'segment' | 'score' | 'report' | 'run';

export interface OptionSpec {
  /** Long flag name without dashes, also the config-file key: 'max-reject-rate'. */
  name: string;
  /** Value placeholder for help ('<rate>'); absent for booleans. */
  arg?: string;
  short?: string;
  description: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'list' | 'date';
  choices?: readonly string[];
  default?: string | number | boolean | null;
  /** Not allowed in a config file (e.g. --output of one command). */
  cliOnly?: boolean;
  /** Allowed values of a numeric option (each item of a list), checked before any work. */
  range?: OptionRange;
  /** A list option that may be given more than once (the values add up). */
  repeatable?: boolean;
}

/** --threads of segment, run and clean: each thread costs memory and a core; more are never faster. */
export const THREADS_RANGE: OptionRange = { min: 1, max: 256 };
const PERCENT: OptionRange = { min: 0, max: 100 };
const SHARE: OptionRange = { min: 0, max: 1 };
/** PostgreSQL timeouts in seconds (0 = none); a day is far beyond any read worth waiting for. */
const TIMEOUT_SECONDS: OptionRange = { min: 0, max: 86_400 };

const DATE = '<YYYY-MM-DD>';

export const OPTIONS: Record<Exclude<Stage, 'run'>, OptionSpec[]> = {
  common: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'print no notes on stderr (errors still print)', default: false },
    { name: 'debug', type: 'boolean', description: 'show stack traces for errors', default: false },
  ],
  ingest: [
    { name: 'encoding', arg: '<name>', type: 'enum', choices: ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk'], default: 'auto', description: 'auto (default: BOM, UTF-16, UTF-8, else GB18030), utf-8, utf-16le, utf-16be, gb18030, gbk' },
    { name: 'delimiter', arg: '<d>', type: 'enum', choices: ['auto', ',', ';', 'tab', '|', 'whitespace'], default: 'auto', description: 'auto (default: sniffs , ; tab | and spaces), ",", ";", tab, "|", whitespace' },
    { name: 'header', type: 'boolean', default: true, description: 'the file has no header row: map columns by number (--map customer_id=2,...)' },
    { name: 'map', arg: '<field=column,...>', type: 'list', default: null, description: 'column mapping: canonical field=source header or 1-based column number' },
    { name: 'keep', arg: '<columns>', type: 'list', default: null, description: 'extra source columns kept after the canonical ones' },
    { name: 'amount', type: 'boolean', default: true, description: 'customer and date only (no amount column)' },
    { name: 'decimal', arg: '<mark>', type: 'enum', choices: ['auto', '.', ','], default: 'auto', description: 'decimal mark of amounts: auto (default: from the data), "." or ","' },
    { name: 'date-format', arg: '<fmt>', type: 'string', default: 'auto', description: 'auto, YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, YYYYMMDD, excel, epoch, epoch-ms' },
    { name: 'date-window', arg: '<from..to>', type: 'string', default: null, description: 'plausible order dates FROM..TO (inclusive; default 1900-01-01..tomorrow), else implausible_date' },
    { name: 'fold-ids', type: 'boolean', default: false, description: 'fold full-width letters and digits in ids to ASCII (１７８５０ → 17850)' },
    { name: 'rejects', arg: '<file>', type: 'string', default: null, description: 'write unreadable rows here as CSV: file,line,reason,detail,raw' },
    { name: 'max-reject-rate', arg: '<rate>', type: 'number', default: 0.05, description: 'exit 3 when a larger share of rows is rejected (after writing all)', range: SHARE },
    { name: 'sheet', arg: '<name>', type: 'string', default: null, description: 'XLSX input: the sheet to read (default: the first)' },
    { name: 'parser', arg: '<name>', type: 'enum', choices: ['fast', 'csv-parse'], default: 'fast', description: 'CSV tokenizer: fast (hand-written) or csv-parse' },
    { name: 'from', arg: '<url>', type: 'string', default: null, description: 'PostgreSQL source: postgres://user@host/db' },
    { name: 'table', arg: '<name>', type: 'string', default: null, description: 'with --from: table or view, optionally schema.table ("Quoted" names exact)' },
    { name: 'query', arg: '<sql>', type: 'string', default: null, description: 'with --from: a SELECT whose rows are the orders (read-only)' },
    { name: 'lock-timeout', arg: '<seconds>', type: 'number', default: 30, description: 'with --from: seconds to wait for a lock on the table, then exit 2; 0 waits forever', range: TIMEOUT_SECONDS },
    { name: 'statement-timeout', arg: '<seconds>', type: 'number', default: 600, description: 'with --from: seconds one statement may run, then exit 2; 0 is no limit', range: TIMEOUT_SECONDS },
  ],
  clean: [
    { name: 'returns', arg: '<mode>', type: 'enum', choices: ['net', 'drop', 'keep'], default: 'net', description: 'cancellations/refunds: net them against spend, drop them, or keep rows as they are' },
    { name: 'duplicates', arg: '<mode>', type: 'enum', choices: ['auto', 'drop', 'keep'], default: 'auto', description: 'exact duplicate lines of an order: auto removes them only when a column tells lines apart (item, SKU, line number, time), else keeps and counts them; drop always; keep never' },
    { name: 'guests', arg: '<mode>', type: 'enum', choices: ['drop', 'keep'], default: 'drop', description: 'guest/placeholder customer ids (blank, N/A, guest, 匿名, 游客…; docs/commands.md table)' },
    { name: 'guest-ids', arg: '<ids>', type: 'list', default: null, description: 'more placeholder ids treated as guests, e.g. 0,N/A (case-insensitive, trimmed)' },
    { name: 'exclude', arg: '<file>', type: 'string', default: null, description: 'file of customer ids to remove: one per line, or a CSV with a customer_id column (ids read as ingest reads them)' },
    { name: 'since', arg: DATE, type: 'date', default: null, description: 'drop orders before this date' },
    { name: 'until', arg: DATE, type: 'date', default: null, description: 'drop orders after this date (inclusive end)' },
    { name: 'outliers', arg: '<mode>', type: 'enum', choices: ['flag', 'cap', 'drop', 'off'], default: 'flag', description: 'amount outliers (robust z > 3.5 on log amount): flag (outlier column), cap, drop, off' },
    { name: 'fold-window', arg: '<n>', type: 'integer', default: 10000, description: 'open orders kept for folding order lines that share an order_id', range: { min: 1, max: 1_000_000 } },
    { name: 'audit', arg: '<file>', type: 'string', default: null, description: 'write the audit (rows in/out, folded, removed by reason) as JSON' },
  ],
  segment: [
    { name: 'as-of', arg: '<date>', type: 'date', default: null, description: asOfDescription('observation end, inclusive') },
    { name: 'engine', arg: '<name>', type: 'enum', choices: ['auto', 'js', 'duckdb'], default: 'auto', description: 'auto (by input kind, size and available memory; said on stderr), js (streaming) or duckdb (CSV, CSV.gz, Parquet; all cores; spills to disk)' },
    { name: 'memory-limit', arg: '<size>', type: 'string', default: null, description: 'DuckDB memory, e.g. 2GB (default 600MB)', range: { min: 64e6, max: 16e12, parse: sizeBytes, text: '64MB to 16TB' } },
    { name: 'attr', arg: '<column=rule,...>', type: 'list', default: null, repeatable: true, description: 'rule per kept column (ingest --keep): first, last (default), mode, distinct-count, sum, mean' },
    { name: 'threads', arg: '<n>', type: 'integer', default: null, description: 'js threads, same output', range: THREADS_RANGE },
    { name: 'cohorts', arg: '<grain>', type: 'enum', choices: ['off', 'month', 'quarter', 'week'], default: null, description: 'cohorts (run: month)' },
    { name: 'outcome', arg: '<name>', type: 'enum', choices: ['second-purchase', 'alive'], default: null, description: 'key-indicator outcome' },
    { name: 'only', arg: '<list>', type: 'list', default: null, description: 'only these: abc,pyramid,rfm,kmeans,sleep' },
    { name: 'abc', arg: '<a,b,c>', type: 'list', default: '80,15,5', description: 'ABC cumulative value shares, %', range: PERCENT },
    { name: 'abc-by', arg: '<basis>', type: 'enum', choices: ['revenue', 'orders'], default: 'revenue', description: 'value basis of ABC and the pyramid' },
    { name: 'abc-mode', arg: '<mode>', type: 'enum', choices: ['single', 'grid'], default: 'single', description: 'single basis, or grid (orders × revenue class: AB)' },
    { name: 'pyramid', arg: '<vip,key,medium>', type: 'list', default: '1,4,15', description: 'value tiers, % of customers (rest ordinary)', range: PERCENT },
    { name: 'bins', arg: '<n>', type: 'integer', default: 5, description: 'RFM score bins (scores 1..n)', range: { min: 2, max: 10 } },
    { name: 'segments', arg: '<map>', type: 'string', default: 'default', description: 'segment map: default (11), zh8 (重要价值客户…) or a JSON file' },
    { name: 'rfm-split', arg: '<stat>', type: 'enum', choices: ['mean', 'median'], default: 'mean', description: 'high/low split of the zh8 map' },
    { name: 'k', arg: '<n|auto>', type: 'string', default: 'auto', description: 'k-means clusters, or auto (2..10 by silhouette)', range: { min: 1, max: 50, parse: wholeOrNull, text: '1 to 50, or auto' } },
    { name: 'features', arg: '<list>', type: 'list', default: 'days_since_last,orders,revenue', description: 'k-means features (log1p, standardised)' },
    { name: 'seed', arg: '<n>', type: 'integer', default: 42, description: 'random seed (k-means++ and samples)', range: { min: 0, max: 4_294_967_295 } },
    { name: 'sleep-rule', arg: '<rule>', type: 'enum', choices: ['cycle', 'days'], default: 'cycle', description: 'sleeping: cycle (own rhythm) or days (fixed)' },
    { name: 'sleep', arg: '<d1,d2,d3,d4>', type: 'list', default: '30,60,90,180', description: 'days rule: drowsy, half-asleep, deep-sleep, lost', range: { min: 0, max: 36_525, text: '0 to 36,525 days' } },
    { name: 'sleep-factors', arg: '<f1,f2,f3,f4>', type: 'list', default: null, description: 'cycle rule overdue-factor thresholds (default: docs/definitions.md)', range: { min: 0, max: 1000 } },
  ],
  score: [
    { name: 'model', arg: '<name>', type: 'enum', choices: ['bgnbd', 'mbgnbd', 'pnbd', 'auto'], default: 'bgnbd', description: 'BTYD model; auto picks the best log-likelihood per customer count, or with --holdout the lowest per-customer holdout MAE (stated on stderr)' },
    { name: 'unit', arg: '<unit>', type: 'enum', choices: ['day', 'week', 'month'], default: 'week', description: 'time unit for fitting (month = 30.4375 days)' },
    { name: 'horizon', arg: '<span>', type: 'string', default: '12m', description: 'CLV horizon: 90d, 12w, 6m, 1y', range: { min: 1, max: 36_525, parse: durationDays, text: '1 day to 100 years (1d to 100y)' } },
    { name: 'discount-rate', arg: '<rate>', type: 'string', default: '10%/yr', description: 'discount rate with its own unit: 10%/yr, 1%/month', range: { min: 0, max: 10, parse: annualRate, text: '0 % to 1000 % a year, as an annual equivalent (1%/month = 12.68 %/yr)' } },
    { name: 'margin', arg: '<share>', type: 'number', default: 1, description: 'profit margin applied to CLV (0..1)', range: SHARE },
    { name: 'penalizer', arg: '<x>', type: 'number', default: 0, description: 'L2 penalty on model parameters (try 0.001 when a fit struggles)', range: { min: 0, max: 100 } },
    { name: 'model-out', arg: '<file>', type: 'string', default: null, description: 'write the fit summary (parameters, standard errors, log-likelihood) as JSON' },
    { name: 'holdout', arg: DATE, type: 'date', default: null, description: 'backtest: fit every model on transactions up to this date, compare predictions with what happened after it, choose the churn threshold by F1' },
    { name: 'backtest-out', arg: '<file>', type: 'string', default: null, description: 'with --holdout: per customer calibration summary, predicted and actual holdout purchases and value, p_alive, churn flag and outcome (CSV)' },
    { name: 'model-in', arg: '<file>', type: 'string', default: null, description: 'reuse the model and churn threshold a backtest chose (fit.json from score --holdout --model-out or run --holdout)' },
    { name: 'churn-thresholds', arg: '<low,high>', type: 'list', default: '0.3,0.7', description: 'p_alive below the first is high churn risk, below the second medium', range: SHARE },
  ],
  report: [
    { name: 'format', arg: '<fmt>', type: 'enum', choices: ['table', 'md', 'json', 'html', 'csv', 'xlsx'], default: null, description: 'table (default on a TTY), md (default otherwise), json, html, csv, xlsx (report only: the workbook run writes)' },
    { name: 'lang', arg: '<lang>', type: 'enum', choices: ['en', 'zh'], default: 'en', description: 'language of headings and segment names' },
    { name: 'top', arg: '<n>', type: 'integer', default: 20, description: 'rows in the top-customer lists (the call list of sleeping customers)', range: { min: 0, max: 10_000 } },
    { name: 'excel', type: 'boolean', default: false, description: 'CSV for spreadsheets: BOM, ids as text' },
    { name: 'by', arg: '<attributes>', type: 'list', default: null, repeatable: true, description: 'breakdown by these customer attributes (columns kept with ingest --keep): customers, revenue, share, ABC/pyramid/segment mix, sleeping share and CLV per value' },
    { name: 'by-top', arg: '<n>', type: 'integer', default: 10, description: 'values shown per breakdown, largest revenue first; the rest are summed as "other"', range: { min: 1, max: 1000 } },
    { name: 'pii', arg: '<mode>', type: 'enum', choices: ['show', 'mask', 'drop'], default: 'mask', description: 'personal data (e-mails, phones, names, addresses; ids that look like them) in reports and rejects files: mask (a***@example.com, 138****5678), drop the columns, or show' },
    { name: 'fail-if', arg: '<expr>', type: 'string', default: null, description: 'exit 4 after writing the report when a condition holds, e.g. sleeping_value_share>0.25' },
  ],
};

/** The option specs a command accepts. */
export function optionsFor(stages: Exclude<Stage, 'run'>[]): OptionSpec[] {
  return stages.flatMap((s) => OPTIONS[s]);
}

/** camelCase key commander uses for a flag name ('max-reject-rate' → 'maxRejectRate'). */
export const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses a list option given as a string "a,b" or an array. */
export function listValue(v: unknown): string[] {
  if (v === null || v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses a list of numbers ("80,15,5"), naming the option in errors. */
export function numberList(v: unknown, option: string, count?: number): number[] {
  const items = listValue(v);
  const nums = items.map((s) => Number(s));
  if (nums.some((n) => !Number.isFinite(n)) || (count !== undefined && nums.length !== count)) {
    throw usageError(`--${option} expects ${count ?? 'a list of'} comma-separated numbers, got "${items.join(',')}"`);
  }
  return nums;
}

/** Validates one option value (used for the config file and the command line alike). */
export function checkValue(spec: OptionSpec, value: unknown, where: string): unknown {
  const bad = (allowed: string): never => {
    throw usageError(`${where}: bad value ${JSON.stringify(value)}`, `allowed: ${allowed}`);
  };
  if (value === null) return null;
  const v = checkType(spec, value, bad);
  if (spec.range) checkRange(spec.range, v, where, spec.type === 'list');
  return v;
}

function checkType(spec: OptionSpec, value: unknown, bad: (allowed: string) => never): unknown {
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') bad('true or false');
      return value;
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) bad('a number');
      return n;
    }
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isInteger(n)) bad('a whole number');
      return n;
    }
    case 'enum':
      if (!spec.choices!.includes(String(value))) bad(spec.choices!.join(', '));
      return String(value);
    case 'date':
      if (spec.name === 'as-of' && (value === 'today' || value === 'latest')) return value;
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) bad(spec.name === 'as-of' ? 'a date YYYY-MM-DD, today or latest' : 'a date YYYY-MM-DD');
      return value;
    case 'list':
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((x) => typeof x === 'string' || typeof x === 'number'))) {
        bad('a comma-separated string or an array');
      }
      return Array.isArray(value) ? value.join(',') : value;
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') bad('a string');
      return String(value);
  }
}

/** Day number of a --date option, or null. */
/**
 * --as-of, declared once: every command takes a date, `today` or `latest`; `latest` (the
 * default) means the latest transaction date, unless a command says what it means for it.
 * cli/option-aliases.ts turns `today` into a date and `latest` into unset before a stage sees it.
 */
export function asOfDescription(what: string, latest = 'the latest transaction date: default'): string {
  return `${what}: YYYY-MM-DD, today, or latest (${latest})`;
}

/** The as-of day of normalised options: null = latest (the stage takes the latest transaction date). */
export const asOfDay = (v: unknown): number | null => dayOption(v, 'as-of');

export function dayOption(v: unknown, name: string): number | null {
  if (v === undefined || v === null || v === '') return null;
  const d = parseIsoDay(String(v));
  if (d === null) throw usageError(`--${name} "${String(v)}" is not a date`, 'write it as YYYY-MM-DD');
  return d;
}
