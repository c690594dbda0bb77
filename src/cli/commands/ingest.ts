export const HELP = `
custkit ingest [FILES...|-] — any order export in, canonical transactions out.

Reads CSV/TSV exports (English or Chinese headers; UTF-8, UTF-16, GB18030; any common
delimiter), .xlsx workbooks (first sheet, or --sheet NAME) and .parquet files into
canonical rows: customer_id, order_id, order_date, amount, quantity, status,
[order_time, item, refund, paid_at, kept], columns mapped by synonyms (on stderr).
Unreadable rows go to --rejects (file, line, reason; personal data masked).
Cost: streams; memory is one chunk plus a 2,000-row sample per file.

Examples:
  custkit ingest orders.csv > tx.csv
  custkit ingest jan.csv feb.csv --rejects rejects.csv -o tx.csv
  custkit ingest orders.xlsx --sheet Orders -o tx.csv
  custkit ingest CDNOW_sample.txt --no-header --delimiter whitespace \\
      --map customer_id=2,order_date=3,amount=5
  custkit ingest --from postgres://shop@db.local/sales --table orders -o tx.csv

`;
import type { CommandSpec } from '../command.js';
import { usageError } from '../../errors.js';
import { ingestFiles, ingestRowBatches, inputKind, type IngestResult, type IngestSinks } from '../../pipeline/ingest-stage.js';
import { openPostgresRows, type PostgresRows } from '../../io/postgres.js';
import { CanonicalRows, canonicalHeader } from '../../pipeline/canonical.js';
import { isStdoutPath, openSink, stdoutSink, type TextSink } from '../../io/text-output.js';
import { inputFiles, watchPipe } from '../command-io.js';
import { DEFAULT_MAX_REJECT_RATE, rejectBudgetExit } from '../../pipeline/exit-checks.js';
import { openRejects } from '../../io/rejects-writer.js';
import { PII_MODES, type PiiMode } from '../../core/privacy/pii-columns.js';
import { csvLine } from '../../io/csv-format.js';
import { ALLOW_EMPTY_OPTION, OUTPUT_OPTION } from '../shared.js';
import { refuseEmptyInput } from '../../pipeline/empty-input.js';
import type { StreamSchema } from '../../core/types.js';
import { ingestOptionsFrom } from '../../config/ingest-options.js';
import { countsLine, mbps, foldedLine, rejectRate } from '../../pipeline/ingest-summary.js';

export const ingestCommand: CommandSpec = {
  name: 'ingest',
  args: '[files...]',
  summary: 'read order exports into canonical transactions',
  help: HELP,
  stages: ['ingest'],
  extra: [OUTPUT_OPTION, ALLOW_EMPTY_OPTION, { flags: '--pii <mode>', description: 'personal data in the rejects file\'s raw rows: mask (default), drop or show', hidden: true }],
  async run(ctx, args, o) {
    const pii = String(o.pii ?? 'mask');
    if (!(PII_MODES as readonly string[]).includes(pii)) throw usageError(`--pii: bad value "${pii}"`, `allowed: ${PII_MODES.join(', ')}`);
    const from = o.from === undefined || o.from === null ? null : String(o.from);
    if (from === null && (o.table != null || o.query != null)) throw usageError('--table and --query need --from postgres://…', 'e.g. --from postgres://user@host/db --table orders');
    if (from !== null && args.length > 0) throw usageError('give input files or --from, not both', `files given: ${args.join(' ')}`);
    const files = inputFiles(args);
    const ingestOpts = ingestOptionsFrom({ ...o, from: undefined, table: undefined, query: undefined, lockTimeout: undefined, statementTimeout: undefined }, ctx.today());
    // Connect and read the first batch before creating any output: connection errors leave nothing behind.
    const pgRows: PostgresRows | null =
      from === null ? null : await openPostgresRows({
            url: from,
            table: o.table == null ? undefined : String(o.table),
            query: o.query == null ? undefined : String(o.query),
            lockTimeout: o.lockTimeout == null ? undefined : Number(o.lockTimeout),
            statementTimeout: o.statementTimeout == null ? undefined : Number(o.statementTimeout),
            env: ctx.env,
          });
    // Data goes to the context's stdout (main()'s, or a test's capture), not process.stdout.
    const toStdout = isStdoutPath(o.output as string | undefined);
    const out: TextSink = toStdout ? stdoutSink(ctx.stdout) : openSink(String(o.output));
    const pipe = watchPipe(toStdout ? ctx.stdout : null);
    const rejects = openRejects(o.rejects as string | undefined, { pii: pii as PiiMode });
    const t0 = performance.now();
    let schema: StreamSchema | null = null;
    let bytes = 0;
    const rows = new CanonicalRows(out);
    try {
      const sinks: IngestSinks = {
        onSchema(s) {
          schema = s;
          rows.flush();
          out.write(csvLine(canonicalHeader(s)));
        },
        onTx(tx) {
          rows.write(tx, schema!);
        },
        onReject: (r) => rejects.add(r),
        async afterChunk(soFar, total) {
          bytes = soFar;
          rows.flush(); // what a chunk made goes out with it (a pipe's reader sees rows as they are read)
          await pipe.race(out.drain());
          if (pgRows || inputKind(files[0]!) !== 'text') ctx.msgs.progress(`ingest: ${soFar} rows`);
          else ctx.msgs.progress(`ingest: ${(soFar / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`);
        },
      };
      const res: IngestResult = pgRows
        ? await ingestRowBatches({ label: pgRows.label, encoding: 'PostgreSQL', header: pgRows.header, batches: pgRows.batches, decimalOf: pgRows.decimalOf }, ingestOpts, sinks)
        : await ingestFiles(files, ingestOpts, sinks);
      // Before the output is committed: a refused empty input leaves no -o file.
      refuseEmptyInput('ingest', res.rowsRead, pgRows ? [pgRows.label] : files, Boolean(o.allowEmpty));
      rows.flush();
      await pipe.race(out.close());
      await rejects.close();
      pipe.dispose();
      ctx.msgs.endProgress();
      const ms = performance.now() - t0;
      ctx.stats.ingestMs = Math.round(ms);
      for (const f of res.files) {
        if (f.mapping === '') {
          ctx.msgs.note(`ingest: ${f.file}: empty, no rows`);
          continue;
        }
        if (pgRows || f.delimiter === '') ctx.msgs.note(`ingest: ${f.file}: ${pgRows ? '' : `${f.encoding}, `}dates ${f.dateFormat}, decimal "${f.decimal}"; ${f.mapping}`);
        else ctx.msgs.note(`ingest: ${f.file}: ${f.encoding}, delimiter ${f.delimiter}${f.header ? '' : ', no header'}, dates ${f.dateFormat}, decimal "${f.decimal}"; ${f.mapping}`);
        if (f.amountless) ctx.msgs.note(`ingest: ${f.file}: ${o.amount === false ? '--no-amount' : 'no amount column maps (nor quantity × unit price)'}: transactions without amounts, written with an empty amount cell; counts, recency/frequency and BTYD models work, money-only outputs (Gamma-Gamma, CLV, value) are absent (map one with --map amount=<column>)`);
      }
      const nRej = res.rowsRead - res.rowsOut;
      const rate = rejectRate(res);
      ctx.msgs.note(`ingest: ${res.rowsRead} rows read, ${res.rowsOut} written, ${nRej} rejected: ${countsLine(res.rejected)}; reject rate ${(rate * 100).toFixed(2)}% (guest rows excluded); ${pgRows || files.every((f) => inputKind(f) !== 'text') ? `${Math.round(res.rowsRead / Math.max(ms / 1000, 1e-3))} rows/s` : `${mbps(bytes, ms)} MB/s`}`);
      if (res.folded.ids > 0) ctx.msgs.note(`ingest: ${foldedLine(res.folded)}`);
      return rejectBudgetExit(ctx.msgs, rate, Number(o.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE), o.rejects ? String(o.rejects) : null);
    } catch (e) {
      await pgRows?.close();
      pipe.dispose();
      out.abort();
      rejects.abort();
      ctx.msgs.endProgress();
      throw e;
    }
  },
};
