/**
 * Worker thread of score-thread.ts: scores the customers it is given and posts the
 * {@link ScoreData} back, its typed arrays transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scoreCustomerData, type ScoreInput, type ScoreOptions } from './score-stage.js';
import type { ScoreReply } from './score-thread.js';

const { inp, opts } = workerData as { inp: ScoreInput; opts: ScoreOptions };
const t = performance.now();
let reply: ScoreReply;
let transfer: ArrayBuffer[] = [];
try {
  const data = scoreCustomerData(inp, opts);
  reply = { data, ms: performance.now() - t };
  transfer = [data.pAlive, data.expectedOrders, data.clv, data.values].map((a) => a.buffer as ArrayBuffer);
} catch (e) {
  reply = { error: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply, transfer);
