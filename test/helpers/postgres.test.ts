/** The loopback PostgreSQL test server answers queries (test/helpers/postgres.ts). */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres } from './postgres.js';

const server = await startPostgres();
afterAll(async () => {
  if ('url' in server) await server.stop();
});

describe.skipIf('skip' in server)(`loopback PostgreSQL (${'skip' in server ? server.skip : 'started'})`, () => {
  it('answers select 1 on its database (custkit_test unless CUSTKIT_PG_URL names one), UTF-8 encoded', async () => {
    if (!('url' in server)) return;
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const one = await client.query<{ one: number }>('select 1 as one');
      expect(one.rows).toEqual([{ one: 1 }]);
      const db = await client.query<{ db: string; enc: string }>('select current_database() as db, pg_encoding_to_char(encoding) as enc from pg_database where datname = current_database()');
      // Our own cluster has custkit_test; a server given by CUSTKIT_PG_URL has the URL's database.
      const want = process.env.CUSTKIT_PG_URL ? decodeURIComponent(new URL(server.url).pathname.slice(1)) : 'custkit_test';
      expect(db.rows[0]).toEqual({ db: want, enc: 'UTF8' });
    } finally {
      await client.end();
    }
  });
});
