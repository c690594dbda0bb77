/**
 * Guest and placeholder customer ids: ids that do not identify a person, so their rows
 * cannot be attributed to a customer (`clean --guests drop`, reason `guest`).
 */

/**
 * The placeholder list, compared after trimming and lower-casing: blank, `0`, `-`, `n/a`,
 * `na`, `null`, `none`, `unknown`, `guest`, `anonymous`, `匿名`, `游客`, `访客`, `未知`.
 * `test` is deliberately absent: a real customer may be called that, and test accounts
 * belong in an `--exclude` file.
 */
export const GUEST_PLACEHOLDERS: ReadonlySet<string> = new Set([
  '', '0', '-', 'n/a', 'na', 'null', 'none', 'unknown', 'guest', 'anonymous', '匿名', '游客', '访客', '未知',
]);

const MAX_LEN = 9; // 'anonymous'

/** ASCII codes (lower-cased) that start a placeholder: an ASCII id starting with another is real. */
const FIRST_ASCII = new Uint8Array(128);
for (const p of GUEST_PLACEHOLDERS) if (p.length > 0 && p.charCodeAt(0) < 128) FIRST_ASCII[p.charCodeAt(0)] = 1;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000 || c === 0xfeff;

/** True when `id` is blank or a placeholder (see GUEST_PLACEHOLDERS), case-insensitive and trimmed. */
export function isGuestId(id: string): boolean {
  const n = id.length;
  if (n === 0) return true;
  const c0 = id.charCodeAt(0);
  // Fast paths without allocation: ids starting with a digit 1-9 or a letter no placeholder
  // starts with, and ids longer than any placeholder and not padded with spaces, are real.
  if (c0 >= 49 && c0 <= 57) return false;
  // An ASCII first character that is not white space and starts no placeholder (after
  // lower-casing, which maps ASCII to ASCII): most real ids, e.g. C0000001.
  if (c0 < 128 && !isSpace(c0) && FIRST_ASCII[c0 >= 65 && c0 <= 90 ? c0 + 32 : c0] === 0) return false;
  if (c0 === 48 && n > 1 && !isSpace(id.charCodeAt(n - 1))) return false;
  if (n > MAX_LEN && !isSpace(c0) && !isSpace(id.charCodeAt(n - 1))) return false;
  return GUEST_PLACEHOLDERS.has(id.trim().toLowerCase());
}
