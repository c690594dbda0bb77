/** Options of the `clean` stage, with their defaults. */
import type { Fence } from './outlier-fence.js';

/** What to do with return / cancellation lines (return-lines.ts). */
export type ReturnsMode = 'net' | 'drop' | 'keep';
/** What to do with guest / placeholder customer ids (guest-ids.ts). */
export type GuestsMode = 'drop' | 'keep';
/** When to remove exact duplicate lines (line-identity.ts): only when provable, always, never. */
export type DuplicatesMode = 'auto' | 'drop' | 'keep';
/** What to do with outlier order amounts (outlier-fence.ts). */
export type OutliersMode = 'flag' | 'cap' | 'drop' | 'off';

export interface CleanOptions {
  /** Default 'net'. */
  returns?: ReturnsMode;
  /** Default 'auto'. */
  duplicates?: DuplicatesMode;
  /** Default 'drop'. */
  guests?: GuestsMode;
  /** Placeholder ids added to GUEST_PLACEHOLDERS (`--guest-ids`); compared trimmed and lower-cased. */
  guestIds?: readonly string[];
  /** Default 'flag'. Has effect only with a `fence` (computed by a first pass). */
  outliers?: OutliersMode;
  /** Customer ids to remove (reason `excluded`); compared exactly and trimmed (read by pipeline/exclude-list.ts). */
  exclude?: ReadonlySet<string>;
  /** First day kept (day number, inclusive); earlier lines: `before_since`. */
  since?: number | null;
  /** Last day kept (inclusive); later lines: `after_until`. */
  until?: number | null;
  /** Observation end (inclusive); later lines: `after_as_of`. */
  asOf?: number | null;
  /** Open orders kept for folding (default 10,000; integer ≥ 1). */
  foldWindow?: number;
  /** Outlier fence from a first pass (OutlierFence.fence()). */
  fence?: Fence | null;
}

/** Options with every default filled in. */
export interface ResolvedCleanOptions {
  returns: ReturnsMode;
  duplicates: DuplicatesMode;
  guests: GuestsMode;
  guestIds: readonly string[];
  outliers: OutliersMode;
  exclude: ReadonlySet<string>;
  since: number | null;
  until: number | null;
  asOf: number | null;
  foldWindow: number;
  fence: Fence | null;
}

/** Default size of the fold window (open orders). */
export const DEFAULT_FOLD_WINDOW = 10_000;

/** Fills defaults; throws RangeError on an invalid value (the CLI validates first). */
export function resolveCleanOptions(o: CleanOptions = {}): ResolvedCleanOptions {
  const r: ResolvedCleanOptions = {
    returns: o.returns ?? 'net',
    duplicates: o.duplicates ?? 'auto',
    guests: o.guests ?? 'drop',
    guestIds: o.guestIds ?? [],
    outliers: o.outliers ?? 'flag',
    exclude: o.exclude ?? new Set<string>(),
    since: o.since ?? null,
    until: o.until ?? null,
    asOf: o.asOf ?? null,
    foldWindow: o.foldWindow ?? DEFAULT_FOLD_WINDOW,
    fence: o.fence ?? null,
  };
  if (!['net', 'drop', 'keep'].includes(r.returns)) throw new RangeError(`returns: ${r.returns}`);
  if (!['auto', 'drop', 'keep'].includes(r.duplicates)) throw new RangeError(`duplicates: ${r.duplicates}`);
  if (!['drop', 'keep'].includes(r.guests)) throw new RangeError(`guests: ${r.guests}`);
  if (!['flag', 'cap', 'drop', 'off'].includes(r.outliers)) throw new RangeError(`outliers: ${r.outliers}`);
  if (!Number.isInteger(r.foldWindow) || r.foldWindow < 1) throw new RangeError(`foldWindow must be an integer ≥ 1: ${r.foldWindow}`);
  return r;
}
