export const HELP = `
custkit run [FILES...] --out DIR — the whole pipeline in one process.

ingest → clean → segment → score → report, as the piped commands.
Writes customers.csv (exact: the piped table), customers.xlsx,
actions.csv (--actions, --suppress), report.html/.md/.json (--format html,md,json,csv),
audit.json, rejects.csv, fit.json (copies: --rejects, --audit, --model-out),
run.json (checksums, run id); --excel adds customers.excel.csv and report.csv
(ids like 000123 as text), --parquet customers.parquet.
Inputs: CSV/TSV, .xlsx (--sheet), .parquet.
All or nothing: DIR links to a complete set in .DIR.runs/, switched in one rename; the
set before is DIR/previous/ (--compare auto). One run per DIR at a time (--wait-lock
waits). No data rows exits 2 (--allow-empty). No FILES: the bundled demo export.
Cost: one pass (two with --outliers cap|drop); memory grows with customers. --engine
duckdb runs ingest, clean and aggregation in DuckDB for canonical input (same results).
Reports include cohorts by month (--cohorts, --outcome); DuckDB computes none.

Examples:
  custkit run --out custkit-out
  custkit run exports/*.csv --out /srv/reports/customers --config custkit.json
  custkit run orders.csv --out out --fail-if 'sleeping_value_share>0.25' || page
  custkit run a.csv --out out --keep country --by country --suppress optout.csv
  custkit run history.csv.gz --out out --engine duckdb --memory-limit 2GB
`;
import type { CommandSpec } from '../command.js';
import { EXIT } from '../../errors.js';
import { runPipeline } from '../../pipeline/run-pipeline.js';
import { RUN_OMITS, RUN_OPTIONS } from '../../config/config-file.js';
import { listValue } from '../../config/options.js';
import { briefMessages, runSummaryLines } from '../../pipeline/run-summary.js';
import { resolve } from 'node:path';
import { pseudonymizerFrom } from '../pseudonym-key.js';

export const runCommand: CommandSpec = {
  name: 'run',
  args: '[files...]',
  summary: 'ingest → clean → segment → score → report in one process, into an output folder',
  help: HELP,
  stages: ['ingest', 'clean', 'segment', 'score', 'report'],
  omit: RUN_OMITS,
  extra: [
    { flags: '--format <list>', description: 'report files (default: html,md,json; or csv)' },
    { flags: '--out <dir>', description: RUN_OPTIONS.find((r) => r.name === 'out')!.description + ' (default: custkit-out)' },
    { flags: '--compare <auto|off|file>', description: 'changes since the previous run: auto uses DIR/customers.csv from the last run (default: auto)' },
    { flags: '--wait-lock', description: RUN_OPTIONS.find((r) => r.name === 'wait-lock')!.description },
    { flags: '--allow-empty', description: RUN_OPTIONS.find((r) => r.name === 'allow-empty')!.description },
    { flags: '--actions <file>', description: RUN_OPTIONS.find((r) => r.name === 'actions')!.description },
    { flags: '--suppress <file>', description: RUN_OPTIONS.find((r) => r.name === 'suppress')!.description },
    { flags: '--parquet', description: RUN_OPTIONS.find((r) => r.name === 'parquet')!.description },
    { flags: '--pseudonymize', description: 'customer ids as keyed pseudonyms (key: CUSTKIT_PSEUDONYM_KEY)', hidden: true },
    ...['pseudonym-key-file', 'pseudonym-map'].map((name) => {
      const r = RUN_OPTIONS.find((x) => x.name === name)!;
      return { flags: `--${name} ${r.arg!}`, description: r.description, hidden: true };
    }),
    { flags: '--verbose', description: "on a terminal, print every stage's notes instead of the short summary (always printed when stderr is not a terminal)" },
  ],
  async run(ctx, args, o) {
    const files = args.length ? args : listValue(o.inputs);
    const pseudonyms = pseudonymizerFrom(o, ctx.env);
    // A person at a terminal gets where the report is and the headline numbers; logs get the notes.
    if (!ctx.msgs.tty || ctx.msgs.quiet || o.verbose) return (await runPipeline(ctx, files, o, pseudonyms)) ?? EXIT.OK;
    const brief = briefMessages(ctx.msgs);
    let code: number;
    try {
      code = (await runPipeline({ ...ctx, msgs: brief.msgs }, files, o, pseudonyms)) ?? EXIT.OK;
    } catch (e) {
      brief.flush();
      throw e;
    }
    for (const line of runSummaryLines(resolve(String(o.out ?? 'custkit-out')), brief.alerts)) ctx.msgs.error(line);
    return code;
  },
};
