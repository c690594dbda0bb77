/**
 * The two fingerprints the cleaner keys a line by (see order-line-index.ts): the (customer,
 * order) fingerprint that finds the line's order, and the whole line's fingerprint that finds
 * an exact repeat. A pure function of the line, so a reader thread can compute it while the
 * cleaner works on earlier lines (parallel/reader-job.ts): the cleaner then takes it as given.
 */
import type { Transaction } from '../types.js';
import type { Fingerprinter } from './fingerprint-hash.js';

/** Words written per line: [order a, order b, line a, line b]. */
export const LINE_FP_WORDS = 4;

/** Writes the line's fingerprints to out[at … at + 3] (fp is reset first; any instance gives the same words). */
export function lineFingerprint(fp: Fingerprinter, tx: Transaction, out: Uint32Array, at: number): void {
  fp.reset();
  fp.str(tx.customerId);
  fp.str(tx.orderId);
  fp.mark(); // (customer, order) fingerprint for the fold window
  fp.num(tx.day);
  fp.num(tx.amount);
  fp.num(tx.quantity);
  fp.str(tx.status);
  fp.str(tx.time);
  fp.str(tx.item);
  const dims = tx.dims;
  fp.word(dims.length);
  for (let i = 0; i < dims.length; i++) fp.str(dims[i]!);
  fp.done();
  out[at] = fp.markA;
  out[at + 1] = fp.markB;
  out[at + 2] = fp.a;
  out[at + 3] = fp.b;
}
