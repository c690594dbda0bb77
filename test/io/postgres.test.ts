/** redactUrl and quoteTableName (src/io/postgres.ts): no server needed. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPostgresUrl, quoteTableName, redactUrl, sourceLabel, urlPassword } from '../../src/io/postgres.js';
import { runCli } from '../helpers/cli.js';

/** Unencoded passwords with every character that ends or splits a URL part. */
const NASTY = ['p@ssw0rd@sec', 'a:b:c@d', 'sl/ash@x', '50%off@now', 'wh?y7@me', 'hash#tag@x', 'a1l@:/%?#0f@xq'];

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 1));
    });
  });
}

describe('redactUrl', () => {
  it('masks the userinfo password and keeps everything else', () => {
    expect(redactUrl('postgres://shop:hunter2@db.local:5432/sales')).toBe('postgres://shop:***@db.local:5432/sales');
    expect(redactUrl('postgresql://shop:p%40ss%2Fw@db.local/sales?sslmode=require')).toBe('postgresql://shop:***@db.local/sales?sslmode=require');
  });
  it('masks a password= query parameter, case-insensitively, wherever it is', () => {
    expect(redactUrl('postgres://shop@db/sales?sslmode=require&password=hunter2&application_name=x')).toBe('postgres://shop@db/sales?sslmode=require&password=***&application_name=x');
    expect(redactUrl('postgres://db/sales?PASSWORD=hunter2')).toBe('postgres://db/sales?PASSWORD=***');
  });
  it('leaves URLs without a password unchanged', () => {
    for (const u of ['postgres://shop@db.local:5432/sales', 'postgres://db.local/sales', 'postgresql:///sales', 'postgres://[::1]:5432/x']) {
      expect(redactUrl(u)).toBe(u);
    }
  });
  it('masks passwords in text that is not a valid URL, and a password containing ":"', () => {
    expect(redactUrl('postgres://u:a:b:c@h/d')).not.toContain('a:b:c');
    expect(redactUrl('postgres://u:sp ace@h/d')).toBe('postgres://u:***@h/d');
  });
  it('masks an unencoded password with @ : / % ? # up to the last "@" (node-pg reads the userinfo so)', () => {
    for (const pw of NASTY) {
      expect([pw, redactUrl(`postgres://shop:${pw}@db.local:5432/sales`)]).toEqual([pw, 'postgres://shop:***@db.local:5432/sales']);
      expect(redactUrl(`postgresql://shop:${pw}@db.local/sales?sslmode=require`)).toBe('postgresql://shop:***@db.local/sales?sslmode=require');
    }
    // The 15-character password of the issue: 13 of its characters were printed.
    expect(redactUrl('postgres://u:abcdefghijklm@no@h/d')).toBe('postgres://u:***@h/d');
  });
  it('reads the password node-pg sends: last "@", a lone % kept', () => {
    expect(urlPassword('postgres://u:p@ss@h/d')).toBe('p@ss');
    expect(urlPassword('postgres://u:p%40ss@h/d')).toBe('p@ss');
    expect(urlPassword('postgres://u:50%off@h/d')).toBe('50%off');
    expect(urlPassword('postgres://u@h/d?password=x%26y')).toBe('x&y');
    expect(urlPassword('postgres://u@h/d')).toBe('');
    expect(urlPassword('postgres://u:sl/ash@h/d')).toBeNull();
  });
  it('labels sources without the password', () => {
    const l = sourceLabel({ url: 'postgres://u:topsecret@h/d', query: 'select *\n  from orders\twhere x = 1' });
    expect(l).toBe('postgres://u:***@h/d (query: select * from orders where x = 1)');
    expect(sourceLabel({ url: 'postgres://u:topsecret@h/d', table: 'public.orders' })).toBe('postgres://u:***@h/d (table public.orders)');
  });
  it('recognises postgres:// and postgresql:// only', () => {
    expect(isPostgresUrl('postgres://h/d')).toBe(true);
    expect(isPostgresUrl('PostgreSQL://h/d')).toBe(true);
    expect(isPostgresUrl('mysql://h/d')).toBe(false);
    expect(isPostgresUrl('orders.csv')).toBe(false);
  });
});

describe('quoteTableName (pg_dump -t rules)', () => {
  it('folds unquoted names to lower case and double-quotes every part', () => {
    expect(quoteTableName('Orders')).toBe('"orders"');
    expect(quoteTableName('Sales.Orders')).toBe('"sales"."orders"');
    expect(quoteTableName('订单')).toBe('"订单"');
  });
  it('keeps double-quoted parts exactly, including dots and doubled quotes', () => {
    expect(quoteTableName('"Sales"."Order.Lines"')).toBe('"Sales"."Order.Lines"');
    expect(quoteTableName('"a""b"')).toBe('"a""b"');
  });
  it('cannot be escaped into SQL', () => {
    expect(quoteTableName('orders; drop table x')).toBe('"orders; drop table x"');
    expect(quoteTableName('x"; drop table y; --"')).toBe('"x; drop table y; --"');
    expect(() => quoteTableName('x"; drop table y; --')).toThrow(/unclosed/);
  });
  it('rejects empty parts, unclosed quotes and too many parts', () => {
    expect(() => quoteTableName('a..b')).toThrow(/empty name/);
    expect(() => quoteTableName('"abc')).toThrow(/unclosed/);
    expect(() => quoteTableName('a.b.c.d')).toThrow(/more than/);
  });
});

describe('ingest --from never prints an unencoded password', () => {
  it('in the one-line error of a refused connection or an invalid URL, for passwords with @ : / % ? #', async () => {
    const port = await closedPort();
    for (const pw of NASTY) {
      const r = await runCli(['ingest', '--from', `postgres://shop:${pw}@127.0.0.1:${port}/sales`, '--table', 'orders']);
      expect([pw, r.code]).toSatisfy(([, c]: [string, number]) => c === 1 || c === 2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('shop:***@');
      // No 3 consecutive characters of the password show.
      for (let i = 0; i + 3 <= pw.length; i++) expect([pw, r.stderr]).not.toSatisfy(([, e]: [string, string]) => e.includes(pw.slice(i, i + 3)));
    }
  });
});
