// Private: the Mersenne Twister core of random.ts, as CPython's
// Modules/_randommodule.c has it: the twist, the tempering, init_by_array,
// and the key random_seed builds from each kind of seed. Plain functions
// over the caller's Int32Arrays, with no Deno APIs, so they run anywhere.

import { sha512Words } from "./_sha512.ts";
import { describe, isUint8Array } from "./_args.ts";

/** The number of 32-bit words in the state. */
export const N = 624;
const TWO32 = 4294967296;

// The loops below spell N = 624 and M = 397 as literals: V8 inlines them
// into random.ts's methods, and there a constant of this module is read at
// every use rather than folded (measured: refills 10-25% slower).

/** Regenerates the 624 words of `mt` in place (CPython's `genrand_uint32`). */
export function twist(mt: Int32Array): void {
  let kk = 0;
  let y: number;
  for (; kk < 227; kk++) { // N - M
    y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
    mt[kk] = mt[kk + 397] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  for (; kk < 623; kk++) {
    y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
    mt[kk] = mt[kk - 227] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  y = (mt[623] & 0x80000000) | (mt[0] & 0x7fffffff);
  mt[623] = mt[396] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

/** Tempers every word of `mt` into `out` (CPython tempers one at a time). */
export function temperAll(mt: Int32Array, out: Int32Array): void {
  for (let i = 0; i < 624; i++) {
    let y = mt[i];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    out[i] = y ^ (y >>> 18);
  }
}

function initGenrand(mt: Int32Array, s: number): void {
  let p = s | 0;
  mt[0] = p;
  for (let i = 1; i < N; i++) {
    p = (Math.imul(1812433253, p ^ (p >>> 30)) + i) | 0;
    mt[i] = p;
  }
}

// init_by_array always starts from init_genrand(19650218): compute it once.
const GENRAND_19650218 = new Int32Array(N);
initGenrand(GENRAND_19650218, 19650218);

/**
 * CPython's `init_by_array`; `key` holds unsigned 32-bit words (always an
 * array, so that the key's reads stay monomorphic).
 */
export function initByArray(mt: Int32Array, key: number[]): void {
  mt.set(GENRAND_19650218);
  const len = key.length;
  let i = 1;
  let j = 0;
  // `p` is always the word written last, i.e. mt[i - 1] (also after the
  // wrap-around, where mt[0] becomes mt[N - 1]).
  let p = mt[0];
  for (let k = 624 > len ? 624 : len; k > 0; k--) {
    p = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1664525)) + key[j] + j) | 0;
    mt[i] = p;
    i++;
    j++;
    if (i >= 624) {
      mt[0] = p;
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = 623; k > 0; k--) {
    p = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1566083941)) - i) | 0;
    mt[i] = p;
    i++;
    if (i >= 624) {
      mt[0] = p;
      i = 1;
    }
  }
  mt[0] = 0x80000000 | 0;
}

// ---------------------------------------------------------------- seeds

/** 32-bit words of a non-negative bigint, least significant first; 0 -> [0]. */
function bigintWords(n: bigint): number[] {
  const hex = n.toString(16);
  const words: number[] = [];
  for (let end = hex.length; end > 0; end -= 8) {
    words.push(parseInt(hex.slice(Math.max(0, end - 8), end), 16));
  }
  return words;
}

/**
 * The key of a version 2 bytes seed: the words of the big-endian integer
 * spelled by `bytes + sha512(bytes)` (Python's `int.from_bytes`), least
 * significant first, without building the concatenation.
 */
function bytesKey(bytes: Uint8Array): number[] {
  const digest = sha512Words(bytes);
  const words: number[] = [];
  for (let i = 15; i >= 0; i--) words.push(digest[i] >>> 0);
  for (let end = bytes.length; end > 0; end -= 4) {
    let w = 0;
    for (let i = Math.max(0, end - 4); i < end; i++) w = w * 256 + bytes[i];
    words.push(w);
  }
  while (words.length > 1 && words[words.length - 1] === 0) words.pop();
  return words;
}

/**
 * The key of a version 1 seed (CPython 2's string hash, kept by
 * `seed(a, version=1)`), from the code points of a `str` or the bytes of a
 * `bytes` read as Latin-1.
 */
function version1Key(codes: ArrayLike<number>): number[] {
  const len = codes.length;
  let x = len > 0 ? BigInt(codes[0]) << 7n : 0n;
  for (let i = 0; i < len; i++) {
    x = BigInt.asUintN(64, 1000003n * x) ^ BigInt(codes[i]);
  }
  return bigintWords(x ^ BigInt(len)); // never -1, so never CPython's -2
}

const UTF8 = new TextEncoder();
// Reused for short string seeds: encodeInto avoids an allocation.
const UTF8_SCRATCH = new Uint8Array(768);

const HASH_MODULUS = (1n << 61n) - 1n;
const TWO64 = 1n << 64n;
const FLOAT_VIEW = new DataView(new ArrayBuffer(8));

/**
 * CPython's `hash(float)` (`_Py_HashDouble`), cast to `size_t` as
 * `random_seed` does: |x| = m * 2**e is hashed as m * 2**(e mod 61) mod
 * 2**61 - 1, the sign re-applied, -1 turned into -2.
 */
function floatHashUnsigned(x: number): bigint {
  let h: bigint;
  if (x === Infinity) h = 314159n;
  else if (x === -Infinity) h = -314159n;
  else {
    FLOAT_VIEW.setFloat64(0, x);
    const hi = FLOAT_VIEW.getUint32(0);
    const lo = FLOAT_VIEW.getUint32(4);
    const biased = (hi >>> 20) & 0x7ff;
    let m = BigInt(hi & 0xfffff) * BigInt(TWO32) + BigInt(lo);
    let e: number;
    if (biased === 0) e = -1074;
    else {
      m += 1n << 52n;
      e = biased - 1075;
    }
    const shift = ((e % 61) + 61) % 61;
    h = (m << BigInt(shift)) % HASH_MODULUS;
    if (x < 0) h = -h;
    if (h === -1n) h = -2n;
  }
  return h < 0n ? h + TWO64 : h;
}

/**
 * The `init_by_array` key of a seed, as CPython's `Random.seed(a, version)`
 * and `random_seed` build it; `undefined` for `null`/`undefined`, which
 * seed from OS entropy. Errors name `seed`.
 */
export function seedKey(a: unknown, version: 1 | 2): number[] | undefined {
  if (a === undefined || a === null) return undefined;
  if (typeof a === "number") {
    if (Number.isSafeInteger(a)) {
      const abs = Math.abs(a);
      if (abs < TWO32) return [abs];
      return [abs % TWO32, Math.floor(abs / TWO32)];
    }
    // Beyond 2**53 a number is a float in JavaScript's own terms (exact
    // integers need a bigint there), so it seeds as CPython's float does.
    if (Number.isNaN(a)) {
      throw new RangeError(
        "seed: NaN cannot be a seed (CPython hashes NaN by identity)",
      );
    }
    return bigintWords(floatHashUnsigned(a));
  }
  if (typeof a === "bigint") return bigintWords(a < 0n ? -a : a);
  if (typeof a === "string") {
    if (version === 1) {
      return version1Key(Array.from(a, (c) => c.codePointAt(0)!));
    }
    if (!a.isWellFormed()) {
      throw new RangeError(
        "seed: a string with a lone surrogate has no UTF-8 encoding (version 1 takes it)",
      );
    }
    if (a.length * 3 > UTF8_SCRATCH.length) return bytesKey(UTF8.encode(a));
    const { written } = UTF8.encodeInto(a, UTF8_SCRATCH);
    return bytesKey(UTF8_SCRATCH.subarray(0, written));
  }
  if (isUint8Array(a)) return version === 1 ? version1Key(a) : bytesKey(a);
  throw new TypeError(
    `seed: The only supported seed types are: undefined, null, number, bigint, string and Uint8Array, got ${
      describe(a)
    }`,
  );
}
