/**
 * Pseudonyms of customer ids: HMAC-SHA-256 (RFC 2104) of the id under a secret key, the first
 * 80 bits in base32 (RFC 4648, lower case), prefixed `px_`: 19 characters that no export's ids
 * look like. Stable across runs with one key, unrelated under another; without the key the
 * mapping cannot be recomputed (it is not a plain hash of the id, which a list of ids reverses).
 * The key comes from the caller (src/cli reads it from the environment or a key file).
 */
import { createHmac } from 'node:crypto';

export const PSEUDONYM_PREFIX = 'px_';
/** Bytes of the HMAC kept: 80 bits, 16 base32 characters (collisions ~2⁻⁴⁰ at a million ids). */
const KEPT_BYTES = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** Keys shorter than this are refused: a short key can be guessed from a known id. */
export const MIN_KEY_BYTES = 16;

/** RFC 4648 base32 of whole 5-byte groups, lower case, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

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
  private readonly seen: Map<string, string> | null;

  /** @throws Error when the key is shorter than MIN_KEY_BYTES (the caller turns it into a usage error). */
  constructor(key: string | Buffer, opts: { remember?: boolean } = {}) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (this.key.length < MIN_KEY_BYTES) throw new Error(`the pseudonym key must be at least ${MIN_KEY_BYTES} bytes`);
    this.seen = opts.remember ? new Map() : null;
  }

  /** The pseudonym of `id`. */
  of(id: string): string {
    let p = this.seen?.get(id);
    if (p === undefined) {
      const mac = createHmac('sha256', this.key).update(id, 'utf8').digest();
      p = PSEUDONYM_PREFIX + base32(mac.subarray(0, KEPT_BYTES));
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
