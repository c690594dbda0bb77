/**
 * run's customers.xlsx on a thread of its own (workbook-job.ts): the Customers sheet is most
 * of the workbook's work, and it needs only customers.csv, so it is written while the main
 * thread makes the report and actions.csv; finish hands over the other sheets' rows. Same
 * code, same order of sheets: the same bytes as in-process (test/parallel/workbook-thread.test.ts).
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { WorkbookRest, WorkbookStart } from '../pipeline/customer-workbook.js';
import type { PendingWorkbook } from '../pipeline/pending-workbook.js';
import { atCleanup } from '../io/process-cleanup.js';
import { startJob } from './protocol.js';
import type { WorkbookJob, WorkbookReply } from './workbook-job.js';

/**
 * Removes the worker's temporary workbook (io/atomic-file.ts names it `.custkit-tmp-PID-N-NAME`
 * beside the target): a terminated worker runs none of its own cleanup.
 */
function removeWorkerTemp(path: string): void {
  const dir = dirname(path);
  const prefix = `.custkit-tmp-${process.pid}-`;
  const suffix = `-${basename(path)}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the folder is gone, and the file with it
  }
  for (const f of names) if (f.startsWith(prefix) && f.endsWith(suffix)) rmSync(join(dir, f), { force: true });
}

export function writeWorkbookOnThread(start: WorkbookStart): PendingWorkbook {
  const forget = atCleanup(() => removeWorkerTemp(start.path));
  let post = (_: WorkbookRest): void => {};
  let stop = (): Promise<void> => Promise.resolve();
  const done = new Promise<void>((resolve, reject) => {
    const t = startJob<WorkbookJob, WorkbookReply, WorkbookRest>({ kind: 'workbook', start }, [], {
      name: 'workbook thread',
      until: 'its workbook',
      prefixErrors: false, // the run fails as it would writing the workbook here
      isLast: () => true,
      onReply: () => resolve(),
      onFail: (e) => {
        t.terminate();
        reject(e);
      },
    });
    post = (rest) => t.post(rest);
    stop = () => t.stop();
  });
  done.then(forget, () => {}); // a failure is awaited in finish, or not at all when the run fails first
  return {
    finish: async (rest) => {
      post(rest);
      await done;
    },
    // After the worker has ended: it could still open its file while being stopped.
    cancel: async () => {
      await stop();
      removeWorkerTemp(start.path);
      forget();
    },
  };
}
