/**
 * Issue #26 items 4–5 end to end: `run --pseudonymize` leaves no original id in any output file
 * (every byte searched), one key gives the same pseudonyms and another key others; reports and
 * the terminal table show no complete e-mail address; rejects.csv masks personal data.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-privacy-');
afterAll(() => tmp.cleanup());

const KEY = { NO_COLOR: '1', CUSTKIT_PSEUDONYM_KEY: 'a-test-key-of-32-bytes-0123456789' };
const OTHER = { NO_COLOR: '1', CUSTKIT_PSEUDONYM_KEY: 'another-test-key-of-32-bytes-xyz' };

/** 30 customers with e-mail ids over a year, a phone and a name column; one row with a bad date. */
function orders(): { file: string; ids: string[] } {
  const ids: string[] = [];
  const rows = ['Customer Email,Phone,Full Name,Order ID,Order Date,Total'];
  for (let c = 1; c <= 30; c++) {
    const id = `buyer${c}@shop-example.com`;
    ids.push(id);
    for (let k = 0; k < 1 + (c % 5); k++) {
      const month = 1 + ((c * 7 + k * 3) % 12);
      rows.push(`${id},1380013${String(c).padStart(4, '0')},Buyer Number${c},O${c}-${k},2024-${String(month).padStart(2, '0')}-${String(1 + ((c + k) % 27)).padStart(2, '0')},${10 + c * 3 + k}.25`);
    }
  }
  ids.push('rejected.only@shop-example.com');
  rows.push('rejected.only@shop-example.com,13800139999,Rejected Person,OX,not-a-date,5');
  const file = tmp.path('orders.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return { file, ids };
}

/** The uncompressed entries of a zip (xlsx) file, from its central directory (APPNOTE.TXT 4.3). */
function unzipEntries(zip: Buffer): Buffer[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const method = zip.readUInt16LE(at + 10), size = zip.readUInt32LE(at + 20), local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    out.push(method === 8 ? inflateRawSync(data) : data);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * A Parquet file's column names and every value as text, read back by DuckDB (its pages are
 * compressed, so its bytes cannot be searched), after the file's own bytes.
 */
async function parquetText(path: string): Promise<Buffer> {
  const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await inst.connect();
  try {
    const from = `read_parquet('${path.replace(/'/g, "''")}')`;
    const names = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRows().map((r) => String(r[0]));
    const rows = (await con.runAndReadAll(`SELECT ${names.map((n) => `CAST("${n.replace(/"/g, '""')}" AS VARCHAR)`).join(', ')} FROM ${from}`)).getRows();
    const text = [names.join(','), ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n');
    return Buffer.concat([readFileSync(path), Buffer.from(text)]);
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

/**
 * Every file under dir (recursively), as bytes; a workbook as the bytes of its XML entries,
 * uncompressed; a Parquet file with its values read back as text.
 */
async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...(await allFiles(p)));
    else if (name.endsWith('.xlsx')) out.push({ path: p, bytes: Buffer.concat(unzipEntries(readFileSync(p))) });
    else if (name.endsWith('.parquet')) out.push({ path: p, bytes: await parquetText(p) });
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

const { file, ids } = orders();

describe('run --pseudonymize', () => {
  it('writes no original id into any output file, and the same pseudonyms with the same key', async () => {
    const a = tmp.path('a'), b = tmp.path('b'), c = tmp.path('c');
    const map = tmp.path('map.csv');
    for (const [out, env, extra] of [[a, KEY, ['--pseudonym-map', map, '--parquet']], [b, KEY, []], [c, OTHER, []]] as const) {
      const r = await runCli(['run', file, '--out', out, '--keep', 'Phone', '--pseudonymize', '--excel', ...extra], env);
      expect(r.code, r.stderr).toBe(0);
    }
    // Every output file (the map, outside the folder, is the key table and not searched).
    const files = await allFiles(a);
    expect(files.map((f) => f.path.slice(a.length + 1)).sort()).toEqual(['audit.json', 'customers.csv', 'customers.excel.csv', 'fit.json', 'rejects.csv', 'report.csv', 'report.html', 'report.json', 'report.md', 'run.json', 'actions.csv', 'customers.xlsx', 'customers.parquet'].sort());
    // The workbook and the Parquet file really were read: they hold the pseudonyms, and the phones kept beside them.
    for (const ext of ['.xlsx', '.parquet']) {
      const text = files.find((f) => f.path.endsWith(ext))!.bytes.toString('utf8');
      expect(text, ext).toMatch(/px_[a-z2-7]{16}/);
      expect(text, ext).toContain('13800130001');
    }
    for (const f of files) {
      for (const id of ids) expect(f.bytes.includes(Buffer.from(id)), `${id} in ${f.path}`).toBe(false);
      // Not even the local part of an address.
      expect(f.bytes.includes(Buffer.from('buyer1')), f.path).toBe(false);
    }
    const tabA = csvRecords(readFileSync(join(a, 'customers.csv'), 'utf8'));
    expect(tabA).toHaveLength(30);
    for (const r of tabA) expect(r.customer_id).toMatch(/^px_[a-z2-7]{16}$/);
    // Sorted by pseudonym, like every custkit table by id.
    expect(tabA.map((r) => r.customer_id)).toEqual(tabA.map((r) => r.customer_id).sort());
    expect(readFileSync(join(b, 'customers.csv'), 'utf8')).toBe(readFileSync(join(a, 'customers.csv'), 'utf8'));
    const tabC = csvRecords(readFileSync(join(c, 'customers.csv'), 'utf8'));
    const setA = new Set(tabA.map((r) => r.customer_id));
    expect(tabC.filter((r) => setA.has(r.customer_id!))).toEqual([]);
    // Same customers, same values: only the ids differ.
    expect(tabC.map((r) => r.revenue).sort()).toEqual(tabA.map((r) => r.revenue).sort());

    // The map re-identifies: every id, rejected row's included, with the pseudonym the table uses.
    const m = csvRecords(readFileSync(map, 'utf8'));
    expect(m.map((r) => r.customer_id).sort()).toEqual([...ids].sort());
    const byId = new Map(m.map((r) => [r.customer_id!, r.pseudonym!]));
    expect(new Set(m.map((r) => r.pseudonym))).toEqual(new Set([...setA, byId.get('rejected.only@shop-example.com')]));
    // Kept attributes stay with their customer through the re-sort by pseudonym.
    const clear = tmp.path('a-clear');
    expect((await runCli(['run', file, '--out', clear, '--keep', 'Phone'])).code).toBe(0);
    const phoneOf = new Map(csvRecords(readFileSync(join(clear, 'customers.csv'), 'utf8')).map((r) => [byId.get(r.customer_id!)!, r.Phone]));
    for (const r of tabA) expect(r.Phone, r.customer_id).toBe(phoneOf.get(r.customer_id!));
    const rej = csvRecords(readFileSync(join(a, 'rejects.csv'), 'utf8'));
    expect(rej).toHaveLength(1);
    expect(rej[0]!.raw!.startsWith(byId.get('rejected.only@shop-example.com')! + ',')).toBe(true);
  });

  it('--compare matches customers across pseudonymised runs, and from a run without pseudonyms', async () => {
    const out = tmp.path('cmp');
    expect((await runCli(['run', file, '--out', out, '--pseudonymize'], KEY)).code).toBe(0);
    expect((await runCli(['run', file, '--out', out, '--pseudonymize'], KEY)).code).toBe(0);
    const changes = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).changes;
    expect(changes.new_customers.customers).toBe(0);
    expect(changes.lost_from_table.customers).toBe(0);
    const clear = tmp.path('clear');
    expect((await runCli(['run', file, '--out', clear], KEY)).code).toBe(0);
    const r = await runCli(['run', file, '--out', clear, '--pseudonymize'], KEY);
    expect(r.code, r.stderr).toBe(0);
    const c2 = JSON.parse(readFileSync(join(clear, 'report.json'), 'utf8')).changes;
    expect([c2.new_customers.customers, c2.lost_from_table.customers]).toEqual([0, 0]);
    // The earlier set stays previous/ as written, with its ids, and the run says so.
    expect(r.stderr).toMatch(/written without pseudonyms and still holds the original ids/);
    for (const f of (await allFiles(clear)).filter((x) => !x.path.includes('/previous/'))) for (const id of ids) expect(f.bytes.includes(Buffer.from(id)), `${id} in ${f.path}`).toBe(false);
  });

  it('without a key: a clear error, exit 2, nothing written; the key is never an option', async () => {
    const out = tmp.path('nokey');
    const r = await runCli(['run', file, '--out', out, '--pseudonymize'], { NO_COLOR: '1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pseudonymize needs a key: CUSTKIT_PSEUDONYM_KEY is not set/);
    expect(() => readdirSync(out)).toThrow();
    const short = await runCli(['run', file, '--out', out, '--pseudonymize'], { CUSTKIT_PSEUDONYM_KEY: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/shorter than 16 bytes/);
    expect((await runCli(['run', file, '--out', out, '--pseudonym-key', 'x'.repeat(20)])).code).toBe(1);
    expect((await runCli(['run', file, '--out', out, '--pseudonym-map', tmp.path('m.csv')], KEY)).code).toBe(1);
  });

  it('--suppress lists original ids: they leave the pseudonymised action list', async () => {
    const m = csvRecords(readFileSync(tmp.path('map.csv'), 'utf8'));
    const acted = csvRecords(readFileSync(join(tmp.path('a'), 'actions.csv'), 'utf8')).map((r) => r.customer_id!);
    expect(acted.length).toBeGreaterThan(1);
    const victim = m.find((r) => r.pseudonym === acted[0])!;
    const list = tmp.path('suppress.txt');
    writeFileSync(list, `${victim.customer_id}\n`);
    const out = tmp.path('suppressed');
    const r = await runCli(['run', file, '--out', out, '--keep', 'Phone', '--pseudonymize', '--suppress', list], KEY);
    expect(r.code, r.stderr).toBe(0);
    const after = csvRecords(readFileSync(join(out, 'actions.csv'), 'utf8')).map((x) => x.customer_id!);
    expect(after).toEqual(acted.filter((id) => id !== victim.pseudonym));
  });

  it('run --holdout: the backtest files hold no original id either; --backtest-out is refused', async () => {
    const out = tmp.path('holdout');
    const r = await runCli(['run', file, '--out', out, '--pseudonymize', '--holdout', '2024-09-01'], KEY);
    expect(r.code, r.stderr).toBe(0);
    const files = await allFiles(out);
    expect(files.some((f) => f.path.endsWith('backtest.json'))).toBe(true);
    for (const f of files) for (const id of ids) expect(f.bytes.includes(Buffer.from(id)), `${id} in ${f.path}`).toBe(false);
    const refused = await runCli(['run', file, '--out', tmp.path('holdout2'), '--pseudonymize', '--holdout', '2024-09-01', '--backtest-out', tmp.path('bt.csv')], KEY);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--backtest-out writes customer ids as they are/);
  });

  it('the DuckDB engine writes the same pseudonymised table as JavaScript', async () => {
    const canonical = fixture('cli', 'transactions.csv');
    const js = tmp.path('js'), db = tmp.path('db');
    expect((await runCli(['run', canonical, '--out', js, '--pseudonymize'], KEY)).code).toBe(0);
    const r = await runCli(['run', canonical, '--out', db, '--pseudonymize', '--engine', 'duckdb'], KEY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/DuckDB engine: ingest, clean and aggregation ran in SQL/);
    expect(readFileSync(join(db, 'customers.csv'), 'utf8')).toBe(readFileSync(join(js, 'customers.csv'), 'utf8'));
    expect(readFileSync(join(js, 'customers.csv'), 'utf8')).not.toMatch(/K\d\d/);
  });

  it('reads the key from --pseudonym-key-file (one trailing newline ignored)', async () => {
    const keyFile = tmp.path('key');
    writeFileSync(keyFile, KEY.CUSTKIT_PSEUDONYM_KEY + '\n');
    const out = tmp.path('keyfile');
    expect((await runCli(['run', file, '--out', out, '--keep', 'Phone', '--pseudonymize', '--pseudonym-key-file', keyFile], { NO_COLOR: '1' })).code).toBe(0);
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toBe(readFileSync(join(tmp.path('a'), 'customers.csv'), 'utf8'));
  });
});

describe('personal data in reports and rejects (--pii)', () => {
  const complete = /buyer\d+@shop-example\.com/;

  it('report.html, report.md and the terminal table hold no complete e-mail address; the report says what was masked', async () => {
    const out = tmp.path('pii');
    const r = await runCli(['run', file, '--out', out, '--keep', 'Phone,Full Name'], KEY);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['report.html', 'report.md', 'report.json']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toMatch(complete);
      // Markdown escapes the stars.
      expect(text, f).toMatch(/b(\*|\\\*){3}@shop-example\.com/);
    }
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/## Personal data\n\nMasked in this report \(e-mails, phone numbers, names, addresses\): customer\\_id/);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).privacy).toEqual({ pii: 'mask', masked: ['customer_id'], dropped: [] });
    // customers.csv is a machine file: exact ids.
    expect(readFileSync(join(out, 'customers.csv'), 'utf8')).toMatch(complete);
    const table = await runCli(['report', join(out, 'customers.csv'), '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(complete);
    expect(table.stdout).toMatch(/b\*\*\*@shop-example\.com/);
    const shown = await runCli(['report', join(out, 'customers.csv'), '--format', 'md', '--pii', 'show']);
    expect(shown.stdout).toMatch(complete);
    expect(shown.stdout).not.toMatch(/Personal data/);
    // rejects.csv: the raw row's e-mail, phone and name masked.
    const rej = csvRecords(readFileSync(join(out, 'rejects.csv'), 'utf8'));
    expect(rej[0]!.raw).toBe('r***@shop-example.com,138****9999,R***,OX,not-a-date,5');
  });

  it('with an e-mail column kept beside plain ids, report.html and the terminal table hold no complete address', async () => {
    const f = tmp.path('kept-email.csv');
    const rows = ['customer_id,Email,order_id,order_date,amount'];
    for (let c = 1; c <= 12; c++) for (let k = 0; k < 1 + (c % 3); k++) rows.push(`C${c},buyer${c}@shop-example.com,O${c}-${k},2024-0${1 + ((c + k) % 9)}-1${k},${20 + c}`);
    writeFileSync(f, rows.join('\n') + '\n');
    const out = tmp.path('kept');
    const r = await runCli(['run', f, '--out', out, '--keep', 'Email']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toMatch(complete);
    const table = await runCli(['report', join(out, 'customers.csv'), '--format', 'table']);
    expect(table.stdout).not.toMatch(complete);
    expect(table.stdout).toMatch(/C1\b/);
  });

  it('breakdowns by a personal attribute are masked (dropped with --pii drop); actions.csv keeps contacts unless --pii drop', async () => {
    const out = tmp.path('by'), drop = tmp.path('by-drop');
    const r = await runCli(['run', file, '--out', out, '--keep', 'Phone,Full Name', '--by', 'Full Name']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/Buyer Number\d/);
    expect(html).toMatch(/B\*\*\*/);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.privacy).toEqual({ pii: 'mask', masked: ['customer_id', 'Full Name'], dropped: [] });
    expect(readFileSync(join(out, 'actions.csv'), 'utf8')).toMatch(/1380013\d{4}/);
    const d = await runCli(['run', file, '--out', drop, '--keep', 'Phone,Full Name', '--by', 'Full Name', '--pii', 'drop']);
    expect(d.code, d.stderr).toBe(0);
    const dj = JSON.parse(readFileSync(join(drop, 'report.json'), 'utf8'));
    expect(dj.breakdowns).toBeUndefined();
    expect(dj.privacy.dropped).toEqual(['Full Name']);
    const actions = readFileSync(join(drop, 'actions.csv'), 'utf8');
    expect(actions).not.toMatch(/1380013\d{4}|Buyer Number/);
    expect(actions.split('\n')[0]).not.toMatch(/Phone|Full Name/);
    // customers.csv is a machine file: exact values either way.
    expect(readFileSync(join(drop, 'customers.csv'), 'utf8')).toMatch(/Buyer Number1\b/);
  });

  it('ingest --rejects masks unless --pii show', async () => {
    const masked = tmp.path('rej-mask.csv'), shown = tmp.path('rej-show.csv');
    expect((await runCli(['ingest', file, '-o', tmp.path('tx.csv'), '--rejects', masked])).code).toBe(0);
    expect((await runCli(['ingest', file, '-o', tmp.path('tx.csv'), '--rejects', shown, '--pii', 'show'])).code).toBe(0);
    expect(csvRecords(readFileSync(masked, 'utf8'))[0]!.raw).toBe('r***@shop-example.com,138****9999,R***,OX,not-a-date,5');
    expect(csvRecords(readFileSync(shown, 'utf8'))[0]!.raw).toBe('rejected.only@shop-example.com,13800139999,Rejected Person,OX,not-a-date,5');
    expect((await runCli(['ingest', file, '-o', tmp.path('tx.csv'), '--pii', 'nope'])).code).toBe(1);
  });
});
