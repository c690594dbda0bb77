/**
 * `--engine auto` (the default): which engine runs the O(orders) step, decided before any
 * work from the input's kind and size and the memory the machine has available.
 *
 * The JavaScript engine streams the lines but holds every customer (and clean's open orders),
 * so its peak grows with the history; DuckDB is bounded by its memory limit and spills the
 * rest to disk. The rule (docs/commands.md, `--engine`): DuckDB for inputs only it reads
 * (gzip/zstd CSV; several files for `segment`) and Parquet (read as stored, where the
 * JavaScript engine has DuckDB convert it to rows first), and for plain CSV whose estimated
 * JavaScript peak (JS_BASE_BYTES + JS_BYTES_PER_INPUT_BYTE × input bytes, a line through two
 * measured runs, docs/performance.md) exceeds AVAILABLE_SHARE of the memory available; else
 * the JavaScript engine.
 */
import { readFileSync, statSync } from 'node:fs';
import { freemem } from 'node:os';

export type ChosenEngine = 'js' | 'duckdb';

/** The estimate's fixed part: Node, custkit and the threads' buffers. */
export const JS_BASE_BYTES = 300e6;
/** The estimate's part per input byte. */
export const JS_BYTES_PER_INPUT_BYTE = 0.56;
/** The JavaScript engine is chosen only when its estimated peak fits in this share of the available memory. */
export const AVAILABLE_SHARE = 0.5;

export interface EngineChoice {
  engine: ChosenEngine;
  /** One clause saying why, for the note on stderr. */
  why: string;
}

const gb = (b: number): string => `${(b / 1e9).toFixed(b < 1e9 ? 2 : 1)} GB`;

/**
 * The choice for `paths` (`-` = standard input) of `bytes` in all, with `available` bytes of
 * memory. `jsReadsMany`: whether the JavaScript engine takes several files (run does, segment not).
 */
export function chooseEngine(paths: readonly string[], bytes: number, available: number, jsReadsMany: boolean): EngineChoice {
  if (paths.includes('-')) return { engine: 'js', why: 'standard input' };
  const packed = paths.find((p) => /\.(gz|zst)$/i.test(p));
  if (packed !== undefined) return { engine: 'duckdb', why: `${packed} is compressed, which only DuckDB reads` };
  const parquet = paths.find((p) => /\.parquet$/i.test(p));
  if (parquet !== undefined) return { engine: 'duckdb', why: `${parquet} is Parquet, which DuckDB reads as it is stored` };
  if (paths.length > 1 && !jsReadsMany) return { engine: 'duckdb', why: `${paths.length} files, which only DuckDB reads as one stream` };
  const need = jsEstimatedPeak(bytes);
  const size = `input ${gb(bytes)}, the JavaScript engine's estimated peak ${gb(need)}, ${gb(available)} of memory available`;
  return need > AVAILABLE_SHARE * available ? { engine: 'duckdb', why: `${size}: over half of it` } : { engine: 'js', why: size };
}

/** The JavaScript engine's estimated peak for `bytes` of input (the rule above). */
export const jsEstimatedPeak = (bytes: number): number => JS_BASE_BYTES + JS_BYTES_PER_INPUT_BYTE * bytes;

/** Whether the JavaScript engine's estimated peak for `paths` fits in the memory available now. */
export const jsEngineFits = (paths: readonly string[]): boolean => jsEstimatedPeak(inputBytes(paths)) <= availableMemory();

/** Memory available to this process: MemAvailable (Linux), else free memory; a cgroup limit below it wins. */
export function availableMemory(): number {
  let avail = freemem();
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) avail = Number(m[1]) * 1024;
  } catch {
    // not Linux: free memory
  }
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return limit && limit > 0 && limit < avail ? limit : avail;
}

/** Total bytes of the files that exist (a missing one is reported later by the engine that reads it). */
export function inputBytes(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    try {
      n += statSync(p).size;
    } catch {
      // reported by the reader
    }
  }
  return n;
}
