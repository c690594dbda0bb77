/**
 * `npm run gen` end to end: the compiled dist/gen/cli.js (built by `npm test`) is spawned and its
 * bytes compared with the in-process generator for the same options.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dayFromCivil } from '../../src/core/time/day.js';
import { formatTruthRow, generateOrdersText, TRUTH_HEADER, type TruthRow } from '../../src/gen/orders-export.js';
import { REPO_ROOT } from '../helpers/shared.js';

const GEN = resolve(REPO_ROOT, 'dist/gen/cli.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [GEN, ...args], { maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('utf8') };
};

describe('gen CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custkit-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dist/gen/cli.js exists (npm test builds it first)', () => {
    expect(existsSync(GEN)).toBe(true);
  });

  it('stdout = the in-process export for the same options; defaults are 2023-01-01..2025-12-31, seed 1', () => {
    const r = run(['--orders', '3000']);
    expect(r.code).toBe(0);
    const expected = generateOrdersText({ orders: 3000, seed: 1, start: dayFromCivil(2023, 1, 1), end: dayFromCivil(2025, 12, 31) });
    expect(r.stdout).toBe(expected.text);
    expect(r.stderr).toMatch(new RegExp(`^custkit-gen: 3000 lines, ${expected.summary.customers} customers, [\\d.]+ s\\n$`));
  });

  it('--out and --truth write files atomically (no temporary left); --dirty reports its counts as JSON on stderr', () => {
    const out = join(dir, 'orders.csv');
    const truthPath = join(dir, 'truth.csv');
    const args = ['--orders', '4000', '--customers', '500', '--seed', '9', '--start', '2024-01-01', '--end', '2024-12-31', '--dirty', '--out', out, '--truth', truthPath];
    const r = run(args);
    expect(r.code).toBe(0);
    const truth: TruthRow[] = [];
    const end = dayFromCivil(2024, 12, 31);
    const expected = generateOrdersText({ orders: 4000, customers: 500, seed: 9, start: dayFromCivil(2024, 1, 1), end, dirty: true }, (t) => truth.push(t));
    expect(readFileSync(out, 'latin1')).toBe(expected.text);
    expect(readFileSync(truthPath, 'utf8')).toBe(TRUTH_HEADER + truth.map((t) => formatTruthRow(t, end)).join(''));
    const m = /dirty: (\{.*\})\n$/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(expected.summary.dirty);
    expect(r.stderr).toContain(`custkit-gen: ${expected.summary.lines} lines, ${expected.summary.customers} customers`);
    expect(readdirSync(dir).sort()).toEqual(['orders.csv', 'truth.csv']);
    // Same command again → byte-identical file.
    const before = readFileSync(out);
    expect(run(args).code).toBe(0);
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  it('rejects bad options with exit 1 or 2 and a message, writing nothing', () => {
    const out = join(dir, 'never.csv');
    for (const [args, msg] of [
      [['--orders', '0'], 'positive integer'],
      [['--orders', '10', '--start', '2024-02-30'], 'YYYY-MM-DD'],
      [['--orders', '10', '--start', '2025-01-01', '--end', '2024-01-01'], 'before --end'],
      [['--orders', '10', '--format', 'json'], 'only csv'],
      [['--customers', '5'], "required option '--orders"],
    ] as const) {
      const r = run([...args, '--out', out]);
      expect(r.code === 1 || r.code === 2).toBe(true);
      expect(r.stderr).toContain(msg);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('a reader that stops early (| head) ends it quietly with exit 0', () => {
    const p = spawnSync('bash', ['-c', `'${process.execPath}' '${GEN}' --orders 400000 | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(p.stdout.trim()).toBe('0');
    expect(p.stderr).toBe('');
  });
});
