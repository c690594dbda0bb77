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
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommandSpec } from '../command.js';
import { EXIT, usageError } from '../../errors.js';
import { copyFileTo, fileSink, isRandomAccess, openSink, type TextSink } from '../../io/text-output.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { makeTempDir } from '../../io/process-cleanup.js';
import { csvLine } from '../../io/csv-format.js';
import { isStdin } from '../../io/text-input.js';
import { readTransactions, type TransactionsHandler } from '../../pipeline/transactions-reader.js';
import { parallelismFor } from '../threads.js';
import { CanonicalRows, canonicalHeader, cleanedSchema } from '../../pipeline/canonical.js';
import { cleanOptionsFrom, runCleanPasses, screenOptionsOf } from '../../pipeline/clean-stage.js';
import type { StreamSchema } from '../../core/types.js';
import { ALLOW_EMPTY_OPTION } from '../shared.js';
import { THREADS_RANGE } from '../../config/options.js';
import { refuseEmptyInput } from '../../pipeline/empty-input.js';
import { mbps } from '../../pipeline/ingest-summary.js';

export const cleanCommand: CommandSpec = {
  name: 'clean',
  args: '[file]',
  summary: 'remove duplicates, fold orders, net returns, drop guests; audit every row',
  help: HELP,
  stages: ['clean'],
  extra: [
    { flags: '-o, --output <file>', description: 'write cleaned transactions here (atomically) instead of stdout' },
    { flags: '--as-of <date>', description: 'observation end, inclusive (YYYY-MM-DD, today, or latest: keep all): later rows are removed as after_as_of' },
    ALLOW_EMPTY_OPTION,
    { flags: '--threads <n>', description: '1: read and clean on this thread; 2 or more: read a file (not stdin) on a second thread. Default (CUSTKIT_THREADS unset): files of 32 MB or more, on two cores or more', range: THREADS_RANGE },
  ],
  async run(ctx, args, o) {
    let file = args[0] ?? '-';
    const opts = cleanOptionsFrom(o);
    const threadsOpt = o.threads === undefined ? null : Number(o.threads);
    if (threadsOpt !== null && !(Number.isInteger(threadsOpt) && threadsOpt >= 1)) throw usageError(`--threads ${String(o.threads)} is not valid`, 'a whole number ≥ 1');
    let spool: string | null = null;
    // Messages name a spooled stdin `<stdin>`; a file keeps its path (spool also holds --outliers flag's rows).
    const stdinLabel = isStdin(file) ? '<stdin>' : undefined;
    const t0 = performance.now();
    try {
      if (isStdin(file) && (opts.outliers === 'cap' || opts.outliers === 'drop')) {
        spool = makeTempDir('clean');
        const path = join(spool, 'stdin.csv');
        await pipeline(process.stdin, createWriteStream(path));
        file = path;
      }
      const out = openSink(o.output as string | undefined, { stdout: ctx.stdout });
      let schema: StreamSchema | null = null;
      let pass = 0;
      let bytes = 0;
      const flag = opts.outliers === 'flag';
      // --outliers flag writes the rows with the flag 0 and patches the flagged ones at the end
      // (clean-stage.ts flagInPlace): into the -o file itself, or into a temporary file that is
      // then copied to stdout (a pipe cannot be patched).
      let rowsFile: string | null = null;
      let rows: TextSink = out;
      if (flag && !isRandomAccess(out)) {
        spool ??= makeTempDir('clean');
        rowsFile = join(spool, 'rows.csv');
        rows = fileSink(rowsFile);
      }
      let headerDone = false;
      // Rows go out as bytes, 64 KiB at a time (no string per line).
      const rowBytes = new CanonicalRows(rows);
      const writeHeader = (): void => {
        rowBytes.flush();
        rows.write(csvLine(canonicalHeader(schema!)));
        headerDone = true;
      };
      // A reader thread parses while this one cleans (same rows, same order; see parallel/reader-thread.ts).
      const parallel = parallelismFor(ctx, threadsOpt);
      const threaded = parallel.readerThread([file]);
      if (threaded) ctx.msgs.note('clean: reading and screening lines on a second thread (--threads 1 does all on this one)');
      const run = await runCleanPasses(
        opts,
        async (push, readFraction, useSchema) => {
          pass++;
          const read = threaded ? (f: string, h: TransactionsHandler, l?: string) => parallel.readTransactions(f, h, l, screenOptionsOf(opts)) : readTransactions;
          await read(file, {
            absentAmount: true,
            onSchema(s) {
              schema = cleanedSchema(s, flag);
              useSchema(s);
            },
            onTx: push,
            async afterChunk(soFar, total) {
              bytes = soFar;
              if (total) readFraction(soFar / total);
              await out.drain();
              ctx.msgs.progress(`clean pass ${pass}: ${(soFar / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`);
            },
          }, stdinLabel);
        },
        (tx) => {
          // Rows arrive only in the last pass (the first of two feeds the outlier fence).
          if (!headerDone) writeHeader();
          rowBytes.write(tx, schema!);
        },
        {
          perRowFlags: true,
          flaggedLines: flag && isRandomAccess(rows)
            ? {
                schema: () => schema,
                header: writeHeader,
                write: (tx, s) => rowBytes.write(tx, s),
                position: () => {
                  rowBytes.flush();
                  return rows.position();
                },
                readAt: (buf, position) => {
                  rowBytes.flush();
                  return rows.readAt(buf, position);
                },
                writeAt: (b, position) => {
                  rowBytes.flush();
                  rows.writeAt(b, position);
                },
              }
            : undefined,
        },
      );
      if (run.audit.rows_in === 0 && !o.allowEmpty) {
        if (rowsFile !== null) rows.abort();
        out.abort(); // a refused empty input leaves no -o file
        refuseEmptyInput('clean', 0, [args[0] ?? '-'], false);
      }
      if (!headerDone) writeHeader();
      rowBytes.flush();
      if (rowsFile !== null) {
        await rows.close();
        await copyFileTo(rowsFile, out);
      }
      await out.close();
      ctx.msgs.endProgress();
      const ms = performance.now() - t0;
      ctx.stats.cleanMs = Math.round(ms);
      if (threaded) Object.assign(ctx.stats, parallel.readerBalance()); // of the last pass's reader
      ctx.msgs.note(`clean: ${run.summaryLine}; ${mbps(bytes * pass, ms)} MB/s over ${pass} pass${pass > 1 ? 'es' : ''}`);
      for (const n of run.notes) ctx.msgs.note(`clean: ${n}`);
      for (const w of run.warnings) ctx.msgs.warn(`clean: ${w}`);
      if (o.audit) writeFileAtomic(String(o.audit), JSON.stringify(run.audit, null, 2) + '\n');
      return EXIT.OK;
    } finally {
      ctx.msgs.endProgress();
      if (spool) rmSync(spool, { recursive: true, force: true });
    }
  },
};
