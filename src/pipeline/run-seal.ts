/**
 * The last step of run: run.json, which lists every file of the set with its SHA-256 (a set
 * with run.json is complete), then the switch that makes DIR show this set, then the copies
 * asked for outside the folder (--rejects, --audit, --model-out), made from the set DIR shows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from './stage-context.js';
import type { FileDigest } from '../io/file-digest.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { copyFileAtomic } from '../io/text-output.js';
import { MANIFEST, manifestText, runFileNames, type RunEngine } from './run-id.js';

export interface SealRequest {
  /** The staging folder holding this run's files. */
  staged: string;
  /** The folder users read (--out). */
  dir: string;
  runId: string;
  version: string;
  inputs: { file: string; digest: FileDigest }[];
  /** Digests of this run's files taken since they were written, by name (run.json takes the rest). */
  written: ReadonlyMap<string, FileDigest>;
  /** Switches DIR to the staged files. */
  commit: () => void;
  copies: { file: string; to: string }[];
  /** When the run started (performance.now()). */
  t0: number;
  engine: RunEngine;
}

export async function sealRun(ctx: StageContext, r: SealRequest): Promise<void> {
  const t4 = performance.now();
  writeFileAtomic(join(r.staged, MANIFEST), manifestText(r.staged, r.runId, r.version, r.inputs, r.written, r.engine));
  const written = runFileNames(r.staged, true);
  r.commit(); // DIR shows this run from now on
  ctx.stats.manifestMs = Math.round(performance.now() - t4);
  ctx.stats.totalMs = Math.round(performance.now() - r.t0);
  for (const c of r.copies) if (existsSync(join(r.dir, c.file))) await copyFileAtomic(join(r.dir, c.file), c.to);
  ctx.msgs.note(`run: wrote ${r.dir}/{${written.join(',')}}${r.copies.length ? ` + ${r.copies.map((c) => c.to).join(', ')}` : ''} (run ${r.runId}) in ${((performance.now() - r.t0) / 1000).toFixed(1)} s`);
}
