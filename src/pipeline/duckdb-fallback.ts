/**
 * When a DuckDB failure (io/duckdb-error.ts) hands the work to the JavaScript engine, and
 * what stderr says then (docs/commands.md, "--engine"). Either way the results are the same,
 * and the message says truthfully why DuckDB did not produce them.
 */
import type { DuckdbError } from '../io/duckdb-error.js';

/**
 * Whether the JavaScript engine takes over after `e`, when it reads the input (`jsReads`):
 * - a file DuckDB's reader refuses, a number overflowing the query's types: yes — the
 *   JavaScript engine reads the file itself (naming a bad line and column) and counts in doubles;
 * - out of memory or spill space: only under `--engine auto`, and only when the JavaScript
 *   engine's estimated peak fits in the memory available now (`jsFits`, engine-choice.ts): auto
 *   picks DuckDB for a plain file when that estimate is over half of it, and an engine that
 *   exhausts the machine would be worse than exit 2. Asked for by name, DuckDB's bounded memory
 *   was the point: exit 2 rather than an engine whose memory grows with the history;
 * - an interrupted query: never.
 */
export function fallsBack(e: DuckdbError, asked: string, jsReads: boolean, jsFits: () => boolean): boolean {
  if (!jsReads) return false;
  if (e.kind === 'input' || e.kind === 'overflow') return true;
  return (e.kind === 'memory' || e.kind === 'disk') && asked === 'auto' && jsFits();
}

/** How the engine was chosen, as the fallback's message begins: `--engine duckdb` or `engine auto → duckdb`. */
export const askedDuckdb = (asked: string): string => (asked === 'auto' ? 'engine auto → duckdb' : '--engine duckdb');
