/**
 * Pseudonyms of customer ids: HMAC-SHA-256 (RFC 2104) of the id under a secret key, the first
 * 80 bits in base32 (RFC 4648, lower case), prefixed `px_`: 19 characters that no export's ids
 * look like. Stable across runs with one key, unrelated under another; without the key the
 * mapping cannot be recomputed (it is not a plain hash of the id, which a list of ids reverses).
 * The key comes from the caller (src/cli reads it from the environment or a key file).
 */
import { HmacSha256 } from './hmac-sha256.js';

export const PSEUDONYM_PREFIX = 'px_';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** Keys shorter than this are refused: a short key can be guessed from a known id. */
export const MIN_KEY_BYTES = 16;

/** Base32 digit v's character code (RFC 4648 alphabet, lower case). */
const DIGIT = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * The pseudonym of a MAC (big-endian words): its first 80 bits (collisions ~2⁻⁴⁰ at a million
 * ids) in base32, as two 40-bit numbers of eight digits each; one flat string, not one built a
 * character at a time.
 */
function pseudonymText(mac: Int32Array): string {
  const hi = (mac[0]! >>> 0) * 256 + (mac[1]! >>> 24);
  const lo = (mac[1]! & 0xffffff) * 65536 + (mac[2]! >>> 16);
  const c = CODES;
  for (let j = 7, x = hi, y = lo; j >= 0; j--) {
    c[PREFIX_LEN + j] = DIGIT[x % 32]!;
    c[PREFIX_LEN + 8 + j] = DIGIT[y % 32]!;
    x = Math.floor(x / 32);
    y = Math.floor(y / 32);
  }
  return String.fromCharCode.apply(null, c);
}

const PREFIX_LEN = PSEUDONYM_PREFIX.length;
const CODES: number[] = [...Array.from(PSEUDONYM_PREFIX, (ch) => ch.charCodeAt(0)), ...new Array<number>(16).fill(0)];

/** True when `id` has the shape of a pseudonym (so it is never pseudonymised twice). */
export function isPseudonym(id: string): boolean {
  return id.length === PSEUDONYM_PREFIX.length + 16 && id.startsWith(PSEUDONYM_PREFIX) && /^[a-z2-7]+$/.test(id.slice(PSEUDONYM_PREFIX.length));
}

/**
 * Maps ids to pseudonyms under one key. `remember` keeps every pair for the re-identification
 * map (pairs()); otherwise nothing is kept, since a million pairs would hold the original ids
 * through the whole run, and the HMAC gives the same pseudonym each time anyway.
 */
export class Pseudonymizer {
  private readonly key: Buffer;
  private readonly hmac: HmacSha256;
  private readonly seen: Map<string, string> | null;

  /** @throws Error when the key is shorter than MIN_KEY_BYTES (the caller turns it into a usage error). */
  constructor(key: string | Buffer, opts: { remember?: boolean } = {}) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (this.key.length < MIN_KEY_BYTES) throw new Error(`the pseudonym key must be at least ${MIN_KEY_BYTES} bytes`);
    this.seen = opts.remember ? new Map() : null;
    this.hmac = new HmacSha256(this.key);
  }

  /** The pseudonym of `id`. */
  of(id: string): string {
    let p = this.seen?.get(id);
    if (p === undefined) {
      p = pseudonymText(this.hmac.mac(id));
      this.seen?.set(id, p);
    }
    return p;
  }

  /** Every id pseudonymised so far with its pseudonym, ids sorted (for the re-identification map). */
  pairs(): [string, string][] {
    if (this.seen === null) throw new Error('Pseudonymizer: pairs() needs { remember: true }');
    return [...this.seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/**
 * The row order sorting pseudonyms as strings (UTF-16 order), from their 80 bits: each base32
 * character's rank among the alphabet's characters sorted by code ('2'…'7' before 'a'…'z'),
 * eight to a number; null when one is not a pseudonym. Sorting a million strings through a Map
 * of their rows took longer than computing them. Throws when two are equal (two ids with one
 * pseudonym would merge two customers: 80 bits make it ~1e-12 at a million).
 */
export function pseudonymOrder(ps: readonly string[]): Int32Array | null {
  const n = ps.length;
  const hi = new Float64Array(n), lo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = ps[i]!;
    if (p.length !== PREFIX_LEN + 16 || !p.startsWith(PSEUDONYM_PREFIX)) return null;
    let x = 0, y = 0;
    for (let j = 0; j < 8; j++) {
      const a = rank(p.charCodeAt(PREFIX_LEN + j)), b = rank(p.charCodeAt(PREFIX_LEN + 8 + j));
      if (a < 0 || b < 0) return null;
      x = x * 32 + a;
      y = y * 32 + b;
    }
    hi[i] = x;
    lo[i] = y;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]!);
  for (let k = 1; k < n; k++) if (hi[order[k]!] === hi[order[k - 1]!] && lo[order[k]!] === lo[order[k - 1]!]) throw new Error('two customer ids have the same pseudonym');
  return order;
}

/** A base32 character's rank in code order ('2' → 0 … '7' → 5, 'a' → 6 … 'z' → 31); −1 for any other. */
function rank(c: number): number {
  if (c >= 97 && c <= 122) return c - 91;
  if (c >= 50 && c <= 55) return c - 50;
  return -1;
}
