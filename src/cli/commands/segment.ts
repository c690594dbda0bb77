export const HELP = `
custkit segment [FILES...|-] — one row per customer: value, group, sleep state.

Aggregates cleaned transactions (or reads a customer table) and classifies every
customer: ABC, pyramid, RFM (zh8: 重要价值客户…), k-means, sleeping (瞌睡/半睡/沉睡).
CSV on stdout, counts on stderr. Cost: one pass over the transactions; memory grows
with customers (~150 bytes each), not orders.

Examples:
  custkit segment tx.csv --segments zh8 --k 5 --cohorts-out cohorts.json
  custkit segment tx.csv --attr country=mode,discount=sum
`;
import { parallelismFor } from '../threads.js';
import type { CommandSpec } from '../command.js';
import { EXIT, usageError } from '../../errors.js';
import { aggregateWithEngine } from '../../pipeline/engine-aggregate.js';
import { aliveDrivers, retentionSummaryLines, writeRetention } from '../../pipeline/cohort-stage.js';
import { cohortGrainFrom, driverOutcomeFrom, engineOptionsFrom, segmentOptionsFrom } from '../stage-options/segment.js';
import { segmentSummaries, segmentSummaryLines } from '../../pipeline/segment-stage.js';
import { writeCustomerTable } from '../../pipeline/customer-table-writer.js';
import { ALLOW_EMPTY_OPTION } from '../shared.js';
import { inputFiles } from '../command-io.js';
import { refuseEmptyInput } from '../../pipeline/empty-input.js';
import { attrRulesOption, describeAttrs } from '../../pipeline/aggregate-stage.js';
import { customerTableOutput } from '../../pipeline/customer-table-output.js';
import { formatDay } from '../../core/time/day.js';
import { asOfDay } from '../../config/options.js';

export const segmentCommand: CommandSpec = {
  name: 'segment',
  args: '[files...]',
  summary: 'aggregate per customer and classify (ABC, pyramid, RFM, k-means, sleeping)',
  help: HELP,
  stages: ['segment'],
  extra: [
    { flags: '-o, --output <file>', description: 'write the table here (atomically), not to stdout; *.parquet writes typed Parquet' },
    { flags: '--cohorts-out <file>', description: 'cohorts JSON for report --cohorts' },
    ALLOW_EMPTY_OPTION,
  ],
  async run(ctx, args, o) {
    const t0 = performance.now();
    const files = inputFiles(args);
    const grain = cohortGrainFrom(o, o.cohortsOut ? 'month' : null);
    if (o.cohortsOut && grain === null) throw usageError('--cohorts-out with --cohorts off', 'drop one of them');
    const outcome = driverOutcomeFrom(o);
    const eng = engineOptionsFrom(o);
    const agg = await aggregateWithEngine(files, asOfDay(o.asOf), eng, ctx.msgs, (c, total) =>
      ctx.msgs.progress(`segment: ${(c / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`),
    attrRulesOption(o.attr), grain, outcome, parallelismFor(ctx, eng.threads));
    ctx.msgs.endProgress();
    refuseEmptyInput('segment', agg.rows, files, Boolean(o.allowEmpty));
    ctx.stats.aggregateMs = Math.round(performance.now() - t0);
    const t1 = performance.now();
    const opts = segmentOptionsFrom(o);
    if (agg.amountless) opts.amountless = true;
    const seg = segmentSummaries(agg.summaries, opts);
    aliveDrivers(agg.retention, agg.summaries, seg, agg.asOf);
    ctx.stats.classifyMs = Math.round(performance.now() - t1);
    const table = customerTableOutput(o.output as string | undefined, ctx.stdout);
    const out = table.sink;
    try {
      await writeCustomerTable(out, { summaries: agg.summaries, seg, attributes: agg.attributes });
      await table.close();
    } catch (e) {
      table.abort();
      throw e;
    }
    // An empty input has no latest transaction: say so instead of printing day 0 (1970-01-01).
    const asOfText = agg.rows === 0 && !o.asOf ? 'unknown (no input rows)' : `${formatDay(agg.asOf)} (inclusive)`;
    ctx.msgs.note(`segment: as of ${asOfText} · ${agg.rows} input rows (${agg.source}${agg.engine ? `, ${agg.engine} engine` : ''}${agg.threads && agg.threads > 1 ? `, ${agg.threads} threads` : ''}) → ${agg.summaries.length} customers`);
    if (agg.attributes) ctx.msgs.note(`segment: attributes per customer: ${describeAttrs(agg.attributes.specs)}`);
    if (agg.refundOnly) ctx.msgs.note(`segment: ${agg.refundOnly} customers with only refunds (no purchase day) are not in the table`);
    if (agg.afterAsOf) ctx.msgs.note(`segment: ${agg.afterAsOf} transactions after the as-of date were ignored`);
    for (const l of segmentSummaryLines(agg.summaries, seg)) ctx.msgs.note(l);
    if (grain !== null && agg.retention) {
      for (const l of retentionSummaryLines(agg.retention, 'segment')) ctx.msgs.note(l);
      if (o.cohortsOut) writeRetention(String(o.cohortsOut), agg.retention);
    } else if (grain !== null && !agg.engine) {
      // A customer table has no dates of activity per period: say so instead of writing nothing silently.
      ctx.msgs.warn(`segment: cohorts need transactions; ${agg.label} is a customer table (${agg.source}), so there are none`);
    }
    if (grain !== null && !agg.retention && o.cohortsOut) {
      ctx.msgs.error(`custkit: --cohorts-out ${String(o.cohortsOut)} not written: no cohorts were computed`);
      return EXIT.DATA;
    }
    return EXIT.OK;
  },
};
