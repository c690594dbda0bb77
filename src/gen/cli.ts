/**
 * `npm run gen -- --orders N [--customers M] [--seed S] [--start D] [--end D] [--out FILE|-]
 * [--truth FILE] [--dirty]`: writes a deterministic order export (same options → same bytes).
 */
import { Command } from 'commander';
import { openSink } from '../io/text-output.js';
import { parseIsoDay, formatDay } from '../core/time/day.js';
import { generateOrders } from './orders-export.js';

const program = new Command('custkit-gen')
  .description('deterministic order-export generator for custkit tests and benchmarks')
  .requiredOption('--orders <n>', 'number of orders (lines, before --dirty additions)', (v) => Number(v))
  .option('--customers <n>', 'target number of customers (default: orders / 10)', (v) => Number(v))
  .option('--seed <n>', 'random seed', (v) => Number(v), 1)
  .option('--start <date>', 'first day of the window', '2023-01-01')
  .option('--end <date>', 'last day of the window', '2025-12-31')
  .option('--out <file>', 'output file (atomic) or - for stdout', '-')
  .option('--truth <file>', 'also write the per-customer ground truth here')
  .option('--dirty', 'inject duplicates, split orders, cancellations, refunds, guests, bad rows, formatted amounts')
  .parse();

const o = program.opts<{ orders: number; customers?: number; seed: number; start: string; end: string; out: string; truth?: string; dirty?: boolean }>();
const start = parseIsoDay(o.start);
const end = parseIsoDay(o.end);
if (start === null || end === null || end <= start || !(o.orders > 0)) {
  process.stderr.write('custkit-gen: need --orders > 0 and --start < --end as YYYY-MM-DD\n');
  process.exit(1);
}
const out = openSink(o.out);
const truth = o.truth ? openSink(o.truth) : null;
truth?.write('customer_id,birth_date,death_date,alive_at_end,true_rate_per_day,mean_spend,orders\n');
const t0 = performance.now();
const r = generateOrders(
  { orders: o.orders, customers: o.customers, seed: o.seed, start, end, dirty: o.dirty },
  (text) => out.write(text),
  truth
    ? (t) => truth.write(`${t.customerId},${formatDay(t.birth)},${t.death > end ? '' : formatDay(Math.floor(t.death))},${t.aliveAtEnd ? 1 : 0},${t.rate.toFixed(6)},${t.meanSpend.toFixed(2)},${t.orders}\n`)
    : undefined,
);
await out.close();
await truth?.close();
process.stderr.write(`custkit-gen: ${r.lines} lines, ${r.customers} customers, ${((performance.now() - t0) / 1000).toFixed(1)} s${o.dirty ? `; dirty: ${JSON.stringify(r.dirty)}` : ''}\n`);
