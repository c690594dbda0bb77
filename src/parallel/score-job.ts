/**
 * Worker side of score-thread.ts: scores the customers it is given into the output arrays it
 * is given and replies with the {@link ScoreData} and the inputs, every typed array transferred
 * rather than copied. With cells, it first replies with the fit, writes the customer table's
 * summary and score cells of each block of rows it is asked for, and sends the scores when
 * told that the table is done.
 */
import { CsvRecordBytes } from '../io/csv-record-bytes.js';
import { scoreCustomerData, scoreMeta, scoreResult, type ScoreData, type ScoreInput, type ScoreMeta, type ScoreOptions, type ScoreOutputs } from '../pipeline/score-stage.js';
import type { RowCells } from '../pipeline/pending-score.js';
import { writeScoreCells, writeSummaryCellsFrom, type SummaryCellColumns } from '../pipeline/customer-table-writer.js';
import type { JobPort } from './protocol.js';

/**
 * The inputs, the options and the arrays to fill; with `cells`, the worker writes rows of the
 * customer table on request once scored.
 */
export interface ScoreJob {
  kind: 'score';
  inp: ScoreInput;
  opts: ScoreOptions;
  out: ScoreOutputs;
  cells: boolean;
}

/** The data and the inputs (last); with cells, first the fit once scored, then one block of cells per request. */
export type ScoreReply = { data: ScoreData; inp: ScoreInput; ms: number } | { fitted: ScoreMeta; ms: number } | { rows: RowCells };

/**
 * What the worker is asked, with cells: to take the summary columns (first), the cells of rows
 * [from, to) (`reuse`: the buffers of a block the main thread has written, sent back to be
 * filled again), or to send the scores back.
 */
export type ScoreRequest = { columns: SummaryCellColumns } | { rows: [number, number]; reuse: RowCells | null } | { done: true };

/** The buffers of the score inputs and outputs (each array has its own), to transfer. */
export const jobBuffers = (inp: ScoreInput, out: ScoreOutputs): ArrayBuffer[] =>
  [inp.frequency, inp.recencyDays, inp.TDays, inp.repeatAvg, inp.revenue, inp.orders, out.pAlive, out.expectedOrders, out.clv, out.values].map((a) => a.buffer as ArrayBuffer);

export function runScoreJob(job: ScoreJob, port: JobPort<ScoreReply, ScoreRequest>): void {
  const { inp, opts, out } = job;
  const t = performance.now();
  const data = scoreCustomerData(inp, opts, out);
  const ms = performance.now() - t;
  /** The last reply: the scores and the inputs, every array transferred. */
  const sendScores = (): void => port.reply({ data, inp, ms }, jobBuffers(inp, out));
  if (!job.cells) {
    sendScores();
    return;
  }
  port.reply({ fitted: scoreMeta(data), ms });
  const cells = new RowCellWriter(job, data);
  const stop = port.onRequest((q) => {
    if ('columns' in q) cells.columns = q.columns;
    else if ('done' in q) {
      stop();
      sendScores();
    } else {
      try {
        const block = cells.write(q.rows[0], q.rows[1], q.reuse);
        port.reply({ rows: block }, [block.bytes.buffer as ArrayBuffer, block.ends.buffer as ArrayBuffer]);
      } catch (e) {
        stop();
        port.fail(e);
      }
    }
  });
}

/** Writes the summary and score cells of blocks of rows, into buffers the main thread sent back when large enough. */
class RowCellWriter {
  columns: SummaryCellColumns | null = null;
  private readonly rec = new CsvRecordBytes();
  /** Blocks the main thread has sent back, to fill again. */
  private readonly spare: RowCells[] = [];
  private readonly scores: ReturnType<typeof scoreResult>;

  constructor(private readonly job: ScoreJob, data: ScoreData) {
    this.scores = scoreResult(data, job.inp, job.opts);
  }

  write(from: number, to: number, reuse: RowCells | null): RowCells {
    const rec = this.rec, columns = this.columns;
    if (reuse) this.spare.push(reuse);
    if (!columns) throw new Error('rows asked for before the summary columns');
    const ends = new Int32Array(2 * (to - from));
    rec.clear();
    for (let i = from, k = 0; i < to; i++, k += 2) {
      writeSummaryCellsFrom(this.job.inp, columns, i, rec);
      rec.end();
      ends[k] = rec.length;
      writeScoreCells(this.scores, i, rec);
      rec.end();
      ends[k + 1] = rec.length;
    }
    const old = this.spare.pop();
    const block: RowCells = old && old.bytes.buffer.byteLength >= rec.length && old.ends.buffer.byteLength >= ends.byteLength
      ? { bytes: new Uint8Array(old.bytes.buffer, 0, rec.length), ends: new Int32Array(old.ends.buffer, 0, ends.length) }
      : { bytes: new Uint8Array(Math.ceil(rec.length * 1.25)).subarray(0, rec.length), ends: new Int32Array(ends.length) };
    block.bytes.set(rec.bytes.subarray(0, rec.length));
    block.ends.set(ends);
    return block;
  }
}
