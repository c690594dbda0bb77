import { describe, expect, it } from 'vitest';
import { runSelfTest } from '../../../src/core/score/selftest.js';

describe('runSelfTest', () => {
  it('passes every embedded case, and each case reports finite numbers', () => {
    // The expected values inside runSelfTest are cited there (REFERENCE.md §1–§4).
    const r = runSelfTest();
    expect(r.length).toBeGreaterThanOrEqual(20);
    for (const c of r) {
      expect(Number.isFinite(c.actual), c.name).toBe(true);
      expect(c.pass, `${c.name}: expected ${c.expected}, got ${c.actual}`).toBe(true);
    }
    // One known case checked here too: E[Y(39) | 2, 30.43, 38.86] = 1.226 ± 0.001.
    const ey = r.find((c) => c.name.startsWith('BG/NBD E[Y(39)'))!;
    expect(ey.expected).toBe(1.226);
    expect(Math.abs(ey.actual - 1.226)).toBeLessThan(0.001);
  });
});
