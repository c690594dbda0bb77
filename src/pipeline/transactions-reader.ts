/**
 * Streams canonical transactions (the output of ingest or clean) from a file or stdin as
 * typed records. Defects are data errors naming file, line and column.
 */
import { dataError } from '../errors.js';
import type { StreamSchema, Transaction } from '../core/types.js';
import { readCsv } from '../io/csv-reader.js';
import { failOnBrokenQuote } from './broken-quote.js';
import { openText } from '../io/text-input.js';
import { canonicalLayout, parseCanonicalRow, type CanonicalLayout } from './canonical.js';
import { isCanonicalHeader } from '../core/types.js';

export interface TransactionsHandler {
  onSchema?(schema: StreamSchema, header: string[]): void;
  /** fps/at: the line's fingerprints, verdict: its screen verdict, from a reader thread asked for them (see Cleaner.pushScreened). */
  onTx(tx: Transaction, line: number, fps?: Uint32Array, at?: number, verdict?: number): void;
  afterChunk?(bytesSoFar: number, totalBytes: number | null): Promise<void> | void;
  /** Read an empty amount as absent (NaN): transactions without amounts (ingest --no-amount). */
  absentAmount?: boolean;
}

export interface ReadSummary {
  label: string;
  rows: number;
  schema: StreamSchema;
}

/** Reads canonical transactions; returns the row count and schema. */
export async function readTransactions(path: string, h: TransactionsHandler, label?: string): Promise<ReadSummary> {
  const opened = await openText(path, 'auto');
  // A spooled stdin keeps its name in messages.
  const input = label ? { ...opened, label } : opened;
  let layout: CanonicalLayout | null = null;
  let rows = 0;
  let amountless = false;
  await readCsv(input, {
    delimiter: ',',
    onBroken: failOnBrokenQuote(input.label),
    onRow(cells, line) {
      if (layout === null) {
        if (!isCanonicalHeader(cells)) {
          throw dataError(
            `not canonical transactions (header: ${cells.slice(0, 8).join(', ')})`,
            { file: input.label, line },
            'raw exports go through `custkit ingest` first: custkit ingest FILE | custkit clean',
          );
        }
        layout = canonicalLayout(cells, input.label);
        if (h.absentAmount) layout.absentAmount = true;
        h.onSchema?.(layout.schema, cells);
        return;
      }
      const tx = parseCanonicalRow(cells, line, layout, input.label);
      // Amounts are all present or all absent (ingest --no-amount): a mix is a damaged file.
      if (h.absentAmount) {
        const absent = Number.isNaN(tx.amount);
        if (rows === 0) amountless = absent;
        else if (absent !== amountless) {
          throw dataError(absent ? 'the amount is empty, but earlier rows have amounts' : 'this row has an amount, but earlier rows have none', { file: input.label, line, column: 'amount' }, 'amounts are either all present or all absent (ingest --no-amount)');
        }
      }
      rows++;
      h.onTx(tx, line);
    },
    afterChunk: h.afterChunk ? () => h.afterChunk!(input.bytesRead(), input.size) : undefined,
  });
  if (layout === null) throw dataError('empty input: no header row', { file: input.label }, 'expected canonical transactions from `custkit ingest`');
  return { label: input.label, rows, schema: (layout as CanonicalLayout).schema };
}
