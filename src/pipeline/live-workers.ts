/**
 * Worker threads that the process's cleanup stops: a signal or the end of main() terminates
 * every thread still running, so none goes on reading or computing for a command that ended.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { atCleanup } from '../io/process-cleanup.js';

/** `new Worker(url, options)`, registered for termination until it exits. */
export function startWorker(url: URL, options: WorkerOptions): Worker {
  const w = new Worker(url, options);
  const forget = atCleanup(() => void w.terminate());
  w.once('exit', forget);
  return w;
}
