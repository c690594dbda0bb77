#!/usr/bin/env node
/**
 * `npm run bench [-- --sizes 1m,10m]`: end-to-end timings of the real CLI on generated data,
 * with the I/O floor (cat) and DuckDB's SQL aggregation of the same file in the same run, so
 * every figure is also a ratio. Never part of `npm test` (tests never time anything).
 *
 * Prints a markdown table and writes bench-data/results.json. Regression guard (not a
 * timing): exits 1 when `segment`'s peak RSS per customer at the largest size exceeds
 * RSS_BUDGET_BYTES_PER_CUSTOMER above a fixed process baseline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench-data');
const BIN = join(ROOT, 'bin/custkit.js');
/**
 * Peak RSS of `segment` may grow by at most this many bytes per customer above the baseline.
 * Measured 2026-11-22 at 1M customers: 946 B (the accumulator itself is ~180 B/customer; the
 * rest is the summary objects, classification columns and GC headroom). The product target is
 * 400 B of heap per customer for aggregation; this budget guards against regressions from
 * today's figure, it does not claim the target.
 */
const RSS_BUDGET_BYTES_PER_CUSTOMER = 1100;
/** Node + custkit loaded, no data (measured: ~60 MB); generous to keep the guard about growth. */
const RSS_BASELINE_BYTES = 100 * 1024 * 1024;

const args = process.argv.slice(2);
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '1m,10m';
const SIZES = { '100k': 100_000, '1m': 1_000_000, '10m': 10_000_000 };
const sizes = sizesArg.split(',').map((s) => [s, SIZES[s]]).filter(([, n]) => n);

mkdirSync(DATA, { recursive: true });
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS and the stats line. */
function timed(cmd, argv, env = {}) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...argv], { env: { ...process.env, CUSTKIT_STATS: '1', ...env }, maxBuffer: 1 << 28 })
    : spawnSync(cmd, argv, { env: { ...process.env, CUSTKIT_STATS: '1', ...env }, maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  const err = r.stderr.toString();
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(err);
  const s = /custkit-stats: (\{.*\})/.exec(err);
  const stats = s ? JSON.parse(s[1]) : null;
  return {
    ok: r.status === 0,
    code: r.status,
    wall: m ? Number(m[1]) : wall,
    rssMb: m ? Number(m[2]) / 1024 : stats ? stats.maxRssKb / 1024 : null,
    stages: stats?.stages ?? null,
    err: r.status === 0 ? '' : err.split('\n').filter((l) => l && !l.startsWith('__TIME__')).slice(-3).join(' | '),
  };
}

async function duckdbAggregate(file) {
  let mod;
  try {
    mod = await import('@duckdb/node-api');
  } catch {
    return null;
  }
  const t0 = performance.now();
  const inst = await mod.DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const sql = `SELECT customer_id, count(*) AS orders, sum(amount) AS revenue, min(order_date) AS first_order,
      max(order_date) AS last_order, count(DISTINCT order_date) AS purchase_days
    FROM read_csv('${file.replace(/'/g, "''")}', header = true, columns = {'customer_id': 'VARCHAR', 'order_id': 'VARCHAR',
      'order_date': 'DATE', 'amount': 'DOUBLE', 'quantity': 'INTEGER', 'status': 'VARCHAR', 'channel': 'VARCHAR'})
    GROUP BY customer_id`;
  const res = await con.runAndReadAll(sql);
  const rows = res.getRows().length;
  const secs = (performance.now() - t0) / 1000;
  con.closeSync?.();
  return { wall: secs, customers: rows };
}

const results = [];
const table = ['| size | step | seconds | MB/s | peak RSS MB | × DuckDB | notes |', '|---|---|---:|---:|---:|---:|---|'];
let guardFailed = false;

for (const [name, n] of sizes) {
  const file = join(DATA, `orders-${name}.csv`);
  if (!existsSync(file)) {
    console.error(`bench: generating ${file} (${n} orders)…`);
    execFileSync(process.execPath, [join(ROOT, 'dist/gen/cli.js'), '--orders', String(n), '--seed', '1', '--out', file], { stdio: 'inherit' });
  }
  const mb = statSync(file).size / 1e6;
  const tmp = join(DATA, `tmp-${name}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const row = (step, r, duck, notes = '') => {
    const ratio = duck && r.wall ? (r.wall / duck).toFixed(2) : '–';
    results.push({ size: name, step, seconds: r.wall, mbPerS: r.wall ? mb / r.wall : null, rssMb: r.rssMb, ratioToDuckdb: duck ? r.wall / duck : null, stages: r.stages, ok: r.ok, notes });
    table.push(`| ${name} (${mb.toFixed(0)} MB) | ${step} | ${r.wall.toFixed(2)} | ${(mb / r.wall).toFixed(1)} | ${r.rssMb ? r.rssMb.toFixed(0) : '–'} | ${ratio} | ${r.ok ? notes : 'FAILED ' + r.err} |`);
    console.error(table[table.length - 1]);
  };
  const cat = timed('sh', ['-c', `cat '${file}' > /dev/null`]);
  const duck = await duckdbAggregate(file);
  const dw = duck?.wall ?? null;
  row('cat (I/O floor)', cat, dw);
  if (duck) row('DuckDB SQL aggregation', { ok: true, wall: duck.wall, rssMb: null, stages: null }, dw, `${duck.customers} customers (in-process, RSS not separable)`);
  const ing = timed(process.execPath, [BIN, 'ingest', file, '-o', join(tmp, 'tx.csv'), '-q']);
  row('ingest', ing, dw);
  const cl = timed(process.execPath, [BIN, 'clean', join(tmp, 'tx.csv'), '-o', join(tmp, 'clean.csv'), '-q']);
  row('clean (2 passes: outlier fence)', cl, dw);
  const seg = timed(process.execPath, [BIN, 'segment', join(tmp, 'clean.csv'), '-o', join(tmp, 'customers.csv'), '-q']);
  row('segment (aggregate + all classifications)', seg, dw, seg.stages ? `aggregate ${(seg.stages.aggregateMs / 1000).toFixed(2)} s, classify ${(seg.stages.classifyMs / 1000).toFixed(2)} s` : '');
  const customers = Math.max(1, Number(execFileSync('sh', ['-c', `wc -l < '${join(tmp, 'customers.csv')}'`]).toString()) - 1);
  const sc = timed(process.execPath, [BIN, 'score', join(tmp, 'customers.csv'), '-o', join(tmp, 'scored.csv'), '-q']);
  row('score (BG/NBD + Gamma-Gamma fit, CLV)', sc, dw, sc.stages ? `fit + scoring ${(sc.stages.scoreMs / 1000).toFixed(2)} s` : '');
  const rep = timed(process.execPath, [BIN, 'report', join(tmp, 'scored.csv'), '--format', 'html', '-o', join(tmp, 'report.html'), '-q']);
  row('report (html)', rep, dw, existsSync(join(tmp, 'report.html')) ? `HTML ${(statSync(join(tmp, 'report.html')).size / 1e6).toFixed(2)} MB` : '');
  const fast = timed(process.execPath, [BIN, 'run', file, '--out', join(tmp, 'run-rfm'), '--only', 'rfm', '-q']);
  row('run --only rfm (ingest→clean→aggregate→RFM, + score/report)', fast, dw, fast.stages ? `ingest+clean+aggregate ${(fast.stages.ingestCleanAggregateMs / 1000).toFixed(2)} s, segment ${(fast.stages.segmentMs / 1000).toFixed(2)} s` : '');
  const run = timed(process.execPath, [BIN, 'run', file, '--out', join(tmp, 'run'), '-q']);
  row('run (everything)', run, dw, run.stages ? Object.entries(run.stages).map(([k, v]) => `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(2)} s`).join(', ') : '');
  const perCustomer = seg.rssMb ? ((seg.rssMb * 1024 * 1024 - RSS_BASELINE_BYTES) / customers) : null;
  table.push(`| ${name} | segment RSS per customer | | | | | ${perCustomer === null ? '–' : perCustomer.toFixed(0)} bytes above a ${RSS_BASELINE_BYTES / 1048576} MB baseline, ${customers} customers (budget ${RSS_BUDGET_BYTES_PER_CUSTOMER}) |`);
  if (perCustomer !== null && customers >= 500_000 && perCustomer > RSS_BUDGET_BYTES_PER_CUSTOMER) guardFailed = true;
}

console.log(table.join('\n'));
writeFileSync(join(DATA, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
if (guardFailed) {
  console.error(`bench: FAILED memory guard: segment peak RSS per customer above ${RSS_BUDGET_BYTES_PER_CUSTOMER} bytes`);
  process.exit(1);
}
