/**
 * Worker side of workbook-thread.ts: writes the workbook's Customers sheet at once (with
 * growingFd, from customers.csv's bytes as the main thread writes them), then waits for the
 * rest of the sheets and finishes the file (customer-workbook.ts).
 */
import { GrowingFile } from '../io/growing-file.js';
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from '../pipeline/customer-workbook.js';
import type { JobPort } from './protocol.js';

export interface WorkbookJob {
  kind: 'workbook';
  start: WorkbookStart;
}

/**
 * The main thread's messages: how many bytes of customers.csv are written, that it is complete
 * or failed (growingFd only), and the sheets after Customers.
 */
export type WorkbookRequest =
  | { kind: 'written'; bytes: number }
  | { kind: 'end'; bytes: number }
  | { kind: 'abort' }
  | { kind: 'rest'; rest: WorkbookRest };

/** The one reply: the workbook is in place. */
export type WorkbookReply = 'done';

export async function runWorkbookJob(job: WorkbookJob, port: JobPort<WorkbookReply, WorkbookRequest>): Promise<void> {
  const fd = job.start.growingFd;
  const growing = fd === undefined ? undefined : new GrowingFile(fd);
  let off = (): void => {};
  const rest = new Promise<WorkbookRest>((resolve) => {
    off = port.onRequest((q) => {
      if (q.kind === 'written') growing?.written(q.bytes);
      else if (q.kind === 'end') growing?.end(q.bytes);
      else if (q.kind === 'abort') growing?.abort('customers.csv was not written');
      else resolve(q.rest);
    });
  });
  try {
    await writeWorkbookParts(job.start, () => rest, growing);
  } finally {
    off(); // the worker ends once idle, also after a failure before the request
  }
  port.reply('done');
}
