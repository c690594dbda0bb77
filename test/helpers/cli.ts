/** Runs custkit in-process (fast) or as a real process (end to end) and captures its output. */
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  chunks: Buffer[] = [];
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** In-process run: stdout/stderr captured; files given by path. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<CliResult> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(args, { stdout: out, stderr: err, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

export const BIN = resolve(REPO_ROOT, 'bin/custkit.js');

/** Real process through bin/custkit.js (needs `npm run build`); `input` is piped to stdin. */
export function spawnCli(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd ?? REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
    // Killed when it outlives the timeout: status null, code −1 (e.g. a thread that keeps the process alive).
    timeout: opts.timeoutMs,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

export const fixture = (...p: string[]): string => resolve(REPO_ROOT, 'fixtures', ...p);
