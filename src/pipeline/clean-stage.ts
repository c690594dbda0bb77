/**
 * The clean stage around the streaming Cleaner (core/clean/cleaner.ts).
 *
 * Outliers need the whole amount distribution before any row can be judged, so:
 * - `flag` in `run` (the flag does not change any number downstream): one pass; the fence is
 *   computed from the pass's own output and the audit counts the flagged orders exactly
 *   (the fence is snapped to a histogram bin edge, so the count is exact);
 * - `flag` in `clean`: one cleaning pass writes every row with the flag 0 to a file (the `-o`
 *   file, or a temporary one then copied to stdout) and keeps its amount in a temporary file
 *   (io/number-spool.ts); once the fence is known, the few flagged rows are found in the
 *   file and their 0 overwritten with 1 (flagInPlace);
 * - `cap`/`drop`: two passes over the input — the first (outliers off) builds the fence from
 *   the cleaned orders, the second applies it. Reading stdin, `clean` first spools it to a
 *   temporary file (disk, not memory).
 */
import { auditOutlierRule, withoutAmounts, type CleanAudit } from '../core/clean/audit.js';
import { resolveCleanOptions, type CleanOptions } from '../core/clean/clean-options.js';
import { screenOptions, type ScreenOptions } from '../core/clean/line-screen.js';
import { Cleaner, type RemovedCallback } from '../core/clean/cleaner.js';
import { OutlierFence, exceedsFence } from '../core/clean/outlier-fence.js';
import type { StreamSchema, Transaction } from '../core/types.js';
import { NumberSpool } from '../io/number-spool.js';

export type CleanStageOptions = CleanOptions & { asOf: number | null; outliers: NonNullable<CleanOptions['outliers']> };

/** The LineScreen options of every pass of runCleanPasses(opts) (what a reader thread screens with). */
export const screenOptionsOf = (opts: CleanStageOptions): ScreenOptions => screenOptions(resolveCleanOptions(opts));

export interface CleanRun {
  audit: CleanAudit;
  summaryLine: string;
  /** What the rules did that changes numbers without an error (stderr notes, after the summary). */
  notes: string[];
  /** What looks like a mistake in the options (stderr warnings): an exclusion list that matched nothing. */
  warnings: string[];
}

/**
 * A source drives one pass: it calls `schema` with the stream's schema before the first line
 * (it decides the duplicate rule: Cleaner.useSchema), then push for every canonical line, in
 * order (with the line's `lineFingerprint` at fps[at …] and its screen verdict when a reader
 * thread computed them, under screenOptionsOf(opts); see Cleaner.pushScreened), and may
 * tell `read` what fraction of its input (in bytes) it has read (a sizing hint: Cleaner.expectFraction).
 */
export type CleanSource = (
  push: (tx: Transaction, line: number, fps?: Uint32Array, at?: number, verdict?: number) => void,
  read: (fraction: number) => void,
  schema: (s: StreamSchema) => void,
) => Promise<void>;

/** A source's push into `c`: lines with work done ahead go to pushScreened, the others to push. */
function lineInto(c: Cleaner): Parameters<CleanSource>[0] {
  return (tx, line, fps, at, verdict) => (fps === undefined ? c.push(tx, line) : c.pushScreened(tx, line, fps, at ?? 0, verdict ?? -1));
}

/**
 * Where `clean --outliers flag` writes its rows as finished canonical CSV lines: a file whose
 * bytes can be read back and changed before it is closed (flagInPlace). `schema()` is the
 * input's stream schema (known once a row was read).
 */
export interface FlaggedLines {
  schema: () => StreamSchema | null;
  /** Writes the header; called once, before the first row (the byte positions start after it). */
  header(): void;
  /** Writes one row: the transaction as canonical CSV (canonicalLine's bytes) with this schema. */
  write(tx: Transaction, schema: StreamSchema): void;
  /** Exact bytes written so far. */
  position(): number;
  readAt(buf: Uint8Array, position: number): number;
  writeAt(bytes: Uint8Array, position: number): void;
}

/**
 * Runs the clean passes over `source` (called once or twice) and hands every output row to
 * `sink`. `perRowFlags`: whether the output needs the per-row outlier flag (clean's CSV) or
 * only the audit count (run). With `--outliers flag`, per-row flags and `flaggedLines`, the
 * rows go to `flaggedLines` as finished CSV lines instead of to `sink` (flagInPlace).
 */
export async function runCleanPasses(
  opts: CleanStageOptions,
  source: CleanSource,
  sink: (tx: Transaction) => void,
  more: { perRowFlags?: boolean; onRemoved?: RemovedCallback; flaggedLines?: FlaggedLines; customersOut?: () => number } = {},
): Promise<CleanRun> {
  // Transactions without amounts (ingest --no-amount) are told by their first row's absent amount.
  let first = true;
  let amountless = false;
  const src: CleanSource = (push, read, schema) => source((tx, line, fps, at, v) => {
    if (first) {
      first = false;
      amountless = Number.isNaN(tx.amount);
    }
    push(tx, line, fps, at, v);
  }, read, schema);
  const r = await cleanPasses(opts, src, sink, more);
  return amountless ? withoutAmountsRun(r) : r;
}

/** The note on transactions without amounts, in clean's and run's messages. */
export const NO_AMOUNT_CLEAN_NOTE = 'transactions without amounts: returns netting, fully refunded orders and outliers need amounts and were skipped; the audit\'s amount sums are null';

function withoutAmountsRun(r: CleanRun): CleanRun {
  const d = done(withoutAmounts(r.audit));
  return { ...d, notes: [NO_AMOUNT_CLEAN_NOTE, ...d.notes] };
}

async function cleanPasses(
  opts: CleanStageOptions,
  source: CleanSource,
  sink: (tx: Transaction) => void,
  more: { perRowFlags?: boolean; onRemoved?: RemovedCallback; flaggedLines?: FlaggedLines; customersOut?: () => number },
): Promise<CleanRun> {
  const mode = opts.outliers;
  if (mode === 'flag' && more.perRowFlags === true && more.flaggedLines) return flagInPlace(opts, source, more.flaggedLines, more.onRemoved);
  const twoPass = mode === 'cap' || mode === 'drop' || (mode === 'flag' && more.perRowFlags === true);
  let fence = null;
  if (twoPass) {
    const f = new OutlierFence();
    const first = new Cleaner({ ...opts, outliers: 'off', fence: null }, (tx) => f.add(tx.amount));
    await source(lineInto(first), (f) => first.expectFraction(f), (s) => first.useSchema(s));
    first.finish();
    fence = f.fence();
    const second = new Cleaner({ ...opts, fence }, sink, more.onRemoved, more.customersOut);
    await source(lineInto(second), (f) => second.expectFraction(f), (s) => second.useSchema(s));
    second.finish();
    return done(second.audit());
  }
  const f = new OutlierFence();
  const only = new Cleaner({ ...opts, outliers: mode === 'flag' ? 'off' : mode, fence: null }, (tx) => {
    if (mode === 'flag') f.add(tx.amount);
    sink(tx);
  }, more.onRemoved, more.customersOut);
  await source(lineInto(only), (f) => only.expectFraction(f), (s) => only.useSchema(s));
  only.finish();
  const audit = only.audit();
  if (mode === 'flag') {
    fence = f.fence();
    audit.outliers_flagged = fence.expected;
    audit.outlier_rule = auditOutlierRule('flag', fence);
    audit.options.outliers = 'flag';
  }
  return done(audit);
}

/** Rows between two recorded byte positions in flagInPlace. */
const ROWS_PER_MARK = 4096;
const ONE = Buffer.from('1');

/**
 * `--outliers flag` writing a file: one cleaning pass writes every row as finished CSV with
 * the flag 0 (canonicalLine ends each row with `,0\n`) and keeps the rows' amounts in a
 * NumberSpool and the output's byte position every ROWS_PER_MARK rows. Once the fence is
 * known, the amounts are replayed; a block of rows holding a flagged one is read back from
 * the output and each flagged row's 0 (the byte before its row-ending newline outside
 * quotes) is overwritten with 1. Flagged rows are few (a robust fence), so little is read
 * back: before, every finished row was spooled to disk and replayed with its flag appended,
 * which was much slower (docs/performance.md).
 */
async function flagInPlace(
  opts: CleanStageOptions,
  source: CleanSource,
  out: FlaggedLines,
  onRemoved?: RemovedCallback,
): Promise<CleanRun> {
  const amounts = new NumberSpool();
  try {
    const f = new OutlierFence();
    const marks: number[] = [];
    let schema: StreamSchema | null = null;
    let rows = 0;
    const cleaner = new Cleaner({ ...opts, outliers: 'off', fence: null }, (tx) => {
      if (schema === null) schema = { ...(out.schema() ?? { hasTime: false, hasItem: false, dimNames: [], hasOutlier: true }), hasOutlier: true };
      f.add(tx.amount);
      if (rows % ROWS_PER_MARK === 0) {
        if (rows === 0) out.header();
        marks.push(out.position());
      }
      out.write(tx, schema);
      amounts.add(tx.amount);
      rows++;
    }, onRemoved);
    await source(lineInto(cleaner), (f) => cleaner.expectFraction(f), (s) => cleaner.useSchema(s));
    cleaner.finish();
    const fence = f.fence();
    marks.push(out.position());
    let block = -1;
    let ends: number[] = [];
    amounts.replay((amount, i) => {
      if (!exceedsFence(fence, amount)) return;
      const b = Math.floor(i / ROWS_PER_MARK);
      if (b !== block) {
        block = b;
        ends = rowEnds(out, marks[b]!, marks[b + 1]!);
      }
      const at = ends[i - b * ROWS_PER_MARK]! - 1; // the flag: the byte before the newline
      out.writeAt(ONE, at);
    });
    const audit = cleaner.audit();
    audit.outliers_flagged = fence.expected;
    audit.outlier_rule = auditOutlierRule('flag', fence);
    audit.options.outliers = 'flag';
    return done(audit);
  } finally {
    amounts.dispose();
  }
}

/** Byte positions of the row-ending newlines (outside quoted cells) in the output's [from, to). */
function rowEnds(out: FlaggedLines, from: number, to: number): number[] {
  const buf = Buffer.allocUnsafe(to - from);
  let got = 0;
  while (got < buf.length) {
    const n = out.readAt(buf.subarray(got), from + got);
    if (n === 0) throw new Error('clean: the output file is shorter than the rows written');
    got += n;
  }
  const ends: number[] = [];
  let quoted = false;
  for (let k = 0; k < buf.length; k++) {
    const c = buf[k]!;
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) {
      if (buf[k - 1] !== 0x30 || buf[k - 2] !== 0x2c) throw new Error(`clean: a row written at byte ${from + k} does not end with the flag 0`);
      ends.push(from + k);
    }
  }
  return ends;
}

/** Notes and warnings on the duplicate, guest and exclusion rules (see CleanRun). */
export function ruleMessages(audit: CleanAudit): { notes: string[]; warnings: string[] } {
  const notes: string[] = [];
  const warnings: string[] = [];
  const d = audit.duplicate_rule;
  if (d.applied === 'keep' && d.equal_lines_kept > 0) {
    const why = d.mode === 'keep' ? '--duplicates keep' : 'no column tells an order\'s lines apart (item, SKU, line number or time)';
    notes.push(`kept ${d.equal_lines_kept} line${d.equal_lines_kept === 1 ? '' : 's'} equal to an earlier line of the same order: ${why}, so they count as separate purchases${d.mode === 'auto' ? ' (--duplicates drop removes them)' : ''}`);
  }
  const g = Object.entries(audit.guests_removed);
  if (g.length > 0) notes.push(`removed ${audit.removed.guest} guest row${audit.removed.guest === 1 ? '' : 's'} by placeholder: ${g.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const x = audit.exclusion;
  if (x.ids_listed > 0) {
    const line = `--exclude: ${x.ids_matched} of ${x.ids_listed} listed id${x.ids_listed === 1 ? '' : 's'} matched, ${audit.removed.excluded} row${audit.removed.excluded === 1 ? '' : 's'} removed`;
    if (x.ids_matched === 0) warnings.push(`${line}: check the list's ids against the data's customer_id values`);
    else notes.push(line);
  }
  return { notes, warnings };
}

/** The audit with its one-line summary (stderr). */
export function done(audit: CleanAudit): CleanRun {
  const removed = Object.entries(audit.removed).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const o = audit.outlier_rule;
  const out =
    audit.options.outliers === 'off' || !o.applied
      ? ''
      : `; outliers (${o.threshold === null ? 'no fence: MAD 0' : `amount ≥ ${o.threshold.toFixed(2)}`}): ${audit.options.outliers === 'cap' ? `${audit.outliers_capped} capped` : audit.options.outliers === 'drop' ? `${audit.removed.outlier ?? 0} dropped` : `${audit.outliers_flagged} flagged`}`;
  return {
    audit,
    summaryLine: `${audit.rows_in} rows in = ${audit.rows_out} out + ${audit.folded} folded + ${audit.rows_removed} removed (${removed}); ${audit.late_order_lines} late order lines${out}`,
    ...ruleMessages(audit),
  };
}
