/**
 * Where segment and score write their customer table: CSV to a file or stdout, or, for an
 * output named *.parquet, Parquet with typed columns (the CSV goes to a temporary file of this
 * process first, then DuckDB converts it; the target appears only when that succeeded).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeParquetFromCsv } from '../io/parquet.js';
import { makeTempDir } from '../io/process-cleanup.js';
import { openSink, type TextSink } from '../io/text-output.js';
import { customerParquetType } from './customer-columns.js';

export const isParquetPath = (p: unknown): p is string => typeof p === 'string' && /\.parquet$/i.test(p);

export interface CustomerTableOutput {
  sink: TextSink;
  /** Closes the sink and, for Parquet, converts the table into place. */
  close(): Promise<void>;
  abort(): void;
}

export function customerTableOutput(output: string | undefined, stdout: NodeJS.WritableStream): CustomerTableOutput {
  if (!isParquetPath(output)) {
    const sink = openSink(output, { stdout });
    return { sink, close: () => sink.close(), abort: () => sink.abort() };
  }
  const dir = makeTempDir('table');
  const csv = join(dir, 'customers.csv');
  const sink = openSink(csv);
  const drop = (): void => rmSync(dir, { recursive: true, force: true });
  return {
    sink,
    async close() {
      try {
        await sink.close();
        await writeParquetFromCsv(csv, output, customerParquetType, false);
      } finally {
        drop();
      }
    },
    abort() {
      sink.abort();
      drop();
    },
  };
}
