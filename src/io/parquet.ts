/**
 * Parquet in and out through embedded DuckDB (already custkit's SQL engine).
 *
 * In: a Parquet file's rows as text cells, in batches, with its column names as the header:
 * ingest maps, converts and rejects them as it does a CSV file's rows. Each value is DuckDB's
 * text form of it (DATE `2026-03-06`, TIMESTAMP `2026-03-06 14:03:00`, DOUBLE in shortest
 * exact form, DECIMAL with its scale); NULL is an empty cell. A reject's line is the row's
 * number in the file (1 = first row).
 *
 * Out: a CSV customer table converted to a Parquet file with typed columns (the caller says
 * which type each column has), written beside the target and renamed into place.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { dataError } from '../errors.js';
import { asOutputError } from './output-error.js';
import { duckdbErrorKind } from './duckdb-error.js';
import { atCleanup, makeTempDir } from './process-cleanup.js';

export interface ParquetRows {
  label: string;
  header: string[];
  /** '.' for numeric columns (their text form uses a dot), undefined for others. */
  decimalOf(column: number): '.' | undefined;
  batches: AsyncIterable<string[][]>;
}

const lit = (s: string): string => "'" + s.replace(/'/g, "''") + "'";
const ident = (s: string): string => '"' + s.replace(/"/g, '""') + '"';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;

/** One DuckDB, one thread (ingest is one stream of rows), its spill files in the process's temp folder. */
async function openDb(): Promise<{ con: DuckDBConnection; close(): void }> {
  const { DuckDBInstance: Instance } = await import('@duckdb/node-api');
  const tmp = makeTempDir('parquet');
  const inst: DuckDBInstance = await Instance.create(':memory:', { threads: '1', temp_directory: tmp, memory_limit: '256MB' });
  const con = await inst.connect();
  let open = true;
  return {
    con,
    close() {
      if (!open) return;
      open = false;
      con.closeSync();
      inst.closeSync();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Opens a Parquet file for ingest: its schema now (a file DuckDB cannot read fails here), its rows as they are read. */
export async function openParquetRows(path: string): Promise<ParquetRows> {
  if (!existsSync(path)) throw dataError(`no such file: ${path}`, { file: path }, 'check the path');
  const db = await openDb();
  const from = `read_parquet(${lit(path)})`;
  let names: string[];
  let types: string[];
  try {
    const desc = await db.con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    const rows = desc.getRows();
    names = rows.map((r) => String(r[0]));
    types = rows.map((r) => String(r[1]));
  } catch (e) {
    db.close();
    throw dataError(`cannot read the Parquet file (${(e as Error).message.split('\n')[0]})`, { file: path }, 'give a Parquet file, or the export as CSV');
  }
  const select = names.map((n) => `CAST(${ident(n)} AS VARCHAR)`).join(', ');
  async function* batches(): AsyncIterable<string[][]> {
    try {
      const result = await db.con.stream(`SELECT ${select} FROM ${from}`);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.getRows();
        const out: string[][] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) out[i] = rows[i]!.map((v) => (v === null ? '' : String(v)));
        yield out;
      }
    } catch (e) {
      throw dataError(`cannot read the Parquet file (${(e as Error).message.split('\n')[0]})`, { file: path }, 'give a Parquet file, or the export as CSV');
    } finally {
      db.close();
    }
  }
  return {
    label: path,
    header: names,
    decimalOf: (c) => (NUMERIC_TYPE.test(types[c] ?? '') ? '.' : undefined),
    batches: batches(),
  };
}

export type ParquetType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'DATE';

/** Guarded text of people-facing CSV (`'=1+1`): the guard is dropped exactly where unguardCell drops it. */
const unguardSql = (c: string): string =>
  `CASE WHEN length(${c}) > 1 AND ${c}[1] = '''' AND regexp_matches(${c}[2:], '^[=+@\\t\\r-]') AND NOT regexp_matches(${c}[2:], '^-(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$') THEN ${c}[2:] ELSE ${c} END`;

/**
 * Writes the CSV table at `csvPath` (custkit's customer table: a header, comma-separated) to
 * `outPath` as Parquet, column `name` typed `typeOf(name)`; empty cells become NULL. With
 * `guarded`, text cells lose the spreadsheet guard of people-facing CSV. A cell that does not
 * fit its column's type fails the write (never a NULL in its place).
 */
export async function writeParquetFromCsv(csvPath: string, outPath: string, typeOf: (name: string) => ParquetType, guarded: boolean): Promise<void> {
  const db = await openDb();
  const tmp = join(dirname(outPath), `.${basename(outPath)}.tmp-${process.pid}`);
  const unregister = atCleanup(() => rmSync(tmp, { force: true }));
  try {
    const from = `read_csv(${lit(csvPath)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = `;
    const header = await csvHeader(db.con, csvPath);
    const cols = `{${header.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}}`;
    const exprs = header.map((h) => {
      const c = ident(h);
      const t = typeOf(h);
      const text = guarded ? unguardSql(c) : c;
      const value = t === 'VARCHAR' ? text : `CAST(${c} AS ${t})`;
      return `${t === 'VARCHAR' && h === 'customer_id' ? value : `CASE WHEN ${c} = '' THEN NULL ELSE ${value} END`} AS ${c}`;
    });
    try {
      await db.con.run(`COPY (SELECT ${exprs.join(', ')} FROM ${from}${cols}, null_padding = false, strict_mode = true)) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    } catch (e) {
      const said = (e as Error).message.split('\n')[0];
      // A full disk is the environment, not a cell (io/duckdb-error.ts tells them apart).
      if (duckdbErrorKind(e) === 'disk') throw dataError(`no space left on device writing ${outPath} (${said})`, undefined, 'free some space, or write to another disk');
      throw dataError(`cannot write Parquet (${said})`, { file: csvPath }, 'the customer table has a cell that does not fit its column type');
    }
    try {
      renameSync(tmp, outPath);
    } catch (e) {
      throw asOutputError(e, outPath);
    }
  } finally {
    rmSync(tmp, { force: true });
    unregister();
    db.close();
  }
}

/** The header of a custkit CSV table as DuckDB splits it. */
async function csvHeader(con: DuckDBConnection, csvPath: string): Promise<string[]> {
  const r = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${lit(csvPath)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`);
  return r.getRows().map((row) => String(row[0]));
}
