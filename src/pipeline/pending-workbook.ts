/**
 * run's customers.xlsx, started as soon as customers.csv is written. On a thread of its own
 * (Parallelism.writeWorkbook) the Customers sheet is written while this thread makes the
 * report and actions.csv; in-process, the whole workbook is written at finish, as before.
 */
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from './customer-workbook.js';
import type { Parallelism } from './parallelism.js';

export interface PendingWorkbook {
  /** Hands over the sheets after Customers; resolves once the workbook is in place. */
  finish(rest: WorkbookRest): Promise<void>;
  /** Stops the work (the run failed first); resolves once the temporary file is gone. */
  cancel(): Promise<void>;
}

export function startWorkbook(start: WorkbookStart, parallel: Parallelism | null): PendingWorkbook {
  if (parallel?.workbookThread(start.customers)) return parallel.writeWorkbook(start);
  return { finish: (rest) => writeWorkbookParts(start, () => Promise.resolve(rest)), cancel: () => Promise.resolve() };
}
