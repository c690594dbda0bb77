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
import { EXIT, dataError, usageError } from '../../errors.js';
import { openSink } from '../../io/text-output.js';
import { customerTableOutput, isParquetPath } from '../../pipeline/customer-table-output.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { readCsv } from '../../io/csv-reader.js';
import { failOnBrokenQuote } from '../../pipeline/broken-quote.js';
import { openText } from '../../io/text-input.js';
import { csvLine } from '../../io/csv-format.js';
import { SCORE_COLUMNS, fitLine, fitSummary, scoreCustomerTable } from '../../pipeline/score-stage.js';
import { scoreOptionsFrom } from '../stage-options/score.js';
import { backtestSleepOptionsFrom } from '../stage-options/segment.js';
import { runBacktest, backtestText, writeBacktestCustomers } from '../../pipeline/backtest-stage.js';
import { applyModelIn, backtestFitSummary, readModelIn } from '../../pipeline/model-selection.js';
import { asOfDay, dayOption } from '../../config/options.js';

const NEED = ['customer_id', 'orders', 'revenue', 'frequency', 'recency', 'T', 'repeat_avg_value'] as const;

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
    const input = await openText(file, 'auto');
    let header: string[] | null = null;
    let idx: Record<string, number> = {};
    const lines: string[] = [];
    const cols = { frequency: [] as number[], recency: [] as number[], T: [] as number[], repeat: [] as number[], revenue: [] as number[], orders: [] as number[] };
    await readCsv(input, {
      delimiter: ',',
      onBroken: failOnBrokenQuote(input.label),
      onRow(cells, line) {
        if (header === null) {
          header = cells;
          idx = Object.fromEntries(NEED.map((c) => [c, cells.indexOf(c)]));
          const missing = NEED.filter((c) => idx[c]! < 0);
          if (missing.length) {
            throw dataError(`not a customer table from segment: no ${missing.join(', ')} column`, { file: input.label, line: 1 }, 'run `custkit segment` first (score needs frequency, recency, T and repeat_avg_value)');
          }
          if (cells.includes('p_alive')) throw dataError('this table is already scored (has p_alive)', { file: input.label, line: 1 }, 'score the table written by segment');
          return;
        }
        if (cells.length !== header.length) throw dataError(`expected ${header.length} fields, found ${cells.length}`, { file: input.label, line });
        const num = (c: string, allowEmpty = false): number => {
          const s = cells[idx[c]!]!;
          if (s === '' && allowEmpty) return NaN;
          const v = Number(s);
          if (s === '' || !Number.isFinite(v)) throw dataError(`${c} "${s}" is not a number`, { file: input.label, line, column: c });
          return v;
        };
        // segment leaves recency and T empty for aggregated inputs without first-purchase dates
        // (e.g. the R rfm customer table): say so instead of '"" is not a number'.
        if (cells[idx.recency!] === '' || cells[idx.T!] === '') {
          throw dataError(
            `customer ${cells[idx.customer_id!]}: recency and T are empty (the table has no first-order dates), so no BTYD model can be fitted`,
            { file: input.label, line },
            'score needs first and last purchase dates per customer: run `custkit segment` on transactions, not on an aggregated customer table',
          );
        }
        cols.frequency.push(num('frequency'));
        cols.recency.push(num('recency'));
        cols.T.push(num('T'));
        cols.repeat.push(num('repeat_avg_value', true));
        // An empty revenue: a table of transactions without amounts (all rows or none).
        const noRevenue = cells[idx.revenue!] === '';
        if (cols.revenue.length === 0) opts.noAmounts = noRevenue;
        else if (noRevenue !== opts.noAmounts) {
          throw dataError(noRevenue ? 'revenue is empty, but earlier rows have revenue' : 'this row has revenue, but earlier rows have none', { file: input.label, line, column: 'revenue' }, 'a table from transactions without amounts has every revenue empty');
        }
        cols.revenue.push(noRevenue ? NaN : num('revenue'));
        cols.orders.push(num('orders'));
        lines.push(csvLine(cells).slice(0, -1));
      },
    });
    if (header === null) throw dataError('empty input', { file: input.label }, 'give the customer table written by `custkit segment`');
    const t0 = performance.now();
    const res = scoreCustomerTable(
      {
        frequency: Float64Array.from(cols.frequency),
        recencyDays: Float64Array.from(cols.recency),
        TDays: Float64Array.from(cols.T),
        repeatAvg: Float64Array.from(cols.repeat),
        revenue: Float64Array.from(cols.revenue),
        orders: Float64Array.from(cols.orders),
      },
      opts,
    );
    ctx.stats.scoreMs = Math.round(performance.now() - t0);
    const table = customerTableOutput(o.output as string | undefined, ctx.stdout);
    const out = table.sink;
    try {
      out.write(csvLine([...(header as string[]), ...SCORE_COLUMNS]));
      for (let i = 0; i < lines.length; i++) {
        out.write(lines[i]! + ',' + res.cells(i).join(',') + '\n');
        if ((i & 0xffff) === 0) await out.drain();
      }
      await table.close();
    } catch (e) {
      table.abort();
      throw e;
    }
    ctx.msgs.note(fitLine(res));
    ctx.msgs.note(`score: horizon ${opts.horizonText} (${opts.horizonDays.toFixed(2)} days), discount ${opts.discountText}, margin ${opts.margin}; churn risk: high below p_alive ${opts.churn.medium}, low from ${opts.churn.low}`);
    for (const n of res.info) ctx.msgs.note(`score: ${n}`);
    for (const n of res.notes) ctx.msgs.warn(n);
    if (o.modelOut) writeFileAtomic(String(o.modelOut), JSON.stringify(fitSummary(res, opts, lines.length), null, 2) + '\n');
    return EXIT.OK;
  },
};
