/**
 * A loopback PostgreSQL server for tests (issue #7).
 *
 * Usage in a test file (top-level await decides the skip before tests are collected):
 *   const pg = await startPostgres();
 *   afterAll(() => ('url' in pg ? pg.stop() : undefined));
 *   describe.skipIf('skip' in pg)(`… (${'skip' in pg ? pg.skip : 'loopback PostgreSQL'})`, () => { … });
 */
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';

export type PostgresServer = { url: string; stop(): Promise<void> };
export type PostgresSkip = { skip: string };

/** Database every test cluster gets (created after start). */
export const TEST_DATABASE = 'custkit_test';

const isExecutable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Directory holding initdb + pg_ctl: PATH first, then /usr/lib/postgresql/<newest>/bin; null when none. */
export function findPostgresBin(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const ctl = join(dir, 'pg_ctl');
    if (isExecutable(ctl)) {
      // /usr/local/bin/pg_ctl may be a symlink into the real bin dir, where initdb and postgres live too.
      const real = realpathSync(ctl);
      const realDir = dirname(real);
      if (isExecutable(join(realDir, 'initdb'))) return realDir;
      if (isExecutable(join(dir, 'initdb'))) return dir;
    }
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => isExecutable(join(root, v, 'bin', 'pg_ctl')) && isExecutable(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => parseFloat(b) - parseFloat(a));
    if (versions.length > 0) return join(root, versions[0]!, 'bin');
  }
  return null;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the caller retries if another process takes it). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

interface RunResult {
  code: number;
  out: string;
}

/** Runs a server binary, as user `postgres` (runuser) when we are root, since postgres refuses to run as root. */
function run(bin: string, args: string[], asPostgres: boolean, cwd: string): Promise<RunResult> {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolveRun) => {
    execFile(cmd, argv, { cwd, env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolveRun({ code, out: `${stdout}${stderr}${err && typeof err.code !== 'number' ? String(err.message) : ''}` });
    });
  });
}

const tail = (s: string, n = 600): string => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/**
 * A PostgreSQL server for tests: CUSTKIT_PG_URL when set, else a throwaway cluster started on 127.0.0.1
 * (initdb + pg_ctl, run as user `postgres` when we are root), else `{ skip }` with the reason.
 * Every caller (each vitest file) gets its own cluster in its own temp dir, so parallel files never share state;
 * stop() stops the server and removes the temp dir.
 */
export async function startPostgres(): Promise<PostgresServer | PostgresSkip> {
  const given = process.env.CUSTKIT_PG_URL;
  if (given) return { url: given, stop: async () => {} };

  const bin = findPostgresBin();
  if (!bin) return { skip: 'no PostgreSQL server binaries (pg_ctl/initdb not in PATH nor /usr/lib/postgresql/*/bin) and CUSTKIT_PG_URL unset: PostgreSQL tests skipped' };
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  let uid = -1;
  let gid = -1;
  if (asPostgres) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gidRun = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0 || gidRun.status !== 0) return { skip: 'running as root and there is no `postgres` user to run the server: PostgreSQL tests skipped' };
    uid = Number(id.stdout.trim());
    gid = Number(gidRun.stdout.trim());
  }

  // The run's TMPDIR (test/global-setup.ts) is mkdtemp's 0700 and root's: user postgres could
  // not reach the cluster below it and every PostgreSQL test skipped. Let others traverse it
  // (not list it); /tmp itself already allows that and is left alone.
  if (asPostgres) {
    const base = statSync(tmpdir());
    if ((base.mode & 0o001) === 0) chmodSync(tmpdir(), (base.mode & 0o7777) | 0o011);
  }
  const dir = mkdtempSync(join(tmpdir(), 'custkit-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asPostgres) chownSync(dir, uid, gid);
  const cleanupDir = (): void => rmSync(dir, { recursive: true, force: true });

  const init = await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    asPostgres,
    dir,
  );
  if (init.code !== 0) {
    cleanupDir();
    return { skip: `initdb failed (${tail(init.out)}): PostgreSQL tests skipped` };
  }

  const pgCtl = join(bin, 'pg_ctl');
  const stopServer = (): void => {
    spawnSync(asPostgres ? 'runuser' : pgCtl, asPostgres ? ['-u', 'postgres', '--', pgCtl, '-D', data, '-m', 'immediate', '-w', 'stop'] : ['-D', data, '-m', 'immediate', '-w', 'stop'], {
      cwd: dir,
      stdio: 'ignore',
    });
  };

  // A port can be taken between freePort() and the server's bind by a parallel test file: retry a few times.
  let port = 0;
  let lastError = '';
  for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
    const candidate = await freePort();
    const opts = [
      `-c listen_addresses=127.0.0.1`,
      `-p ${candidate}`,
      `-k ${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=16MB',
      '-c max_connections=30',
    ].join(' ');
    const start = await run(pgCtl, ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start'], asPostgres, dir);
    if (start.code === 0) port = candidate;
    else {
      lastError = `${tail(start.out)} ${existsSync(log) ? tail(readFileSync(log, 'utf8')) : ''}`;
      stopServer();
    }
  }
  if (port === 0) {
    cleanupDir();
    return { skip: `pg_ctl start failed (${lastError}): PostgreSQL tests skipped` };
  }

  // If the test process dies without afterAll, do not leave a server behind.
  let stopped = false;
  const onExit = (): void => {
    if (stopped) return;
    stopped = true;
    stopServer();
    cleanupDir();
  };
  process.once('exit', onExit);

  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEST_DATABASE} ENCODING 'UTF8' TEMPLATE template0`);
  } catch (e) {
    onExit();
    process.removeListener('exit', onExit);
    return { skip: `could not create database ${TEST_DATABASE} (${(e as Error).message}): PostgreSQL tests skipped` };
  } finally {
    await admin.end().catch(() => {});
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (stopped) return;
      stopped = true;
      await run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop'], asPostgres, dir);
      cleanupDir();
    },
  };
}
