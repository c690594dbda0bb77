export const HELP = `
custkit segment [FILES...|-] — one row per customer: value, behaviour, group, sleep state.

Aggregates cleaned transactions (or reads an existing per-customer table: custkit's own,
or customer_id + orders + revenue + last order date / recency days) and classifies every
customer: ABC (Pareto), value pyramid (VIP/key/medium/ordinary), RFM scores and named
segments (11-segment map, or --segments zh8 for 重要价值客户…, or a JSON map), k-means
clusters with readable labels, and sleeping customers (drowsy 瞌睡 / half-asleep 半睡 /
deep-sleep 沉睡 / lost). Output: CSV sorted by customer_id on stdout; a summary with the
as-of date, counts per class and the RFM thresholds on stderr. Columns kept with
\`ingest --keep\` become per-customer attributes (--attr col=first|last|mode|distinct-count|sum|mean;
default last: the latest order's value); memory then grows with customers × kept columns.
Cost: one pass; memory grows with customers, not orders (~150 bytes per customer).
--engine duckdb aggregates in embedded DuckDB instead (CSV, CSV.gz or Parquet files; every
core; --memory-limit bounds its memory and it spills to disk beyond it): same table.
Definitions and formulas: README "Definitions".

Examples:
  custkit clean tx.csv | custkit segment --as-of 2026-06-30 > customers.csv
  custkit segment tx.csv --segments zh8 --k 5 --seed 7
  custkit segment tx.csv --attr country=mode,discount=sum
  custkit segment rfm_customers.csv --as-of 2007-01-01 --only rfm
  custkit segment tx-2025.parquet tx-2026.parquet --engine duckdb --memory-limit 2GB
`;
import type { CommandSpec } from '../command.js';
import { EXIT } from '../errors.js';
import { openSink } from '../../io/text-output.js';
import { aggregateWithEngine, engineOptionsFrom } from '../../pipeline/engine-aggregate.js';
import { segmentOptionsFrom, segmentSummaries, segmentTableLines, segmentSummaryLines } from '../../pipeline/segment-stage.js';
import { ALLOW_EMPTY_OPTION, dayOption } from '../shared.js';
import { refuseEmptyInput } from '../../pipeline/empty-input.js';
import { attrRulesOption, describeAttrs } from '../../pipeline/aggregate-stage.js';
import { customerTableOutput } from '../../pipeline/customer-table-output.js';
import { formatDay } from '../../core/time/day.js';

export const segmentCommand: CommandSpec = {
  name: 'segment',
  args: '[files...]',
  summary: 'aggregate per customer and classify (ABC, pyramid, RFM, k-means, sleeping)',
  help: HELP,
  stages: ['segment'],
  extra: [{ flags: '-o, --output <file>', description: 'write the customer table here (atomically) instead of stdout; a name ending in .parquet writes Parquet with typed columns' }, ALLOW_EMPTY_OPTION],
  async run(ctx, args, o) {
    const t0 = performance.now();
    const agg = await aggregateWithEngine(args.length ? args : ['-'], dayOption(o.asOf, 'as-of'), engineOptionsFrom(o), ctx.msgs, (c, total) =>
      ctx.msgs.progress(`segment: ${(c / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`),
    attrRulesOption(o.attr));
    ctx.msgs.endProgress();
    refuseEmptyInput('segment', agg.rows, args.length ? args : ['-'], Boolean(o.allowEmpty));
    ctx.stats.aggregateMs = Math.round(performance.now() - t0);
    const t1 = performance.now();
    const opts = segmentOptionsFrom(o);
    if (agg.amountless) opts.amountless = true;
    const seg = segmentSummaries(agg.summaries, opts);
    ctx.stats.classifyMs = Math.round(performance.now() - t1);
    const table = customerTableOutput(o.output as string | undefined, ctx.stdout);
    const out = table.sink;
    try {
      for (const line of segmentTableLines(agg.summaries, seg, agg.attributes)) {
        out.write(line);
        await out.drain();
      }
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
    return EXIT.OK;
  },
};
