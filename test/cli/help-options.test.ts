/**
 * Help and option names (#25 item 8): every command's --help fits one screen and ends with
 * examples, no timings; one name per concept (-o/--output, --out, --map, --as-of with today
 * and latest); old spellings work with a deprecation note; no help names a missing option.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { runCli, fixture } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';
import { displayWidth } from '../../src/render/format.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

const NAMES = COMMANDS.map((c) => c.name);
const help = async (cmd: string): Promise<string> => {
  const r = await runCli([cmd, '--help']);
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('--help of every command', () => {
  it('has commands to check', () => expect(NAMES).toEqual(expect.arrayContaining(['ingest', 'clean', 'segment', 'score', 'report', 'run', 'sql', 'init', 'selftest'])));

  for (const name of ['ingest', 'clean', 'segment', 'score', 'report', 'run', 'sql', 'init', 'selftest'])
    it(`${name}: at most 60 lines of at most 80 columns, examples last, no timings`, async () => {
      const text = await help(name);
      const lines = text.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(60);
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
      // The last block is the examples: its heading, then only indented command lines.
      const last = text.trimEnd().split('\n\n').at(-1)!.split('\n');
      expect(last[0]).toMatch(/^Examples?:$/);
      expect(last.slice(1).every((l) => l.startsWith('  custkit') || l.startsWith('  psql') || l.startsWith('      '))).toBe(true);
      expect(text).not.toMatch(/\d\s?(ms|s|sec|min)\b|MB\/s|rows\/s/);
      expect(text).not.toContain('--previous');
      expect(text).not.toContain('ingest --audit');
    });

  it('same concept, same name: -o/--output for one file, --out for run\'s folder, --map for mappings', async () => {
    for (const name of ['ingest', 'clean', 'segment', 'score', 'report', 'sql', 'init']) expect(await help(name)).toMatch(/^ {2}-o, --output <file> /m);
    expect(await help('run')).toMatch(/^ {2}--out <dir> /m);
    expect(await help('ingest')).toMatch(/^ {2}--map <field=column,\.\.\.> /m);
    expect(await help('sql')).toMatch(/^ {2}--map <field=column,\.\.\.> /m);
    expect(await help('run')).toContain(' --map ');
    // --audit writes the audit (clean, run); report reads one as --audit-in.
    expect(await help('clean')).toMatch(/^ {2}--audit <file> /m);
    expect(await help('report')).toMatch(/^ {2}--audit-in <file> /m);
    expect(await help('report')).not.toMatch(/^ {2}--audit /m);
    for (const name of NAMES) expect(await help(name)).not.toMatch(/^ {2}--columns /m);
    for (const name of ['segment', 'clean', 'score', 'report', 'sql']) expect((await help(name)).replace(/\n +/g, ' ')).toMatch(/--as-of <date> +[^\n]*today[^\n]*latest|--as-of <date> +[^\n]*latest[^\n]*today/);
  });

  it('--no-header says what it does; --fail-if help and metrics name --compare, not a missing --previous', async () => {
    expect(await help('ingest')).toMatch(/--no-header +the file has no header row/);
    const metrics = await runCli(['report', fixture('cli', 'transactions.csv'), '--fail-if', 'help']);
    expect(metrics.stdout).toContain('new_customers');
    expect(metrics.stdout).toContain('(needs --compare)');
    expect(metrics.stdout).not.toContain('--previous');
  });

  it('a wrong audit file is met with a hint naming commands that exist', async () => {
    const t = tempDir();
    try {
      writeFileSync(t.path('audit.json'), '{"x": 1}');
      writeFileSync(t.path('c.csv'), 'customer_id,orders,purchase_days,revenue,last_order,days_since_last\nA,1,1,10,2024-01-01,5\n');
      const r = await runCli(['report', t.path('c.csv'), '--audit-in', t.path('audit.json'), '--format', 'md']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('custkit clean --audit');
      expect(r.stderr).not.toContain('ingest --audit');
    } finally {
      t.cleanup();
    }
  });
});

describe('--as-of today and latest in every command', () => {
  const tx = fixture('cli', 'transactions.csv');

  it('segment: latest is the default; today is today', async () => {
    const plain = await runCli(['segment', tx]);
    const latest = await runCli(['segment', tx, '--as-of', 'latest']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toBe(plain.stdout);
    // "today" is custkit's today (UTC, or CUSTKIT_TODAY: clock.ts).
    const today = await runCli(['segment', tx, '--as-of', 'today', '--only', 'abc'], { NO_COLOR: '1', CUSTKIT_TODAY: '2025-01-31' });
    expect(today.code, today.stderr).toBe(0);
    expect(today.stderr).toContain('as of 2025-01-31 (inclusive)');
  });

  it('clean, report and run accept both; a bad value names all three forms', async () => {
    const clean = await runCli(['clean', tx, '--as-of', 'latest']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toBe((await runCli(['clean', tx])).stdout);
    expect((await runCli(['clean', tx, '--as-of', 'today'])).code).toBe(0);
    const seg = await runCli(['segment', tx, '--only', 'abc']);
    const t = tempDir();
    try {
      writeFileSync(t.path('c.csv'), seg.stdout);
      const rep = await runCli(['report', t.path('c.csv'), '--as-of', 'today', '--format', 'json'], { NO_COLOR: '1', CUSTKIT_TODAY: '2025-01-31' });
      expect(rep.code, rep.stderr).toBe(0);
      expect(JSON.parse(rep.stdout).overview.as_of).toBe('2025-01-31');
      const run = await runCli(['run', tx, '--out', t.path('out'), '--as-of', 'latest', '-q']);
      expect(run.code, run.stderr).toBe(0);
      const bad = await runCli(['segment', tx, '--as-of', 'yesterday']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('a date YYYY-MM-DD, today or latest');
    } finally {
      t.cleanup();
    }
  }, 60_000);
});

describe('old spellings', () => {
  it('sql --columns still works, like --map, with a deprecation note on stderr', async () => {
    const args = ['sql', '--dialect', 'duckdb', '--as-of', '2026-06-30'];
    const now = await runCli([...args, '--map', 'customer_id=user_id']);
    const old = await runCli([...args, '--columns', 'customer_id=user_id']);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toContain('custkit: --columns is deprecated and will be removed in the next release; use --map');
    expect(now.stderr).not.toContain('deprecated');
    const eq = await runCli([...args, '--columns=customer_id=user_id']);
    expect(eq.stdout).toBe(now.stdout);
  });
});
