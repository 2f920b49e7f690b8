/**
 * Python's `random` module for Deno, reproducible to the bit: for the same
 * seed, `new Random(seed)` yields exactly what CPython 3.13's
 * `random.Random(seed)` yields.
 *
 * The generator is CPython's Mersenne Twister (MT19937) with CPython's
 * seeding (`init_by_array` over the absolute value of an integer seed, SHA-512
 * for strings and bytes, the float hash for non-integer numbers) and the
 * algorithms of CPython's `Lib/random.py` on top. Integer, byte and sequence
 * methods and `random`, `uniform`, `triangular` and `choices` agree bit for
 * bit; the distributions that call `Math.log`/`exp`/`sin`/`cos`/`pow`/`acos`
 * agree to within 1e-12 relative (V8's `Math` and glibc's libm differ in the
 * last bit now and then).
 *
 * The module-level functions (`random`, `randint`, `choice`, …) are bound to
 * one shared {@linkcode Random} seeded from OS entropy, as in Python.
 *
 * Python 3.13's `python -m random` command line is `cli/random.ts`:
 * `deno run jsr:@tempkit/tempkit/cli/random -c heads tails`.
 *
 * Choices made where JavaScript differs from Python:
 * - Integer arguments are safe integers (`Number.isSafeInteger`) or
 *   `bigint`s. A non-integer is a `TypeError`, an unsafe integral `number` a
 *   `RangeError`. When any argument of `randrange`/`randint` is a `bigint`, so
 *   is the result.
 * - Python's `ValueError`, `IndexError`, `ZeroDivisionError` (e.g.
 *   `expovariate(0)`), `OverflowError` (e.g. `lognormvariate(1000, 1)`) and
 *   the `AssertionError` of `binomialvariate(50, NaN)` are `RangeError`s
 *   here. A message is CPython's text after `method: `, unless CPython's
 *   text names the method already (`empty range for randrange()`); a
 *   non-integer argument's `TypeError` names the argument and ends with
 *   CPython's text in parentheses: `randrange: start must be an integer, got
 *   1.5 ('float' object cannot be interpreted as an integer)`.
 * - An error comes at the same point of the stream as in CPython, so a
 *   generator stays in step with CPython's after a caught error:
 *   `expovariate(0)`, `paretovariate(0)` and `weibullvariate(a, 0)` draw one
 *   `random()` before they throw, as CPython draws before it divides, while
 *   `binomialvariate(50, NaN)` throws before drawing. A wrong-type argument
 *   (a `TypeError`) is always rejected before any draw.
 * - Populations may be any `ArrayLike` or `Iterable` (a `Set`, a generator);
 *   a string is taken as its code points, like a Python `str`.
 *
 * @example Same numbers as CPython
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const rng = new Random(42);
 * // python3 -c "import random; r = random.Random(42); print(r.random(), r.randint(1, 6))"
 * assert.equal(rng.random(), 0.6394267984578837);
 * assert.equal(rng.randint(1, 6), 1);
 * ```
 *
 * @module
 */

import { createHash } from "node:crypto";
import { describe } from "./_args.ts";

/**
 * A state as returned by {@linkcode Random.getstate}: CPython's shape,
 * `[version, words, gaussNext]`, where `words` is the 624 state words
 * followed by the index. It is plain JSON data, so it travels to and from
 * Python's `json.dumps(random.getstate())`.
 *
 * @example Saving and restoring a state
 * ```ts
 * import { Random, type RandomState } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const rng = new Random(3);
 * const saved: RandomState = JSON.parse(JSON.stringify(rng.getstate()));
 * const next = rng.random();
 * rng.setstate(saved);
 * assert.equal(rng.random(), next);
 * assert.equal(saved[1].length, 625);
 * ```
 */
export type RandomState = [
  version: number,
  internal: number[],
  gaussNext: number | null,
];

/**
 * A seed accepted by {@linkcode Random.seed}: an integer `number` or a
 * `bigint` (its absolute value), a non-integer `number` (CPython's float
 * hash), a `string` or a `Uint8Array` (SHA-512 based, CPython's version 2),
 * or `null`/`undefined` for OS entropy.
 *
 * @example Seeds of every kind
 * ```ts
 * import { Random, type Seed } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const seeds: Seed[] = [42, -42, 2n ** 100n, 1.5, "text", new Uint8Array([1])];
 * for (const seed of seeds) {
 *   assert.equal(new Random(seed).random(), new Random(seed).random());
 * }
 * assert.equal(new Random(-42).random(), new Random(42n).random());
 * ```
 */
export type Seed =
  | number
  | bigint
  | string
  | Uint8Array
  | null
  | undefined;

/**
 * Options of {@linkcode Random.choices}: Python's `weights`, `cum_weights`
 * and `k` keyword arguments.
 *
 * @example Weighted choices
 * ```ts
 * import { type ChoicesOptions, Random } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const options: ChoicesOptions = { weights: [1, 0, 3], k: 4 };
 * const picks = new Random(1).choices(["a", "b", "c"], options);
 * assert.equal(picks.length, 4);
 * assert.ok(!picks.includes("b")); // weight 0 is never chosen
 * // Cumulative weights [1, 1, 4] are the same distribution.
 * assert.deepEqual(
 *   new Random(1).choices(["a", "b", "c"], { cumWeights: [1, 1, 4], k: 4 }),
 *   picks,
 * );
 * ```
 */
export interface ChoicesOptions {
  /** Relative weights, one per population element. */
  weights?: ArrayLike<number> | Iterable<number>;
  /** Cumulative weights, one per population element (not with `weights`). */
  cumWeights?: ArrayLike<number> | Iterable<number>;
  /** How many elements to draw (default 1). */
  k?: number;
}

/**
 * Options of {@linkcode Random.sample}: Python's `counts` keyword argument.
 *
 * @example Sampling from repeated elements
 * ```ts
 * import { Random, type SampleOptions } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * // Samples from ["red", "red", "red", "blue"] without building it.
 * const options: SampleOptions = { counts: [3, 1] };
 * const drawn = new Random(5).sample(["red", "blue"], 4, options);
 * assert.deepEqual([...drawn].sort(), ["blue", "red", "red", "red"]);
 * ```
 */
export interface SampleOptions {
  /** Repeat counts: element `i` occurs `counts[i]` times in the population. */
  counts?: ArrayLike<number | bigint> | Iterable<number | bigint>;
}

// CPython's constants, as literals (Lib/random.py computes them with libm).
const NV_MAGICCONST = 1.7155277699214135; // 4 * exp(-0.5) / sqrt(2.0)
const LOG4 = 1.3862943611198906; // log(4.0)
const SG_MAGICCONST = 2.504077396776274; // 1.0 + log(4.5)
const TWOPI = 6.283185307179586; // math.tau
const E = 2.718281828459045; // math.e
const RECIP_BPF = 1.1102230246251565e-16; // 2 ** -53
const TWO32 = 4294967296;

// MT19937 period parameters.
const N = 624;
const M = 397;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SCRATCH32 = new Uint32Array(2);
const SCRATCH64 = new BigUint64Array(SCRATCH32.buffer);
const SCRATCH_WORDS = new Uint32Array(65);
const SCRATCH_CHUNKS = new BigUint64Array(SCRATCH_WORDS.buffer, 0, 32);

/** Regenerates the 624 words of `mt` in place (CPython's `genrand_uint32`). */
function twist(mt: Int32Array): void {
  let kk = 0;
  let y: number;
  for (; kk < N - M; kk++) {
    y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
    mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  for (; kk < N - 1; kk++) {
    y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
    mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
  mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

/** Tempers every word of `mt` into `out` (CPython tempers one at a time). */
function temperAll(mt: Int32Array, out: Int32Array): void {
  for (let i = 0; i < N; i++) {
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

/** CPython's `init_by_array`; `key` holds unsigned 32-bit words. */
function initByArray(mt: Int32Array, key: number[]): void {
  mt.set(GENRAND_19650218);
  const len = key.length;
  let i = 1;
  let j = 0;
  // `p` is always the word written last, i.e. mt[i - 1] (also after the
  // wrap-around, where mt[0] becomes mt[N - 1]).
  let p = mt[0];
  for (let k = N > len ? N : len; k > 0; k--) {
    p = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1664525)) + key[j] + j) | 0;
    mt[i] = p;
    i++;
    j++;
    if (i >= N) {
      mt[0] = p;
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    p = ((mt[i] ^ Math.imul(p ^ (p >>> 30), 1566083941)) - i) | 0;
    mt[i] = p;
    i++;
    if (i >= N) {
      mt[0] = p;
      i = 1;
    }
  }
  mt[0] = 0x80000000 | 0;
}

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
 * The key of a bytes seed: the words of the big-endian integer spelled by
 * `bytes + sha512(bytes)` (Python's `int.from_bytes`), least significant
 * first, without building the concatenation.
 */
function bytesKey(bytes: Uint8Array): number[] {
  const d = createHash("sha512").update(bytes).digest();
  const words: number[] = [];
  for (let i = 60; i >= 0; i -= 4) {
    words.push(
      ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0,
    );
  }
  for (let end = bytes.length; end > 0; end -= 4) {
    let w = 0;
    for (let i = Math.max(0, end - 4); i < end; i++) w = w * 256 + bytes[i];
    words.push(w);
  }
  while (words.length > 1 && words[words.length - 1] === 0) words.pop();
  return words;
}

const UTF8 = new TextEncoder();
// Reused for short string seeds: encodeInto avoids an allocation.
const UTF8_SCRATCH = new Uint8Array(768);

const HASH_MODULUS = (1n << 61n) - 1n;
const TWO64 = 1n << 64n;

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
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
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

/** Python's float `%`: the result takes the sign of the divisor. */
function pyMod(x: number, y: number): number {
  let mod = x % y;
  if (mod) {
    if ((y < 0) !== (mod < 0)) mod += y;
  } else {
    mod = y < 0 ? -0 : 0;
  }
  return mod;
}

/** Python's `math.floor` on a float: an error for infinities and NaN. */
function pyFloor(fn: string, x: number): number {
  if (Number.isFinite(x)) return Math.floor(x);
  throw new RangeError(
    `${fn}: cannot convert float ${
      Number.isNaN(x) ? "NaN" : "infinity"
    } to integer`,
  );
}

/**
 * Python's float `**` where it differs from JavaScript's: `1 ** nan` and
 * `(±1) ** ±inf` are 1, `0 ** negative` is CPython's ZeroDivisionError, and
 * a finite power too large for a float its OverflowError (both
 * `RangeError`s here). Bases are never negative where this is used.
 */
function pyPow(fn: string, x: number, y: number): number {
  const r = x ** y;
  if (Number.isFinite(r)) return r;
  if (Number.isNaN(y) || y === Infinity || y === -Infinity) {
    return x === 1 || (x === -1 && !Number.isNaN(y)) ? 1 : r;
  }
  if (!Number.isFinite(x)) return r;
  if (x === 0) {
    throw new RangeError(`${fn}: 0.0 cannot be raised to a negative power`);
  }
  if (Number.isNaN(r)) return r; // a negative base: Python gives a complex
  throw new RangeError(`${fn}: (34, 'Numerical result out of range')`);
}

// --- lgamma: a port of CPython's m_lgamma (Modules/mathmodule.c), since
// JavaScript has none and binomialvariate needs CPython's rounding. ---

const LANCZOS_G = 6.024680040776729583740234375;
const LANCZOS_NUM = [
  23531376880.410759688572007674451636754734846804940,
  42919803642.649098768957899047001988850926355848959,
  35711959237.355668049440185451547166705960488635843,
  17921034426.037209699919755754458931112671403265390,
  6039542586.3520280050642916443072979210699388420708,
  1439720407.3117216736632230727949123939715485786772,
  248874557.86205415651146038641322942321632125127801,
  31426415.585400194380614231628318205362874684987640,
  2876370.6289353724412254090516208496135991145378768,
  186056.26539522349504029498971604569928220784236328,
  8071.6720023658162106380029022722506138218516325024,
  210.82427775157934587250973392071336271166969580291,
  2.5066282746310002701649081771338373386264310793408,
];
const LANCZOS_DEN = [
  0.0,
  39916800.0,
  120543840.0,
  150917976.0,
  105258076.0,
  45995730.0,
  13339535.0,
  2637558.0,
  357423.0,
  32670.0,
  1925.0,
  66.0,
  1.0,
];
const PI = 3.141592653589793;
const LOGPI = 1.144729885849400174143427351353058711647;

function lanczosSum(x: number): number {
  let num = 0.0;
  let den = 0.0;
  if (x < 5.0) {
    for (let i = 12; i >= 0; i--) {
      num = num * x + LANCZOS_NUM[i];
      den = den * x + LANCZOS_DEN[i];
    }
  } else {
    for (let i = 0; i < 13; i++) {
      num = num / x + LANCZOS_NUM[i];
      den = den / x + LANCZOS_DEN[i];
    }
  }
  return num / den;
}

function sinpi(x: number): number {
  const y = Math.abs(x) % 2.0;
  const n = Math.round(2.0 * y);
  let r: number;
  switch (n) {
    case 0:
      r = Math.sin(PI * y);
      break;
    case 1:
      r = Math.cos(PI * (y - 0.5));
      break;
    case 2:
      r = Math.sin(PI * (1.0 - y));
      break;
    case 3:
      r = -Math.cos(PI * (y - 1.5));
      break;
    default:
      r = Math.sin(PI * (y - 2.0));
  }
  return (x < 0 || Object.is(x, -0) ? -1 : 1) * r;
}

/** ln|Γ(x)|, as CPython's `math.lgamma` computes it (Lanczos, N=13). */
function lgamma(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? x : Infinity;
  if (x === Math.floor(x) && x <= 2.0) {
    if (x <= 0.0) {
      throw new RangeError("binomialvariate: math domain error");
    }
    return 0.0;
  }
  const absx = Math.abs(x);
  if (absx < 1e-20) return -Math.log(absx);
  let r = Math.log(lanczosSum(absx)) - LANCZOS_G;
  r += (absx - 0.5) * (Math.log(absx + LANCZOS_G - 0.5) - 1);
  if (x < 0.0) {
    r = LOGPI - Math.log(Math.abs(sinpi(absx))) - Math.log(absx) - r;
  }
  // CPython's math.lgamma: an infinite result is an OverflowError. Its one
  // caller here is binomialvariate (an n near the float maximum).
  if (r === Infinity) throw new RangeError("binomialvariate: math range error");
  return r;
}

// --- argument checks ---

/** Python's type name for a JavaScript value where it has one. */
function pyTypeName(x: unknown): string | undefined {
  if (typeof x === "number") return "float";
  if (typeof x === "string") return "str";
  if (x === null || x === undefined) return "NoneType";
  if (Array.isArray(x)) return "list";
  return undefined; // a boolean is an int to Python; other objects vary
}

/**
 * The TypeError for a non-integer argument: it names `fn` and `name`, then
 * quotes CPython's own text where Python has a twin of the value
 * (`'float' object cannot be interpreted as an integer`).
 */
function intTypeError(fn: string, name: string, x: unknown): TypeError {
  const got = typeof x === "number"
    ? String(x)
    : typeof x === "string"
    ? JSON.stringify(x.length > 20 ? x.slice(0, 20) + "..." : x)
    : describe(x);
  const py = pyTypeName(x);
  return new TypeError(
    `${fn}: ${name} must be an integer, got ${got}` +
      (py === undefined
        ? ""
        : ` ('${py}' object cannot be interpreted as an integer)`),
  );
}

/** A safe integer or a bigint, else TypeError/RangeError naming `fn` and `name`. */
function checkInt(fn: string, name: string, x: unknown): number | bigint {
  if (typeof x === "number") {
    if (Number.isSafeInteger(x)) return x;
    if (Number.isInteger(x)) {
      throw new RangeError(
        `${fn}: ${name} ${x} is not a safe integer; pass a bigint`,
      );
    }
    throw intTypeError(fn, name, x);
  }
  if (typeof x === "bigint") return x;
  throw intTypeError(fn, name, x);
}

/** A safe integer as a number (bigints within the safe range are converted). */
function checkSmallInt(fn: string, name: string, x: unknown): number {
  const v = checkInt(fn, name, x);
  if (typeof v === "number") return v;
  if (v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  throw new RangeError(`${fn}: ${name} ${v} is too large`);
}

function checkNumber(fn: string, name: string, x: unknown): number {
  if (typeof x === "number") return x;
  throw new TypeError(`${fn}: ${name} must be a number, got ${describe(x)}`);
}

/** Indexable view of a population: ArrayLikes as they are, iterables copied. */
function toIndexable<T>(
  fn: string,
  name: string,
  pop: ArrayLike<T> | Iterable<T>,
): ArrayLike<T> {
  if (Array.isArray(pop)) return pop;
  if (typeof pop === "string") return Array.from(pop) as T[];
  if (pop !== null && (typeof pop === "object" || typeof pop === "function")) {
    if (typeof (pop as ArrayLike<T>).length === "number") {
      return pop as ArrayLike<T>;
    }
    if (typeof (pop as Iterable<T>)[Symbol.iterator] === "function") {
      return Array.from(pop as Iterable<T>);
    }
  }
  throw new TypeError(
    `${fn}: ${name} must be an ArrayLike or an Iterable, got ${describe(pop)}`,
  );
}

function toNumberArray(
  fn: string,
  name: string,
  values: ArrayLike<number> | Iterable<number>,
): ArrayLike<number> {
  const arr = toIndexable(fn, name, values);
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== "number") {
      throw new TypeError(
        `${fn}: ${name} must hold numbers, got ${describe(arr[i])} at ${i}`,
      );
    }
  }
  return arr;
}

/** `bisect.bisect_right(a, x, lo, hi)`. */
function bisectRight(
  a: ArrayLike<number>,
  x: number,
  lo: number,
  hi: number,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function bigBitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

const HEX: string[] = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

/**
 * A Mersenne Twister generator with the API and the exact output of CPython
 * 3.13's `random.Random`.
 *
 * Every method is bound to its instance, so it can be passed around detached
 * (`const f = rng.random; f()`), e.g. as the `prng` of `@std/random`.
 *
 * @example Reproducible draws
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const a = new Random("fixture");
 * const b = new Random("fixture");
 * assert.deepEqual(a.sample([1, 2, 3, 4, 5], 3), b.sample([1, 2, 3, 4, 5], 3));
 * const roll = a.randint; // detached methods keep their instance
 * assert.ok(roll(1, 6) >= 1);
 * ```
 */
export class Random {
  // The 624 state words, CPython's index into them, and the same words
  // tempered ahead of use so that a draw is one array read.
  #buf: ArrayBuffer = new ArrayBuffer(8 * N); // one allocation for both
  #mt: Int32Array = new Int32Array(this.#buf, 0, N);
  #out: Int32Array = new Int32Array(this.#buf, 4 * N, N);
  #outBytes: Uint8Array = new Uint8Array(this.#buf, 4 * N, 4 * N);
  #idx: number = N;
  #gaussNext: number | null = null;
  #system: boolean;

  /**
   * Creates a generator seeded with `seed` (see {@linkcode Random.seed});
   * without a seed, from OS entropy.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Random(0).random(), 0.8444218515250481);
   * ```
   */
  constructor(seed?: Seed) {
    // SystemRandom shares every algorithm and only swaps the word source.
    this.#system = this instanceof SystemRandom;
    // Bound by name, one by one, so that methods work detached while the
    // instance keeps fast properties (a dictionary-mode instance makes every
    // private-field read a lookup). Measured with bench/random_bench.ts,
    // group "dictionary mode" (Deno 2.9.6, 2 cores, two runs; per 1,000
    // random() calls): Math.random() 3.3 us; this design 5.2-5.3 us
    // (1.56-1.62x); an unbound prototype call 5.3-5.4 us (1.59-1.63x); 25
    // more bound methods added through computed keys in a loop 5.2-5.3 us
    // (1.58-1.61x); the instance forced into dictionary mode 11.4 us
    // (3.43-3.44x). V8 kept fast properties for the computed-key loop (also
    // when it replaced these lines in a scratch copy: 1.60x), so the 3.6x of
    // an earlier trial is what dictionary mode costs, not what computed keys
    // cost on this V8.
    this.seed = this.seed.bind(this);
    this.getstate = this.getstate.bind(this);
    this.setstate = this.setstate.bind(this);
    this.random = this.random.bind(this);
    this.getrandbits = this.getrandbits.bind(this);
    this.randbytes = this.randbytes.bind(this);
    this.randbytesHex = this.randbytesHex.bind(this);
    this.randrange = this.randrange.bind(this);
    this.randint = this.randint.bind(this);
    this.choice = this.choice.bind(this);
    this.choices = this.choices.bind(this);
    this.shuffle = this.shuffle.bind(this);
    this.sample = this.sample.bind(this);
    this.uniform = this.uniform.bind(this);
    this.triangular = this.triangular.bind(this);
    this.gauss = this.gauss.bind(this);
    this.normalvariate = this.normalvariate.bind(this);
    this.lognormvariate = this.lognormvariate.bind(this);
    this.expovariate = this.expovariate.bind(this);
    this.vonmisesvariate = this.vonmisesvariate.bind(this);
    this.gammavariate = this.gammavariate.bind(this);
    this.betavariate = this.betavariate.bind(this);
    this.paretovariate = this.paretovariate.bind(this);
    this.weibullvariate = this.weibullvariate.bind(this);
    this.binomialvariate = this.binomialvariate.bind(this);
    if (!this.#system) this.seed(seed);
  }

  // ------------------------------------------------------------ core

  /** Refills the tempered words: a twist, or fresh OS entropy. */
  #refill(): void {
    if (this.#system) crypto.getRandomValues(this.#out);
    else {
      twist(this.#mt);
      temperAll(this.#mt, this.#out);
    }
    this.#idx = 0;
  }

  /** The next 32-bit output word, unsigned (CPython's `genrand_uint32`). */
  #next32(): number {
    if (this.#idx >= N) this.#refill();
    return this.#out[this.#idx++] >>> 0;
  }

  /** A uniform integer in [0, n) for 0 < n <= 2**53 (CPython's `_randbelow`). */
  #randbelow(n: number): number {
    if (n <= 0xffffffff) {
      const shift = Math.clz32(n); // 32 - n.bit_length()
      let r = this.#next32() >>> shift;
      while (r >= n) r = this.#next32() >>> shift;
      return r;
    }
    // 33..53 bits: the first word drawn is the least significant.
    const hiShift = Math.clz32(Math.floor(n / TWO32)); // 64 - bit_length
    let r = this.#next32() + (this.#next32() >>> hiShift) * TWO32;
    while (r >= n) r = this.#next32() + (this.#next32() >>> hiShift) * TWO32;
    return r;
  }

  #randbelowBig(n: bigint): bigint {
    if (n <= 9007199254740992n) return BigInt(this.#randbelow(Number(n)));
    const k = bigBitLength(n);
    let r = this.#getrandbits(k);
    while (r >= n) r = this.#getrandbits(k);
    return r;
  }

  #getrandbits(k: number): bigint {
    if (k <= 32) {
      return k === 0 ? 0n : BigInt(this.#next32() >>> (32 - k));
    }
    if (k <= 64) {
      // Two words through one 64-bit view: a single bigint allocation.
      if (LITTLE_ENDIAN) {
        SCRATCH32[0] = this.#next32();
        SCRATCH32[1] = this.#next32() >>> (64 - k);
        return SCRATCH64[0];
      }
      const lo = this.#next32();
      return (BigInt(this.#next32() >>> (64 - k)) << 32n) | BigInt(lo);
    }
    const words = Math.ceil(k / 32);
    if (LITTLE_ENDIAN && words <= 64) {
      // Up to 2048 bits: 64-bit chunks shifted in, most significant first.
      const w = SCRATCH_WORDS;
      for (let i = 0; i < words; i++, k -= 32) {
        const r = this.#next32();
        w[i] = k < 32 ? r >>> (32 - k) : r;
      }
      w[words] = 0; // the upper half of an odd last chunk
      const c = SCRATCH_CHUNKS;
      let i = (words - 1) >>> 1;
      let v = c[i];
      while (--i >= 0) v = (v << 64n) | c[i];
      return v;
    }
    // Larger: one hex string, parsed in linear time.
    const w = new Array<number>(words);
    for (let i = 0; i < words; i++, k -= 32) {
      const r = this.#next32();
      w[i] = k < 32 ? r >>> (32 - k) : r;
    }
    let hex = "0x" + w[words - 1].toString(16);
    for (let i = words - 2; i >= 0; i--) {
      const x = w[i];
      hex += HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] +
        HEX[x & 255];
    }
    return BigInt(hex);
  }

  // ------------------------------------------------------------ state

  /**
   * Re-seeds the generator and clears the cached Gaussian, as CPython's
   * `Random.seed(a)` (version 2) does:
   * - `undefined`/`null`: 624 words of OS entropy (`crypto.getRandomValues`);
   * - an integer `number` or a `bigint`: its absolute value, all bits used;
   *   an integral `number` beyond 2**53 counts as the exact integer it holds
   *   (`1e20` seeds like Python's `10**20`, not like Python's `1e20`);
   * - a `string`: its UTF-8 bytes followed by their SHA-512 digest (a string
   *   with a lone surrogate has no UTF-8 form: `RangeError`);
   * - a `Uint8Array`: the same as Python `bytes`;
   * - a non-integer `number`: CPython's float hash (so `1.5` seeds as in
   *   Python); `±Infinity` too; `NaN` hashes by identity in CPython, so it
   *   cannot be reproduced and is a `RangeError`.
   *
   * Anything else is a `TypeError`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const rng = new Random();
   * rng.seed(2024);
   * const first = rng.random();
   * rng.seed(2024);
   * assert.equal(rng.random(), first);
   * ```
   */
  seed(a?: Seed): void {
    this.#seedWords(seedWords(a));
    this.#gaussNext = null;
  }

  #seedWords(key: number[]): void {
    initByArray(this.#mt, key);
    this.#idx = N;
  }

  /**
   * The generator's state in CPython's shape, as JSON-compatible data:
   * `[3, words, gaussNext]` where `words` is the 624 state words followed by
   * the index. `json.dumps(random.getstate())` in Python gives the same
   * shape, so states travel both ways.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const rng = new Random(7);
   * const state = rng.getstate();
   * const next = rng.random();
   * rng.setstate(state);
   * assert.equal(rng.random(), next);
   * ```
   */
  getstate(): RandomState {
    const words = new Array<number>(N + 1);
    for (let i = 0; i < N; i++) words[i] = this.#mt[i] >>> 0;
    words[N] = this.#idx;
    return [3, words, this.#gaussNext];
  }

  /**
   * Restores a state from {@linkcode Random.getstate} or from Python's
   * `random.getstate()` (a JSON list works as well as a tuple). Version 2
   * states (signed words) are accepted as CPython accepts them.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const a = new Random(1);
   * const b = new Random(2);
   * b.setstate(a.getstate());
   * assert.equal(b.random(), a.random());
   * ```
   */
  setstate(state: RandomState): void {
    if (!Array.isArray(state) || state.length !== 3) {
      throw new TypeError(
        "setstate: state must be an array [version, words, gaussNext]",
      );
    }
    const [version, internal, gaussNext] = state;
    if (version !== 3 && version !== 2) {
      throw new RangeError(
        `setstate: state with version ${version} passed to Random.setstate() of version 3`,
      );
    }
    if (gaussNext !== null && typeof gaussNext !== "number") {
      throw new TypeError(
        `setstate: gaussNext must be a number or null, got ${
          describe(gaussNext)
        }`,
      );
    }
    if (!Array.isArray(internal)) {
      throw new TypeError("setstate: state vector must be an array");
    }
    if (internal.length !== N + 1) {
      throw new RangeError("setstate: state vector is the wrong size");
    }
    // The tempered words are derived data, so they double as the scratch
    // space for the new words (no allocation); a bad word restores them.
    const mt = this.#mt;
    const out = this.#out;
    try {
      for (let i = 0; i < N; i++) {
        const x = internal[i];
        // Fast path for the common case (no float modulo, which is slow).
        out[i] = typeof x === "number" && x >= 0 && x < TWO32 && x === (x >>> 0)
          ? x
          : stateWord(x, i, version === 2);
      }
    } catch (err) {
      temperAll(mt, out);
      throw err;
    }
    const index = internal[N] as unknown;
    if (
      typeof index !== "bigint" &&
      (typeof index !== "number" || !Number.isInteger(index))
    ) {
      temperAll(mt, out);
      throw intTypeError("setstate", "the index", index);
    }
    if (index < 0 || index > N) {
      temperAll(mt, out);
      throw new RangeError("setstate: invalid state");
    }
    mt.set(out);
    temperAll(mt, out);
    this.#idx = Number(index);
    this.#gaussNext = gaussNext;
  }

  // ------------------------------------------------------------ bits

  /**
   * The next float in [0, 1): 53 random bits over 2**53, as CPython's
   * `random()`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const f = new Random(42).random; // works detached
   * assert.equal(f(), 0.6394267984578837);
   * ```
   */
  random(): number {
    const i = this.#idx;
    if (i < N - 1) {
      const out = this.#out;
      this.#idx = i + 2;
      return ((out[i] >>> 5) * 67108864 + (out[i + 1] >>> 6)) * RECIP_BPF;
    }
    const a = this.#next32() >>> 5;
    const b = this.#next32() >>> 6;
    return (a * 67108864 + b) * RECIP_BPF;
  }

  /**
   * A non-negative `bigint` with `k` random bits (`k >= 0`), as CPython's
   * `getrandbits(k)`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new Random(1).getrandbits(100);
   * assert.ok(x >= 0n && x < 2n ** 100n);
   * ```
   */
  getrandbits(k: number | bigint): bigint {
    const bits = checkSmallInt("getrandbits", "k", k);
    if (bits < 0) {
      throw new RangeError("getrandbits: number of bits must be non-negative");
    }
    return this.#getrandbits(bits);
  }

  /**
   * `n` random bytes: CPython's `getrandbits(8 * n).to_bytes(n, "little")`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Random(3).randbytes(16).length, 16);
   * ```
   */
  randbytes(n: number | bigint): Uint8Array {
    const size = checkSmallInt("randbytes", "n", n);
    if (size < 0) {
      throw new RangeError("randbytes: number of bits must be non-negative");
    }
    const bytes = new Uint8Array(size);
    const full = size >>> 2;
    let pos = 0;
    if (LITTLE_ENDIAN && full >= 16) {
      // Whole words in little-endian order are the output words' own bytes.
      const outBytes = this.#outBytes;
      let left = full;
      while (left > 0) {
        if (this.#idx >= N) this.#refill();
        const take = Math.min(left, N - this.#idx);
        bytes.set(
          outBytes.subarray(this.#idx * 4, (this.#idx + take) * 4),
          pos,
        );
        this.#idx += take;
        pos += take * 4;
        left -= take;
      }
    } else {
      for (let i = 0; i < full; i++, pos += 4) {
        const w = this.#next32();
        bytes[pos] = w;
        bytes[pos + 1] = w >>> 8;
        bytes[pos + 2] = w >>> 16;
        bytes[pos + 3] = w >>> 24;
      }
    }
    const rest = size & 3;
    if (rest > 0) {
      // The last word keeps its most significant bits (getrandbits' shift).
      const w = this.#next32() >>> (32 - 8 * rest);
      for (let i = 0; i < rest; i++) bytes[pos + i] = w >>> (8 * i);
    }
    return bytes;
  }

  /**
   * `randbytes(n)` as `2 * n` lowercase hex characters (Python's
   * `randbytes(n).hex()`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.match(new Random(3).randbytesHex(8), /^[0-9a-f]{16}$/);
   * ```
   */
  randbytesHex(n: number | bigint): string {
    const bytes = this.randbytes(n);
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
    return s;
  }

  // ------------------------------------------------------------ integers

  /**
   * A random element of `range(stop)` or `range(start, stop, step)`, as
   * CPython's `randrange`. The result is a `bigint` when any argument is.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const rng = new Random(5);
   * assert.equal(rng.randrange(0, 100, 10) % 10, 0);
   * assert.equal(typeof rng.randrange(10n ** 30n), "bigint");
   * ```
   */
  randrange(stop: number): number;
  /**
   * A random element of `range(start, stop, step)` (`step` defaults to 1).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const odd = new Random(5).randrange(1, 100, 2);
   * assert.equal(odd % 2, 1);
   * ```
   */
  randrange(start: number, stop: number, step?: number): number;
  /**
   * Python's `randrange(stop, None)` or `randrange(stop, None, 1)`: the
   * same as `randrange(stop)`; any other `step` is a `TypeError`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Random(5).randrange(10, null), new Random(5).randrange(10));
   * ```
   */
  randrange(stop: number, none: null | undefined, step?: 1): number;
  /**
   * A random `bigint` in [0, stop).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const id = new Random(5).randrange(2n ** 128n);
   * assert.ok(id >= 0n && id < 2n ** 128n);
   * ```
   */
  randrange(stop: bigint): bigint;
  /**
   * `randrange(stop, null, step)` with a `bigint` `stop` or `step` (`1n`):
   * a `bigint` in [0, stop).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Random(5).randrange(5, null, 1n), new Random(5).randrange(5n));
   * ```
   */
  randrange(
    stop: number | bigint,
    none: null | undefined,
    step?: 1 | 1n,
  ): bigint;
  /**
   * A random element of `range(start, stop, step)` as a `bigint`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const big = new Random(5).randrange(0, 10n ** 20n, 5n);
   * assert.equal(big % 5n, 0n);
   * ```
   */
  randrange(
    start: number | bigint,
    stop: number | bigint,
    step?: number | bigint,
  ): bigint;
  randrange(
    start: number | bigint,
    stop?: number | bigint | null,
    step?: number | bigint,
  ): number | bigint {
    const istart = checkInt("randrange", "start", start);
    if (stop === undefined || stop === null) {
      // CPython checks `step is not _ONE`: only the default 1 passes.
      if (step !== undefined && step !== 1 && step !== 1n) {
        throw new TypeError("randrange: Missing a non-None stop argument");
      }
      if (istart > 0) {
        if (typeof istart === "bigint") return this.#randbelowBig(istart);
        const r = this.#randbelow(istart);
        return typeof step === "bigint" ? BigInt(r) : r;
      }
      throw new RangeError("empty range for randrange()");
    }
    const istop = checkInt("randrange", "stop", stop);
    const istep = step === undefined ? 1 : checkInt("randrange", "step", step);
    return this.#range(istart, istop, istep, start, stop, step);
  }

  /**
   * `randrange` on checked integers; `start`, `stop` and `step` as given are
   * only used for error messages.
   */
  #range(
    istart: number | bigint,
    istop: number | bigint,
    istep: number | bigint,
    start: unknown,
    stop: unknown,
    step: unknown,
  ): number | bigint {
    if (
      typeof istart === "number" && typeof istop === "number" &&
      typeof istep === "number"
    ) {
      // A rounded difference is never a safe integer, so a safe one is exact.
      const width = istop - istart;
      if (istep === 1) {
        if (width > 0 && Number.isSafeInteger(width)) {
          return istart + this.#randbelow(width);
        }
      } else if (istep === 0) {
        throw new RangeError("zero step for randrange()");
      } else if (
        Number.isSafeInteger(width) &&
        Number.isSafeInteger(istep > 0 ? width + istep - 1 : width + istep + 1)
      ) {
        // Below 2**53, floor of the rounded quotient is the exact floor.
        const n = istep > 0
          ? Math.floor((width + istep - 1) / istep)
          : Math.floor((width + istep + 1) / istep);
        if (n <= 0) {
          throw new RangeError(
            `empty range in randrange(${start}, ${stop}, ${step})`,
          );
        }
        return istart + istep * this.#randbelow(n);
      }
      // A span wider than 2**53: exact in bigint; the result fits a number.
      return Number(
        this.#rangeBig(BigInt(istart), BigInt(istop), BigInt(istep), [
          start,
          stop,
          step,
        ]),
      );
    }
    return this.#rangeBig(BigInt(istart), BigInt(istop), BigInt(istep), [
      start,
      stop,
      step,
    ]);
  }

  #rangeBig(
    istart: bigint,
    istop: bigint,
    istep: bigint,
    args: unknown[],
  ): bigint {
    const width = istop - istart;
    if (istep === 1n) {
      if (width > 0n) return istart + this.#randbelowBig(width);
      throw new RangeError(`empty range in randrange(${args[0]}, ${args[1]})`);
    }
    let n: bigint;
    if (istep > 0n) n = floorDiv(width + istep - 1n, istep);
    else if (istep < 0n) n = floorDiv(width + istep + 1n, istep);
    else throw new RangeError("zero step for randrange()");
    if (n <= 0n) {
      throw new RangeError(
        `empty range in randrange(${args[0]}, ${args[1]}, ${args[2]})`,
      );
    }
    return istart + istep * this.#randbelowBig(n);
  }

  /**
   * A random integer in [a, b], both ends included (`randrange(a, b + 1)`).
   * The result is a `bigint` when `a` or `b` is.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const die = new Random(9).randint(1, 6);
   * assert.ok(die >= 1 && die <= 6);
   * ```
   */
  randint(a: number, b: number): number;
  /**
   * A random `bigint` in [a, b] when `a` or `b` is a `bigint`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new Random(9).randint(1n, 2n ** 64n);
   * assert.ok(x >= 1n && x <= 2n ** 64n);
   * ```
   */
  randint(a: number | bigint, b: number | bigint): bigint;
  randint(a: number | bigint, b: number | bigint): number | bigint {
    const ia = checkInt("randint", "a", a);
    const ib = checkInt("randint", "b", b);
    if (typeof ia === "number" && typeof ib === "number") {
      const width = ib + 1 - ia;
      if (width > 0 && Number.isSafeInteger(width)) {
        return ia + this.#randbelow(width);
      }
      return this.#range(ia, ib + 1, 1, a, ib + 1, 1);
    }
    const stop = BigInt(ib) + 1n;
    return this.#rangeBig(BigInt(ia), stop, 1n, [a, stop, 1]);
  }

  // ------------------------------------------------------------ sequences

  /**
   * A random element of a non-empty population (any `ArrayLike` or
   * `Iterable`). An empty one is a `RangeError` (Python's `IndexError`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const color = new Random(1).choice(["red", "green", "blue"]);
   * assert.ok(["red", "green", "blue"].includes(color));
   * ```
   */
  choice<T>(seq: ArrayLike<T> | Iterable<T>): T {
    const arr = toIndexable("choice", "seq", seq);
    const n = arr.length;
    if (n === 0) {
      throw new RangeError("choice: Cannot choose from an empty sequence");
    }
    return arr[this.#randbelow(n)];
  }

  /**
   * `k` elements chosen with replacement, optionally weighted by `weights`
   * or cumulative `cumWeights` (not both), as CPython's `choices`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const picks = new Random(4).choices(["a", "b"], { weights: [0, 1], k: 3 });
   * assert.deepEqual(picks, ["b", "b", "b"]);
   * ```
   */
  choices<T>(
    population: ArrayLike<T> | Iterable<T>,
    options: ChoicesOptions = {},
  ): T[] {
    const pop = toIndexable("choices", "population", population);
    const n = pop.length;
    const k = options.k === undefined
      ? 1
      : checkSmallInt("choices", "k", options.k);
    let cum: ArrayLike<number>;
    if (options.cumWeights === undefined || options.cumWeights === null) {
      if (options.weights === undefined || options.weights === null) {
        const result = new Array<T>(Math.max(k, 0));
        for (let i = 0; i < k; i++) {
          const j = Math.floor(this.random() * n);
          if (j >= n) {
            throw new RangeError("choices: list index out of range");
          }
          result[i] = pop[j];
        }
        return result;
      }
      const w = toNumberArray("choices", "weights", options.weights);
      // itertools.accumulate: the first weight as it is, then running sums.
      const acc = new Array<number>(w.length);
      for (let i = 0; i < w.length; i++) {
        acc[i] = i === 0 ? w[0] : acc[i - 1] + w[i];
      }
      cum = acc;
    } else if (options.weights !== undefined && options.weights !== null) {
      throw new TypeError(
        "choices: Cannot specify both weights and cumulative weights",
      );
    } else {
      cum = toNumberArray("choices", "cumWeights", options.cumWeights);
    }
    if (cum.length !== n) {
      throw new RangeError(
        "choices: The number of weights does not match the population",
      );
    }
    if (n === 0) throw new RangeError("choices: list index out of range");
    const total = cum[n - 1] + 0.0;
    if (total <= 0.0) {
      throw new RangeError(
        "choices: Total of weights must be greater than zero",
      );
    }
    if (!Number.isFinite(total)) {
      throw new RangeError("choices: Total of weights must be finite");
    }
    const hi = n - 1;
    const result = new Array<T>(Math.max(k, 0));
    for (let i = 0; i < k; i++) {
      result[i] = pop[bisectRight(cum, this.random() * total, 0, hi)];
    }
    return result;
  }

  /**
   * Shuffles `x` (an array or typed array) in place with CPython's
   * Fisher–Yates walk, and returns `x` itself.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const deck = [1, 2, 3, 4, 5];
   * assert.equal(new Random(8).shuffle(deck), deck);
   * assert.deepEqual([...deck].sort(), [1, 2, 3, 4, 5]);
   * ```
   */
  shuffle<A extends { length: number; [index: number]: unknown }>(x: A): A {
    if (
      x === null || typeof x !== "object" || typeof x.length !== "number"
    ) {
      throw new TypeError(
        `shuffle: x must be a mutable array-like, got ${describe(x)}`,
      );
    }
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.#randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /**
   * `k` distinct positions of `population` chosen without replacement, in
   * selection order, as CPython's `sample` (same pool/set strategy, so the
   * same draws). `counts` repeats elements: `sample(["a", "b"], 2,
   * { counts: [3, 1] })` samples from `["a", "a", "a", "b"]`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const winners = new Random(10).sample(["ann", "bob", "cy", "dee"], 2);
   * assert.equal(new Set(winners).size, 2);
   * ```
   */
  sample<T>(
    population: ArrayLike<T> | Iterable<T>,
    k: number,
    options: SampleOptions = {},
  ): T[] {
    const pop = toIndexable("sample", "population", population);
    const n = pop.length;
    const kk = checkSmallInt("sample", "k", k);
    if (options.counts !== undefined && options.counts !== null) {
      const counts = toIndexable("sample", "counts", options.counts);
      if (counts.length !== n) {
        throw new RangeError(
          "sample: The number of counts does not match the population",
        );
      }
      const cum = new Array<number>(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const c = counts[i];
        if (
          !(typeof c === "number" && Number.isInteger(c)) &&
          typeof c !== "bigint"
        ) {
          throw new TypeError("sample: Counts must be integers");
        }
        total += Number(c);
        cum[i] = total;
      }
      if (!Number.isSafeInteger(total)) {
        throw new RangeError("sample: Total of counts is not a safe integer");
      }
      if (total <= 0) {
        throw new RangeError(
          "sample: Total of counts must be greater than zero",
        );
      }
      cum.pop();
      const selections = this.#sampleIndices(total, kk);
      const result = new Array<T>(kk);
      for (let i = 0; i < kk; i++) {
        result[i] = pop[bisectRight(cum, selections[i], 0, n - 1)];
      }
      return result;
    }
    if (!(kk >= 0 && kk <= n)) {
      throw new RangeError(
        "sample: Sample larger than population or is negative",
      );
    }
    if (n <= setsize(kk)) {
      // An n-length pool is smaller than a k-length set.
      const pool = Array.isArray(pop) ? pop.slice() : Array.from(pop);
      const result = new Array<T>(kk);
      for (let i = 0; i < kk; i++) {
        const j = this.#randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
      return result;
    }
    const indices = this.#selectSet(n, kk);
    const result = new Array<T>(kk);
    for (let i = 0; i < kk; i++) result[i] = pop[indices[i]];
    return result;
  }

  /** `sample(range(n), k)`. */
  #sampleIndices(n: number, k: number): number[] {
    if (!(k >= 0 && k <= n)) {
      throw new RangeError(
        "sample: Sample larger than population or is negative",
      );
    }
    if (n <= setsize(k)) {
      const pool = new Array<number>(n);
      for (let i = 0; i < n; i++) pool[i] = i;
      const result = new Array<number>(k);
      for (let i = 0; i < k; i++) {
        const j = this.#randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
      return result;
    }
    return this.#selectSet(n, k);
  }

  /** CPython's set method: draw indices, redrawing those already chosen. */
  #selectSet(n: number, k: number): number[] {
    const selected = new Set<number>();
    const result = new Array<number>(k);
    for (let i = 0; i < k; i++) {
      let j = this.#randbelow(n);
      while (selected.has(j)) j = this.#randbelow(n);
      selected.add(j);
      result[i] = j;
    }
    return result;
  }

  // ------------------------------------------------------------ floats

  /**
   * A float in [a, b) or [a, b] depending on rounding: `a + (b - a) *
   * random()`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new Random(2).uniform(10, 20);
   * assert.ok(x >= 10 && x <= 20);
   * ```
   */
  uniform(a: number, b: number): number {
    checkNumber("uniform", "a", a);
    checkNumber("uniform", "b", b);
    return a + (b - a) * this.random();
  }

  /**
   * Triangular distribution on [low, high] with the given `mode` (default:
   * the midpoint).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new Random(2).triangular(0, 10, 8);
   * assert.ok(x >= 0 && x <= 10);
   * ```
   */
  triangular(low: number = 0.0, high: number = 1.0, mode?: number): number {
    checkNumber("triangular", "low", low);
    checkNumber("triangular", "high", high);
    let u = this.random();
    let c = 0.5;
    if (mode !== undefined && mode !== null) {
      checkNumber("triangular", "mode", mode);
      if (high - low === 0) return low; // CPython's ZeroDivisionError branch
      c = (mode - low) / (high - low);
    }
    if (u > c) {
      u = 1.0 - u;
      c = 1.0 - c;
      const t = low;
      low = high;
      high = t;
    }
    return low + (high - low) * Math.sqrt(u * c);
  }

  /**
   * Normal distribution by the Kinderman–Monahan ratio method (CPython's
   * `normalvariate`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(typeof new Random(1).normalvariate(100, 15), "number");
   * ```
   */
  normalvariate(mu: number = 0.0, sigma: number = 1.0): number {
    checkNumber("normalvariate", "mu", mu);
    checkNumber("normalvariate", "sigma", sigma);
    return this.#normal(mu, sigma);
  }

  #normal(mu: number, sigma: number): number {
    let z: number;
    for (;;) {
      const u1 = this.random();
      const u2 = 1.0 - this.random();
      z = NV_MAGICCONST * (u1 - 0.5) / u2;
      const zz = z * z / 4.0;
      if (zz <= -Math.log(u2)) break;
    }
    return mu + z * sigma;
  }

  /**
   * Gaussian distribution by Box–Muller; the second value of each pair is
   * cached (and cleared by `seed`), as in CPython's `gauss`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.equal(typeof new Random(1).gauss(), "number");
   * ```
   */
  gauss(mu: number = 0.0, sigma: number = 1.0): number {
    checkNumber("gauss", "mu", mu);
    checkNumber("gauss", "sigma", sigma);
    let z = this.#gaussNext;
    this.#gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * TWOPI;
      const g2rad = Math.sqrt(-2.0 * Math.log(1.0 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.#gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  /**
   * Log-normal distribution: `exp(normalvariate(mu, sigma))`. A finite
   * result too large for a float is a `RangeError` (CPython's
   * `OverflowError: math range error`), after the draws, as in CPython.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new Random(1).lognormvariate(0, 1) > 0);
   * ```
   */
  lognormvariate(mu: number, sigma: number): number {
    checkNumber("lognormvariate", "mu", mu);
    checkNumber("lognormvariate", "sigma", sigma);
    const x = this.#normal(mu, sigma);
    const r = Math.exp(x);
    if (r === Infinity && x !== Infinity) {
      throw new RangeError("lognormvariate: math range error");
    }
    return r;
  }

  /**
   * Exponential distribution with rate `lambd` (default 1.0, as in 3.12+).
   * `lambd` 0 is a `RangeError` (CPython's `ZeroDivisionError: float
   * division by zero`), thrown after one `random()` draw as CPython does,
   * since it draws before it divides.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new Random(1).expovariate(2) >= 0);
   * ```
   */
  expovariate(lambd: number = 1.0): number {
    checkNumber("expovariate", "lambd", lambd);
    // CPython: -log(1.0 - random()) / lambd; the draw comes first.
    const u = 1.0 - this.random();
    if (lambd === 0) {
      throw new RangeError("expovariate: float division by zero");
    }
    return -Math.log(u) / lambd;
  }

  /**
   * Von Mises distribution: angle in [0, 2π) around `mu` with concentration
   * `kappa` (Fisher's algorithm, as CPython).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const theta = new Random(1).vonmisesvariate(Math.PI, 4);
   * assert.ok(theta >= 0 && theta < 2 * Math.PI);
   * ```
   */
  vonmisesvariate(mu: number, kappa: number): number {
    checkNumber("vonmisesvariate", "mu", mu);
    checkNumber("vonmisesvariate", "kappa", kappa);
    if (kappa <= 1e-6) return TWOPI * this.random();
    const s = 0.5 / kappa;
    const r = s + Math.sqrt(1.0 + s * s);
    let z: number;
    for (;;) {
      const u1 = this.random();
      z = Math.cos(PI * u1);
      const d = z / (r + z);
      const u2 = this.random();
      if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * Math.exp(d)) break;
    }
    const q = 1.0 / r;
    const f = (q + z) / (1.0 + q * z);
    const u3 = this.random();
    return u3 > 0.5
      ? pyMod(mu + Math.acos(f), TWOPI)
      : pyMod(mu - Math.acos(f), TWOPI);
  }

  /**
   * Gamma distribution with shape `alpha > 0` and scale `beta > 0` (not the
   * gamma function), CPython's three-branch algorithm.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new Random(1).gammavariate(2, 3) > 0);
   * ```
   */
  gammavariate(alpha: number, beta: number): number {
    checkNumber("gammavariate", "alpha", alpha);
    checkNumber("gammavariate", "beta", beta);
    return this.#gamma("gammavariate", alpha, beta);
  }

  /** gammavariate on checked numbers; `fn` names the caller in errors. */
  #gamma(fn: string, alpha: number, beta: number): number {
    if (alpha <= 0.0 || beta <= 0.0) {
      throw new RangeError(`${fn}: alpha and beta must be > 0.0`);
    }
    if (alpha > 1.0) {
      // R.C.H. Cheng (1977), as CPython.
      const ainv = Math.sqrt(2.0 * alpha - 1.0);
      const bbb = alpha - LOG4;
      const ccc = alpha + ainv;
      for (;;) {
        const u1 = this.random();
        if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
        const u2 = 1.0 - this.random();
        const v = Math.log(u1 / (1.0 - u1)) / ainv;
        const x = alpha * Math.exp(v);
        const z = u1 * u1 * u2;
        const r = bbb + ccc * v - x;
        if (r + SG_MAGICCONST - 4.5 * z >= 0.0 || r >= Math.log(z)) {
          return x * beta;
        }
      }
    }
    if (alpha === 1.0) return -Math.log(1.0 - this.random()) * beta;
    // Algorithm GS of Kennedy & Gentle, for 0 < alpha < 1.
    let x: number;
    for (;;) {
      const u = this.random();
      const b = (E + alpha) / E;
      const p = b * u;
      if (p <= 1.0) x = p ** (1.0 / alpha);
      else x = -Math.log((b - p) / alpha);
      const u1 = this.random();
      if (p > 1.0) {
        if (u1 <= x ** (alpha - 1.0)) break;
      } else if (u1 <= Math.exp(-x)) break;
    }
    return x * beta;
  }

  /**
   * Beta distribution on [0, 1] with `alpha > 0` and `beta > 0`, as
   * CPython: `y / (y + z)` for `y = gammavariate(alpha, 1)` and `z =
   * gammavariate(beta, 1)`. So a bad `beta` is found after `y` is drawn,
   * and not at all when `y` is 0; the error names `betavariate` where
   * CPython's text says `gammavariate`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new Random(1).betavariate(2, 5);
   * assert.ok(x >= 0 && x <= 1);
   * ```
   */
  betavariate(alpha: number, beta: number): number {
    checkNumber("betavariate", "alpha", alpha);
    checkNumber("betavariate", "beta", beta);
    const y = this.#gamma("betavariate", alpha, 1.0);
    if (y) return y / (y + this.#gamma("betavariate", beta, 1.0));
    return 0.0;
  }

  /**
   * Pareto distribution with shape `alpha`. As in CPython, one `random()`
   * is drawn before `alpha` 0 is found to be a `RangeError` (CPython's
   * `ZeroDivisionError`), and a result beyond the float range is a
   * `RangeError` (its `OverflowError`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new Random(1).paretovariate(3) >= 1);
   * ```
   */
  paretovariate(alpha: number): number {
    checkNumber("paretovariate", "alpha", alpha);
    const u = 1.0 - this.random();
    if (alpha === 0) {
      throw new RangeError("paretovariate: float division by zero");
    }
    return pyPow("paretovariate", u, -1.0 / alpha);
  }

  /**
   * Weibull distribution with scale `alpha` and shape `beta`. As in
   * CPython, one `random()` is drawn before `beta` 0 is found to be a
   * `RangeError` (CPython's `ZeroDivisionError`), and a result beyond the
   * float range is a `RangeError` (its `OverflowError`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new Random(1).weibullvariate(1, 1.5) >= 0);
   * ```
   */
  weibullvariate(alpha: number, beta: number): number {
    checkNumber("weibullvariate", "alpha", alpha);
    checkNumber("weibullvariate", "beta", beta);
    const u = 1.0 - this.random();
    if (beta === 0) {
      throw new RangeError("weibullvariate: float division by zero");
    }
    return alpha * pyPow("weibullvariate", -Math.log(u), 1.0 / beta);
  }

  /**
   * Binomial distribution: the number of successes in `n` trials of
   * probability `p` (CPython 3.12+'s geometric and BTRS methods).
   *
   * `n` is a `number` (used as CPython uses a float `n`) or a `bigint`
   * (CPython's int, exact at any size); the result has the type of `n`.
   * Where CPython's `assert n*p >= 10.0 and p <= 0.5` fails (`n` or `p`
   * NaN), this throws a `RangeError` before any draw, as CPython raises
   * its `AssertionError`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const heads = new Random(1).binomialvariate(100, 0.5);
   * assert.ok(heads >= 0 && heads <= 100);
   * ```
   */
  binomialvariate(n?: number, p?: number): number;
  /**
   * A `bigint` count of successes when `n` is a `bigint`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const k = new Random(1).binomialvariate(10n ** 30n, 0.5);
   * assert.equal(typeof k, "bigint");
   * ```
   */
  binomialvariate(n: bigint, p?: number): bigint;
  binomialvariate(n: number | bigint = 1, p: number = 0.5): number | bigint {
    checkNumber("binomialvariate", "p", p);
    if (typeof n === "bigint") {
      if (n >= -9007199254740991n && n <= 9007199254740991n) {
        // Every step is exact in floats below 2**53.
        return BigInt(this.#binomial(Number(n), p));
      }
      return this.#binomialBig(n, p);
    }
    checkNumber("binomialvariate", "n", n);
    return this.#binomial(n, p);
  }

  #binomial(n: number, p: number): number {
    if (n < 0) throw new RangeError("binomialvariate: n must be non-negative");
    if (p <= 0.0 || p >= 1.0) {
      if (p === 0.0) return 0;
      if (p === 1.0) return n;
      throw new RangeError(
        "binomialvariate: p must be in the range 0.0 <= p <= 1.0",
      );
    }
    if (n === 1) return this.random() < p ? 1 : 0;
    if (p > 0.5) return n - this.#binomial(n, 1.0 - p);
    if (n * p < 10.0) {
      // BG: Devroye's geometric method, O(np).
      let x = 0;
      let y = 0;
      const c = Math.log2(1.0 - p);
      if (!c) return x;
      for (;;) {
        y += pyFloor("binomialvariate", Math.log2(this.random()) / c) + 1;
        if (y > n) return x;
        x += 1;
      }
    }
    if (!(n * p >= 10.0 && p <= 0.5)) throw binomialAssertion();
    // BTRS: Hörmann's transformed rejection with squeeze.
    const spq = Math.sqrt(n * p * (1.0 - p));
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    let setupComplete = false;
    let alpha = 0;
    let lpq = 0;
    let m = 0;
    let h = 0;
    for (;;) {
      let u = this.random();
      u -= 0.5;
      const us = 0.5 - Math.abs(u);
      const k = pyFloor("binomialvariate", (2.0 * a / us + b) * u + c);
      if (k < 0 || k > n) continue;
      let v = this.random();
      if (us >= 0.07 && v <= vr) return k;
      if (!setupComplete) {
        alpha = (2.83 + 5.1 / b) * spq;
        lpq = Math.log(p / (1.0 - p));
        m = pyFloor("binomialvariate", (n + 1) * p);
        h = lgamma(m + 1) + lgamma(n - m + 1);
        setupComplete = true;
      }
      v *= alpha / (a / (us * us) + b);
      if (
        Math.log(v) <= h - lgamma(k + 1) - lgamma(n - k + 1) + (k - m) * lpq
      ) {
        return k;
      }
    }
  }

  /**
   * `#binomial` for an `n` beyond 2**53, with CPython's int arithmetic:
   * sums and differences of integers stay exact, and an integer meets float
   * arithmetic only where CPython converts it (`n * p`, `lgamma(k + 1)`).
   */
  #binomialBig(n: bigint, p: number): bigint {
    if (n < 0n) throw new RangeError("binomialvariate: n must be non-negative");
    if (p <= 0.0 || p >= 1.0) {
      if (p === 0.0) return 0n;
      if (p === 1.0) return n;
      throw new RangeError(
        "binomialvariate: p must be in the range 0.0 <= p <= 1.0",
      );
    }
    if (p > 0.5) return n - this.#binomialBig(n, 1.0 - p);
    const fn = Number(n); // CPython's int-to-float conversion, also rounding
    if (fn === Infinity) {
      throw new RangeError(
        "binomialvariate: int too large to convert to float",
      );
    }
    if (fn * p < 10.0) {
      let x = 0n;
      let y = 0n;
      const c = Math.log2(1.0 - p);
      if (!c) return x;
      for (;;) {
        y += BigInt(
          pyFloor("binomialvariate", Math.log2(this.random()) / c),
        ) + 1n;
        if (y > n) return x;
        x += 1n;
      }
    }
    if (!(fn * p >= 10.0 && p <= 0.5)) throw binomialAssertion();
    const spq = Math.sqrt(fn * p * (1.0 - p));
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = fn * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    let setupComplete = false;
    let alpha = 0;
    let lpq = 0;
    let m = 0n;
    let h = 0;
    for (;;) {
      let u = this.random();
      u -= 0.5;
      const us = 0.5 - Math.abs(u);
      const kf = pyFloor("binomialvariate", (2.0 * a / us + b) * u + c);
      if (kf < 0 || kf > n) continue; // a number against a bigint: exact
      const k = BigInt(kf);
      let v = this.random();
      if (us >= 0.07 && v <= vr) return k;
      if (!setupComplete) {
        alpha = (2.83 + 5.1 / b) * spq;
        lpq = Math.log(p / (1.0 - p));
        m = BigInt(pyFloor("binomialvariate", Number(n + 1n) * p));
        h = lgamma(Number(m + 1n)) + lgamma(Number(n - m + 1n));
        setupComplete = true;
      }
      v *= alpha / (a / (us * us) + b);
      if (
        Math.log(v) <=
          h - lgamma(Number(k + 1n)) - lgamma(Number(n - k + 1n)) +
            Number(k - m) * lpq
      ) {
        return k;
      }
    }
  }
}

/** CPython's `assert n*p >= 10.0 and p <= 0.5` failing (n or p is NaN). */
function binomialAssertion(): RangeError {
  return new RangeError(
    "binomialvariate: n and p must not be NaN (CPython's assertion n*p >= 10.0 and p <= 0.5 fails)",
  );
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** CPython's threshold between sample's pool and set methods. */
function setsize(k: number): number {
  let size = 21;
  if (k > 5) size += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
  return size;
}

/**
 * Word `i` of a setstate vector, as CPython's `PyLong_AsUnsignedLong` then
 * `uint32_t` cast takes it (a version 2 word first goes through Python's
 * `x % 2**32`). The texts are CPython's, with the word's position appended.
 */
function stateWord(x: unknown, i: number, signed: boolean): number {
  const where = () =>
    ` (state word ${i}: ${
      typeof x === "number" || typeof x === "bigint" ? String(x) : describe(x)
    })`;
  if (typeof x === "number" && Number.isInteger(x)) {
    if (signed) return x % TWO32 | 0;
    if (x < 0) {
      throw new RangeError(
        "setstate: can't convert negative value to unsigned int" + where(),
      );
    }
    if (x >= 18446744073709551616) {
      throw new RangeError(
        "setstate: Python int too large to convert to C unsigned long" +
          where(),
      );
    }
    return x % TWO32 | 0;
  }
  if (typeof x === "bigint") {
    if (!signed && x < 0n) {
      throw new RangeError(
        "setstate: can't convert negative value to unsigned int" + where(),
      );
    }
    if (!signed && x >= TWO64) {
      throw new RangeError(
        "setstate: Python int too large to convert to C unsigned long" +
          where(),
      );
    }
    return Number(BigInt.asIntN(32, x));
  }
  throw new TypeError("setstate: an integer is required" + where());
}

/** The `init_by_array` key of a seed, as CPython's `random_seed` builds it. */
function seedWords(a: unknown): number[] {
  if (a === undefined || a === null) {
    return Array.from(crypto.getRandomValues(new Uint32Array(N)));
  }
  if (typeof a === "number") {
    if (Number.isNaN(a)) {
      throw new RangeError(
        "seed: NaN cannot be a seed (CPython hashes NaN by identity)",
      );
    }
    if (Number.isInteger(a)) {
      const abs = Math.abs(a);
      if (abs < TWO32) return [abs];
      if (abs <= Number.MAX_SAFE_INTEGER) {
        return [abs % TWO32, Math.floor(abs / TWO32)];
      }
      return bigintWords(BigInt(abs));
    }
    return bigintWords(floatHashUnsigned(a));
  }
  if (typeof a === "bigint") return bigintWords(a < 0n ? -a : a);
  if (typeof a === "string") {
    if (!a.isWellFormed()) {
      throw new RangeError(
        "seed: a string with a lone surrogate has no UTF-8 encoding",
      );
    }
    if (a.length * 3 > UTF8_SCRATCH.length) return bytesKey(UTF8.encode(a));
    const { written } = UTF8.encodeInto(a, UTF8_SCRATCH);
    return bytesKey(UTF8_SCRATCH.subarray(0, written));
  }
  if (a instanceof Uint8Array) return bytesKey(a);
  throw new TypeError(
    `seed: The only supported seed types are: undefined, null, number, bigint, string and Uint8Array, got ${
      describe(a)
    }`,
  );
}

/**
 * A generator whose every draw comes from the OS (`crypto.getRandomValues`),
 * with all the methods of {@linkcode Random}, like Python's
 * `random.SystemRandom`. `seed()` is accepted and ignored; `getstate()` and
 * `setstate()` throw a `TypeError` (CPython raises `NotImplementedError`).
 *
 * Entropy is fetched 624 words at a time and each word is used once.
 *
 * @example
 * ```ts
 * import { SystemRandom } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const token = new SystemRandom().randbytesHex(16);
 * assert.equal(token.length, 32);
 * ```
 */
export class SystemRandom extends Random {
  /**
   * Creates a generator over OS entropy; `seed` is ignored.
   *
   * @example
   * ```ts
   * import { SystemRandom } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const x = new SystemRandom(42).random(); // 42 is ignored
   * assert.ok(x >= 0 && x < 1);
   * ```
   */
  constructor(seed?: Seed) {
    super(seed);
  }

  /**
   * Accepted and ignored: OS entropy cannot be seeded.
   *
   * @example
   * ```ts
   * import { SystemRandom } from "@tempkit/tempkit/random";
   *
   * new SystemRandom().seed(1); // no effect
   * ```
   */
  override seed(_a?: Seed): void {}

  /**
   * Always throws: OS entropy has no state.
   *
   * @example
   * ```ts
   * import { SystemRandom } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * assert.throws(() => new SystemRandom().getstate(), TypeError);
   * ```
   */
  override getstate(): RandomState {
    throw new TypeError(
      "getstate: System entropy source does not have state.",
    );
  }

  /**
   * Always throws: OS entropy has no state.
   *
   * @example
   * ```ts
   * import { Random, SystemRandom } from "@tempkit/tempkit/random";
   * import assert from "node:assert/strict";
   *
   * const state = new Random(1).getstate();
   * assert.throws(() => new SystemRandom().setstate(state), TypeError);
   * ```
   */
  override setstate(_state: RandomState): void {
    throw new TypeError(
      "setstate: System entropy source does not have state.",
    );
  }
}

// ---------------------------------------------------------------- module
// One shared generator seeded from OS entropy, its bound methods exported
// as functions, as Python's random module does.

const inst = new Random();

/**
 * Re-seeds the shared generator; see {@linkcode Random.seed}.
 *
 * @example
 * ```ts
 * import { random, seed } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * seed(42);
 * assert.equal(random(), 0.6394267984578837);
 * ```
 */
export const seed: Random["seed"] = inst.seed;
/**
 * The shared generator's state; see {@linkcode Random.getstate}.
 *
 * @example
 * ```ts
 * import { getstate, random, setstate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const state = getstate();
 * const x = random();
 * setstate(state);
 * assert.equal(random(), x);
 * ```
 */
export const getstate: Random["getstate"] = inst.getstate;
/**
 * Restores the shared generator's state; see {@linkcode Random.setstate}.
 *
 * @example
 * ```ts
 * import { getstate, randint, setstate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const state = getstate();
 * const a = randint(1, 100);
 * setstate(state);
 * assert.equal(randint(1, 100), a);
 * ```
 */
export const setstate: Random["setstate"] = inst.setstate;
/**
 * A float in [0, 1) from the shared generator; see {@linkcode Random.random}.
 *
 * @example
 * ```ts
 * import { random } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const x = random();
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export const random: Random["random"] = inst.random;
/**
 * `k` random bits as a `bigint`; see {@linkcode Random.getrandbits}.
 *
 * @example
 * ```ts
 * import { getrandbits } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(getrandbits(64) < 2n ** 64n);
 * ```
 */
export const getrandbits: Random["getrandbits"] = inst.getrandbits;
/**
 * `n` random bytes; see {@linkcode Random.randbytes}.
 *
 * @example
 * ```ts
 * import { randbytes } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.equal(randbytes(10).length, 10);
 * ```
 */
export const randbytes: Random["randbytes"] = inst.randbytes;
/**
 * `n` random bytes as hex; see {@linkcode Random.randbytesHex}.
 *
 * @example
 * ```ts
 * import { randbytesHex } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.equal(randbytesHex(4).length, 8);
 * ```
 */
export const randbytesHex: Random["randbytesHex"] = inst.randbytesHex;
/**
 * A random element of a range; see {@linkcode Random.randrange}.
 *
 * @example
 * ```ts
 * import { randrange } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.equal(randrange(0, 10, 2) % 2, 0);
 * ```
 */
export const randrange: Random["randrange"] = inst.randrange;
/**
 * A random integer in [a, b]; see {@linkcode Random.randint}.
 *
 * @example
 * ```ts
 * import { randint } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const d = randint(1, 6);
 * assert.ok(d >= 1 && d <= 6);
 * ```
 */
export const randint: Random["randint"] = inst.randint;
/**
 * A random element; see {@linkcode Random.choice}.
 *
 * @example
 * ```ts
 * import { choice } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(["x", "y"].includes(choice(["x", "y"])));
 * ```
 */
export const choice: Random["choice"] = inst.choice;
/**
 * Elements chosen with replacement; see {@linkcode Random.choices}.
 *
 * @example
 * ```ts
 * import { choices } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.equal(choices([1, 2, 3], { k: 5 }).length, 5);
 * ```
 */
export const choices: Random["choices"] = inst.choices;
/**
 * Shuffles in place; see {@linkcode Random.shuffle}.
 *
 * @example
 * ```ts
 * import { shuffle } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(shuffle([3, 1, 2]).sort(), [1, 2, 3]);
 * ```
 */
export const shuffle: Random["shuffle"] = inst.shuffle;
/**
 * Elements chosen without replacement; see {@linkcode Random.sample}.
 *
 * @example
 * ```ts
 * import { sample } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new Set(sample([1, 2, 3, 4], 3)).size, 3);
 * ```
 */
export const sample: Random["sample"] = inst.sample;
/**
 * A float in [a, b]; see {@linkcode Random.uniform}.
 *
 * @example
 * ```ts
 * import { uniform } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const x = uniform(-1, 1);
 * assert.ok(x >= -1 && x <= 1);
 * ```
 */
export const uniform: Random["uniform"] = inst.uniform;
/**
 * Triangular distribution; see {@linkcode Random.triangular}.
 *
 * @example
 * ```ts
 * import { triangular } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * const x = triangular(0, 1, 0.2);
 * assert.ok(x >= 0 && x <= 1);
 * ```
 */
export const triangular: Random["triangular"] = inst.triangular;
/**
 * Gaussian distribution; see {@linkcode Random.gauss}.
 *
 * @example
 * ```ts
 * import { gauss } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Number.isFinite(gauss(0, 1)));
 * ```
 */
export const gauss: Random["gauss"] = inst.gauss;
/**
 * Normal distribution; see {@linkcode Random.normalvariate}.
 *
 * @example
 * ```ts
 * import { normalvariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Number.isFinite(normalvariate(0, 1)));
 * ```
 */
export const normalvariate: Random["normalvariate"] = inst.normalvariate;
/**
 * Log-normal distribution; see {@linkcode Random.lognormvariate}.
 *
 * @example
 * ```ts
 * import { lognormvariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(lognormvariate(0, 1) > 0);
 * ```
 */
export const lognormvariate: Random["lognormvariate"] = inst.lognormvariate;
/**
 * Exponential distribution; see {@linkcode Random.expovariate}.
 *
 * @example
 * ```ts
 * import { expovariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(expovariate() >= 0);
 * ```
 */
export const expovariate: Random["expovariate"] = inst.expovariate;
/**
 * Von Mises distribution; see {@linkcode Random.vonmisesvariate}.
 *
 * @example
 * ```ts
 * import { vonmisesvariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(vonmisesvariate(0, 1) < 2 * Math.PI);
 * ```
 */
export const vonmisesvariate: Random["vonmisesvariate"] = inst.vonmisesvariate;
/**
 * Gamma distribution; see {@linkcode Random.gammavariate}.
 *
 * @example
 * ```ts
 * import { gammavariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(gammavariate(0.5, 1) >= 0);
 * ```
 */
export const gammavariate: Random["gammavariate"] = inst.gammavariate;
/**
 * Beta distribution; see {@linkcode Random.betavariate}.
 *
 * @example
 * ```ts
 * import { betavariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(betavariate(2, 2) <= 1);
 * ```
 */
export const betavariate: Random["betavariate"] = inst.betavariate;
/**
 * Pareto distribution; see {@linkcode Random.paretovariate}.
 *
 * @example
 * ```ts
 * import { paretovariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(paretovariate(2) >= 1);
 * ```
 */
export const paretovariate: Random["paretovariate"] = inst.paretovariate;
/**
 * Weibull distribution; see {@linkcode Random.weibullvariate}.
 *
 * @example
 * ```ts
 * import { weibullvariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(weibullvariate(1, 2) >= 0);
 * ```
 */
export const weibullvariate: Random["weibullvariate"] = inst.weibullvariate;
/**
 * Binomial distribution; see {@linkcode Random.binomialvariate}.
 *
 * @example
 * ```ts
 * import { binomialvariate } from "@tempkit/tempkit/random";
 * import assert from "node:assert/strict";
 *
 * assert.ok(binomialvariate(10, 0.3) <= 10);
 * ```
 */
export const binomialvariate: Random["binomialvariate"] = inst.binomialvariate;
