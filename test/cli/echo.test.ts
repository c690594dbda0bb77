/**
 * Issue #24 items 10 and 11: nothing printed for people carries raw control characters from the
 * data, an error quotes at most ~200 characters of a datum, and a file that is not what an
 * option expects is described, not echoed. Files are generated here (a fake /etc/shadow line, ELF bytes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-echo-');
afterAll(() => tmp.cleanup());

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SHADOW = 'root:$6$s3cretHash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]);

describe('terminal output escapes control characters from the data', () => {
  it('report --format table: an id with window-title, clear-screen and bidi codes is shown escaped', async () => {
    const text = readFileSync(fixture('report', 'customers_small.csv'), 'utf8').replace('\nC001,', '\nC\x1b]0;pwned\x07\x1b[2J\u202E001,');
    const f = tmp.path('customers-esc.csv');
    writeFileSync(f, text);
    const r = await runCli(['report', f, '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    // The id column is cut to fit 80 columns: the escaped start shows.
    expect(r.stdout).toContain('│ C\\x1B]0;pwned\\x07\\x1B[2J<U+20… │ 1,186.00 │');
  });
  it('report --format md escapes them too; --format csv and json keep the exact id', async () => {
    const text = readFileSync(fixture('report', 'customers_small.csv'), 'utf8').replace('\nC001,', '\nC\x1b[2J001,');
    const f = tmp.path('customers-esc2.csv');
    writeFileSync(f, text);
    const md = await runCli(['report', f, '--format', 'md']);
    expect(md.stdout).not.toMatch(RAW_CONTROL);
    expect(md.stdout).toContain('C\\\\x1B\\[2J001');
    const json = await runCli(['report', f, '--format', 'json']);
    expect(json.stdout).toContain('C\\u001b[2J001');
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('C\\u001b[2J001');
  });
  it('an error naming a header with escape codes prints them escaped', async () => {
    const f = tmp.path('orders-esc.csv');
    writeFileSync(f, 'who\x1b]0;pwned\x07,date,amount\nA,2026-01-01,5\n');
    const r = await runCli(['ingest', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('[who\\x1B]0;pwned\\x07, date, amount]');
  });
});

describe('messages that are not custkit\'s own errors escape too', () => {
  it('commander\'s error for an unknown option quotes it escaped', async () => {
    const r = await runCli(['ingest', '--bogus\x1b]0;pwned\x07']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('--bogus\\x1B]0;pwned\\x07');
  });
});

describe('errors quote at most ~200 characters of data', () => {
  it('a 5 MB header name is cut, not echoed whole', async () => {
    const f = tmp.path('big-header.csv');
    writeFileSync(f, `date,amount,${'h'.repeat(5_000_000)}\n2026-01-01,5,x\n`);
    const r = await runCli(['ingest', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`[date, amount, ${'h'.repeat(200 - 'date, amount, '.length)}… (3 columns)]`);
    expect(r.stderr.length).toBeLessThan(1500);
  });
  it('an input whose first line names no order field (a shadow file) is described, not echoed', async () => {
    const f = tmp.path('shadow');
    writeFileSync(f, SHADOW);
    const r = await runCli(['ingest', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toContain('root');
    expect(r.stderr).toMatch(/^custkit: no column for customer_id among the first line's \d+ columns? \(names not shown: none is an order field's name\)/);
  });
  it('--config inputs naming such a file: the same, through run', async () => {
    const f = tmp.path('shadow2');
    writeFileSync(f, SHADOW);
    const cfg = tmp.path('inputs.json');
    writeFileSync(cfg, JSON.stringify({ run: { inputs: [f] } }));
    const r = await runCli(['run', '--config', cfg, '--out', tmp.path('out-shadow')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('s3cret');
  });
});

describe('a file that is not what the option expects is described', () => {
  it('--config: binary data, text that is not JSON, bad JSON with its line and column, not a regular file', async () => {
    const bin = tmp.path('ls');
    writeFileSync(bin, ELF);
    const text = tmp.path('passwd');
    writeFileSync(text, SHADOW);
    const bad = tmp.path('bad.json');
    writeFileSync(bad, '{\n  "segment": { "k": "5", }\n}\n');
    const b = await runCli(['segment', '--config', bin, 'x.csv']);
    expect(b).toMatchObject({ code: 1, stderr: `custkit: ${bin}: not a JSON config file: starts with binary data (hint: give a file written by \`custkit init\`)\n` });
    const t = await runCli(['segment', '--config', text, 'x.csv']);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe(`custkit: ${text}: not a JSON config file: starts with text that is not a JSON object (no "{") (hint: give a file written by \`custkit init\`)\n`);
    const j = await runCli(['segment', '--config', bad, 'x.csv']);
    expect(j.code).toBe(1);
    expect(j.stderr).toContain(`${bad}: not a JSON config file: not valid JSON at line 2, column 26`);
    const dir = await runCli(['segment', '--config', tmp.dir, 'x.csv']);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toContain('not a regular file');
  });
  it('--segments: a password file or a binary is described; a missing file says so', async () => {
    const text = tmp.path('passwd2');
    writeFileSync(text, SHADOW);
    const bin = tmp.path('ls2');
    writeFileSync(bin, ELF);
    const small = fixture('report', 'customers_small.csv');
    const t = await runCli(['segment', small, '--segments', text]);
    expect(t.code).toBe(1);
    expect(t.stderr).not.toContain('root');
    expect(t.stderr).toContain(`--segments ${text}: not a JSON segment map: starts with text that is not a JSON object`);
    const b = await runCli(['segment', small, '--segments', bin]);
    expect(b.stderr).toContain(`--segments ${bin}: not a JSON segment map: starts with binary data`);
    const m = await runCli(['segment', small, '--segments', tmp.path('nope.json')]);
    expect(m.stderr).toContain('cannot read a JSON segment map: no such file');
  });
  it('report --audit naming a password file or a binary is described (exit 2)', async () => {
    const text = tmp.path('passwd3');
    writeFileSync(text, SHADOW);
    const small = fixture('report', 'customers_small.csv');
    const r = await runCli(['report', small, '--audit-in', text]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).toContain('not an audit JSON file: starts with text that is not a JSON object');
  });
  it('report --fit naming a binary is described (exit 2)', async () => {
    const bin = tmp.path('ls5');
    writeFileSync(bin, ELF);
    const r = await runCli(['report', fixture('report', 'customers_small.csv'), '--fit', bin]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a fit JSON file: starts with binary data');
    expect(r.stderr).not.toContain('ELF');
  });
  it('segment given a file that is no table describes its first line instead of printing it', async () => {
    const f = tmp.path('shadow4');
    writeFileSync(f, SHADOW.replace(/:/g, ','));
    const r = await runCli(['segment', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).toContain('neither canonical transactions nor a customer table (its first line has 9 fields, none named customer_id)');
  });
  it('a bad cell of canonical input is quoted capped and escaped', async () => {
    const f = tmp.path('tx.csv');
    writeFileSync(f, `customer_id,order_id,order_date,amount,quantity,status\nA,1,2026-01-01,${'9'.repeat(300)}\x1b[2J,,\n`);
    const r = await runCli(['segment', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`amount "${'9'.repeat(200)}…" is not a plain decimal`);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
  it('an input file of binary data is described by its bytes, not echoed', async () => {
    const bin = tmp.path('ls3');
    writeFileSync(bin, Buffer.concat([ELF, Buffer.from([0xff, 0xfe, 0x80, 0x81])]));
    const r = await runCli(['ingest', bin]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('ELF');
    expect(r.stderr).toMatch(/^custkit: .*ls3: bytes that are neither UTF-8 nor GB18030 near byte \d+/);
  });
});
