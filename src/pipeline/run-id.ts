/**
 * The run id: a hash of what decides a run's output — custkit's version, the input bytes
 * (SHA-256 of each file), the resolved options of every stage and the table compared with —
 * so the same input and options give the same id and byte-identical files, and files of
 * different runs (a mixture) are told apart. Written into audit.json, report.json, fit.json,
 * report.md, report.html, and run.json, which lists every file of the run with its size and
 * SHA-256 (customers.csv stays byte-identical to the piped stages, so its id is there).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { digestFile, type FileDigest } from '../io/file-digest.js';
import type { PendingDigests } from './parallelism.js';
import type { RunOptions } from './run-options.js';

/** JSON with sorted object keys; Sets and Maps as sorted arrays; undefined and functions left out. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (v instanceof Set) return `[${[...v].map((x) => canonicalJson(x)).sort().join(',')}]`;
  if (v instanceof Map) return `[${[...v.entries()].map((e) => canonicalJson(e)).sort().join(',')}]`;
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined || typeof x === 'function' ? 'null' : canonicalJson(x))).join(',')}]`;
  const keys = Object.keys(v).filter((k) => {
    const x = (v as Record<string, unknown>)[k];
    return x !== undefined && typeof x !== 'function';
  });
  return `{${keys.sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export interface RunIdParts {
  version: string;
  inputs: FileDigest[];
  /** The resolved options that change output (not --threads, --engine, --out: same results). */
  options: unknown;
  /** SHA-256 of the customer table compared with, or null. */
  previous: string | null;
}

/** 16 hex digits of SHA-256 over the canonical parts. */
export function runIdOf(p: RunIdParts): string {
  return createHash('sha256').update(canonicalJson(p)).digest('hex').slice(0, 16);
}

/** The options the run id hashes: the score options as given (a backtest changes them later); the holdout changes the outputs. */
export function runIdOptions(o: RunOptions, backtest: boolean): unknown {
  const { ingest, clean, segment, score, asOf, report } = o;
  return { ingest, clean, segment, score: { ...score, churn: { ...score.churn } }, holdout: backtest ? o.holdout!.text : null, report: { lang: report.lang, top: report.top, excel: report.excel }, asOf };
}

/** The run id once the inputs' digests are in (the compared table's, when there is one, comes last). */
export function runIdWhenHashed(
  pending: PendingDigests,
  run: { version: string; files: string[]; options: unknown; compared: string | null },
): () => Promise<{ id: string; inputs: FileDigest[] }> {
  return async () => {
    const d = await pending.result;
    const inputs = d.slice(0, run.files.length);
    return { id: runIdOf({ version: run.version, inputs, options: run.options, previous: run.compared === null ? null : d[run.files.length]!.sha256 }), inputs };
  };
}

export const MANIFEST = 'run.json';

/** The files of a run folder, sorted by name: not previous/, not hidden (temporary) files, and not run.json unless asked. */
export function runFileNames(dir: string, withManifest = false): string[] {
  return readdirSync(dir)
    .filter((f) => (withManifest || f !== MANIFEST) && f !== 'previous' && !f.startsWith('.'))
    .sort();
}

/** run.json's `engine`: asked for, whose results the set holds, and why not DuckDB's when it was chosen but another engine ran. */
export interface RunEngine {
  asked: string;
  used: 'js' | 'duckdb';
  fallback?: string;
}

/**
 * run.json: the run id, the inputs, and every file of the folder (but itself and previous/)
 * with its size and SHA-256, sorted by name. Written last: a set with run.json is complete.
 */
export function manifestText(dir: string, runId: string, version: string, inputs: { file: string; digest: FileDigest }[], known: ReadonlyMap<string, FileDigest> = new Map(), engine?: RunEngine): string {
  const files = runFileNames(dir).map((name) => {
    const path = join(dir, name);
    const bytes = statSync(path).size;
    const k = known.get(name);
    return { name, bytes, sha256: k && k.bytes === bytes && k.sha256 !== null ? k.sha256 : digestFile(path).sha256 };
  });
  const manifest = {
    run_id: runId,
    custkit: version,
    inputs: inputs.map((i) => ({ file: i.file, bytes: i.digest.bytes, sha256: i.digest.sha256 })),
    ...(engine ? { engine } : {}),
    files,
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}
