/**
 * Worker thread of score-thread.ts: scores the customers it is given into the output arrays it
 * is given and posts the {@link ScoreData} back with the inputs, every typed array transferred
 * rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scoreCustomerData } from './score-stage.js';
import { jobBuffers, type ScoreJob, type ScoreReply } from './score-thread.js';

const { inp, opts, out } = workerData as ScoreJob;
const t = performance.now();
let reply: ScoreReply;
let transfer: ArrayBuffer[] = [];
try {
  const data = scoreCustomerData(inp, opts, out);
  reply = { data, inp, ms: performance.now() - t };
  transfer = jobBuffers(inp, out);
} catch (e) {
  reply = { error: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply, transfer);
