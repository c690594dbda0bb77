/**
 * Properties of the Cleaner over random streams and random options (fast-check):
 * - the audit reconciles: rows_in = rows_out + folded + Σ removed;
 * - the removed-line callback is called once per removed line, per reason;
 * - amounts: Σ output = Σ input − Σ removed lines − 2·negated − capped (audit.ts), where
 *   Σ output and Σ removed are summed here from the callbacks, not taken from the audit;
 *   under 'net' with no positive amount on a return line (negated = 0) and no capping, that is
 *   Σ output = Σ input − Σ removed;
 * - the result is deterministic (same input, same rows).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { reconciles, REASONS } from '../../../src/core/clean/audit.js';
import { cleanAll, schemaOfLines } from '../../../src/core/clean/clean-all.js';
import { Cleaner } from '../../../src/core/clean/cleaner.js';
import { Fingerprinter } from '../../../src/core/clean/fingerprint-hash.js';
import { lineFingerprint, LINE_FP_WORDS } from '../../../src/core/clean/line-fingerprint.js';
import { resolveCleanOptions, type CleanOptions } from '../../../src/core/clean/clean-options.js';
import { LineScreen, screenOptions } from '../../../src/core/clean/line-screen.js';
import { roundMoney } from '../../../src/core/money.js';
import type { Transaction } from '../../../src/core/types.js';
import { D } from './tx.js';

const lineArb: fc.Arbitrary<Transaction> = fc.record({
  customerId: fc.constantFrom('A', 'A', 'A', 'B', '', 'guest', 'X'),
  orderId: fc.constantFrom('1', '1', '1', '2', '3', 'C5', 'C6'),
  day: fc.integer({ min: 1, max: 8 }).map(D),
  amount: fc.constantFrom(0, 5, 10, 12.5, 40, 999.99, -5, -10, -12.5, -40, -50),
  quantity: fc.constantFrom(null, 1, 2, -1),
  status: fc.constantFrom('', '', 'paid', 'cancelled', 'Refunded', '交易关闭'),
  time: fc.constantFrom(null, '09:00:00', '18:30:00'),
  item: fc.constantFrom(null, 'p', 'q'),
  dims: fc.constantFrom([], ['UK'], ['FR']),
});

/** Streams drawn from a small pool of distinct lines (copied), so exact duplicates and split orders occur. */
const streamArb = (line: fc.Arbitrary<Transaction>, max: number): fc.Arbitrary<Transaction[]> =>
  fc
    .tuple(fc.array(line, { minLength: 1, maxLength: 15 }), fc.array(fc.nat(), { maxLength: max }))
    .map(([pool, idx]) => idx.map((i) => ({ ...pool[i % pool.length]! })));

const optionsArb: fc.Arbitrary<CleanOptions> = fc.record({
  returns: fc.constantFrom('net' as const, 'drop' as const, 'keep' as const),
  duplicates: fc.constantFrom('auto' as const, 'drop' as const, 'keep' as const),
  guests: fc.constantFrom('drop' as const, 'keep' as const),
  guestIds: fc.constantFrom([], ['0', 'a']),
  outliers: fc.constantFrom('flag' as const, 'cap' as const, 'drop' as const, 'off' as const),
  foldWindow: fc.integer({ min: 1, max: 4 }),
  since: fc.option(fc.integer({ min: 1, max: 4 }).map(D)),
  until: fc.option(fc.integer({ min: 4, max: 8 }).map(D)),
  asOf: fc.option(fc.integer({ min: 3, max: 8 }).map(D)),
  exclude: fc.constantFrom(new Set<string>(), new Set(['X'])),
});

type Verdicts = number[];

const sum = (xs: number[]): number => xs.reduce((s, x) => roundMoney(s + x), 0);

describe('Cleaner properties', () => {
  it('audit reconciles, removed callbacks match, amounts balance, output deterministic', () => {
    const seen = { duplicate: 0, folded: 0, late: 0, fully_refunded: 0, cancelled: 0 };
    fc.assert(
      fc.property(streamArb(lineArb, 60), optionsArb, (lines, opts) => {
        const r = cleanAll(lines, opts);
        const a = r.audit;
        expect(reconciles(a)).toBe(true);
        expect(a.rows_in).toBe(lines.length);
        expect(r.rows.length).toBe(a.rows_out);
        expect(r.removed.length).toBe(a.rows_removed);
        for (const k of REASONS) expect(r.removed.filter((x) => x.reason === k).length).toBe(a.removed[k]);
        const sIn = sum(lines.map((t) => t.amount));
        const sOut = sum(r.rows.map((t) => t.amount));
        const sRem = sum(r.removed.map((x) => x.tx.amount));
        expect(a.amount_in).toBeCloseTo(sIn, 6);
        expect(a.amount_out).toBeCloseTo(sOut, 6);
        expect(a.amount_removed).toBeCloseTo(sRem, 6);
        expect(sOut).toBeCloseTo(sIn - sRem - 2 * a.amount_negated! - a.amount_capped!, 6);
        if (opts.returns !== 'net') expect(a.amount_negated).toBe(0);
        if (opts.outliers !== 'cap') expect(a.amount_capped).toBe(0);
        // Removed line numbers are distinct input lines (line = index + 2).
        const nos = r.removed.map((x) => x.line);
        expect(new Set(nos).size).toBe(nos.length);
        for (const x of r.removed) expect(lines[x.line - 2]).toBe(x.tx);
        expect(cleanAll(lines, opts).rows).toEqual(r.rows);
        seen.duplicate += a.removed.duplicate;
        seen.folded += a.folded;
        seen.late += a.late_order_lines;
        seen.fully_refunded += a.removed.fully_refunded;
        seen.cancelled += a.removed.cancelled;
      }),
      { numRuns: 400 },
    );
    // The generator exercised the interesting paths (not a vacuous property).
    for (const [k, v] of Object.entries(seen)) expect([k, v > 0]).toEqual([k, true]);
  });
  it("under 'net' with no positive amount on a return line and without capping: Σ out = Σ in − Σ removed", () => {
    // Return lines with a positive amount (status-only returns, C-invoice lines, negative quantities
    // at a positive amount) are the ones 'net' negates; without them amount_negated is 0.
    const plain = lineArb.filter((t) => (t.status === '' || t.status === 'paid') && !t.orderId.startsWith('C') && !(t.quantity !== null && t.quantity < 0 && t.amount > 0));
    fc.assert(
      fc.property(streamArb(plain, 60), fc.integer({ min: 1, max: 6 }), (lines, w) => {
        const r = cleanAll(lines, { returns: 'net', outliers: 'flag', foldWindow: w });
        expect(r.audit.amount_negated).toBe(0);
        expect(sum(r.rows.map((t) => t.amount))).toBeCloseTo(sum(lines.map((t) => t.amount)) - sum(r.removed.map((x) => x.tx.amount)), 6);
      }),
      { numRuns: 200 },
    );
  });
  it("'cap': Σ out = Σ in − Σ removed − capped, capped rows sit at the threshold, counts match the fence", () => {
    // Single-line orders with spread amounts (so MAD > 0) and a few huge ones.
    const amounts = fc.array(fc.oneof({ arbitrary: fc.integer({ min: 100, max: 5000 }).map((c) => c / 100), weight: 9 }, { arbitrary: fc.integer({ min: 1e5, max: 1e7 }), weight: 1 }), { minLength: 3, maxLength: 80 });
    let capped = 0;
    fc.assert(
      fc.property(amounts, (xs) => {
        const lines = xs.map((a, i) => ({ customerId: 'c' + (i % 7), orderId: 'o' + i, day: D(1), amount: a, quantity: null, status: '', time: null, item: null, dims: [] }));
        const r = cleanAll(lines, { outliers: 'cap' });
        const thr = r.audit.outlier_rule.threshold;
        expect(r.audit.outliers_capped).toBe(r.fence!.expected);
        expect(r.audit.outliers_capped).toBe(thr === null ? 0 : xs.filter((a) => a >= thr * (1 + 1e-9)).length);
        const sIn = sum(xs), sOut = sum(r.rows.map((t) => t.amount));
        expect(sOut).toBeCloseTo(sIn - r.audit.amount_capped!, 6);
        capped += r.audit.outliers_capped;
      }),
      { numRuns: 150 },
    );
    expect(capped).toBeGreaterThan(0);
  });
  it('a fold window at least the number of orders folds every order into one row', () => {
    fc.assert(
      fc.property(streamArb(lineArb, 40), (lines) => {
        const r = cleanAll(lines, { returns: 'keep', guests: 'keep', outliers: 'off', foldWindow: 100 });
        const keys = r.rows.map((t) => t.customerId + '\u0000' + t.orderId);
        expect(new Set(keys).size).toBe(keys.length);
        expect(r.audit.late_order_lines).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
  it('taking lines in batches changes nothing: the same events in the same order and the same audit as line by line', () => {
    // One event log of outputs and removals, interleaved as the callbacks fire.
    const run = (lines: Transaction[], opts: CleanOptions, batch: number): { log: string[]; audit: unknown } => {
      const log: string[] = [];
      const c = new Cleaner({ ...opts, outliers: 'off', fence: null }, (t) => log.push(`out ${t.customerId}/${t.orderId} ${t.day} ${t.amount} ${t.quantity} ${t.status}`), (t, reason, line) => log.push(`removed ${line} ${reason}`), undefined, batch);
      c.useSchema(schemaOfLines(lines));
      lines.forEach((t, i) => c.push(t, i + 2));
      c.finish();
      return { log, audit: c.audit() };
    };
    fc.assert(
      // Streams longer than a batch of 64 (up to 300 lines), so batches end inside folded orders.
      fc.property(streamArb(lineArb, 300), optionsArb, fc.integer({ min: 2, max: 100 }), (lines, opts, batch) => {
        const one = run(lines, opts, 1);
        expect(run(lines, opts, batch)).toEqual(one);
        expect(run(lines, opts, 64)).toEqual(one);
      }),
      { numRuns: 200 },
    );
    expect(() => new Cleaner({}, () => {}, undefined, undefined, 0)).toThrow(RangeError);
  });
  it('fingerprints given with the lines (as the reader thread sends them) change nothing; wrong ones do', () => {
    const run = (lines: Transaction[], opts: CleanOptions, given: 'none' | 'all' | 'some' | 'zero'): { log: string[]; audit: unknown } => {
      const log: string[] = [];
      const c = new Cleaner({ ...opts, outliers: 'off', fence: null }, (t) => log.push(`out ${t.customerId}/${t.orderId} ${t.day} ${t.amount} ${t.quantity} ${t.status}`), (t, reason, line) => log.push(`removed ${line} ${reason}`));
      c.useSchema(schemaOfLines(lines));
      // One shared buffer at an offset, like a reader thread's batch.
      const fps = new Uint32Array(LINE_FP_WORDS * (lines.length + 1));
      const fp = new Fingerprinter();
      lines.forEach((t, i) => {
        const at = LINE_FP_WORDS * (i + 1);
        if (given === 'zero') c.pushScreened(t, i + 2, fps, at, -1);
        else if (given === 'all' || (given === 'some' && i % 3 === 0)) {
          lineFingerprint(fp, t, fps, at);
          c.pushScreened(t, i + 2, fps, at, -1);
        } else c.push(t, i + 2);
      });
      c.finish();
      return { log, audit: c.audit() };
    };
    fc.assert(
      fc.property(streamArb(lineArb, 300), optionsArb, (lines, opts) => {
        const computed = run(lines, opts, 'none');
        expect(run(lines, opts, 'all')).toEqual(computed);
        expect(run(lines, opts, 'some')).toEqual(computed);
      }),
      { numRuns: 150 },
    );
    // The given words are used, not recomputed: all-zero fingerprints make every line after the
    // first a repeat of one order's first line.
    const a: Transaction = { customerId: 'c1', orderId: 'o1', day: 100, amount: 5, quantity: 1, status: 'paid', time: null, item: null, dims: [] };
    const b: Transaction = { ...a, customerId: 'c2', orderId: 'o2', amount: 7 };
    const zero = run([a, b], { duplicates: 'drop' }, 'zero');
    expect(zero.log).toContain('removed 3 duplicate');
    expect(run([a, b], {}, 'none').log.some((l) => l.includes('duplicate'))).toBe(false);
  });

  it('verdicts given with the lines (a reader thread screening ahead with the same options) change nothing; wrong ones do', () => {
    const run = (lines: Transaction[], opts: CleanOptions, given: 'none' | 'all' | Verdicts): { log: string[]; audit: unknown } => {
      const log: string[] = [];
      const c = new Cleaner({ ...opts, outliers: 'off', fence: null }, (t) => log.push(`out ${t.customerId}/${t.orderId} ${t.day} ${t.amount} ${t.quantity} ${t.status}`), (t, reason, line) => log.push(`removed ${line} ${reason}`));
      // The thread's screen gets its options as the reader job carries them (structured clone).
      const screen = new LineScreen(structuredClone(screenOptions(resolveCleanOptions(opts))));
      c.useSchema(schemaOfLines(lines));
      screen.useSchema(schemaOfLines(lines));
      const fps = new Uint32Array(LINE_FP_WORDS * lines.length);
      const fp = new Fingerprinter();
      lines.forEach((t, i) => {
        const at = LINE_FP_WORDS * i;
        if (given === 'none') return c.push(t, i + 2);
        lineFingerprint(fp, t, fps, at);
        const v = given === 'all' ? screen.screen(t.customerId, t.orderId, t.day, t.amount, t.quantity, t.status, fps[at]!, fps[at + 1]!, fps[at + 2]!, fps[at + 3]!) : given[i]!;
        c.pushScreened(t, i + 2, fps, at, v);
      });
      c.finish();
      return { log, audit: c.audit() };
    };
    fc.assert(
      fc.property(streamArb(lineArb, 300), optionsArb, (lines, opts) => {
        expect(run(lines, opts, 'all')).toEqual(run(lines, opts, 'none'));
      }),
      { numRuns: 150 },
    );
    // The given verdicts are used, not recomputed: a verdict of guest removes a real customer's line,
    // and a kept line of an order seen before (bit 64) that is not open is a late re-opening.
    const a: Transaction = { customerId: 'c1', orderId: 'o1', day: 100, amount: 5, quantity: 1, status: 'paid', time: null, item: null, dims: [] };
    expect(run([a], {}, [1]).log).toEqual(['removed 2 guest']);
    expect((run([a], {}, [64]).audit as { late_order_lines: number }).late_order_lines).toBe(1);
    expect((run([a], {}, 'all').audit as { late_order_lines: number }).late_order_lines).toBe(0);
  });
});

