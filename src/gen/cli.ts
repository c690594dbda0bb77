/**
 * `npm run gen -- --orders N [--customers M] [--seed S] [--start 2023-01-01] [--end 2025-12-31]
 * [--out FILE|-] [--truth FILE] [--dirty] [--format csv]`
 *
 * Writes a deterministic order export (same options → same bytes; see ./orders-export.ts for
 * the format and ./simulate.ts for the customer process). Default: 10 orders per customer,
 * stdout. Files are written atomically (FILE.tmp-<pid>, renamed when complete). The summary
 * (lines, customers, seconds, and with --dirty the count of every injected problem as JSON)
 * goes to stderr. Memory: ~17 bytes an order (10M orders ≈ 170 MB) plus one 1 MiB chunk.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { parseIsoDay } from '../core/time/day.js';
import { formatTruthRow, orderExportChunks, TRUTH_HEADER, type ExportSummary } from './orders-export.js';

const positiveInt = (v: string): number => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const isoDay = (v: string): number => {
  const d = parseIsoDay(v);
  if (d === null) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return d;
};

const program = new Command('custkit-gen')
  .description('deterministic order-export generator for custkit tests and benchmarks')
  .requiredOption('--orders <n>', 'number of orders (lines, before --dirty additions)', positiveInt)
  .option('--customers <n>', 'target number of customers (default: orders / 10)', positiveInt)
  .option('--seed <n>', 'random seed (integer)', (v) => Number(v), 1)
  .option('--start <date>', 'first day of the window', isoDay, isoDay('2023-01-01'))
  .option('--end <date>', 'last day of the window', isoDay, isoDay('2025-12-31'))
  .option('--out <file>', 'output file (written atomically) or - for stdout', '-')
  .option('--truth <file>', 'also write the per-customer ground truth CSV here')
  .option('--dirty', 'inject duplicates, split orders, cancellations, refunds, guests, bad rows, formatted amounts')
  .option('--format <fmt>', 'output format (only csv)', 'csv')
  .parse();

const o = program.opts<{ orders: number; customers?: number; seed: number; start: number; end: number; out: string; truth?: string; dirty?: boolean; format: string }>();
const fail = (msg: string): never => {
  process.stderr.write(`custkit-gen: ${msg}\n`);
  process.exit(2);
};
if (o.format !== 'csv') fail(`unknown --format '${o.format}' (only csv)`);
if (!Number.isSafeInteger(o.seed)) fail('--seed must be an integer');
if (o.end <= o.start) fail('--start must be before --end');
if (o.orders > 2 ** 31 - 1) fail('--orders is limited to 2^31 - 1');

/** A file written to FILE.tmp-<pid> and renamed into place on commit; removed on abort. */
class AtomicFile {
  private readonly tmp: string;
  private fd: number;
  constructor(private readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }
  write(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }
  commit(): void {
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}

const open: AtomicFile[] = [];
const cleanUp = (): void => {
  for (const f of open) f.abort();
};
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

/** A reader that went away (`npm run gen ... | head`) ends the generator quietly (exit 0). */
let brokenPipe = false;
let wakeWriter: (() => void) | null = null;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  brokenPipe = true;
  wakeWriter?.();
});
/** Resolves when stdout drained or broke. */
const stdoutReady = (): Promise<void> =>
  new Promise((res) => {
    wakeWriter = res;
    process.stdout.once('drain', res);
  });

try {
  const t0 = performance.now();
  const out = o.out === '-' ? null : new AtomicFile(o.out);
  if (out) open.push(out);
  let truthFile: AtomicFile | null = null;
  let truthText = '';
  if (o.truth) {
    truthFile = new AtomicFile(o.truth);
    open.push(truthFile);
    truthText = TRUTH_HEADER;
  }
  const enc = new TextEncoder();
  const it = orderExportChunks(
    { orders: o.orders, customers: o.customers, seed: o.seed, start: o.start, end: o.end, dirty: o.dirty },
    truthFile
      ? (t) => {
          truthText += formatTruthRow(t, o.end);
          if (truthText.length > 1 << 16) {
            truthFile!.write(enc.encode(truthText));
            truthText = '';
          }
        }
      : undefined,
  );
  let summary: ExportSummary;
  for (;;) {
    const r = it.next();
    if (r.done) {
      summary = r.value;
      break;
    }
    if (out) out.write(r.value);
    else {
      if (brokenPipe) break;
      if (!process.stdout.write(r.value)) await stdoutReady();
    }
  }
  if (brokenPipe) {
    cleanUp();
    process.exit(0);
  }
  if (truthFile) {
    truthFile.write(enc.encode(truthText));
    truthFile.commit();
  }
  out?.commit();
  const s = summary!;
  process.stderr.write(
    `custkit-gen: ${s.lines} lines, ${s.customers} customers, ${((performance.now() - t0) / 1000).toFixed(1)} s${o.dirty ? `; dirty: ${JSON.stringify(s.dirty)}` : ''}\n`,
  );
} catch (e) {
  cleanUp();
  process.stderr.write(`custkit-gen: ${(e as Error).message}\n`);
  process.exit(1);
}
