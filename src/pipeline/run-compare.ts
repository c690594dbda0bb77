/**
 * run --compare: the previous customer table the report's changes section compares with. The
 * current set's table (auto, or a file named through DIR), which this run does not overwrite,
 * is read just before the report and streamed into the changes section (streamChanges), so
 * none of its rows is held; any other named table is read at once, so that a wrong file fails
 * before anything is written.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { usageError } from '../errors.js';
import { PREVIOUS_TABLE_FIELDS, PreviousStream } from '../core/report/changes.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { Changes } from '../core/report/report-model.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import type { Messages } from '../io/messages.js';
import type { RunFolder } from '../io/run-folder.js';
import { loadCustomerTable, readCustomerTableBlocks } from './customer-table-reader.js';
import { pseudonymizePrevious, tableHasPseudonyms } from './pseudonymize-table.js';

export interface PreviousTable {
  /** A table to read later (in the current set), or null. */
  previousPath: string | null;
  /** A table read now (named elsewhere), or undefined. */
  previous: CustomerTable | undefined;
}

/** The previous table of `compare` (auto, off or a file), given the folder's current set. */
export async function previousTableOf(folder: RunFolder, compare: string, pseudonyms: Pseudonymizer | null, msgs: Messages): Promise<PreviousTable> {
  const outDir = folder.dir;
  let previousPath: string | null = null;
  let previous: CustomerTable | undefined;
  const inCurrent = (f: string): boolean => folder.current !== null && !relative(realpathSync(folder.current), realpathSync(f)).startsWith('..');
  if (compare === 'auto') {
    const prev = folder.current === null ? null : join(folder.current, 'customers.csv');
    if (prev !== null && existsSync(prev)) previousPath = prev;
    // The set before stays DIR/previous/ as it was written: with its original ids.
    if (pseudonyms && previousPath !== null && !tableHasPseudonyms(previousPath)) {
      msgs.warn(`run: --pseudonymize: the previous set (${outDir}/previous/ after this run) was written without pseudonyms and still holds the original ids; compared with its ids pseudonymised. Use a new --out to keep them apart`);
    }
  } else if (compare !== 'off') {
    if (!existsSync(compare)) throw usageError(`--compare ${compare}: no such file`, 'use auto, off, or a customer table from an earlier run');
    if (inCurrent(compare)) previousPath = realpathSync(compare);
    else previous = await loadCustomerTable(compare, PREVIOUS_TABLE_FIELDS);
    if (previous && pseudonyms) previous = pseudonymizePrevious(previous, pseudonyms);
  }
  return { previousPath, previous };
}

/** The previous table for the report: read now if it waited in the current set; pseudonymised with the run's ids. */
export async function loadPrevious(previousPath: string | null, previous: CustomerTable | undefined, pseudonyms: Pseudonymizer | null): Promise<CustomerTable | undefined> {
  if (previousPath !== null) previous = await loadCustomerTable(previousPath, PREVIOUS_TABLE_FIELDS);
  if (previous && pseudonyms) previous = pseudonymizePrevious(previous, pseudonyms);
  return previous;
}

/** Rows per block of a streamed previous table: a few MB at a time. */
const BLOCK_ROWS = 1 << 14;

/**
 * The changes section against the table waiting in the current set, from one reading of it in
 * blocks (core/report/changes.ts PreviousStream) instead of the table loaded: none of its rows
 * is held while the report is built. Undefined when the tables are not both sorted by id (a
 * table from before --pseudonymize): then loadPrevious reads it whole.
 */
export async function streamChanges(path: string, cur: CustomerTable, top: number, pseudonyms: Pseudonymizer | null, rows = BLOCK_ROWS): Promise<Changes | undefined> {
  const s = new PreviousStream(cur, top);
  if (!s.streamable) return undefined; // the current table out of id order
  // Blocks after one out of order are passed over, not stopped: that table is read again whole anyway.
  const add = (t: CustomerTable): void => {
    if (s.streamable) s.add(pseudonyms ? pseudonymizePrevious(t, pseudonyms) : t);
  };
  await readCustomerTableBlocks(path, rows, add, PREVIOUS_TABLE_FIELDS);
  return s.streamable ? s.finish() : undefined;
}
