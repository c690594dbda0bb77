/**
 * `custkit selftest`: every embedded reference case passes and the summary line counts them.
 * The expected count is the number of cases the core defines (src/core/score/selftest.ts),
 * so adding a case cannot make this test stale; each printed line must be a PASS line.
 */
import { describe, expect, it } from 'vitest';
import { runSelfTest } from '../../src/core/score/selftest.js';
import { runCli, spawnCli } from '../helpers/cli.js';

describe('custkit selftest', () => {
  it('exits 0 and prints one PASS line per case and "N passed, 0 failed"', async () => {
    const n = runSelfTest().length;
    expect(n).toBeGreaterThanOrEqual(10);
    const r = await runCli(['selftest']);
    expect(r.code, r.stdout).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(n + 1);
    expect(lines[n]).toBe(`${n} passed, 0 failed`);
    for (const l of lines.slice(0, n)) expect(l).toMatch(/^PASS {2}.+: expected .+, got .+ \(tolerance .+\)$/);
    // The lifetimes oracle E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (REFERENCE §2) is among the cases.
    expect(r.stdout).toContain('BG/NBD E[Y(39) | 2, 30.43, 38.86] (lifetimes test): expected 1.226, got 1.226');
  });
  it('the installed binary gives the same result (real process, no ANSI colour when piped)', () => {
    const r = spawnCli(['selftest']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^(\d+) passed, 0 failed$/m);
    expect(r.stdout).not.toContain('\u001b[');
  });
});
