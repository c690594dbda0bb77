/**
 * The config file (`--config FILE`, written by `custkit init`): JSON with one object per
 * stage whose keys are the long flag names, e.g.
 * `{ "ingest": { "date-format": "DD/MM/YYYY" }, "segment": { "k": "5" } }`.
 * Command-line flags override the file. Unknown keys and bad values fail with the key
 * path and the allowed values (exit code 1). Keys starting with "//" or "$" are comments.
 */
import { usageError } from '../errors.js';
import { quoteDatum } from '../core/terminal-text.js';
import { NotJson, readJsonObjectFile } from '../io/json-file.js';
import { OPTIONS, checkValue, type OptionSpec } from './options.js';

export type ConfigSection = Record<string, unknown>;
export interface ConfigFile {
  ingest: ConfigSection;
  clean: ConfigSection;
  segment: ConfigSection;
  score: ConfigSection;
  report: ConfigSection;
  run: ConfigSection;
}

/** Options of `run` itself (beyond the stages'). */
export const RUN_OPTIONS: OptionSpec[] = [
  { name: 'inputs', type: 'list', default: null, description: 'input files (when none are given on the command line)' },
  { name: 'out', arg: '<dir>', type: 'string', default: 'custkit-out', description: 'output folder' },
  { name: 'compare', arg: '<auto|off|file>', type: 'string', default: 'auto', description: 'changes since the previous run: auto uses DIR/customers.csv from the last run' },
  { name: 'wait-lock', type: 'boolean', default: false, description: 'when another run is writing DIR, wait for it to finish instead of exiting with code 2' },
  { name: 'allow-empty', type: 'boolean', default: false, description: 'accept an input with no data rows (else exit 2); an empty result still never replaces an earlier one in DIR' },
  { name: 'actions', arg: '<file>', type: 'string', default: null, description: 'JSON segment → action table for actions.csv, replacing the default (every segment of the map once; docs/commands.md "Action lists")' },
  { name: 'suppress', arg: '<file>', type: 'string', default: null, description: 'customer ids to leave out of actions.csv only (opt-outs; same format as --exclude); they stay in the analysis' },
  { name: 'parquet', type: 'boolean', default: false, description: 'also write the customer table as DIR/customers.parquet (typed columns)' },
  { name: 'workbook', type: 'boolean', default: true, description: 'write DIR/customers.xlsx; --no-workbook (config: false) skips it, e.g. for cron jobs that read the CSV only' },
  { name: 'pseudonymize', type: 'boolean', default: false, description: 'replace customer ids in every output with keyed pseudonyms (HMAC-SHA-256, px_…); key from CUSTKIT_PSEUDONYM_KEY or --pseudonym-key-file, never the command line' },
  { name: 'pseudonym-key-file', arg: '<file>', type: 'string', default: null, description: 'with --pseudonymize: read the key from this file instead of CUSTKIT_PSEUDONYM_KEY' },
  { name: 'pseudonym-map', arg: '<file>', type: 'string', default: null, description: 'with --pseudonymize: write the customer_id,pseudonym table here (for whoever may re-identify; keep it apart from the outputs)' },
  { name: 'format', arg: '<list>', type: 'list', default: 'html,md,json', description: 'report files: html, md, json, csv' },
];

/**
 * Stage options `run` does not take: it reads files only (PostgreSQL is `ingest --from`), and
 * its --format is a list of files.
 */
export const RUN_OMITS: readonly string[] = ['from', 'table', 'query', 'lock-timeout', 'statement-timeout', 'format'];

const SECTIONS = ['ingest', 'clean', 'segment', 'score', 'report', 'run'] as const;

export function specsOfSection(section: (typeof SECTIONS)[number]): OptionSpec[] {
  if (section === 'run') return RUN_OPTIONS;
  return OPTIONS[section].filter((s) => !s.cliOnly);
}

/** Validates a parsed config object; returns it normalised (all sections present). */
export function validateConfig(raw: unknown, file: string): ConfigFile {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw usageError(`${file}: the config must be a JSON object with sections ${SECTIONS.join(', ')}`);
  }
  const out: ConfigFile = { ingest: {}, clean: {}, segment: {}, score: {}, report: {}, run: {} };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key.startsWith('//') || key.startsWith('$')) continue;
    if (!(SECTIONS as readonly string[]).includes(key)) {
      throw usageError(`${file}: unknown section "${quoteDatum(key)}"`, `allowed: ${SECTIONS.join(', ')}`);
    }
    const section = key as (typeof SECTIONS)[number];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw usageError(`${file}: "${key}" must be an object`); // key is a known section here
    }
    const specs = specsOfSection(section);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.startsWith('//') || k.startsWith('$')) continue;
      const spec = specs.find((s) => s.name === k);
      if (!spec) {
        throw usageError(`${file}: unknown key ${key}.${quoteDatum(k)}`, `allowed in ${key}: ${specs.map((s) => s.name).join(', ')}`);
      }
      out[section][k] = checkValue(spec, v, `${file}: ${key}.${k}`);
    }
  }
  return out;
}

/** Reads and validates a config file; a file that is not one is described, not quoted (json-file.ts). */
export function loadConfig(path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = readJsonObjectFile(path);
  } catch (e) {
    if (e instanceof NotJson) throw usageError(`${path}: not a JSON config file: ${e.reason}`, 'give a file written by `custkit init`');
    throw usageError(`cannot read config file ${path}`, 'check the --config path');
  }
  return validateConfig(raw, path);
}

/** The default config: every option of every stage with its default (what `init` writes). */
export function defaultConfig(): ConfigFile {
  const out: ConfigFile = { ingest: {}, clean: {}, segment: {}, score: {}, report: {}, run: {} };
  for (const section of SECTIONS) {
    for (const s of specsOfSection(section)) out[section][s.name] = s.default ?? null;
  }
  return out;
}
