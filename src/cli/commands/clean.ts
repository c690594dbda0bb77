export const HELP = `
custkit clean [FILE|-] — canonical transactions in, cleaned orders out, every row accounted for.

Removes exact duplicate lines of an order when a column tells lines apart (item, SKU,
line number, time; --duplicates), folds lines sharing an order_id into one order, nets
cancellations and refunds (--returns; a fully refunded order is not a purchase), drops
guest/placeholder customers (blank, N/A, guest, 匿名, 游客 …; --guest-ids, --guests)
and --exclude'd ids, applies --since/--until/--as-of (inclusive), and flags, caps or drops
amount outliers (modified z-score > 3.5 on ln amount; --outliers). The audit (rows in =
rows out + folded + Σ removed, by reason) goes to stderr and --audit FILE.
Cost: memory grows with orders (12–34 bytes each) and their distinct lines (8–23 bytes),
never whole rows; --outliers cap|drop read the input twice (stdin is spooled). A file of
32 MB or more is read on a second thread on two cores or more (same output; --threads 1
keeps one thread, --threads 2 uses it for any file).

Examples:
  custkit ingest orders.csv | custkit clean --audit audit.json > clean.csv
  custkit clean tx.csv --returns drop --exclude test-ids.txt --since 2025-01-01
  custkit clean tx.csv --as-of 2026-06-30 --outliers cap
`;
import type { CommandSpec } from '../command.js';
import { EXIT, usageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { cleanFile } from '../../pipeline/clean-file.js';
import { parallelismFor } from '../threads.js';
import { cleanOptionsFrom } from '../stage-options/clean.js';
import { ALLOW_EMPTY_OPTION, asOfOption } from '../shared.js';
import { THREADS_RANGE } from '../../config/options.js';
import { mbps } from '../../pipeline/ingest-summary.js';
import { inputFile } from '../command-io.js';

export const cleanCommand: CommandSpec = {
  name: 'clean',
  args: '[file]',
  summary: 'remove duplicates, fold orders, net returns, drop guests; audit every row',
  help: HELP,
  stages: ['clean'],
  extra: [
    { flags: '-o, --output <file>', description: 'write cleaned transactions here (atomically) instead of stdout' },
    asOfOption('observation end, inclusive; later rows are removed as after_as_of', 'keep all'),
    ALLOW_EMPTY_OPTION,
    { flags: '--threads <n>', description: '1: read and clean on this thread; 2 or more: read a file (not stdin) on a second thread. Default (CUSTKIT_THREADS unset): files of 32 MB or more, on two cores or more', range: THREADS_RANGE },
  ],
  async run(ctx, args, o) {
    const file = inputFile(args);
    const opts = cleanOptionsFrom(o);
    const threads = o.threads === undefined ? null : Number(o.threads);
    if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) throw usageError(`--threads ${String(o.threads)} is not valid`, 'a whole number ≥ 1');
    const t0 = performance.now();
    try {
      // A reader thread parses while this one cleans (same rows, same order; see parallel/reader-thread.ts).
      const parallel = parallelismFor(ctx, threads);
      const threaded = parallel.readerThread([file]);
      if (threaded) ctx.msgs.note('clean: reading and screening lines on a second thread (--threads 1 does all on this one)');
      const { run, passes, bytes } = await cleanFile(file, opts, { output: o.output as string | undefined, stdout: ctx.stdout, msgs: ctx.msgs, reader: threaded ? parallel : null, allowEmpty: Boolean(o.allowEmpty) });
      ctx.msgs.endProgress();
      const ms = performance.now() - t0;
      ctx.stats.cleanMs = Math.round(ms);
      if (threaded) Object.assign(ctx.stats, parallel.readerBalance()); // of the last pass's reader
      ctx.msgs.note(`clean: ${run.summaryLine}; ${mbps(bytes * passes, ms)} MB/s over ${passes} pass${passes > 1 ? 'es' : ''}`);
      for (const n of run.notes) ctx.msgs.note(`clean: ${n}`);
      for (const w of run.warnings) ctx.msgs.warn(`clean: ${w}`);
      if (o.audit) writeFileAtomic(String(o.audit), JSON.stringify(run.audit, null, 2) + '\n');
      return EXIT.OK;
    } finally {
      ctx.msgs.endProgress();
    }
  },
};
