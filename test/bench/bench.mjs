#!/usr/bin/env node
/**
 * `npm run bench [-- --sizes 1m,10m] [--quick] [--threads-duckdb N] [--huge]`: end-to-end timings of the
 * real CLI (`node bin/custkit.js …`, spawned) on generated data, with the I/O floor
 * (`cat FILE > /dev/null`) and DuckDB's SQL aggregation of the same file in the same run (its
 * own process, test/bench/duckdb-aggregate.mjs), so every figure is also a ratio to DuckDB.
 * Never part of `npm test` (tests never time anything).
 *
 * Sizes: 100k (100,000 lines / ~10k customers), 1m (1M / ~100k), 10m (10M / ~1M). Default
 * 1m,10m; --quick = 1m only. Data is generated once with `node dist/gen/cli.js --orders N
 * --seed 1` and cached in bench-data/ (git-ignored) next to a .meta.json naming the generator
 * build it came from; a changed generator regenerates it. dist/ is rebuilt when a source is
 * newer than it.
 *
 * Steps, each on the previous step's output (the interfaces of the README):
 *   ingest FILE -o tx.csv · clean tx.csv --audit audit.json -o clean.csv (also to stdout, and
 *   with --threads 1, both checked identical) · segment clean.csv -o customers.csv · score customers.csv -o scored.csv ·
 *   report scored.csv --format md -o r.md · run FILE --out DIR, then again into the same DIR
 *   (the nightly case: --compare auto reads the first run's table back).
 * A failing step is reported (exit code, last stderr lines) and the run goes on.
 * For each: wall seconds, MB/s of the step's input, peak RSS (GNU `/usr/bin/time -f '%e %M'`
 * when present, else the CLI's `custkit-stats:` stderr line under CUSTKIT_STATS=1), × DuckDB.
 * Prints a markdown table and writes bench-data/results.json.
 *
 * Regression guards (memory, never timing): exit 1 when the peak RSS of `segment` (or of
 * `run`, first or second) above the baseline (`segment` on a 1,000-order file) exceeds
 * RSS_BUDGET_BYTES_PER_CUSTOMER (RUN_RSS_BUDGET_BYTES_PER_CUSTOMER) per customer at a size
 * with ≥ GUARD_MIN_CUSTOMERS customers; and when `clean` (default threads) peaks above
 * CLEAN_RSS_BUDGET_MB on a file of ≥ CLEAN_GUARD_MIN_LINES lines (#2: under 500 MB for 10M).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench-data');
const BIN = join(ROOT, 'bin/custkit.js');
const GEN = join(ROOT, 'dist/gen/cli.js');
const DUCK = join(ROOT, 'test/bench/duckdb-aggregate.mjs');
/**
 * Peak RSS of `segment` may grow by at most this many bytes per customer above the baseline.
 * Measured 2026-11-22 at 1M customers: 946 B (the accumulator itself is ~180 B/customer; the
 * rest is the summary objects, classification columns and GC headroom). The product target is
 * 400 B of heap per customer for aggregation; this budget guards against regressions from
 * today's figure, it does not claim the target.
 */
const RSS_BUDGET_BYTES_PER_CUSTOMER = 1100;
/**
 * Peak RSS of `run` (the whole pipeline, its default reader thread included) may grow by at
 * most this many bytes per customer above the same baseline: at 1M customers that keeps the
 * run under 1 GiB (#6). Measured 2026-11-30 at 1M customers: 830–874 B (0.90–0.94 GB peak).
 */
const RUN_RSS_BUDGET_BYTES_PER_CUSTOMER = 950;
/** The guard applies only where the per-customer term dominates the baseline. */
const GUARD_MIN_CUSTOMERS = 500_000;
/**
 * Peak RSS of `clean` on 10M lines (#2's budget; memory grows with orders: the order/line
 * index, 17–34 bytes per order). Measured 2026-11-30 with the reader thread: 445–471 MB.
 */
const CLEAN_RSS_BUDGET_MB = 500;
const CLEAN_GUARD_MIN_LINES = 10_000_000;

const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SIZES = { '100k': 100_000, '1m': 1_000_000, '10m': 10_000_000 };
const sizesArg = arg('--sizes') ?? (args.includes('--quick') ? '1m' : args.includes('--huge') ? '' : '1m,10m');
const sizes = sizesArg.split(',').filter((s) => s.trim()).map((s) => [s.trim(), SIZES[s.trim()]]);
for (const [s, n] of sizes) if (!n) throw new Error(`unknown size '${s}' (choose from ${Object.keys(SIZES).join(', ')})`);
const duckThreads = arg('--threads-duckdb');

mkdirSync(DATA, { recursive: true });

/** Newest modification time under a folder (files ending in `ext`). */
function newest(dir, ext) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}
const distStale = !existsSync(join(ROOT, 'dist/cli/main.js')) || !existsSync(GEN) || newest(join(ROOT, 'src'), '.ts') > Math.min(statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs, statSync(GEN).mtimeMs);
if (distStale) {
  console.error('bench: building dist/ (npx tsc -p tsconfig.json)…');
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** Identity of the generator build: a cached file is reused only if it came from the same one. */
const genId = createHash('sha256')
  .update(['simulate.js', 'orders-export.js', 'cli.js'].map((f) => readFileSync(join(ROOT, 'dist/gen', f))).join('\n'))
  .digest('hex')
  .slice(0, 16);

/** A generated export of n orders (seed 1), from the cache when the generator is unchanged. */
function dataFile(name, n) {
  const file = join(DATA, `orders-${name}.csv`);
  const metaFile = `${file}.meta.json`;
  const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : null;
  if (!existsSync(file) || meta?.generator !== genId || meta?.orders !== n) {
    console.error(`bench: generating ${file} (${n.toLocaleString('en-US')} orders)…`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [GEN, '--orders', String(n), '--seed', '1', '--out', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
    const m = /(\d+) customers/.exec(r.stderr);
    writeFileSync(metaFile, JSON.stringify({ generator: genId, orders: n, seed: 1, customers: m ? Number(m[1]) : null, seconds: (performance.now() - t0) / 1000 }) + '\n');
    process.stderr.write(r.stderr);
  }
  return file;
}

/** Runs a command; wall seconds, peak RSS (MB), custkit's stage timings, and failure details. */
function timed(cmd, argv, env = {}) {
  // Earlier steps write gigabytes (tx.csv, clean.csv, …): flush them first, so that a step is
  // not timed while the kernel writes back the one before it (a run started right after a
  // bench took 25.3 s; the same run 75 s later 21.9 s, and again 22.1 s).
  spawnSync('sync');
  const useTime = existsSync('/usr/bin/time');
  const fullEnv = { ...process.env, CUSTKIT_STATS: '1', NO_COLOR: '1', ...env };
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...argv], { env: fullEnv, maxBuffer: 1 << 28 })
    : spawnSync(cmd, argv, { env: fullEnv, maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  const err = r.stderr?.toString() ?? String(r.error);
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(err);
  const s = /custkit-stats: (\{.*\})/.exec(err);
  const stats = s ? JSON.parse(s[1]) : null;
  return {
    ok: r.status === 0,
    code: r.status,
    // Our own clock (ms resolution) rather than time's %e (10 ms).
    wall,
    rssMb: m ? Number(m[2]) / 1024 : stats ? stats.maxRssKb / 1024 : null,
    stages: stats?.stages ?? null,
    stdout: r.stdout?.toString() ?? '',
    err: r.status === 0 ? '' : `exit ${r.status}: ` + err.split('\n').filter((l) => l && !l.startsWith('__TIME__') && !l.startsWith('custkit-stats:')).slice(-3).join(' | '),
  };
}

const custkit = (...a) => timed(process.execPath, [BIN, ...a]);
const sizeMb = (f) => (existsSync(f) ? statSync(f).size / 1e6 : 0);
const lineCount = (f) => (existsSync(f) ? Number(execFileSync('sh', ['-c', `wc -l < '${f}'`]).toString()) : 0);
const stageText = (st) =>
  st ? Object.entries(st).map(([k, v]) => (k.endsWith('PeakRssMb') ? `${k.replace(/PeakRssMb$/, '')} peak ${v} MB` : `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(2)} s`)).join(', ') : '';

const results = [];
const table = ['| size | step | input MB | seconds | MB/s | peak RSS MB | × DuckDB | notes |', '|---|---|---:|---:|---:|---:|---:|---|'];
const guard = [];

// Baseline RSS of segment: Node + custkit + a 1,000-order table.
const tinyDir = join(DATA, 'tmp-baseline');
rmSync(tinyDir, { recursive: true, force: true });
mkdirSync(tinyDir, { recursive: true });
const tiny = join(tinyDir, 'orders.csv');
execFileSync(process.execPath, [GEN, '--orders', '1000', '--out', tiny], { stdio: 'ignore' });
custkit('ingest', tiny, '-o', join(tinyDir, 'tx.csv'), '-q');
custkit('clean', join(tinyDir, 'tx.csv'), '-o', join(tinyDir, 'clean.csv'), '-q');
const base = custkit('segment', join(tinyDir, 'clean.csv'), '-o', join(tinyDir, 'customers.csv'), '-q');
const baselineMb = base.ok ? base.rssMb : null;

for (const [name, n] of sizes) {
  const file = dataFile(name, n);
  const mb = sizeMb(file);
  const tmp = join(DATA, `tmp-${name}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const p = (f) => join(tmp, f);
  let duckWall = null;
  const row = (step, inputFile, r, notes = '') => {
    const inMb = sizeMb(inputFile);
    const ratio = duckWall && r.ok ? r.wall / duckWall : null;
    results.push({ size: name, step, inputMb: inMb, seconds: r.wall, mbPerS: r.ok ? inMb / r.wall : null, rssMb: r.rssMb, ratioToDuckdb: ratio, stages: r.stages, ok: r.ok, error: r.err || undefined, notes });
    table.push(
      `| ${name} | ${step} | ${inMb.toFixed(0)} | ${r.wall.toFixed(2)} | ${r.ok ? (inMb / r.wall).toFixed(1) : '–'} | ${r.rssMb ? r.rssMb.toFixed(0) : '–'} | ${ratio === null ? '–' : ratio.toFixed(2)} | ${r.ok ? notes : 'FAILED ' + r.err} |`,
    );
    console.error(table[table.length - 1]);
  };

  row('cat > /dev/null (I/O floor)', file, timed('sh', ['-c', `cat '${file}' > /dev/null`]));
  const duck = timed(process.execPath, [DUCK, file], duckThreads ? { THREADS: duckThreads } : {});
  let duckNote = '';
  if (duck.ok) {
    duckWall = duck.wall;
    const d = JSON.parse(duck.stdout.trim().split('\n').pop());
    duckNote = `${d.customers} customers, ${d.orders} orders; query ${(d.queryMs / 1000).toFixed(2)} s, ${duckThreads ?? 'all'} threads`;
  }
  row('DuckDB SQL aggregation (own process)', file, duck, duckNote);
  // The plain SQL of the cleaning steps every rule set has (duplicate lines dropped, order lines folded), for #7's ratio.
  const floor = timed(process.execPath, [DUCK, file], { QUERY: 'floor', ...(duckThreads ? { THREADS: duckThreads } : {}) });
  let floorWall = null;
  if (floor.ok) floorWall = floor.wall;
  row('DuckDB floor: DISTINCT lines + orders folded + aggregation', file, floor, floor.ok ? `query ${(JSON.parse(floor.stdout.trim().split('\n').pop()).queryMs / 1000).toFixed(2)} s` : '');
  row('ingest', file, custkit('ingest', file, '-o', p('tx.csv'), '-q'), '');
  const clean = custkit('clean', p('tx.csv'), '--audit', p('audit.json'), '-o', p('clean.csv'), '-q');
  row('clean', p('tx.csv'), clean, stageText(clean.stages));
  // The same clean to stdout (rows patched in a temporary file, then copied out) and on one
  // thread, each checked against clean.csv.
  const sameClean = (f) => existsSync(f) && readFileSync(f).equals(readFileSync(p('clean.csv')));
  const cleanOut = timed('sh', ['-c', `'${process.execPath}' '${BIN}' clean '${p('tx.csv')}' -q > '${p('clean-stdout.csv')}'`]);
  row('clean > file (stdout)', p('tx.csv'), cleanOut, `output ${sameClean(p('clean-stdout.csv')) ? 'identical to' : 'DIFFERENT from'} -o's`);
  rmSync(p('clean-stdout.csv'), { force: true });
  const cleanOne = custkit('clean', p('tx.csv'), '--threads', '1', '-o', p('clean-1.csv'), '-q');
  row('clean --threads 1', p('tx.csv'), cleanOne, `output ${sameClean(p('clean-1.csv')) ? 'identical to' : 'DIFFERENT from'} the default's`);
  rmSync(p('clean-1.csv'), { force: true });
  if (clean.ok && clean.rssMb !== null) {
    const lines = lineCount(p('tx.csv')) - 1;
    const applies = lines >= CLEAN_GUARD_MIN_LINES;
    const over = applies && clean.rssMb > CLEAN_RSS_BUDGET_MB;
    guard.push({ size: name, step: 'clean', lines, rssMb: clean.rssMb, budgetMb: CLEAN_RSS_BUDGET_MB, applies, failed: over });
    table.push(`| ${name} | clean peak RSS | | | | | | ${clean.rssMb.toFixed(0)} MB on ${lines} lines; budget ${CLEAN_RSS_BUDGET_MB} MB${applies ? (over ? ' — OVER BUDGET' : ' — ok') : ` (guard applies from ${CLEAN_GUARD_MIN_LINES} lines)`} |`);
  }
  const seg = custkit('segment', p('clean.csv'), '-o', p('customers.csv'), '-q');
  const customers = Math.max(0, lineCount(p('customers.csv')) - 1);
  row('segment', p('clean.csv'), seg, `${customers} customers; ${stageText(seg.stages)}`);
  const sc = custkit('score', p('customers.csv'), '-o', p('scored.csv'), '-q');
  row('score', p('customers.csv'), sc, stageText(sc.stages));
  row('report --format md', p('scored.csv'), custkit('report', p('scored.csv'), '--format', 'md', '-o', p('r.md'), '-q'));
  const run = custkit('run', file, '--out', p('run'), '-q');
  row('run (fused pipeline)', file, run, stageText(run.stages));
  // The nightly cron case: a second run into the same folder compares with the first one
  // (--compare auto, the default) and reads its customers.csv back.
  const runAgain = custkit('run', file, '--out', p('run'), '-q');
  const sameAgain = runAgain.ok && existsSync(p('run/previous/customers.csv')) && readFileSync(p('run/previous/customers.csv'), 'utf8') === readFileSync(p('run/customers.csv'), 'utf8');
  row('run again into the same folder (--compare auto)', file, runAgain, `${stageText(runAgain.stages)}; previous/customers.csv ${sameAgain ? 'identical to' : 'DIFFERENT from'} the new one`);
  // What each people-facing addition costs, against the default run above (#25, #26, #27).
  const variant = (step, extra, env = {}, more = () => '') => {
    const r = timed(process.execPath, [BIN, 'run', file, '--out', p('run-variant'), '--compare', 'off', '-q', ...extra], env);
    row(step, file, r, `${stageText(r.stages)}${r.ok && run.ok ? `; ${(r.wall / run.wall).toFixed(2)}× the default run's wall time${more(r)}` : ''}`);
    rmSync(p('run-variant'), { recursive: true, force: true });
    rmSync(p('.run-variant.runs'), { recursive: true, force: true });
  };
  variant('run --parquet (customers.parquet too)', ['--parquet']);
  // The workbook's own cost in one build: the default run writes customers.xlsx, this one does not.
  variant('run --no-workbook (no customers.xlsx)', ['--no-workbook'], {}, (r) => `; customers.xlsx adds ${(run.wall - r.wall).toFixed(2)} s to the default run`);
  variant('run --cohorts off (no cohorts, no key indicators)', ['--cohorts', 'off']);
  variant('run --keep channel,status --by channel', ['--keep', 'channel,status', '--by', 'channel']);
  variant('run --pseudonymize', ['--pseudonymize'], { CUSTKIT_PSEUDONYM_KEY: 'bench-key-not-a-secret-0123456789' });
  // #27: the backtest of the three models (calibration to mid-2025, holdout to the end) on the cleaned transactions.
  const bt = custkit('score', p('clean.csv'), '--holdout', '2025-06-30', '--model', 'auto', '--backtest-out', p('backtest.csv'), '-o', p('scored-bt.csv'), '-q');
  row('score --holdout 2025-06-30 --model auto (3 models)', p('clean.csv'), bt, stageText(bt.stages));
  const run1 = custkit('run', file, '--out', p('run-1'), '--threads', '1', '-q');
  const sameRun1 = run1.ok && run.ok && readFileSync(p('run-1/customers.csv'), 'utf8') === readFileSync(p('run/customers.csv'), 'utf8');
  row('run --threads 1 (no reader thread)', file, run1, `${stageText(run1.stages)}; customers.csv ${sameRun1 ? 'identical to' : 'DIFFERENT from'} the default run's`);
  // The DuckDB engine (#7): the O(orders) step in embedded DuckDB; its stage time is also
  // given as a ratio to the raw DuckDB query above.
  const stageRatio = (r, key) => (duckWall && r.stages?.[key] ? ` (stage ${(r.stages[key] / 1000 / duckWall).toFixed(2)}× DuckDB)` : '');
  const segDuck = custkit('segment', p('clean.csv'), '--engine', 'duckdb', '-o', p('customers-duck.csv'), '-q');
  const sameSeg = segDuck.ok && seg.ok && readFileSync(p('customers-duck.csv'), 'utf8') === readFileSync(p('customers.csv'), 'utf8');
  row('segment --engine duckdb', p('clean.csv'), segDuck, `${stageText(segDuck.stages)}${stageRatio(segDuck, 'aggregateMs')}; table ${sameSeg ? 'identical to' : 'DIFFERENT from'} the js engine's`);
  const runDuck = custkit('run', file, '--out', p('run-duck'), '--engine', 'duckdb', '-q');
  const sameRun = runDuck.ok && run.ok && readFileSync(p('run-duck/customers.csv'), 'utf8') === readFileSync(p('run/customers.csv'), 'utf8');
  const floorRatio = floorWall && runDuck.stages?.ingestCleanAggregateMs ? ` (${(runDuck.stages.ingestCleanAggregateMs / 1000 / floorWall).toFixed(2)}× the floor)` : '';
  // #29's two ratios: the SQL step against the floor query above, the whole run against the js run's.
  const jsRatio = runDuck.ok && run.ok ? `; run ${(runDuck.wall / run.wall).toFixed(2)}× the js run's wall time` : '';
  row('run --engine duckdb', file, runDuck, `${stageText(runDuck.stages)}${stageRatio(runDuck, 'ingestCleanAggregateMs')}${floorRatio}${jsRatio}; customers.csv ${sameRun ? 'identical to' : 'DIFFERENT from'} the js run's`);
  const runAuto = custkit('run', file, '--out', p('run-auto'), '-q');
  row('run --engine auto (the default)', file, runAuto, stageText(runAuto.stages));

  memoryGuard('segment', seg, RSS_BUDGET_BYTES_PER_CUSTOMER);
  memoryGuard('run', run, RUN_RSS_BUDGET_BYTES_PER_CUSTOMER);
  memoryGuard('run --compare auto', runAgain, RUN_RSS_BUDGET_BYTES_PER_CUSTOMER);

  /** Peak RSS of `step` above the baseline per customer, against its budget: a table row and a guard entry. */
  function memoryGuard(step, r, budget) {
    if (!(r.ok && r.rssMb !== null && baselineMb !== null && customers > 0)) return;
    const perCustomer = ((r.rssMb - baselineMb) * 1024 * 1024) / customers;
    const applies = customers >= GUARD_MIN_CUSTOMERS;
    const over = applies && perCustomer > budget;
    guard.push({ size: name, step, customers, rssMb: r.rssMb, baselineMb, bytesPerCustomer: perCustomer, budget, applies, failed: over });
    table.push(
      `| ${name} | ${step} RSS per customer | | | | | | ${perCustomer.toFixed(0)} bytes above the ${baselineMb.toFixed(0)} MB baseline × ${customers} customers; budget ${budget}${applies ? (over ? ' — OVER BUDGET' : ' — ok') : ` (guard applies from ${GUARD_MIN_CUSTOMERS} customers)`} |`,
    );
  }
}

if (args.includes('--huge')) hugeRun();

/**
 * `--huge` (#29 item 5; minutes, never by default): 100M lines with 10M customers, generated
 * once, through `run --engine duckdb --memory-limit 2GB`: wall time, peak RSS, stage times.
 */
function hugeRun() {
  const file = join(DATA, 'orders-100m-10mc.csv');
  if (!existsSync(file)) {
    console.error(`bench: generating ${file} (100,000,000 orders, 10,000,000 customers)…`);
    const r = spawnSync(process.execPath, [GEN, '--orders', '100000000', '--customers', '10000000', '--seed', '1', '--out', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  }
  const out = join(DATA, 'tmp-huge');
  rmSync(out, { recursive: true, force: true });
  // A heap cap: on a shared machine a run that outgrows its budget fails instead of starving the others.
  const r = timed(process.execPath, ['--max-old-space-size=3072', BIN, 'run', file, '--out', out, '--engine', 'duckdb', '--memory-limit', '2GB', '--compare', 'off', '-q']);
  const mb = sizeMb(file);
  results.push({ size: '100m-10mc', step: 'run --engine duckdb --memory-limit 2GB', inputMb: mb, seconds: r.wall, rssMb: r.rssMb, stages: r.stages, ok: r.ok, error: r.err || undefined });
  table.push(`| 100m (10M customers) | run --engine duckdb --memory-limit 2GB | ${mb.toFixed(0)} | ${r.wall.toFixed(2)} | ${r.ok ? (mb / r.wall).toFixed(1) : '–'} | ${r.rssMb ? r.rssMb.toFixed(0) : '–'} | – | ${r.ok ? stageText(r.stages) : 'FAILED ' + r.err} |`);
  console.error(table[table.length - 1]);
  rmSync(out, { recursive: true, force: true });
}

console.log(table.join('\n'));
writeFileSync(
  join(DATA, 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg(), generator: genId, results, memoryGuard: guard }, null, 2) + '\n',
);
console.error(`bench: wrote ${join(DATA, 'results.json')} (npm run bench:doc puts it in docs/performance.md)`);
if (guard.some((g) => g.failed)) {
  for (const g of guard.filter((x) => x.failed)) console.error(g.budgetMb !== undefined ? `bench: FAILED memory guard: ${g.step} peak RSS ${g.rssMb.toFixed(0)} MB at ${g.size}, above ${g.budgetMb} MB` : `bench: FAILED memory guard: ${g.step} peak RSS ${g.bytesPerCustomer.toFixed(0)} bytes per customer at ${g.size}, above ${g.budget}`);
  process.exit(1);
}
if (!guard.some((g) => g.applies)) console.error(`bench: memory guard not evaluated (needs a size with ≥ ${GUARD_MIN_CUSTOMERS} customers and a successful segment)`);
