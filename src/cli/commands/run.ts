export const HELP = `
custkit run [FILES...] --out DIR — the whole pipeline in one process.

ingest → clean → segment → score → report, as the piped commands. Writes
customers.csv (exact: the piped table), customers.xlsx, actions.csv, report.html/.md/.json
(--format html,md,json,csv), audit.json, rejects.csv, fit.json (copies: --rejects, --audit,
--model-out), run.json; --excel adds customers.excel.csv and report.csv, --parquet
customers.parquet. Inputs: CSV/TSV, .xlsx (--sheet), .parquet; none: a demo export.
All or nothing: DIR links to a complete set in .DIR.runs/ (the one before: DIR/previous/);
one run per DIR at a time. Cost: one pass (two with --outliers cap|drop); memory grows with
customers. --engine duckdb runs ingest, clean, aggregation and cohorts in SQL for canonical
input (same results; key indicators: JavaScript only). Cohorts by month (--cohorts, --outcome).

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
import { parallelismFor } from '../threads.js';
import { RUN_OMITS, RUN_OPTIONS } from '../../config/config-file.js';
import { listValue } from '../../config/options.js';
import { briefMessages, runSummaryLines } from '../../pipeline/run-summary.js';
import { runOptionsFrom } from '../stage-options/run.js';
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
    // Shorter than the config schema's descriptions (RUN_OPTIONS): the help must fit one screen.
    { flags: '--wait-lock', description: 'wait for another run writing DIR (else exit 2)' },
    { flags: '--allow-empty', description: 'accept input without data rows (else exit 2)' },
    { flags: '--actions <file>', description: 'segment → action table (JSON) for actions.csv' },
    { flags: '--suppress <file>', description: 'ids left out of actions.csv only (opt-outs)' },
    { flags: '--parquet', description: RUN_OPTIONS.find((r) => r.name === 'parquet')!.description },
    { flags: '--no-workbook', description: 'skip customers.xlsx (e.g. cron jobs that read the CSV only)' },
    { flags: '--pseudonymize', description: 'ids in every output as keyed pseudonyms (key: CUSTKIT_PSEUDONYM_KEY or --pseudonym-key-file)' },
    { flags: '--pseudonym-key-file <file>', description: 'read the pseudonym key from this file' },
    { flags: '--pseudonym-map <file>', description: 'write the id ↔ pseudonym table (keep it apart)' },
    { flags: '--verbose', description: "every stage's notes, not only the summary" },
  ],
  async run(ctx, args, o) {
    const files = args.length ? args : listValue(o.inputs);
    const pseudonyms = pseudonymizerFrom(o, ctx.env);
    const opts = runOptionsFrom(o, ctx.today());
    // A person at a terminal gets where the report is and the headline numbers; logs get the notes.
    if (!ctx.msgs.tty || ctx.msgs.quiet || o.verbose) return (await runPipeline(ctx, files, opts, pseudonyms, (threads) => parallelismFor(ctx, threads))) ?? EXIT.OK;
    const brief = briefMessages(ctx.msgs);
    let code: number;
    try {
      code = (await runPipeline({ ...ctx, msgs: brief.msgs }, files, opts, pseudonyms, (threads) => parallelismFor(ctx, threads))) ?? EXIT.OK;
    } catch (e) {
      brief.flush();
      throw e;
    }
    for (const line of runSummaryLines(opts.out, brief.alerts)) ctx.msgs.error(line);
    return code;
  },
};
