/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) of many short messages under one key. The key's inner and
 * outer pad blocks are hashed once (their SHA-256 states kept), so a message of up to 55 bytes
 * costs two compressions. node:crypto's createHmac costs four and an object per message, which
 * made the HMACs the largest part of --pseudonymize. Tested against createHmac.
 */
import { createHash } from 'node:crypto';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** One SHA-256 compression of the block in w[0..15] into state h (w[16..63] is scratch). */
function compress(h: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!, y = w[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + k) | 0;
}

/** Big-endian words of bytes[at .. at + 64) into w[0..15]. */
function load(w: Int32Array, bytes: Uint8Array, at: number): void {
  for (let j = 0; j < 16; j++, at += 4) w[j] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

export class HmacSha256 {
  /** SHA-256 states after the key's inner (ipad) and outer (opad) blocks. */
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private buf = new Uint8Array(128);
  /** The MAC of the last `mac` call, as eight big-endian words. */
  readonly out = new Int32Array(8);

  constructor(key: Uint8Array) {
    // Keys longer than a block are hashed first (RFC 2104).
    const k = key.length > 64 ? createHash('sha256').update(key).digest() : key;
    const block = new Uint8Array(64);
    for (const [state, pad] of [[this.inner, 0x36], [this.outer, 0x5c]] as const) {
      for (let j = 0; j < 64; j++) block[j] = (k[j] ?? 0) ^ pad;
      state.set(IV);
      load(this.w, block, 0);
      compress(state, this.w);
    }
  }

  /** The HMAC of `id`'s UTF-8 bytes (in `out`, overwritten by the next call). */
  mac(id: string): Int32Array {
    let len = id.length;
    let ascii = true;
    for (let j = 0; j < id.length; j++) if (id.charCodeAt(j) > 0x7f) { ascii = false; break; }
    if (!ascii) len = Buffer.byteLength(id, 'utf8');
    // Message, 0x80, zeros, the 64-bit length in bits (of the pad block and the message).
    const blocks = ((len + 8) >>> 6) + 1;
    if (this.buf.length < 64 * blocks) this.buf = new Uint8Array(64 * blocks);
    const buf = this.buf;
    if (ascii) for (let j = 0; j < len; j++) buf[j] = id.charCodeAt(j);
    else Buffer.from(buf.buffer, buf.byteOffset, buf.length).write(id, 0, 'utf8');
    const end = 64 * blocks;
    buf[len] = 0x80;
    buf.fill(0, len + 1, end - 4);
    const bits = (64 + len) * 8;
    buf[end - 4] = bits >>> 24;
    buf[end - 3] = bits >>> 16;
    buf[end - 2] = bits >>> 8;
    buf[end - 1] = bits;
    const h = this.out, w = this.w;
    h.set(this.inner);
    for (let at = 0; at < end; at += 64) {
      load(w, buf, at);
      compress(h, w);
    }
    // Outer hash: the 32-byte inner digest, 0x80, zeros, length (64 + 32) × 8 bits.
    for (let j = 0; j < 8; j++) w[j] = h[j]!;
    w[8] = 0x80000000;
    for (let j = 9; j < 15; j++) w[j] = 0;
    w[15] = (64 + 32) * 8;
    h.set(this.outer);
    compress(h, w);
    return h;
  }
}
