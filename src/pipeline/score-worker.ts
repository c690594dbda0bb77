/**
 * Worker thread of score-thread.ts: scores the customers it is given into the output arrays it
 * is given and posts the {@link ScoreData} back with the inputs, every typed array transferred
 * rather than copied. Given the summary cell columns, it first posts the fit, writes the
 * customer table's summary and score cells of each block of rows it is asked for, and sends
 * the scores when told that the table is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvRecordBytes } from '../io/csv-record-bytes.js';
import { scoreCustomerData, scoreMeta, scoreResult, type ScoreData } from './score-stage.js';
import { jobBuffers, type RowCells, type ScoreJob, type ScoreReply, type ScoreRequest } from './score-thread.js';
import { writeSummaryCellsFrom, type SummaryCellColumns } from './summary-cells.js';

const { inp, opts, out, cells } = workerData as ScoreJob;
const port = parentPort!;
const t = performance.now();
const errorOf = (e: unknown): ScoreReply => ({ error: e instanceof Error ? e.message : String(e) });
let data: ScoreData | null = null;
try {
  data = scoreCustomerData(inp, opts, out);
} catch (e) {
  port.postMessage(errorOf(e));
}
const ms = performance.now() - t;
/** The last message: the scores and the inputs, every array transferred. */
const sendScores = (d: ScoreData): void => port.postMessage({ data: d, inp, ms } satisfies ScoreReply, jobBuffers(inp, out));

if (data && !cells) sendScores(data);
else if (data && cells) {
  // The customer table's summary and score cells, a block of rows per request (score-thread.ts),
  // until the main thread has written every row; then the scores go back.
  const scores = scoreResult(data, inp, opts);
  const d = data;
  const rec = new CsvRecordBytes();
  /** Blocks the main thread has sent back, to fill again. */
  const spare: RowCells[] = [];
  let columns: SummaryCellColumns | null = null;
  port.postMessage({ fitted: scoreMeta(d), ms } satisfies ScoreReply);
  // The thread ends once no listener is left (off, not removeAllListeners: in Node 20 only off
  // lets go of the port, and the process would not exit).
  const onRequest = (m: ScoreRequest): void => {
    if ('columns' in m) {
      columns = m.columns;
      return;
    }
    if ('done' in m) {
      port.off('message', onRequest);
      sendScores(d);
      return;
    }
    try {
      const [from, to] = m.rows;
      if (m.reuse) spare.push(m.reuse);
      if (!columns) throw new Error('rows asked for before the summary columns');
      const ends = new Int32Array(2 * (to - from));
      rec.clear();
      for (let i = from, k = 0; i < to; i++, k += 2) {
        writeSummaryCellsFrom(inp, columns, i, rec);
        rec.end();
        ends[k] = rec.length;
        scores.writeCells(i, rec);
        rec.end();
        ends[k + 1] = rec.length;
      }
      // Into a block the main thread sent back when it is large enough, else new buffers.
      const old = spare.pop();
      const block: RowCells = old && old.bytes.buffer.byteLength >= rec.length && old.ends.buffer.byteLength >= ends.byteLength
        ? { bytes: new Uint8Array(old.bytes.buffer, 0, rec.length), ends: new Int32Array(old.ends.buffer, 0, ends.length) }
        : { bytes: new Uint8Array(Math.ceil(rec.length * 1.25)).subarray(0, rec.length), ends: new Int32Array(ends.length) };
      block.bytes.set(rec.bytes.subarray(0, rec.length));
      block.ends.set(ends);
      port.postMessage({ rows: block } satisfies ScoreReply, [block.bytes.buffer as ArrayBuffer, block.ends.buffer as ArrayBuffer]);
    } catch (e) {
      port.off('message', onRequest);
      port.postMessage(errorOf(e));
    }
  };
  port.on('message', onRequest);
}
