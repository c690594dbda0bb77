/**
 * Worker side of workbook-thread.ts: writes the workbook's Customers sheet at once, then waits
 * for the rest of the sheets (one request) and finishes the file (customer-workbook.ts).
 */
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from '../pipeline/customer-workbook.js';
import type { JobPort } from './protocol.js';

export interface WorkbookJob {
  kind: 'workbook';
  start: WorkbookStart;
}

/** The one reply: the workbook is in place. */
export type WorkbookReply = 'done';

export async function runWorkbookJob(job: WorkbookJob, port: JobPort<WorkbookReply, WorkbookRest>): Promise<void> {
  let off = (): void => {};
  const rest = new Promise<WorkbookRest>((resolve) => {
    off = port.onRequest((r) => {
      off();
      resolve(r);
    });
  });
  try {
    await writeWorkbookParts(job.start, () => rest);
  } finally {
    off(); // the worker ends once idle, also after a failure before the request
  }
  port.reply('done');
}
