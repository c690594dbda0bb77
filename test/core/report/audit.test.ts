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

  it("counts each row once in run's nested audit: ingest's rows out are clean's rows in, not more rows out", () => {
    // 4 rows read, 1 rejected, 3 into cleaning: 1 removed as a guest, 1 folded, 1 order row.
    const q = readAudit({
      ingest: { rows_read: 4, rows_out: 3, rejected: { bad_date: 1 } },
      clean: { rows_in: 3, rows_out: 1, folded: 1, removed: { guest: 1, duplicate: 0 }, orders_out: 1, customers_out: 1 },
      segment: { customers: 1 },
    });
    expect(q).toMatchObject({ rows_read: 4, rows_rejected: 1, rows_in: 3, rows_removed: 1, folded: 1, rows_out: 1, orders: 1, customers: 1, reconciles: true });
    expect(q.rows_read).toBe(q.rows_rejected! + q.rows_removed! + q.folded! + q.rows_out!);
  });

  it("takes ingest's rows out as the rows into cleaning when there is no clean part, and flags parts that disagree", () => {
    expect(readAudit({ rows_read: 10, rows_out: 9, rejected: 1 })).toMatchObject({ rows_in: 9, rows_out: null, reconciles: true });
    expect(readAudit([{ rows_read: 10, rows_out: 9, rejected: 1 }, { rows_in: 7, rows_out: 7, folded: 0, removed: 0 }]).reconciles).toBe(false);
  });

  it('fails clearly when nothing is recognised', () => {
    expect(() => readAudit({ hello: 1 })).toThrow(/audit JSON has none of rows_read/);
    expect(() => readAudit(null)).toThrow(/audit JSON/);
  });
});
