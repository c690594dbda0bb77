/**
 * Guest and placeholder customer ids: ids that do not identify a person, so their rows
 * cannot be attributed to a customer (`clean --guests drop`, reason `guest`).
 */

/**
 * The placeholder list, compared after trimming and lower-casing: blank, `-`, `n/a`, `na`,
 * `null`, `none`, `unknown`, `guest`, `anonymous`, `匿名`, `游客`, `访客`, `未知` (docs/commands.md's
 * table). `0` is absent: a numeric id 0 is a real customer in some data sets (lifetimes'
 * CDNOW sample has customer 0); `--guest-ids 0` adds it. `test` is absent too: a real
 * customer may be called that, and test accounts belong in an `--exclude` file.
 */
export const GUEST_PLACEHOLDERS: ReadonlySet<string> = new Set([
  '', '-', 'n/a', 'na', 'null', 'none', 'unknown', 'guest', 'anonymous', '匿名', '游客', '访客', '未知',
]);

const WS = /\s/;
/** What String.prototype.trim removes (ASCII tested directly, the rest by /\s/, the same set). */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c >= 128 && WS.test(String.fromCharCode(c)));

/** The form an id is compared in: trimmed, lower-cased. */
export const guestKey = (id: string): string => id.trim().toLowerCase();

/** Placeholders and `extra` (e.g. `--guest-ids 0,N/A`) in their compared form. */
export function guestPlaceholders(extra: readonly string[] = []): ReadonlySet<string> {
  if (extra.length === 0) return GUEST_PLACEHOLDERS;
  return new Set([...GUEST_PLACEHOLDERS, ...extra.map(guestKey)]);
}

/**
 * Tells whether an id is a placeholder of a given list. Fast paths without allocation for
 * the usual real id (an ASCII first character no placeholder starts with, e.g. C0000001).
 */
export class GuestIds {
  readonly placeholders: ReadonlySet<string>;
  /** ASCII codes (lower-cased) that start a placeholder: an ASCII id starting with another is real. */
  private readonly firstAscii = new Uint8Array(128);
  private readonly maxLen: number;

  constructor(extra: readonly string[] = []) {
    this.placeholders = guestPlaceholders(extra);
    let max = 0;
    for (const p of this.placeholders) {
      max = Math.max(max, p.length);
      if (p.length > 0 && p.charCodeAt(0) < 128) this.firstAscii[p.charCodeAt(0)] = 1;
    }
    this.maxLen = max;
  }

  /** True when `id` is blank or a placeholder, case-insensitive and trimmed. */
  has(id: string): boolean {
    const n = id.length;
    if (n === 0) return true;
    const c0 = id.charCodeAt(0);
    if (c0 < 128 && !isSpace(c0) && this.firstAscii[c0 >= 65 && c0 <= 90 ? c0 + 32 : c0] === 0) return false;
    if (n > this.maxLen && !isSpace(c0) && !isSpace(id.charCodeAt(n - 1))) return false;
    return this.placeholders.has(guestKey(id));
  }
}

const DEFAULT = new GuestIds();

/** True when `id` is blank or one of GUEST_PLACEHOLDERS, case-insensitive and trimmed. */
export const isGuestId = (id: string): boolean => DEFAULT.has(id);
