export const HELP = `
custkit score [FILE|-] — lifetime value and P(alive) for every customer.

Fits a BTYD model by maximum likelihood — BG/NBD (Fader, Hardie & Lee 2005), MBG/NBD
(Batislam et al. 2007) or Pareto/NBD (Schmittlein et al. 1987) — plus the Gamma-Gamma
spend model, and appends p_alive, expected_orders (over --horizon), expected_avg_value,
clv (discounted at --discount-rate, × --margin), historic_value and churn_risk to the
customer table. The fit goes to stderr and --model-out. Backtest: --holdout DATE on
cleaned transactions fits every model on orders up to DATE, compares predictions with
what happened after it (MAE, RMSE, calibration) and sweeps the churn threshold (error
rate 错误率, miss rate 遗漏率, F1); --model auto and the threshold are chosen from it,
--model-in reuses the choice (docs/definitions.md, Backtest). Cost: memory grows with customers.

Examples:
  custkit score customers.csv --horizon 12m --discount-rate 10%/yr --margin .3 \\
      > scored.csv
  custkit score customers.csv --model auto --unit day --model-out fit.json
  custkit clean tx.csv | custkit score --holdout 2026-01-01 --as-of 2026-06-30
  custkit score tx.csv --holdout 2026-01-01 --model auto --model-out fit.json
  custkit score customers.csv --model-in fit.json
`;
import type { CommandSpec } from '../command.js';
import { asOfOption } from '../shared.js';
import { inputFile } from '../command-io.js';
import { EXIT, usageError } from '../../errors.js';
import { openSink } from '../../io/text-output.js';
import { customerTableOutput, isParquetPath } from '../../pipeline/customer-table-output.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { readSegmentTableForScoring } from '../../pipeline/customer-table-reader.js';
import { writeScoredTable } from '../../pipeline/customer-table-writer.js';
import { fitLine, fitSummary, scoreCustomerTable } from '../../pipeline/score-stage.js';
import { scoreOptionsFrom } from '../stage-options/score.js';
import { backtestSleepOptionsFrom } from '../stage-options/segment.js';
import { runBacktest, backtestText, writeBacktestCustomers } from '../../pipeline/backtest-stage.js';
import { applyModelIn, backtestFitSummary, readModelIn } from '../../pipeline/model-selection.js';
import { asOfDay, dayOption } from '../../config/options.js';

/** Options that belong to one mode only (table or --holdout backtest): said instead of silently ignored. */
function refuseOtherModeOptions(o: Record<string, unknown>, file: string): void {
  if (!o.holdout && (o.asOf !== undefined || (o.format !== undefined && o.format !== 'text'))) {
    throw usageError('--as-of and --format apply to backtests only', 'add --holdout DATE, or drop them (score reads the as-of date from the customer table)');
  }
  if (!o.holdout && o.backtestOut) throw usageError('--backtest-out applies to backtests only', 'add --holdout DATE');
  if (o.holdout && o.modelIn) throw usageError('--model-in reuses a backtest\'s choice; a backtest makes its own', 'drop --model-in, or drop --holdout');
  if (o.format !== undefined && o.format !== 'text' && o.format !== 'json') {
    throw usageError(`--format ${String(o.format)} is not valid`, 'use text or json');
  }
  if (o.holdout && isParquetPath(o.output)) throw usageError('--holdout writes a backtest report, not a table: -o *.parquet does not apply', 'use -o backtest.json with --format json');
  if (isParquetPath(file)) throw usageError('score reads the customer table as CSV (from segment)', 'give segment\'s CSV output; -o x.parquet writes Parquet');
}

export const scoreCommand: CommandSpec = {
  name: 'score',
  args: '[file]',
  summary: 'fit BTYD + Gamma-Gamma and add p_alive, expected orders and CLV (or backtest with --holdout)',
  help: HELP,
  stages: ['score'],
  extra: [
    { flags: '-o, --output <file>', description: 'write the scored table here (atomically), not to stdout; *.parquet writes typed Parquet' },
    asOfOption('observation end for --holdout', 'the latest transaction: default'),
    { flags: '--format <fmt>', description: 'backtest output: text (default) or json' },
  ],
  async run(ctx, args, o) {
    const file = inputFile(args);
    const opts = scoreOptionsFrom(o);
    refuseOtherModeOptions(o, file);
    if (o.holdout) {
      const bt = await runBacktest(file, dayOption(o.holdout, 'holdout')!, asOfDay(o.asOf), opts, backtestSleepOptionsFrom(o));
      const res = bt.result;
      ctx.msgs.note(`score: backtest: ${res.selection.why}`);
      ctx.msgs.note(`score: backtest: churn threshold ${res.selection.churn_threshold ?? 'none'} by F1; default churn flag ${res.selection.churn_flag_rule} (${res.selection.churn_flag_why})`);
      if (o.backtestOut) {
        const bo = openSink(String(o.backtestOut));
        await writeBacktestCustomers(bo, bt);
        await bo.close();
      }
      if (o.modelOut) writeFileAtomic(String(o.modelOut), JSON.stringify(backtestFitSummary(bt, opts), null, 2) + '\n');
      const out = openSink(o.output as string | undefined, { stdout: ctx.stdout });
      out.write(o.format === 'json' ? JSON.stringify(res, null, 2) + '\n' : backtestText(res));
      await out.close();
      return EXIT.OK;
    }
    if (o.modelIn) for (const n of applyModelIn(opts, readModelIn(String(o.modelIn)))) ctx.msgs.note(`score: ${n}`);
    const table = await readSegmentTableForScoring(file);
    if (table.lines.length > 0) opts.noAmounts = table.noAmounts;
    const t0 = performance.now();
    const res = scoreCustomerTable(table.input, opts);
    ctx.stats.scoreMs = Math.round(performance.now() - t0);
    const output = customerTableOutput(o.output as string | undefined, ctx.stdout);
    try {
      await writeScoredTable(output.sink, table.header, table.lines, res);
      await output.close();
    } catch (e) {
      output.abort();
      throw e;
    }
    ctx.msgs.note(fitLine(res));
    ctx.msgs.note(`score: horizon ${opts.horizonText} (${opts.horizonDays.toFixed(2)} days), discount ${opts.discountText}, margin ${opts.margin}; churn risk: high below p_alive ${opts.churn.medium}, low from ${opts.churn.low}`);
    for (const n of res.info) ctx.msgs.note(`score: ${n}`);
    for (const n of res.notes) ctx.msgs.warn(n);
    if (o.modelOut) writeFileAtomic(String(o.modelOut), JSON.stringify(fitSummary(res, opts, table.lines.length), null, 2) + '\n');
    return EXIT.OK;
  },
};
