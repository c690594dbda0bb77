/**
 * `clean` on one input, written to one output: the clean stage (clean-stage.ts) with its
 * reader (this thread, or a reader thread) and its writer (rows as bytes; with `--outliers
 * flag` the flagged rows patched in place, see clean-stage.ts flagInPlace).
 */
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Messages } from '../io/messages.js';
import { copyFileTo, fileSink, isRandomAccess, openSink, type RandomAccessSink, type TextSink } from '../io/text-output.js';
import { makeTempDir } from '../io/process-cleanup.js';
import { csvLine } from '../io/csv-format.js';
import { inputLabel, isStdin } from '../io/text-input.js';
import type { StreamSchema } from '../core/types.js';
import { readTransactions, type TransactionsHandler } from './transactions-reader.js';
import type { Parallelism } from './parallelism.js';
import { CanonicalRows, canonicalHeader, cleanedSchema } from './canonical.js';
import { runCleanPasses, screenOptionsOf, type CleanRun, type CleanStageOptions, type FlaggedLines } from './clean-stage.js';
import { refuseEmptyInput } from './empty-input.js';

export interface CleanFileOptions {
  /** -o FILE; undefined or `-`: stdout. */
  output: string | undefined;
  stdout: NodeJS.WritableStream;
  msgs: Messages;
  /** Reads and screens lines on a second thread (null: on this one). */
  reader: Pick<Parallelism, 'readTransactions'> | null;
  allowEmpty: boolean;
}

/** Cleans `file` into the output; the stage's result, the passes made and the bytes read per pass. */
export async function cleanFile(file: string, opts: CleanStageOptions, o: CleanFileOptions): Promise<{ run: CleanRun; passes: number; bytes: number }> {
  let spool: string | null = null;
  const shown = isStdin(file) ? inputLabel(file) : undefined;
  try {
    // --outliers cap|drop read the input twice: stdin is spooled to a temporary file first.
    if (isStdin(file) && (opts.outliers === 'cap' || opts.outliers === 'drop')) {
      spool = makeTempDir('clean');
      const path = join(spool, 'stdin.csv');
      await pipeline(process.stdin, createWriteStream(path));
      file = path;
    }
    const out = openSink(o.output, { stdout: o.stdout });
    const flag = opts.outliers === 'flag';
    // --outliers flag patches flagged rows at the end: in the -o file itself, or in a
    // temporary file then copied to stdout (a pipe cannot be patched).
    let rowsFile: string | null = null;
    let rows: TextSink = out;
    if (flag && !isRandomAccess(out)) {
      spool ??= makeTempDir('clean');
      rowsFile = join(spool, 'rows.csv');
      rows = fileSink(rowsFile);
    }
    const w = new RowWriter(rows);
    let passes = 0;
    let bytes = 0;
    const reader = o.reader;
    const read = reader ? (f: string, h: TransactionsHandler, l?: string) => reader.readTransactions(f, h, l, screenOptionsOf(opts)) : readTransactions;
    const run = await runCleanPasses(
      opts,
      async (push, readFraction, useSchema) => {
        passes++;
        await read(file, {
          absentAmount: true,
          onSchema(s) {
            w.schema = cleanedSchema(s, flag);
            useSchema(s);
          },
          onTx: push,
          async afterChunk(soFar, total) {
            bytes = soFar;
            if (total) readFraction(soFar / total);
            await out.drain();
            o.msgs.progress(`clean pass ${passes}: ${(soFar / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`);
          },
        }, shown);
      },
      // Rows arrive only in the last pass (the first of two feeds the outlier fence).
      (tx) => w.row(tx),
      { perRowFlags: true, flaggedLines: flag && isRandomAccess(rows) ? w.flaggedLines() : undefined },
    );
    if (run.audit.rows_in === 0 && !o.allowEmpty) {
      if (rowsFile !== null) rows.abort();
      out.abort(); // a refused empty input leaves no -o file
      refuseEmptyInput('clean', 0, [shown ?? file], false);
    }
    w.finish();
    if (rowsFile !== null) {
      await rows.close();
      await copyFileTo(rowsFile, out);
    }
    await out.close();
    return { run, passes, bytes };
  } finally {
    if (spool) rmSync(spool, { recursive: true, force: true });
  }
}

/** Cleaned rows as bytes, 64 KiB at a time (no string per line), the header before the first. */
class RowWriter {
  schema: StreamSchema | null = null;
  private headerDone = false;
  private readonly bytes: CanonicalRows;
  constructor(private readonly rows: TextSink) {
    this.bytes = new CanonicalRows(rows);
  }
  header(): void {
    this.bytes.flush();
    this.rows.write(csvLine(canonicalHeader(this.schema!)));
    this.headerDone = true;
  }
  row(tx: Parameters<CanonicalRows['write']>[0]): void {
    if (!this.headerDone) this.header();
    this.bytes.write(tx, this.schema!);
  }
  finish(): void {
    if (!this.headerDone) this.header();
    this.bytes.flush();
  }
  /** Where flagInPlace finds and patches the rows it flags (a random-access sink). */
  flaggedLines(): FlaggedLines {
    const rows = this.rows as RandomAccessSink;
    return {
      schema: () => this.schema,
      header: () => this.header(),
      write: (tx, s) => this.bytes.write(tx, s),
      position: () => {
        this.bytes.flush();
        return rows.position();
      },
      readAt: (buf, position) => {
        this.bytes.flush();
        return rows.readAt(buf, position);
      },
      writeAt: (b, position) => {
        this.bytes.flush();
        rows.writeAt(b, position);
      },
    };
  }
}
