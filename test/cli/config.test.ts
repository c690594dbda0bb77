/**
 * The `--config FILE` mechanism end to end (in-process through main()): values from the file
 * apply where the command line did not set a flag, flags override the file, unknown keys and
 * bad values exit 1 naming the key path and the allowed values, and the file written by
 * `custkit init` is accepted by every command (and, holding the defaults plus the sniffed
 * ingest settings, changes no output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-config-');
afterAll(() => tmp.cleanup());

const TX = fixture('cli', 'transactions.csv');
const AS_OF = ['--as-of', '2024-06-30'];

function config(name: string, body: unknown): string {
  const p = tmp.path(name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return p;
}

const scores = (stdout: string, col: string): number[] => csvRecords(stdout).map((r) => Number(r[col]));

describe('config: values apply, flags override', () => {
  it('segment.bins 4 in the file → every RFM score in 1..4, and 4 is used', async () => {
    const cfg = config('bins4.json', { segment: { bins: 4 } });
    const r = await runCli(['segment', TX, ...AS_OF, '--only', 'rfm', '--config', cfg]);
    expect(r.code, r.stderr).toBe(0);
    for (const col of ['r_score', 'f_score', 'm_score']) {
      const s = scores(r.stdout, col);
      expect(Math.max(...s), col).toBe(4);
      expect(Math.min(...s), col).toBe(1);
    }
    // 4 bins → 3 inner break points (quartiles + 1): days since last (sorted in segment.test.ts) q.25 at h = 4.25 → 10 + .25·19 = 14.75 → 15.75.
    expect(r.stderr).toMatch(/recency days \[0, 15\.75, /);
  });
  it('a flag on the command line overrides the file (--bins 3 beats segment.bins 4)', async () => {
    const cfg = config('bins4b.json', { segment: { bins: 4 } });
    const r = await runCli(['segment', TX, ...AS_OF, '--only', 'rfm', '--config', cfg, '--bins', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(Math.max(...scores(r.stdout, 'r_score'))).toBe(3);
  });
  it('the file equals the flags: score.horizon "6m" + score.unit "day" in a file = --horizon 6m --unit day', async () => {
    const seg = tmp.path('seg.csv');
    expect((await runCli(['segment', TX, ...AS_OF, '-o', seg])).code).toBe(0);
    const cfg = config('score.json', { score: { horizon: '6m', unit: 'day' } });
    const viaFile = await runCli(['score', seg, '--config', cfg]);
    const viaFlags = await runCli(['score', seg, '--horizon', '6m', '--unit', 'day']);
    const defaults = await runCli(['score', seg]);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(viaFile.stdout).toBe(viaFlags.stdout);
    expect(viaFile.stdout).not.toBe(defaults.stdout);
    expect(viaFile.stderr).toContain('horizon 6m (182.63 days)'); // 6 × 30.4375
  });
  it('a file with several sections works for a one-stage command, and every section applies to run', async () => {
    const cfg = config('mixed.json', { segment: { bins: 4 }, score: { horizon: '6m' }, run: { out: tmp.path('from-config') } });
    const seg = await runCli(['segment', TX, ...AS_OF, '--config', cfg]);
    expect(seg.code, seg.stderr).toBe(0);
    const run = await runCli(['run', TX, ...AS_OF, '--config', cfg]);
    expect(run.code, run.stderr).toBe(0);
    // run wrote into run.out from the file, with segment.bins 4 and score.horizon 6m applied.
    const table = readFileSync(join(tmp.path('from-config'), 'customers.csv'), 'utf8');
    expect(Math.max(...scores(table, 'r_score'))).toBe(4);
    expect(JSON.parse(readFileSync(join(tmp.path('from-config'), 'fit.json'), 'utf8')).horizon).toBe('6m');
  });
});

describe('config: errors exit 1 with the key path and the allowed values', () => {
  it('an unknown key', async () => {
    const cfg = config('unknown.json', { segment: { binz: 4 } });
    const r = await runCli(['segment', TX, '--config', cfg]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown key segment.binz');
    expect(r.stderr).toMatch(/allowed in segment: .*\bbins\b/);
  });
  it('an unknown section', async () => {
    const r = await runCli(['segment', TX, '--config', config('section.json', { segmnet: { bins: 4 } })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown section "segmnet"');
    expect(r.stderr).toContain('allowed: ingest, clean, segment, score, report, run');
  });
  it('a bad enum value names the choices', async () => {
    const r = await runCli(['score', TX, '--config', config('model.json', { score: { model: 'xgboost' } })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('score.model: bad value "xgboost"');
    expect(r.stderr).toContain('allowed: bgnbd, mbgnbd, pnbd, auto');
  });
  it('a non-integer bins value', async () => {
    const r = await runCli(['segment', TX, '--config', config('bins.json', { segment: { bins: 'four' } })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('segment.bins: bad value "four"');
    expect(r.stderr).toContain('allowed: a whole number');
  });
  it('a bad date and invalid JSON', async () => {
    const d = await runCli(['segment', TX, '--config', config('date.json', { segment: { 'as-of': '30/06/2024' } })]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('segment.as-of: bad value "30/06/2024"');
    const j = await runCli(['segment', TX, '--config', config('broken.json', '{ "segment": { "bins": 4, } }')]);
    expect(j.code).toBe(1);
    expect(j.stderr).toContain('not valid JSON');
    const missing = await runCli(['segment', TX, '--config', tmp.path('absent.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read config file');
  });
});

describe('config: the file written by custkit init is accepted by every command', () => {
  let cfg = '';
  let seg = '';
  beforeAll(async () => {
    cfg = tmp.path('custkit.config.json');
    const init = await runCli(['init', TX, '-o', cfg]);
    expect(init.code, init.stderr).toBe(0);
    seg = tmp.path('init-seg.csv');
    expect((await runCli(['segment', TX, ...AS_OF, '-o', seg])).code).toBe(0);
  });
  const same = async (args: string[]): Promise<void> => {
    const plain = await runCli(args);
    const withCfg = await runCli([...args, '--config', cfg]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(withCfg.code, withCfg.stderr).toBe(0);
    expect(withCfg.stdout).toBe(plain.stdout);
  };
  it('ingest, clean, segment, score, report and selftest: exit 0 and the same output as without it', async () => {
    await same(['ingest', TX]);
    await same(['clean', TX]);
    await same(['segment', TX, ...AS_OF]);
    await same(['score', seg]);
    await same(['report', seg]);
    await same(['selftest']);
  });
  it('init itself and run accept it; run writes the same customer table as without it', async () => {
    const again = await runCli(['init', TX, '--config', cfg, '-o', tmp.path('again.json')]);
    expect(again.code, again.stderr).toBe(0);
    const a = tmp.path('run-a');
    const b = tmp.path('run-b');
    expect((await runCli(['run', TX, '--out', a])).code).toBe(0);
    const r = await runCli(['run', TX, '--out', b, '--config', cfg]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(b, 'customers.csv'), 'utf8')).toBe(readFileSync(join(a, 'customers.csv'), 'utf8'));
  });
});
