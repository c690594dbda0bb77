/**
 * Reading rows from PostgreSQL (`ingest --from postgres://…`): connection from the URL and the
 * standard PG* environment variables (node-pg fills fields the URL leaves out), a server-side
 * cursor (pg-cursor) read in batches so memory stays bounded, and every value as text.
 * Passwords never appear in labels or messages (redactUrl, scrub).
 */
// Types only: the driver is loaded when a --from URL is read (openPostgresRows), so that no other
// command pays for loading it at start-up.
import type pg from 'pg';
import { dataError, usageError, type CustkitError } from '../errors.js';

/** Rows fetched per cursor read. */
export const BATCH_ROWS = 5000;

/** True for a URL custkit reads with the PostgreSQL driver. */
export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/**
 * The URL with its password masked as `***` (userinfo password and a `password=` query
 * parameter), for every message, note and reject that names the source. The userinfo ends at
 * the LAST "@" (as node-pg's URL parser reads it), and a password may hold unencoded "/", "?"
 * or "#" that no URL parser reads as meant: so the masked part runs from the first ":" after
 * "//" to the last "@" of the text, over-masking rather than printing part of a password.
 * Works on text that does not parse as a URL too.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(url);
  let out = url;
  if (m) {
    const rest = url.slice(m[0].length);
    const at = rest.lastIndexOf('@');
    const colon = at < 0 ? -1 : rest.slice(0, at).indexOf(':');
    if (colon >= 0) out = m[0] + rest.slice(0, colon) + ':***' + rest.slice(at);
  }
  return out.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * The password node-pg will send, read as pg-connection-string reads the URL (percent signs
 * not followed by two hex digits and spaces are encoded first, the userinfo ends at the last
 * "@"); '' when there is none, null when node-pg could not parse the URL either.
 */
export function urlPassword(url: string): string | null {
  let s = url;
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(s)) s = encodeURI(s).replace(/%25(\d\d)/g, '%$1');
  let u: URL;
  try {
    u = new URL(s, 'postgres://base');
  } catch {
    try {
      u = new URL(s.replace('@/', '@___DUMMY___/'), 'postgres://base');
    } catch {
      return null;
    }
  }
  try {
    return u.searchParams.get('password') || decodeURIComponent(u.password);
  } catch {
    return null;
  }
}

/** Every text that may be a password in the URL: what node-pg reads, and what redactUrl masks. */
function urlSecrets(url: string): string[] {
  const out = [urlPassword(url) ?? ''];
  const m = /^[a-z][a-z0-9+.-]*:\/\/(.*)@/is.exec(url);
  const userinfo = m?.[1] ?? '';
  const colon = userinfo.indexOf(':');
  if (colon >= 0) out.push(userinfo.slice(colon + 1));
  for (const q of url.matchAll(/[?&]password=([^&#]*)/gi)) out.push(q[1]!);
  return out.filter((x) => x.length > 0);
}

/** Removes every occurrence of the secrets from a message (driver errors may echo input). */
function scrub(text: string, secrets: string[]): string {
  let t = text;
  // Longest first: a password that contains another secret is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length > 0) t = t.split(s).join('***');
  return t;
}

/**
 * A --table value as a SQL relation name. Follows pg_dump/psql `-t`: dot-separated parts
 * (schema.table); an unquoted part folds to lower case, a "double-quoted" part is taken
 * exactly ("" inside is a quote); every part is emitted double-quoted, so no text can
 * escape the identifier.
 */
export function quoteTableName(table: string): string {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let sawQuote = false;
  const push = (): void => {
    const name = sawQuote ? cur : cur.trim().toLowerCase();
    if (name === '') throw usageError(`--table "${table}" has an empty name part`, 'use --table orders or --table schema.orders');
    parts.push(name);
    cur = '';
    sawQuote = false;
  };
  for (let i = 0; i < table.length; i++) {
    const c = table[i]!;
    if (quoted) {
      if (c === '"') {
        if (table[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"') {
      quoted = true;
      sawQuote = true;
    } else if (c === '.') push();
    else cur += c;
  }
  if (quoted) throw usageError(`--table "${table}" has an unclosed double quote`);
  push();
  if (parts.length > 3) throw usageError(`--table "${table}" has more than database.schema.table parts`);
  return parts.map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
}

/** PostgreSQL type OIDs whose text needs a touch to read as custkit cells. */
const OID = { time: 1083, timestamp: 1114, timestamptz: 1184, timetz: 1266 } as const;
/** Numeric types: their text always uses '.' as the decimal mark. */
const NUMERIC_OIDS: ReadonlySet<number> = new Set([20, 21, 23, 26, 700, 701, 1700]);

const TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const TIME = /^\d\d:\d\d:\d\d/;
const identity = (v: string): string => v;
/** Timestamp text (`YYYY-MM-DD HH:MM:SS[.ffffff][+zz]`, DateStyle ISO) cut to whole seconds; BC and >9999 years untouched (rejected as bad dates). */
const timestampText = (v: string): string => (v.length > 19 && TS.test(v) && !v.endsWith(' BC') ? v.slice(0, 19) : v);
/** Time of day text cut to whole seconds, without zone. */
const timeText = (v: string): string => (v.length > 8 && TIME.test(v) ? v.slice(0, 8) : v);

/**
 * Per-query type parsers: every value stays the server's text (numeric exact, dates
 * YYYY-MM-DD), except timestamps and times, cut to whole seconds (`YYYY-MM-DD HH:MM:SS`).
 */
const TEXT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) => {
    if (oid === OID.timestamp || oid === OID.timestamptz) return timestampText;
    if (oid === OID.time || oid === OID.timetz) return timeText;
    return identity;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** What to read: a table (or view) or a query, from the server at url. */
export interface PostgresSource {
  url: string;
  table?: string;
  query?: string;
  /** Seconds to wait for a lock before giving up (exit 2); 0 waits forever. Default DEFAULT_LOCK_TIMEOUT_S. */
  lockTimeout?: number;
  /** Seconds one statement (the cursor's opening, each batch's FETCH) may run; 0 is no limit. Default DEFAULT_STATEMENT_TIMEOUT_S. */
  statementTimeout?: number;
  /**
   * The environment, handed in by the CLI: PGPASSWORD (node-pg sends it when the URL has none)
   * is scrubbed from messages; PGTZ sets the session time zone.
   */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A table another session holds locked (ALTER TABLE, LOCK TABLE, a long migration) made the
 * read wait forever: by default custkit gives up after this long, with a line saying why.
 */
export const DEFAULT_LOCK_TIMEOUT_S = 30;
/** Per statement, so a slow --query ends too; generous, since one FETCH of a sorting query may do all the work. */
export const DEFAULT_STATEMENT_TIMEOUT_S = 600;

/** A timeout option as PostgreSQL's milliseconds text ('0' = off); usage error when not a number ≥ 0. */
function timeoutMs(value: number | undefined, fallback: number, flag: string): string {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw usageError(`${flag} ${String(value)} is not valid`, 'seconds, a number ≥ 0 (0 = no limit)');
  return String(Math.round(v * 1000));
}

/** Rows of a PostgreSQL source as custkit cells, streamed. */
export interface PostgresRows {
  /** Names the source without its password: `postgres://u:***@host/db (table orders)`. */
  label: string;
  header: string[];
  /** '.' for columns of numeric types, undefined for others (text, money). */
  decimalOf(column: number): '.' | undefined;
  /** Batches of at most BATCH_ROWS rows; NULL is ''. Closes the connection when done or abandoned. */
  batches: AsyncIterable<string[][]>;
  close(): Promise<void>;
}

const oneLine = (s: string, n: number): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/** Label of a source for messages and rejects (password masked). */
export function sourceLabel(src: Pick<PostgresSource, 'url' | 'table' | 'query'>): string {
  const what = src.table !== undefined ? `table ${src.table}` : `query: ${oneLine(src.query ?? '', 100)}`;
  return `${redactUrl(src.url)} (${what})`;
}

/** Connection or query failure → one line naming the redacted source, exit 2. */
function failure(e: unknown, label: string, secrets: string[], connected: boolean, limits = { lock: '', statement: '' }): CustkitError {
  const err = e as Error & { code?: string };
  const msg = scrub(err?.message ?? String(e), secrets);
  if (!connected) {
    const hint =
      err?.code === 'ECONNREFUSED' || err?.code === 'ENOTFOUND' || err?.code === 'ETIMEDOUT'
        ? 'is the server running and the host/port right? Set them in the URL or PGHOST/PGPORT'
        : err?.code === '28P01' || err?.code === '28000'
          ? 'check the user and password (URL, PGUSER/PGPASSWORD or ~/.pgpass are not printed)'
          : err?.code === '3D000'
            ? 'check the database name in the URL or PGDATABASE'
            : 'check the URL, or the PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE variables';
    return dataError(`cannot connect to PostgreSQL: ${msg}`, { file: label }, hint);
  }
  const seconds = (ms: string): string => `${Number(ms) / 1000} s`;
  const hint =
    err?.code === '42P01'
      ? 'check the table name: unquoted names fold to lower case, write "Name" in double quotes for an exact one, schema.table for another schema'
      : err?.code === '55P03'
        ? `another session holds a lock on the table (longer than --lock-timeout, ${seconds(limits.lock)}): retry later, or raise --lock-timeout (0 waits forever)`
        : err?.code === '57014'
          ? `a statement ran longer than --statement-timeout (${seconds(limits.statement)}): raise it (0 = no limit), or make the query cheaper`
          : 'the query runs read-only; check it with psql';
  return dataError(`PostgreSQL query failed: ${msg}${err?.code ? ` [${err.code}]` : ''}`, { file: label }, hint);
}

/**
 * Connects, opens a read-only transaction and a cursor on the table or query, and reads the
 * first batch (so the header is known and errors surface before any output is written).
 */
export async function openPostgresRows(src: PostgresSource): Promise<PostgresRows> {
  if (!isPostgresUrl(src.url)) throw usageError(`--from "${redactUrl(src.url)}" is not a postgres:// or postgresql:// URL`, 'e.g. --from postgres://user@host:5432/db --table orders');
  if ((src.table === undefined) === (src.query === undefined)) {
    throw usageError('--from needs exactly one of --table or --query', "e.g. --table orders or --query 'select * from orders where ...'");
  }
  const label = sourceLabel(src);
  const limits = {
    lock: timeoutMs(src.lockTimeout, DEFAULT_LOCK_TIMEOUT_S, '--lock-timeout'),
    statement: timeoutMs(src.statementTimeout, DEFAULT_STATEMENT_TIMEOUT_S, '--statement-timeout'),
  };
  const sql = src.table !== undefined ? `SELECT * FROM ${quoteTableName(src.table)}` : src.query!;
  if (urlPassword(src.url) === null) {
    throw usageError(`--from "${redactUrl(src.url)}" is not a valid URL`, 'percent-encode special characters in the user or password (@ → %40, / → %2F, ? → %3F, # → %23)');
  }
  const secrets = [...urlSecrets(src.url), src.env.PGPASSWORD ?? ''].filter((s) => s.length > 0);
  const [{ default: driver }, { default: Cursor }] = await Promise.all([import('pg'), import('pg-cursor')]);
  const client = new driver.Client({ connectionString: src.url, application_name: 'custkit', connectionTimeoutMillis: 30_000 });
  // A connection error after connect() (server gone) must not crash the process as an unhandled 'error' event.
  client.on('error', () => {});
  let connected = false;
  try {
    await client.connect();
    connected = true;
    await client.query('BEGIN TRANSACTION READ ONLY');
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    // Transaction-local: the server ends a wait for a lock, or a statement, instead of hanging.
    await client.query("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)", [limits.lock, limits.statement]);
    if (src.env.PGTZ) await client.query('SELECT set_config($1, $2, true)', ['TimeZone', src.env.PGTZ]);
  } catch (e) {
    await client.end().catch(() => {});
    throw failure(e, label, secrets, connected, limits);
  }

  const cursor = client.query(new Cursor<(string | null)[]>(sql, null, { rowMode: 'array', types: TEXT_TYPES }));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await cursor.close().catch(() => {});
    await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  };
  const read = (): Promise<{ rows: (string | null)[][]; fields: pg.FieldDef[] }> =>
    new Promise((resolveRead, rejectRead) => {
      cursor.read(BATCH_ROWS, (err, rows, result) => (err ? rejectRead(err) : resolveRead({ rows, fields: result?.fields ?? [] })));
    });

  let first: { rows: (string | null)[][]; fields: pg.FieldDef[] };
  try {
    first = await read();
  } catch (e) {
    await close();
    throw failure(e, label, secrets, true, limits);
  }
  const fields = first.fields;
  if (fields.length === 0) {
    await close();
    throw dataError('the query returns no columns', { file: label }, 'use a SELECT that returns the order columns');
  }
  const header = fields.map((f) => f.name);
  const numeric = fields.map((f) => NUMERIC_OIDS.has(f.dataTypeID));

  /** NULL → '' in place (the row array is fresh from the driver). */
  const cells = (rows: (string | null)[][]): string[][] => {
    for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i] === null) r[i] = '';
    return rows as string[][];
  };

  const batches: AsyncIterable<string[][]> = {
    [Symbol.asyncIterator]: async function* () {
      try {
        let batch = first.rows;
        while (batch.length > 0) {
          yield cells(batch);
          if (batch.length < BATCH_ROWS) break;
          try {
            batch = (await read()).rows;
          } catch (e) {
            throw failure(e, label, secrets, true, limits);
          }
        }
      } finally {
        await close();
      }
    },
  };
  return { label, header, decimalOf: (i) => (numeric[i] ? '.' : undefined), batches, close };
}
