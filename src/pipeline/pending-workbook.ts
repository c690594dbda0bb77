/**
 * run's customers.xlsx. On a thread of its own (Parallelism.writeWorkbook) it starts with
 * customers.csv, reading the file as it is written, and the Customers sheet is written while
 * this thread writes the table and makes the report and actions.csv; in-process, the whole
 * workbook is written at finish from the complete file, as before.
 */
import { openSync } from 'node:fs';
import type { FileTap } from '../io/text-output.js';
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from './customer-workbook.js';
import type { Parallelism } from './parallelism.js';

export interface PendingWorkbook {
  /** customers.csv's bytes written so far, and whether it is complete (in place). */
  tell?(bytes: number, complete: boolean): void;
  /** Hands over the sheets after Customers; resolves once the workbook is in place. */
  finish(rest: WorkbookRest): Promise<void>;
  /** Stops the work (the run failed first); resolves once the temporary file is gone. */
  cancel(): Promise<void>;
}

export function startWorkbook(start: WorkbookStart, parallel: Parallelism | null): PendingWorkbook {
  if (parallel?.workbookThread(start.customers)) return parallel.writeWorkbook(start);
  return { finish: (rest) => writeWorkbookParts(start, () => Promise.resolve(rest)), cancel: () => Promise.resolve() };
}

/** The workbook begun before customers.csv is written (begin below). */
export interface EarlyWorkbook {
  /** For customers.csv's sink: starts the thread once the temporary file exists, and tells it what is written. */
  tap: FileTap;
  /** customers.csv is in place: the workbook, started now if it was not with the file. */
  written(): PendingWorkbook;
  /** customers.csv failed: stops the thread; resolves once the workbook's temporary file is gone. */
  abort(): Promise<void>;
}

/**
 * Begins the workbook with customers.csv when it goes to a thread (below the thread threshold
 * it is written in-process at the end, as startWorkbook does).
 */
export function beginWorkbook(start: WorkbookStart, parallel: Parallelism | null): EarlyWorkbook {
  let early: PendingWorkbook | null = null;
  let total = 0;
  const tap: FileTap = {
    opened(tempPath) {
      if (tempPath === null || !parallel?.workbookThread(start.customers)) return;
      let fd: number;
      try {
        fd = openSync(tempPath, 'r');
      } catch {
        return; // the workbook starts from the complete file instead
      }
      early = parallel.writeWorkbook({ ...start, growingFd: fd });
    },
    written(bytes) {
      total = bytes;
      early?.tell?.(bytes, false);
    },
  };
  return {
    tap,
    written() {
      if (early === null) return startWorkbook(start, parallel);
      early.tell?.(total, true);
      return early;
    },
    abort: () => early?.cancel() ?? Promise.resolve(),
  };
}
