/**
 * What readers of custkit's own files (canonical transactions, customer tables) do with a broken
 * quote (io/csv-tokenizer.ts bounds): custkit writes balanced quotes, so one that never closes
 * means a damaged or hand-edited file. That is a data error naming file and line (exit 2), not a
 * row to skip: a later stage silently missing lines would be a wrong result.
 */
import { dataError } from '../errors.js';
import type { BrokenHandler } from '../io/csv-tokenizer.js';

export function failOnBrokenQuote(file: string): BrokenHandler {
  return (b) => {
    throw dataError(`unbalanced quote: ${b.detail}`, { file, line: b.line }, 'custkit writes balanced quotes; check for a truncated or hand-edited line');
  };
}
