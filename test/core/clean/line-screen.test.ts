/**
 * LineScreen: the cleaner's line rules 1–5 as one verdict per line (line-screen.ts).
 */
import { describe, it, expect } from 'vitest';
import { resolveCleanOptions, type CleanOptions } from '../../../src/core/clean/clean-options.js';
import { Fingerprinter } from '../../../src/core/clean/fingerprint-hash.js';
import { lineFingerprint, LINE_FP_WORDS } from '../../../src/core/clean/line-fingerprint.js';
import { LineScreen, screenOptions, verdictClass, verdictEqualKept, verdictOpenedBefore, verdictReason } from '../../../src/core/clean/line-screen.js';
import { LINE_PURCHASE, LINE_RETURN, LINE_STATUS_ONLY } from '../../../src/core/clean/return-lines.js';
import type { StreamSchema, Transaction } from '../../../src/core/types.js';
import { L } from './tx.js';

/** Screens the lines in order; returns [reason, class, opened before] per line ('kept' for kept lines). */
/** A stream whose lines carry an item column: exact duplicates are provable (line-identity.ts). */
const WITH_ITEM: StreamSchema = { hasTime: false, hasItem: true, dimNames: [], hasOutlier: false };
const NO_IDENTITY: StreamSchema = { hasTime: false, hasItem: false, dimNames: ['channel'], hasOutlier: false };

function screenAll(lines: Transaction[], opts: CleanOptions = {}, viaClone = false, schema = WITH_ITEM): [string, number, boolean][] {
  return screenVerdicts(lines, opts, viaClone, schema).map((v) => {
    const r = verdictReason(v);
    return r === null ? ['kept', verdictClass(v), verdictOpenedBefore(v)] : [r, -1, false];
  });
}

function screenVerdicts(lines: Transaction[], opts: CleanOptions, viaClone: boolean, schema: StreamSchema): number[] {
  const resolved = resolveCleanOptions(opts);
  // A reader thread gets the options through structured clone (the exclusion list as an array).
  const s = new LineScreen(viaClone ? structuredClone(screenOptions(resolved)) : resolved);
  s.useSchema(schema);
  const fp = new Fingerprinter();
  const w = new Uint32Array(LINE_FP_WORDS);
  return lines.map((t) => {
    lineFingerprint(fp, t, w, 0);
    return s.screen(t.customerId, t.orderId, t.day, t.amount, t.quantity, t.status, w[0]!, w[1]!, w[2]!, w[3]!);
  });
}

describe('LineScreen', () => {
  it('applies the rules in order: guest, excluded, date window, as-of, duplicate, returns drop', () => {
    const opts: CleanOptions = { exclude: new Set(['X']), since: L('', '', 3, 0).day, until: L('', '', 8, 0).day, asOf: L('', '', 6, 0).day, returns: 'drop' };
    const lines = [
      L('guest', 'o1', 1, 5), // guest wins over the date window
      L(' X ', 'o2', 1, 5), // excluded (trimmed) wins over the date window
      L('A', 'o3', 2, 5), // before since
      L('A', 'o4', 9, 5), // after until wins over after as-of
      L('A', 'o5', 7, 5), // after as-of
      L('A', 'o6', 4, 5),
      L('A', 'o6', 4, 5), // exact repeat
      L('A', 'o7', 4, -5), // negative amount
      L('A', 'o8', 4, 5, { status: 'Cancelled' }),
      L('A', 'C9', 4, 5), // C-invoice without a status: cancelled
      L('A', 'o10', 4, 5, { status: '退款' }),
    ];
    expect(screenAll(lines, opts).map((x) => x[0])).toEqual(['guest', 'excluded', 'before_since', 'after_until', 'after_as_of', 'kept', 'duplicate', 'returned', 'cancelled', 'cancelled', 'returned']);
    // The same options through structured clone (as the reader thread gets them) give the same verdicts.
    expect(screenAll(lines, opts, true)).toEqual(screenAll(lines, opts));
  });

  it('keeps return lines with their class unless returns is drop; guests keep keeps guests', () => {
    const lines = [L('A', 'o1', 1, 5), L('A', 'o2', 1, -5), L('A', 'o3', 1, 5, { status: 'refunded' }), L('', 'o4', 1, 5)];
    expect(screenAll(lines, { returns: 'net', guests: 'keep' }).map((x) => [x[0], x[1]])).toEqual([
      ['kept', LINE_PURCHASE],
      ['kept', LINE_RETURN],
      ['kept', LINE_STATUS_ONLY],
      ['kept', LINE_PURCHASE],
    ]);
    expect(screenAll(lines, { returns: 'keep' }).map((x) => x[0])).toEqual(['kept', 'kept', 'kept', 'guest']);
  });

  it('marks a kept line whose order had a kept line before; removed lines mark nothing', () => {
    const lines = [
      L('A', 'o1', 1, 5, { item: 'p' }),
      L('A', 'o1', 1, 5, { item: 'p' }), // duplicate: not a kept line
      L('A', 'o2', 1, -5), // dropped under returns drop, but recorded: its repeat below is a duplicate
      L('A', 'o2', 1, -5),
      L('A', 'o2', 1, 7), // first kept line of o2
      L('A', 'o1', 2, 5, { item: 'q' }), // second kept line of o1
      L('B', 'o1', 1, 5, { item: 'p' }), // another customer's order o1
    ];
    expect(screenAll(lines, { returns: 'drop' }).map((x) => [x[0], x[2]])).toEqual([
      ['kept', false],
      ['duplicate', false],
      ['returned', false],
      ['duplicate', false],
      ['kept', false],
      ['kept', true],
      ['kept', false],
    ]);
  });

  it('without a column that identifies a line, auto keeps an exact repeat and marks it; drop removes it; keep keeps it', () => {
    const lines = [L('A', 'o1', 1, 5), L('A', 'o1', 1, 5), L('A', 'o1', 1, 5), L('A', 'o2', 1, 5)];
    const brief = (vs: number[]) => vs.map((v) => [verdictReason(v) ?? 'kept', verdictEqualKept(v)]);
    const kept = [['kept', false], ['kept', true], ['kept', true], ['kept', false]];
    expect(brief(screenVerdicts(lines, {}, false, NO_IDENTITY))).toEqual(kept);
    expect(brief(screenVerdicts(lines, { duplicates: 'keep' }, true, WITH_ITEM))).toEqual(kept);
    const dropped = [['kept', false], ['duplicate', false], ['duplicate', false], ['kept', false]];
    expect(brief(screenVerdicts(lines, {}, false, WITH_ITEM))).toEqual(dropped);
    expect(brief(screenVerdicts(lines, { duplicates: 'drop' }, true, NO_IDENTITY))).toEqual(dropped);
    // A kept line identity: a `--keep`ed line-number column.
    expect(brief(screenVerdicts(lines, {}, false, { ...NO_IDENTITY, dimNames: ['Line No.'] }))).toEqual(dropped);
  });

  it('auto without the stream schema is an internal error at the first repeat, not a guess', () => {
    const s = new LineScreen(resolveCleanOptions({}));
    expect(s.screen('A', 'o1', 1, 5, null, '', 1, 2, 3, 4)).toBe(0);
    expect(() => s.screen('A', 'o1', 1, 5, null, '', 1, 2, 3, 4)).toThrow(/useSchema/);
  });

  it('guest ids: 0 is a real id by default; --guest-ids adds placeholders (trimmed, any case)', () => {
    const lines = [L('0', 'o1', 1, 5), L(' N/A ', 'o2', 1, 5), L('x9', 'o3', 1, 5), L('guest', 'o4', 1, 5)];
    expect(screenAll(lines).map((x) => x[0])).toEqual(['kept', 'guest', 'kept', 'guest']);
    expect(screenAll(lines, { guestIds: ['0', 'X9'] }, true).map((x) => x[0])).toEqual(['guest', 'guest', 'guest', 'guest']);
  });
});
