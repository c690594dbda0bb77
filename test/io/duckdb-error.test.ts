/**
 * DuckDB's errors classified (io/duckdb-error.ts) from the messages DuckDB really gives (made
 * by real queries where a small one makes them; out of memory, a full spill disk and an
 * interrupt as DuckDB words them), and when the JavaScript engine takes over (duckdb-fallback.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DuckdbError, duckdbError, duckdbErrorKind, largerLimit } from '../../src/io/duckdb-error.js';
import { fallsBack } from '../../src/pipeline/duckdb-fallback.js';
import { dataError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-duckerr-'));
let inst: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  con = await inst.connect();
});
afterAll(() => {
  con.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** The error DuckDB raises for `sql`. */
const failure = (sql: string): Promise<unknown> => con.runAndReadAll(sql).then(() => new Error('no error'), (e: unknown) => e);
const csv = (f: string): string => `SELECT * FROM read_csv(['${f}'], header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
const CTX = { files: ['x.csv'], memoryLimit: '64MB' };

describe('duckdbError', () => {
  it('says DuckDB ran out of memory under the limit in force, with its words, and how to avoid it (exit 2)', () => {
    const e = duckdbError(new Error('Out of Memory Error: failed to pin block of size 256.0 KiB (61.2 MiB/61.0 MiB used)\n\nPossible solutions:\n* Reducing the number of threads'), CTX)!;
    expect(e).toBeInstanceOf(DuckdbError);
    expect([e.kind, e.exitCode, e.message, e.hint, e.where]).toEqual([
      'memory',
      2,
      'DuckDB ran out of memory under --memory-limit 64MB (Out of Memory Error: failed to pin block of size 256.0 KiB (61.2 MiB/61.0 MiB used))',
      'raise --memory-limit (e.g. 2GB), or use --engine js',
      undefined,
    ]);
    expect(e.why).toBe('DuckDB ran out of memory under --memory-limit 64MB (Out of Memory Error: failed to pin block of size 256.0 KiB (61.2 MiB/61.0 MiB used))');
    // A compressed input: the JavaScript engine cannot read it, so the hint does not offer it.
    expect(duckdbError(new Error('Out of Memory Error: x'), { files: ['a.csv.gz'], memoryLimit: '600MB' })!.hint).toBe('raise --memory-limit (e.g. 2GB)');
    // Already at 2GB or more: the suggestion is larger than the limit that failed.
    expect(duckdbError(new Error('Out of Memory Error: x'), { files: ['a.csv.gz'], memoryLimit: '2GB' })!.hint).toBe('raise --memory-limit (e.g. 4GB)');
    expect(largerLimit('3GB')).toBe('6GB');
    expect(largerLimit('1.5TB')).toBe('3000GB');
    expect(largerLimit('64MB')).toBe('2GB');
    // Binary units too: a hint never below the limit that failed (4GiB is 4.29 GB).
    expect(largerLimit('4GiB')).toBe('9GB');
    expect(largerLimit('1100MB')).toBe('3GB');
    expect(largerLimit('lots')).toBe('2GB');
  });

  it('tells a full spill disk from memory, and an interrupted query (exit 2)', () => {
    for (const msg of [
      'IO Error: Could not write file "/tmp/custkit-1/duckdb-x/duckdb_temp_storage_S32K-0.tmp": No space left on device',
      "Out of Memory Error: failed to offload data block of size 256.0 KiB (10.0 MiB/10.0 MiB used).\nThis limit was set by the 'max_temp_directory_size' setting.",
    ]) {
      const e = duckdbError(new Error(msg), CTX)!;
      expect([e.kind, e.exitCode], msg).toEqual(['disk', 2]);
      expect(e.hint).toContain('TMPDIR');
    }
    const i = duckdbError(new Error('INTERRUPT Error: Interrupted!'), CTX)!;
    expect([i.kind, i.exitCode, i.message]).toEqual(['interrupt', 2, "DuckDB's query was interrupted (INTERRUPT Error: Interrupted!)"]);
  });

  it('calls a number outside the query\'s types an overflow (a 32-bit count, an INT32 sum), not a file it cannot read', async () => {
    for (const sql of ['SELECT CAST(3000000000 AS INTEGER)', 'SELECT CAST(2147483647 AS INTEGER) + CAST(1 AS INTEGER)']) {
      const e = duckdbError(await failure(sql), CTX)!;
      expect(e.kind, sql).toBe('overflow');
      expect(e.hint).toBe('use --engine js, which computes it');
    }
    const e = duckdbError(await failure('SELECT CAST(3000000000 AS INTEGER)'), CTX)!;
    expect(e.message).toBe("a number overflowed DuckDB's query types (Conversion Error: Type INT64 with value 3000000000 can't be cast because the value is out of range for the destination type INT32)");
  });

  it('names the file and line of input DuckDB cannot read: a missing file, bytes that are not UTF-8, a file that is not Parquet', async () => {
    const missing = join(dir, 'missing.csv');
    const m = duckdbError(await failure(csv(missing)), { files: ['other.csv', missing], memoryLimit: '600MB' })!;
    expect([m.kind, m.where]).toEqual(['input', { file: missing }]);
    expect(m.message).toBe(`DuckDB cannot read the input (IO Error: No files found that match the pattern "${missing}")`);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, Buffer.concat([Buffer.from('customer_id,order_id,order_date,amount\nC1,O1,2025-01-02,1'), Buffer.from([0xff]), Buffer.from('2\n')]));
    const b = duckdbError(await failure(csv(bad)), { files: ['a.csv', bad], memoryLimit: '600MB' })!;
    expect([b.kind, b.where]).toEqual(['input', { file: bad, line: 2 }]);
    // The line saying what is wrong, never "Original Line:" (it quotes the data).
    expect(b.message).toBe('DuckDB cannot read the input (Invalid Input Error: CSV Error on Line: 2: Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.)');
    expect(b.hint).toBe('check the file; --engine js reads it and names the bad line and column');
    const pq = duckdbError(await failure(`SELECT * FROM read_parquet(['${bad}'])`), { files: [bad], memoryLimit: '600MB' })!;
    expect([pq.kind, pq.where]).toEqual(['input', { file: bad }]);
    // DuckDB's sniffer reading other columns than the header (a ragged row): an order field is missing.
    expect(duckdbErrorKind(await failure('SELECT customer_id FROM (SELECT 1 AS extra)'))).toBe('input');
  });

  it('leaves a bug in custkit\'s SQL (parser, binder, catalog), custkit\'s own errors and other errors alone: null, exit 70 upstream', async () => {
    for (const sql of ['SELEC 1', 'SELECT nope FROM range(1)', 'SELECT * FROM no_such_table']) {
      const e = await failure(sql);
      expect(duckdbErrorKind(e), sql).toBeNull();
      expect(duckdbError(e, CTX), sql).toBeNull();
    }
    expect(duckdbError(new Error('something broke'), CTX)).toBeNull();
    expect(duckdbError(dataError('Out of Memory Error: not DuckDB'), CTX)).toBeNull();
    expect(duckdbError('Out of Memory Error: a string', CTX)).toBeNull();
  });
});

describe('fallsBack (the JavaScript engine takes over)', () => {
  const err = (msg: string): DuckdbError => duckdbError(new Error(msg), CTX)!;
  const fits = (): boolean => true;
  it('after input DuckDB refuses and an overflow, whenever the JavaScript engine reads the input', () => {
    for (const asked of ['duckdb', 'auto']) {
      expect(fallsBack(err('Invalid Input Error: CSV Error on Line: 3'), asked, true, fits)).toBe(true);
      expect(fallsBack(err('Out of Range Error: Overflow in addition of INT32'), asked, true, () => false)).toBe(true);
      expect(fallsBack(err('Out of Range Error: Overflow in addition of INT32'), asked, false, fits)).toBe(false);
    }
  });

  it('after running out of memory or spill space only under --engine auto, when the JavaScript engine fits; never after an interrupt', () => {
    for (const msg of ['Out of Memory Error: x', 'IO Error: No space left on device']) {
      expect(fallsBack(err(msg), 'auto', true, fits), msg).toBe(true);
      expect(fallsBack(err(msg), 'duckdb', true, fits), msg).toBe(false);
      expect(fallsBack(err(msg), 'auto', false, fits), msg).toBe(false);
      // auto chose DuckDB because the JavaScript engine's estimate was over half the memory:
      // over all of it now, it does not take over (exit 2 instead of exhausting the machine).
      expect(fallsBack(err(msg), 'auto', true, () => false), msg).toBe(false);
    }
    expect(fallsBack(err('INTERRUPT Error: Interrupted!'), 'auto', true, fits)).toBe(false);
  });
});
