/**
 * `run` honours every option its help lists (#25 item 5): the test reads `run --help`, and for
 * each option runs `run` with it and checks its effect against a run without it — another
 * output folder or exit code, a copy written where the option says, stderr changed — or, for
 * the options whose contract is "same results" (parser, engine, memory limit, threads), that
 * the folder is the same and a bad value is refused. An option added to run without a case
 * here fails the test.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-run-options-');
afterAll(() => tmp.cleanup());

/** transactions.csv and a few rows that give the clean options something to do. */
function input(): string {
  const base = readFileSync(fixture('cli', 'transactions.csv'), 'utf8');
  const extra = [
    'guest,G1,2024-03-01,10.00,1,paid', // a guest id
    'K01,D1,2024-03-02,15.00,1,paid', // two equal lines of one order (kept by auto: no line column)
    'K01,D1,2024-03-02,15.00,1,paid',
    'K04,F1,2024-03-04,5.00,1,paid', // one order's lines apart (--fold-window 1 re-opens it)
    'K05,F2,2024-03-05,7.00,1,paid',
    'K04,F1,2024-03-04,6.00,1,paid',
    'K03,X1,not-a-date,1.00,1,paid', // rejected: 1 row of 53
    'Ｋ２０,W1,2024-03-06,9.00,1,paid', // a full-width id (--fold-ids: K20)
  ];
  const path = tmp.path('orders.csv');
  writeFileSync(path, base + extra.join('\n') + '\n');
  return path;
}

let INPUT = '';
let seq = 0;

interface Outcome extends CliResult {
  out: string;
  /** Every file of the folder (relative path → content). */
  files: Record<string, string>;
}

/**
 * Every file of the folder but run.json, with the run id (made of the options, so different
 * for every option) replaced: what differs then is what the option did.
 */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const manifest = join(dir, 'run.json');
  const runId = existsSync(manifest) ? String(JSON.parse(readFileSync(manifest, 'utf8')).run_id) : null;
  if (prefix === '') lastRunId = runId;
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (f === 'run.json') continue;
    if (statSync(p).isDirectory()) Object.assign(out, filesOf(p, `${prefix}${f}/`));
    else out[prefix + f] = runId ? readFileSync(p, 'utf8').split(runId).join('RUN-ID') : readFileSync(p, 'utf8');
  }
  return out;
}

async function run(args: string[], input = INPUT, env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<Outcome> {
  const out = tmp.path(`o${++seq}`);
  const r = await runCli(['run', input, '--out', out, ...args], env);
  return { ...r, out, files: filesOf(out) };
}

/** A file's text with the last run's id replaced as in filesOf (the copies carry it too). */
let lastRunId: string | null = null;
const sameRun = (text: string): string => (lastRunId ? text.split(lastRunId).join('RUN-ID') : text);

const sameFolder = (a: Outcome, b: Outcome): boolean => a.code === b.code && JSON.stringify(a.files) === JSON.stringify(b.files);

type Check =
  /** The folder or the exit code differs from a run with `base` only (default: no option). */
  | { args: string[]; base?: string[] }
  /** Checked by a function of the outcome. */
  | { args: string[]; check: (r: Outcome) => void | Promise<void>; input?: string; env?: NodeJS.ProcessEnv }
  /** Same results by contract: same folder as without it, and `bad` is refused (exit 1). */
  | { same: string[]; bad: string[] };

const file = (name: string): string => tmp.path(name);

/** A pseudonym key (never on the command line: the environment or a file). */
const KEY = 'a-test-key-of-32-bytes-0123456789';
const pseudonymised = (r: Outcome): void => {
  expect(r.code, r.stderr).toBe(0);
  const ids = r.files['customers.csv']!.split('\n').slice(1, -1).map((l) => l.slice(0, l.indexOf(',')));
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toMatch(/^px_[a-z2-7]{16}$/);
};

const CASES: Record<string, () => Check> = {
  pseudonymize: () => ({ args: ['--pseudonymize'], env: { NO_COLOR: '1', CUSTKIT_PSEUDONYM_KEY: KEY }, check: pseudonymised }),
  'pseudonym-key-file': () => {
    writeFileSync(file('key.txt'), KEY + '\n');
    return { args: ['--pseudonymize', '--pseudonym-key-file', file('key.txt')], check: pseudonymised };
  },
  'pseudonym-map': () => ({
    args: ['--pseudonymize', '--pseudonym-map', file('pseudonyms.csv')],
    env: { NO_COLOR: '1', CUSTKIT_PSEUDONYM_KEY: KEY },
    check: (r) => {
      pseudonymised(r);
      expect(readFileSync(file('pseudonyms.csv'), 'utf8')).toMatch(/^customer_id,pseudonym\n/);
    },
  }),
  config: () => {
    writeFileSync(file('config.json'), JSON.stringify({ segment: { bins: 3 } }));
    return { args: ['--config', file('config.json')] };
  },
  quiet: () => ({ args: ['--quiet'], check: (r) => expect(r.stderr).toBe('') }),
  debug: () => ({ args: ['--debug', '--as-of', '2024-02-30'], check: (r) => { expect(r.code).toBe(1); expect(r.stderr).toMatch(/\n\s+at /); } }),
  encoding: () => ({ args: ['--encoding', 'utf-16le'] }),
  delimiter: () => ({ args: ['--delimiter', ';'] }),
  'no-header': () => ({ args: ['--no-header'] }),
  amount: () => ({ args: ['--no-amount'], check: (r) => expect(r.stderr).toContain('transactions without amounts') }),
  map: () => ({ args: ['--map', 'amount=quantity'] }),
  keep: () => ({ args: ['--keep', 'status'] }),
  attr: () => ({ args: ['--keep', 'status', '--attr', 'status=distinct-count'], base: ['--keep', 'status'] }),
  by: () => ({ args: ['--keep', 'status', '--by', 'status'], base: ['--keep', 'status'] }),
  'by-top': () => ({ args: ['--keep', 'status', '--by', 'status', '--by-top', '1'], base: ['--keep', 'status', '--by', 'status'] }),
  actions: () => {
    // Every segment of the 11-segment map once: all "call", so actions.csv changes.
    const names = ['Champions', 'Loyal', 'Potential Loyalist', 'New', 'Promising', 'Need Attention', 'About To Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost'];
    writeFileSync(file('actions.json'), JSON.stringify({ actions: names.map((segment) => ({ segment, action: 'call', priority: 1 })) }));
    return { args: ['--actions', file('actions.json')] };
  },
  suppress: () => {
    writeFileSync(file('suppress.txt'), ['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07', 'K08', 'K09', 'K10'].join('\n') + '\n');
    return { args: ['--suppress', file('suppress.txt')] };
  },
  decimal: () => ({ args: ['--decimal', ','] }),
  sheet: () => ({ args: ['--sheet', 'Orders'] }), // an .xlsx input's sheet; on CSV input refused, not ignored
  parquet: () => ({ args: ['--parquet'], check: (r) => expect(r.files['customers.parquet']).toBeDefined() }),
  // No customers.xlsx, nor in run.json; the other files as always; the config's run.workbook false too.
  workbook: () => ({
    args: ['--no-workbook'],
    check: async (r) => {
      const listed = (o: Outcome): string[] => (JSON.parse(readFileSync(join(o.out, 'run.json'), 'utf8')) as { files: { name: string }[] }).files.map((f) => f.name);
      expect(r.code, r.stderr).toBe(0);
      expect(Object.keys(r.files)).not.toContain('customers.xlsx');
      expect(listed(r)).not.toContain('customers.xlsx');
      expect(listed(r)).toEqual(expect.arrayContaining(['customers.csv', 'actions.csv', 'report.html']));
      const plain = await run([]);
      expect(listed(plain)).toEqual([...listed(r), 'customers.xlsx'].sort());
      writeFileSync(file('config-workbook.json'), JSON.stringify({ run: { workbook: false } }));
      expect(listed(await run(['--config', file('config-workbook.json')]))).toEqual(listed(r));
    },
  }),
  'date-format': () => ({ args: ['--date-format', 'excel'] }),
  'date-window': () => ({ args: ['--date-window', '2024-01-01..'] }),
  'fold-ids': () => ({ args: ['--fold-ids'] }),
  rejects: () => ({ args: ['--rejects', file('rejects-copy.csv')], check: (r) => expect(sameRun(readFileSync(file('rejects-copy.csv'), 'utf8'))).toBe(r.files['rejects.csv']) }),
  'max-reject-rate': () => ({ args: ['--max-reject-rate', '0'], check: (r) => expect(r.code).toBe(3) }),
  parser: () => ({ same: ['--parser', 'csv-parse'], bad: ['--parser', 'nope'] }),
  returns: () => ({ args: ['--returns', 'drop'] }),
  duplicates: () => ({ args: ['--duplicates', 'drop'] }),
  guests: () => ({ args: ['--guests', 'keep'] }),
  'guest-ids': () => ({ args: ['--guest-ids', 'K07'] }),
  exclude: () => {
    writeFileSync(file('exclude.txt'), 'K07\n');
    return { args: ['--exclude', file('exclude.txt')] };
  },
  since: () => ({ args: ['--since', '2024-01-01'] }),
  until: () => ({ args: ['--until', '2024-03-01'] }),
  outliers: () => ({ args: ['--outliers', 'drop'] }),
  'fold-window': () => ({ args: ['--fold-window', '1'] }),
  audit: () => ({ args: ['--audit', file('audit-copy.json')], check: (r) => expect(sameRun(readFileSync(file('audit-copy.json'), 'utf8'))).toBe(r.files['audit.json']) }),
  'as-of': () => ({ args: ['--as-of', '2024-06-30'] }),
  engine: () => ({ same: ['--engine', 'duckdb'], bad: ['--engine', 'nope'] }),
  'memory-limit': () => ({ same: ['--engine', 'duckdb', '--memory-limit', '256MB'], bad: ['--engine', 'duckdb', '--memory-limit', '1KB'] }),
  threads: () => ({ same: ['--threads', '2'], bad: ['--threads', '0'] }),
  cohorts: () => ({ args: ['--cohorts', 'quarter'] }),
  // The key indicators it chooses need more customers than this input has (tested on cohorts' own
  // fixtures): here it is read and checked, and leaves the folder as it is.
  outcome: () => ({ same: ['--outcome', 'alive'], bad: ['--outcome', 'nope'] }),
  only: () => ({ args: ['--only', 'rfm'] }),
  abc: () => ({ args: ['--abc', '50,30,20'] }),
  'abc-by': () => ({ args: ['--abc-by', 'orders'] }),
  'abc-mode': () => ({ args: ['--abc-mode', 'grid'] }),
  pyramid: () => ({ args: ['--pyramid', '10,20,30'] }),
  bins: () => ({ args: ['--bins', '3'] }),
  segments: () => ({ args: ['--segments', 'zh8'] }),
  'rfm-split': () => ({ args: ['--segments', 'zh8', '--rfm-split', 'median'], base: ['--segments', 'zh8'] }),
  k: () => ({ args: ['--k', '3'] }),
  features: () => ({ args: ['--features', 'orders,revenue'] }),
  seed: () => ({ args: ['--k', '5', '--seed', '3'], base: ['--k', '5'] }),
  'sleep-rule': () => ({ args: ['--sleep-rule', 'days'] }),
  sleep: () => ({ args: ['--sleep-rule', 'days', '--sleep', '1,2,3,4'], base: ['--sleep-rule', 'days'] }),
  'sleep-factors': () => ({ args: ['--sleep-factors', '1,1.1,1.2,1.3'] }),
  model: () => ({ args: ['--model', 'pnbd'] }),
  unit: () => ({ args: ['--unit', 'day'] }),
  horizon: () => ({ args: ['--horizon', '6m'] }),
  'discount-rate': () => ({ args: ['--discount-rate', '50%/yr'] }),
  margin: () => ({ args: ['--margin', '0.5'] }),
  penalizer: () => ({ args: ['--penalizer', '0.1'] }),
  'model-out': () => ({ args: ['--model-out', file('fit-copy.json')], check: (r) => expect(sameRun(readFileSync(file('fit-copy.json'), 'utf8'))).toBe(r.files['fit.json']) }),
  holdout: () => ({ args: ['--holdout', '2024-03-01'], check: (r) => { expect(r.code, r.stderr).toBe(0); expect(r.files['backtest.json']).toBeDefined(); } }),
  'backtest-out': () => ({ args: ['--holdout', '2024-03-01', '--backtest-out', file('backtest-customers.csv')], check: (r) => { expect(r.code, r.stderr).toBe(0); expect(readFileSync(file('backtest-customers.csv'), 'utf8')).toMatch(/^customer_id,/); } }),
  'model-in': () => ({
    args: [],
    check: async () => {
      const bt = await run(['--holdout', '2024-03-01']);
      writeFileSync(file('fit-in.json'), bt.files['fit.json']!);
      const r = await run(['--model-in', file('fit-in.json')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('run: score: the backtest');
    },
  }),
  'churn-thresholds': () => ({ args: ['--churn-thresholds', '0.1,0.2'] }),
  pii: () => ({ args: ['--pii', 'show'], check: (r) => expect(r.code, r.stderr).toBe(0) }), // personal data in reports: tested by the privacy tests
  lang: () => ({ args: ['--lang', 'zh'] }),
  top: () => ({ args: ['--top', '1'] }),
  excel: () => ({ args: ['--excel'], check: (r) => expect(r.files['customers.excel.csv']).toBeDefined() }),
  'fail-if': () => ({ args: ['--fail-if', 'customers>1'], check: (r) => expect(r.code).toBe(4) }),
  format: () => ({ args: ['--format', 'json,csv'], check: (r) => expect(Object.keys(r.files).filter((f) => f.startsWith('report.'))).toEqual(['report.csv', 'report.json']) }),
  out: () => ({ args: [], check: (r) => expect(r.files['customers.csv']).toBeDefined() }), // every case writes into its own --out
  compare: () => ({ args: ['--compare', fixture('report', 'customers_previous.csv')], check: (r) => expect(r.files['report.md']).toContain('## Changes since the previous report') }),
  help: () => ({ args: ['--help'], check: (r) => expect(r.stdout).toContain('Usage: custkit run') }),
  // Notes instead of the short summary on a terminal; without one (as here) the notes are always printed.
  verbose: () => ({ args: ['--verbose'], check: (r) => { expect(r.code).toBe(0); expect(r.stderr).toContain('run: clean:'); } }),
  // Its effect needs a second run holding DIR's lock at the same time: tested there.
  'wait-lock': () => ({ args: [], check: () => expect(readFileSync(join(__dirname, 'run-folder.test.ts'), 'utf8')).toContain("'--wait-lock'") }),
  'allow-empty': () => {
    writeFileSync(file('empty.csv'), 'customer_id,order_id,order_date,amount\n');
    return {
      args: ['--allow-empty'],
      input: file('empty.csv'),
      check: async (r) => {
        expect(r.code).toBe(0);
        expect((await run([], file('empty.csv'))).code).toBe(2); // without it
      },
    };
  },
};

describe('run honours every option run --help lists', () => {
  let helpOptions: string[] = [];
  let baseline: Outcome;
  const baselines = new Map<string, Outcome>();
  const baseOf = async (args: string[] | undefined): Promise<Outcome> => {
    if (!args?.length) return baseline;
    const key = args.join(' ');
    if (!baselines.has(key)) baselines.set(key, await run(args));
    return baselines.get(key)!;
  };

  beforeAll(async () => {
    INPUT = input();
    const h = await runCli(['run', '--help']);
    // run's own options one per line, then its stages' options by name ("Stage options" block) and
    // the options of every command.
    const text = h.stdout;
    const own = [...text.matchAll(/^ {2}(?:-[a-zA-Z], )?--([a-z][a-z-]*)/gm)].map((m) => m[1]!);
    const stages = text.slice(text.indexOf('  Stage options'), text.indexOf('\nExamples:'));
    const named = [...stages.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!);
    helpOptions = [...new Set([...own, ...named])].map((n) => (n.startsWith('no-') && n !== 'no-header' ? n.slice(3) : n));
    baseline = await run([]);
    expect(baseline.code, baseline.stderr).toBe(0);
  });

  it('every listed option has a case below, and no case names an option run does not list', () => {
    expect([...helpOptions].sort()).toEqual(Object.keys(CASES).sort());
    // Listed before and refused or ignored by run: not listed now.
    for (const gone of ['from', 'table', 'query', 'lock-timeout', 'statement-timeout']) expect(helpOptions).not.toContain(gone);
  });

  it('each option has its effect', async () => {
    for (const name of Object.keys(CASES)) {
      const c = CASES[name]!();
      if ('same' in c) {
        const r = await run(c.same);
        expect(r.code, `--${name}: ${r.stderr}`).toBe(0);
        expect(sameFolder(r, baseline), `--${name} gives the same folder`).toBe(true);
        expect((await run(c.bad)).code, `--${name} ${c.bad.at(-1)} is refused`).toBe(1);
      } else if ('check' in c) {
        const r = await run(c.args, c.input, c.env);
        try {
          await c.check(r);
        } catch (e) {
          throw new Error(`--${name}: ${(e as Error).message}\n${r.stderr}`);
        }
      } else {
        const r = await run(c.args);
        expect(sameFolder(r, await baseOf(c.base)), `--${name} ${c.args.join(' ')} changes the output (exit ${r.code}: ${r.stderr.slice(-300)})`).toBe(false);
      }
    }
  }, 180_000);

  it('--rejects/--audit/--model-out copies, a bad --format and options of other commands in a config are refused', async () => {
    expect((await run(['--format', 'table'])).code).toBe(1);
    writeFileSync(file('config-from.json'), JSON.stringify({ ingest: { from: 'postgres://db/x' } }));
    const r = await run(['--config', file('config-from.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config ingest.from: run does not take --from');
    const h = await run(['--from', 'postgres://db/x']);
    expect(h.code).toBe(1);
  });
});
