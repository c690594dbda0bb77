/**
 * DuckDB failures from the command line: out of memory under a small --memory-limit (a real
 * one, on a generated input just big enough) is exit 2 with one line naming the limit, no
 * stack trace and no output; `run` falls back to the JavaScript engine only where
 * docs/commands.md says (input DuckDB refuses, an overflowing count; out of memory under
 * --engine auto), saying why, and run.json records the engine whose results the set holds.
 * Failures a small input cannot provoke (an overflow, a full spill disk, an interrupt, a bug)
 * are injected at run's seam with DuckDB, runWithDuckdb, with DuckDB's own wording.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';

const inject = vi.hoisted(() => ({ error: null as Error | null }));
vi.mock('../../src/engine/duckdb-clean.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/duckdb-clean.js')>();
  return { ...real, runWithDuckdb: (...a: Parameters<typeof real.runWithDuckdb>) => (inject.error ? Promise.reject(inject.error) : real.runWithDuckdb(...a)) };
});

const tmp = tempDir('custkit-duckerr-');
afterAll(() => tmp.cleanup());
beforeEach(() => {
  inject.error = null;
});
const read = (p: string): string => readFileSync(p, 'utf8');
const engineOf = (dir: string): unknown => (JSON.parse(read(`${dir}/run.json`)) as { engine: unknown }).engine;

/**
 * Canonical transactions with one customer per line and long ids: DuckDB's per-customer
 * groups exceed 64 MB (the smallest --memory-limit) at about 150,000 lines; twice that here.
 */
function bigInput(): string {
  const p = tmp.path('many-customers.csv');
  if (existsSync(p)) return p;
  const lines = ['customer_id,order_id,order_date,amount'];
  for (let i = 0; i < 300_000; i++) lines.push(`C${String(i).padStart(30, '0')},O${i},2024-${String(1 + (i % 12)).padStart(2, '0')}-15,${1 + (i % 97)}.25`);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

/** A small canonical export, and the same as Parquet (which --engine auto gives to DuckDB). */
async function smallInputs(): Promise<{ csv: string; parquet: string }> {
  const csv = tmp.path('small.csv');
  const parquet = tmp.path('small.parquet');
  if (!existsSync(parquet)) {
    const lines = ['customer_id,order_id,order_date,amount'];
    for (let i = 0; i < 200; i++) lines.push(`C${i % 37},O${i},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${(i % 50) + 0.5}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    const con = await inst.connect();
    await con.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    con.closeSync();
    inst.closeSync();
  }
  return { csv, parquet };
}

/** The JavaScript engine's customer table of the small export. */
async function jsTable(): Promise<string> {
  const js = tmp.path('fb-js');
  if (!existsSync(js)) {
    const a = await runCli(['run', (await smallInputs()).csv, '--out', js, '--engine', 'js', '-q']);
    expect(a.code, a.stderr).toBe(0);
    expect(engineOf(js)).toEqual({ asked: 'js', used: 'js' });
  }
  return read(`${js}/customers.csv`);
}

/** Exactly one line on stderr, DuckDB's error as custkit reports it: no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('out of memory under --memory-limit (DuckDB really runs out)', () => {
  it('segment --engine duckdb: exit 2, one line naming the limit with DuckDB\'s words and a hint, no output file', async () => {
    const out = tmp.path('seg-oom.csv');
    const r = await runCli(['segment', bigInput(), '--engine', 'duckdb', '--memory-limit', '64MB', '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^custkit: DuckDB ran out of memory under --memory-limit 64MB \(Out of Memory Error: [^\n]+\) \(hint: raise --memory-limit \(e\.g\. 2GB\), or use --engine js\)$/);
    expect(existsSync(out)).toBe(false);
  });

  it('run --engine duckdb: exit 2 rather than a JavaScript run whose memory grows with the history; no run folder', async () => {
    const out = tmp.path('run-oom');
    const input = bigInput();
    const before = readdirSync(tmp.dir);
    const r = await runCli(['run', input, '--engine', 'duckdb', '--memory-limit', '64MB', '--out', out, '-q']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^custkit: DuckDB ran out of memory under --memory-limit 64MB \(Out of Memory Error: [^\n]+\) \(hint: raise --memory-limit/);
    expect(readdirSync(tmp.dir)).toEqual(before); // nothing half-written, no lock left
  });
});

describe('a file DuckDB\'s CSV reader refuses (a ragged line past its sample)', () => {
  /** Canonical transactions with a line of five fields after 60,000 good ones (past DuckDB's sample and run's 1 MB head check). */
  function ragged(): string {
    const p = tmp.path('ragged.csv');
    const lines = ['customer_id,order_id,order_date,amount'];
    for (let i = 0; i < 60_000; i++) lines.push(`C${i % 500},O${i},2025-01-02,12`);
    writeFileSync(p, [...lines, 'C1,Ox,2025-01-02,12,9', 'C2,Oy,2025-01-03,5'].join('\n') + '\n');
    return p;
  }

  it('segment: one file goes to the JavaScript reader, which names the line; several files are exit 2 at DuckDB\'s file and line', async () => {
    const p = ragged();
    const r = await runCli(['segment', p, '--engine', 'duckdb']);
    expect(r.code).toBe(2);
    const said = 'Invalid Input Error: CSV Error on Line: 60002: Expected Number of Columns: 4 Found: 5';
    expect(r.stderr).toContain(`warning: segment: --engine duckdb: DuckDB cannot read the input at ${p}:60002 (${said}); aggregating with the JavaScript engine instead (same results)`);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`custkit: ${p}:60002: expected 4 fields, found 5 (hint: canonical files come from \`custkit ingest\`; check for a truncated or hand-edited line)`);
    const ok = tmp.path('ok.csv');
    writeFileSync(ok, 'customer_id,order_id,order_date,amount\nC1,O1,2025-01-02,12\n');
    const two = await runCli(['segment', ok, p, '--engine', 'duckdb', '-q']);
    expect(two.code).toBe(2);
    expect(oneLine(two.stderr)).toBe(`custkit: ${p}:60002: DuckDB cannot read the input (${said}) (hint: check the file; --engine js reads it and names the bad line and column)`);
  });

  it('run --engine duckdb: the JavaScript pipeline takes over with a warning and rejects the line', async () => {
    const p = ragged();
    const out = tmp.path('ragged-run');
    const r = await runCli(['run', p, '--engine', 'duckdb', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: run: --engine duckdb: DuckDB cannot read the input at ${p}:60002 (Invalid Input Error: CSV Error on Line: 60002: Expected Number of Columns: 4 Found: 5); ingest, clean and aggregation run in JavaScript instead (same results)`);
    expect(read(`${out}/rejects.csv`).split('\n').filter(Boolean)).toHaveLength(2);
    expect(engineOf(out)).toMatchObject({ asked: 'duckdb', used: 'js' });
  });
});

describe('run: falling back to the JavaScript engine, said truthfully (failures injected at runWithDuckdb)', () => {
  it('--engine auto chose DuckDB and it ran out of memory: a warning with DuckDB\'s words, JavaScript\'s results, run.json says so', async () => {
    const { parquet } = await smallInputs();
    const table = await jsTable();
    const oom = 'Out of Memory Error: could not allocate block of size 256.0 KiB (60.8 MiB/61.0 MiB used)';
    inject.error = new Error(`${oom}\n\nPossible solutions:\n* Reducing the number of threads`);
    const out = tmp.path('fb-auto-oom');
    const r = await runCli(['run', parquet, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`run: engine auto → duckdb (${parquet} is Parquet, which DuckDB reads as it is stored)`);
    const why = `DuckDB ran out of memory under --memory-limit 600MB (${oom})`;
    expect(r.stderr).toContain(`warning: run: engine auto → duckdb: ${why}; ingest, clean and aggregation run in JavaScript instead (same results)`);
    expect(r.stderr).not.toContain('plain CSV');
    expect(engineOf(out)).toEqual({ asked: 'auto', used: 'js', fallback: why });
    expect(read(`${out}/customers.csv`)).toBe(table);
  });

  it('--engine duckdb and a count overflows DuckDB\'s 32-bit column: a warning naming the overflow (not "plain CSV"), same table', async () => {
    const { csv } = await smallInputs();
    const said = "Conversion Error: Type INT64 with value 3000000000 can't be cast because the value is out of range for the destination type INT32";
    inject.error = new Error(`${said}\n\nLINE 12: CAST(count(*) AS INTEGER)`);
    const out = tmp.path('fb-overflow');
    const r = await runCli(['run', csv, '--out', out, '--engine', 'duckdb']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: run: --engine duckdb: a number overflowed DuckDB's query types (${said}); ingest, clean and aggregation run in JavaScript instead (same results)`);
    expect(r.stderr).not.toContain('plain CSV');
    expect(engineOf(out)).toEqual({ asked: 'duckdb', used: 'js', fallback: `a number overflowed DuckDB's query types (${said})` });
    expect(read(`${out}/customers.csv`)).toBe(await jsTable());
  });

  it('a full spill disk: exit 2 asked by name, a fallback under auto; an interrupt exit 2 either way; a DuckDB error that is custkit\'s bug stays exit 70', async () => {
    const { csv, parquet } = await smallInputs();
    const cases: [said: string, byName: number, auto: number, line: RegExp][] = [
      ['IO Error: Could not write file "/tmp/custkit-1/duckdb-x/duckdb_temp_storage_S32K-0.tmp": No space left on device', 2, 0, /^custkit: DuckDB could not spill to its temporary folder .*\(hint: free space in the temporary folder or set TMPDIR to a larger disk/],
      ['INTERRUPT Error: Interrupted!', 2, 2, /^custkit: DuckDB's query was interrupted \(INTERRUPT Error: Interrupted!\) \(hint: run the command again\)$/],
      ['Binder Error: Referenced column "nope" not found in FROM clause!', 70, 70, /^custkit: internal error: Binder Error: .*\(hint: rerun with --debug and report it\)$/],
    ];
    for (const [said, byName, auto, line] of cases) {
      inject.error = new Error(said);
      // Asked by name on the CSV; under auto on the Parquet copy, which auto gives to DuckDB.
      for (const [args, code] of [[[csv, '--engine', 'duckdb'], byName], [[parquet], auto]] as const) {
        const out = tmp.path(`fail-${code}-${args.length}-${said.slice(0, 2)}`);
        const r = await runCli(['run', ...args, '--out', out, '-q']);
        expect(r.code, `${said} ${args.join(' ')}`).toBe(code);
        if (code === 0) {
          expect(engineOf(out)).toMatchObject({ asked: 'auto', used: 'js' });
          continue;
        }
        expect(oneLine(r.stderr)).toMatch(line);
        expect(existsSync(out)).toBe(false);
      }
    }
  });

  it('records the engine in run.json when DuckDB produced the results', async () => {
    const { csv } = await smallInputs();
    const out = tmp.path('duck-ok');
    const r = await runCli(['run', csv, '--out', out, '--engine', 'duckdb', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(engineOf(out)).toEqual({ asked: 'duckdb', used: 'duckdb' });
    expect(read(`${out}/customers.csv`)).toBe(await jsTable());
  });

  it('an option that keeps DuckDB out is a warning when DuckDB was asked for, and run.json says which and why', async () => {
    const { csv } = await smallInputs();
    const out = tmp.path('duck-blocked');
    const r = await runCli(['run', csv, '--out', out, '--engine', 'duckdb', '--no-amount']);
    expect(r.code, r.stderr).toBe(0);
    const why = '--no-amount: transactions without amounts run in the JavaScript engine, not DuckDB';
    expect(r.stderr).toContain(`warning: run: ${why}`);
    expect(engineOf(out)).toEqual({ asked: 'duckdb', used: 'js', fallback: why });
  });
});
