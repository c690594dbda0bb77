import { describe, it, expect } from 'vitest';
import { readAudit } from '../../../src/core/report/audit.js';

describe('readAudit', () => {
  it("reads clean's flat shape", () => {
    const q = readAudit({ rows_in: 100, rows_out: 90, folded: 4, removed: { duplicate: 4, zero_amount: 6 }, other: 'x' });
    expect(q.rows_in).toBe(100);
    expect(q.rows_removed).toBe(10);
    expect(q.removed).toEqual([{ reason: 'zero_amount', rows: 6 }, { reason: 'duplicate', rows: 4 }]); // most rows first
    expect(q.removed_rate).toBe(0.1);
    expect(q.rows_read).toBeNull();
    expect(q.rejected_rate).toBeNull();
  });

  it("reads ingest's shape, numbers instead of reason maps, and arrays of parts", () => {
    const q = readAudit([{ rows_read: 50, rejected: 5 }, { rows_in: 45, removed: { dup: 1, bad: 'n/a' } }]);
    expect(q.rows_read).toBe(50);
    expect(q.rows_rejected).toBe(5);
    expect(q.rejected).toEqual([]);
    expect(q.rejected_rate).toBe(0.1);
    expect(q.rows_removed).toBe(1); // the non-number 'n/a' is ignored
  });

  it('fails clearly when nothing is recognised', () => {
    expect(() => readAudit({ hello: 1 })).toThrow(/audit JSON has none of rows_read/);
    expect(() => readAudit(null)).toThrow(/audit JSON/);
  });
});
