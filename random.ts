/**
 * Python's `random` module for Deno, reproducible to the bit: for the same
 * seed, `new Random(seed)` yields exactly what CPython 3.13's
 * `random.Random(seed)` yields.
 *
 * It is built in layers, as CPython is: the Mersenne Twister (MT19937) and
 * CPython's seeding in a core (`init_by_array` over the absolute value of an
 * integer seed, SHA-512 for strings and bytes, the float hash for other
 * numbers), and the algorithms of CPython's `Lib/random.py` on top. Integer,
 * byte and sequence methods and `random`, `uniform`, `triangular` and
 * `choices` agree bit for bit; the distributions that call
 * `log`/`exp`/`sin`/`cos`/`pow`/`acos`/`lgamma` agree to within 1e-12
 * relative, since V8's `Math` and the C library differ in the last bit now
 * and then. With `new Random(seed, { math: "system" })` they call the C
 * library itself through `Deno.dlopen` (needs `--allow-ffi`), as CPython
 * does, and agree bit for bit on the same machine.
 *
 * This module is browser compatible: it uses no Deno API except for the
 * `{ math: "system" }` option. String and bytes seeds need SHA-512 inside a
 * synchronous constructor, where Web Crypto's `digest` is asynchronous only,
 * so SHA-512 is ported to plain JavaScript (`_sha512.ts`).
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
 * - A seed that is a safe integer is that integer (`-3` is CPython's `-3`,
 *   JavaScript having no `-3.0`); any other `number` (`1.5`, `1e20`,
 *   `2 ** 60`) is a float, as JavaScript itself treats it, and seeds as
 *   CPython's float does; integers beyond 2**53 are `bigint`s.
 *   `seed(a, 1)` is CPython's legacy version 1 for strings and bytes.
 * - Python's keyword arguments are options objects, and checked:
 *   `choices(pop, { cum_weights: [...] })` is a `TypeError` that names
 *   `cumWeights`, and so are weights passed as a second argument.
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
 *   a string is taken as its code points, like a Python `str`. An
 *   `ArrayLike`'s `length` is read as JavaScript's `ToLength` reads it, so
 *   `{ length: -1 }` is empty.
 * - Sizes beyond what the engine can represent (a `BigInt` of more than
 *   2**30 - 64 bits, a string of more than 2**29 - 24 characters, V8's
 *   limits) are a `RangeError` before anything is drawn.
 * - Subclasses plug in another generator as in CPython: override `random()`
 *   and/or `getrandbits()`, and every other method draws through them.
 *
 * @example Same numbers as CPython
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * const rng = new Random(42);
 * // python3 -c "import random; r = random.Random(42); print(r.random(), r.randint(1, 6))"
 * assertEquals(rng.random(), 0.6394267984578837);
 * assertEquals(rng.randint(1, 6), 1);
 * ```
 *
 * @example With @std/random: a seeded `prng`
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import {
 *   randomBetween,
 *   randomIntegerBetween,
 *   sample,
 *   shuffle,
 * } from "@std/random";
 * import { assertEquals } from "@std/assert";
 *
 * // Any API taking `{ prng: () => number }` becomes reproducible.
 * const draw = (seed: number) => {
 *   const prng = new Random(seed).random;
 *   return [
 *     shuffle([1, 2, 3, 4, 5], { prng }),
 *     sample(["a", "b", "c"], { prng }),
 *     randomBetween(0, 10, { prng }),
 *     randomIntegerBetween(1, 6, { prng }),
 *   ];
 * };
 * assertEquals(draw(7), draw(7));
 * // std scales one random() per pick: the first die is floor(x * 6) + 1.
 * const x = new Random(7).random();
 * assertEquals(
 *   randomIntegerBetween(1, 6, { prng: new Random(7).random }),
 *   Math.floor(x * 6) + 1,
 * );
 * ```
 *
 * @example Another generator, as a CPython subclass
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * class Half extends Random {
 *   override random(): number {
 *     return 0.5;
 *   }
 * }
 * // Integers come from random() too: CPython's Half(1).randrange(10) is 6.
 * assertEquals(new Half(1).randrange(10), 6);
 * assertEquals(new Half(1).uniform(0, 4), 2);
 * ```
 *
 * @module
 */

import { decodeHex, encodeHex } from "@std/encoding/hex";
import { describe, optionBag } from "./_args.ts";
import { systemMath } from "./_libm.ts";
import {
  initByArray,
  N as STATE_WORDS,
  seedKey,
  temperAll,
  twist,
} from "./_mt19937.ts";
import {
  floorDiv,
  JS_MATH,
  lgamma,
  type MathLib,
  pyFloor,
  pyLog,
  pyMod,
  pyPow,
} from "./_pymath.ts";

/**
 * A state as returned by {@linkcode Random.getstate}: CPython's shape,
 * `[version, words, gaussNext]`, where `words` is the 624 state words
 * followed by the index. It is plain JSON data, so it travels to and from
 * Python's `json.dumps(random.getstate())` (after `JSON.parse`).
 *
 * @example Saving and restoring a state
 * ```ts
 * import { Random, type RandomState } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * const rng = new Random(3);
 * const saved: RandomState = JSON.parse(JSON.stringify(rng.getstate()));
 * const next = rng.random();
 * rng.setstate(saved);
 * assertEquals(rng.random(), next);
 * assertEquals(saved[1].length, 625);
 * ```
 */
export type RandomState = [
  version: number,
  internal: number[],
  gaussNext: number | null,
];

/**
 * A seed accepted by {@linkcode Random.seed}: a safe integer `number` or a
 * `bigint` (its absolute value), any other `number` (CPython's float hash),
 * a `string` or a `Uint8Array` (SHA-512 based, CPython's version 2), or
 * `null`/`undefined` for OS entropy.
 *
 * @example Seeds of every kind
 * ```ts
 * import { Random, type Seed } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * const seeds: Seed[] = [42, -42, 2n ** 100n, 1.5, 1e20, "text", new Uint8Array([1])];
 * for (const seed of seeds) {
 *   assertEquals(new Random(seed).random(), new Random(seed).random());
 * }
 * assertEquals(new Random(-42).random(), new Random(42n).random());
 * // python3 -c "import random; print(random.Random(1e20).random())"
 * assertEquals(new Random(1e20).random(), 0.9042630156123121);
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
 * Options of the {@linkcode Random} and {@linkcode SystemRandom}
 * constructors.
 *
 * @example The C library's maths, as CPython's
 * ```ts
 * import { Random, type RandomOptions } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * const options: RandomOptions = { math: "system" };
 * const rng = new Random(42, options);
 * assert(rng.gauss() < 10);
 * ```
 *
 * @tags allow-ffi
 */
export interface RandomOptions {
  /**
   * Where the variates' `log`, `exp`, `sin`, `cos`, `acos`, `pow`, `log2`
   * and `sqrt` come from: `"js"` (the default), JavaScript's `Math`,
   * portable and within 1e-12 of CPython; `"system"`, the platform's C math
   * library through `Deno.dlopen` (`libm.so.6`, macOS's `libSystem`,
   * Windows' `ucrtbase.dll`), the library CPython itself calls, so that
   * every variate is bit-identical to CPython's on the same machine. It
   * needs `--allow-ffi`; without the grant the constructor throws
   * `Deno.errors.NotCapable` naming the flag (it never prompts). Used alone
   * it costs about what the default does; generators of both kinds drawing
   * variates in one process slow the system ones (their FFI calls lose
   * V8's fast path at the shared call sites).
   */
  math?: "js" | "system";
}

/**
 * Options of {@linkcode Random.choices}: Python's `weights`, `cum_weights`
 * and `k` keyword arguments.
 *
 * @example Weighted choices
 * ```ts
 * import { type ChoicesOptions, Random } from "@tempkit/tempkit/random";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const options: ChoicesOptions = { weights: [1, 0, 3], k: 4 };
 * const picks = new Random(1).choices(["a", "b", "c"], options);
 * assertEquals(picks.length, 4);
 * assert(!picks.includes("b")); // weight 0 is never chosen
 * // Cumulative weights [1, 1, 4] are the same distribution.
 * assertEquals(
 *   new Random(1).choices(["a", "b", "c"], { cumWeights: [1, 1, 4], k: 4 }),
 *   picks,
 * );
 * ```
 */
export interface ChoicesOptions {
  /** Relative weights, one per population element. */
  weights?: ArrayLike<number> | Iterable<number> | null;
  /** Cumulative weights, one per population element (not with `weights`). */
  cumWeights?: ArrayLike<number> | Iterable<number> | null;
  /** How many elements to draw (default 1). */
  k?: number | bigint;
}

/**
 * Options of {@linkcode Random.sample}: Python's `counts` keyword argument.
 *
 * @example Sampling from repeated elements
 * ```ts
 * import { Random, type SampleOptions } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * // Samples from ["red", "red", "red", "blue"] without building it.
 * const options: SampleOptions = { counts: [3, 1] };
 * const drawn = new Random(5).sample(["red", "blue"], 4, options);
 * assertEquals([...drawn].sort(), ["blue", "red", "red", "red"]);
 * ```
 */
export interface SampleOptions {
  /** Repeat counts: element `i` occurs `counts[i]` times in the population. */
  counts?: ArrayLike<number | bigint> | Iterable<number | bigint> | null;
}

// CPython's constants, as literals (Lib/random.py computes them with libm).
const NV_MAGICCONST = 1.7155277699214135; // 4 * exp(-0.5) / sqrt(2.0)
const LOG4 = 1.3862943611198906; // log(4.0)
const SG_MAGICCONST = 2.504077396776274; // 1.0 + log(4.5)
const TWOPI = 6.283185307179586; // math.tau
const PI = 3.141592653589793; // math.pi
const E = 2.718281828459045; // math.e
const RECIP_BPF = 1.1102230246251565e-16; // 2 ** -53
const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
// Local, so that V8 folds it (an imported binding is read at each use).
const N = STATE_WORDS;

// The largest results the engine can represent, checked before drawing.
// V8's limits; an engine with smaller ones throws its own RangeError, which
// is rethrown naming the method.
const MAX_BIGINT_BITS = 2 ** 30 - 64; // BigInt::kMaxLength 64-bit digits
const MAX_STRING_LENGTH = 2 ** 29 - 24; // String::kMaxLength
const MAX_ARRAY_LENGTH = 2 ** 32 - 1; // any engine: an array index is 32-bit

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SCRATCH32 = new Uint32Array(2);
const SCRATCH64 = new BigUint64Array(SCRATCH32.buffer);
const SCRATCH_WORDS = new Uint32Array(65);
const SCRATCH_CHUNKS = new BigUint64Array(SCRATCH_WORDS.buffer, 0, 32);

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

/** A count of elements for a new array: at most 2**32 - 1. */
function checkArrayLength(fn: string, name: string, k: number): number {
  if (k > MAX_ARRAY_LENGTH) {
    throw new RangeError(
      `${fn}: ${name} ${k} is more elements than an array can hold (2**32 - 1)`,
    );
  }
  return k;
}

/**
 * JavaScript's `ToLength` of an `ArrayLike`'s `length`: NaN and negatives
 * are 0, fractions are truncated, the maximum is 2**53 - 1.
 */
function lengthOf(arr: ArrayLike<unknown>): number {
  const len = arr.length;
  if (len >= 0 && len <= Number.MAX_SAFE_INTEGER && len === Math.floor(len)) {
    return len;
  }
  return len > 0 ? Math.min(Math.floor(len), Number.MAX_SAFE_INTEGER) : 0;
}

/**
 * Indexable view of a population: arrays and other `ArrayLike`s (objects
 * with a numeric `length`) as they are, strings as their code points, other
 * iterables copied. Read its length with {@linkcode lengthOf}.
 */
function toIndexable<T>(
  fn: string,
  name: string,
  pop: ArrayLike<T> | Iterable<T>,
): ArrayLike<T> {
  if (Array.isArray(pop)) return pop;
  if (typeof pop === "string") return Array.from(pop) as T[];
  if (pop !== null && typeof pop === "object") {
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
  const n = checkArrayLength(fn, `${name} length`, lengthOf(arr));
  for (let i = 0; i < n; i++) {
    if (typeof arr[i] !== "number") {
      throw new TypeError(
        `${fn}: ${name} must hold numbers, got ${describe(arr[i])} at ${i}`,
      );
    }
  }
  return arr;
}

/** True for an array, typed array or other iterable: a positional list. */
function isSequence(x: unknown): boolean {
  return Array.isArray(x) || ArrayBuffer.isView(x) ||
    (x !== null && typeof x === "object" &&
      typeof (x as Iterable<unknown>)[Symbol.iterator] === "function");
}

const CHOICES_KEYS = ["weights", "cumWeights", "k"] as const;
const CHOICES_HINTS = {
  weight: 'did you mean "weights"?',
  cumulativeWeights: 'did you mean "cumWeights"?',
  counts: 'counts is an option of sample(); choices takes "weights"',
};
const SAMPLE_KEYS = ["counts"] as const;
const SAMPLE_HINTS = {
  count: 'did you mean "counts"?',
  k: "k is sample's second argument: sample(population, k)",
  weights: "sample() takes no weights; choices() does",
};

/** True for `{ ... }` written as a literal: an options bag, never a list. */
/**
 * An object that is no sequence (no `length`, not iterable): what an options
 * literal is. Cheaper than {@linkcode isPlainObject}'s `getPrototypeOf`,
 * which cost choices() a tenth of its time.
 */
function isOptionsLiteral(x: unknown): x is object {
  return x !== null && typeof x === "object" && !(Symbol.iterator in x) &&
    !("length" in x);
}

function isPlainObject(x: unknown): boolean {
  return x !== null && typeof x === "object" &&
    Object.getPrototypeOf(x) === Object.prototype;
}

/** choices' options bag, checked; Python's positional weights are refused. */
function choicesOptions(options: unknown): ChoicesOptions {
  if (options === undefined) return {};
  if (isOptionsLiteral(options)) {
    // The common case, checked without allocating (choices is a hot call);
    // any other key goes to optionBag, which words the error.
    for (const key in options) {
      if (key !== "weights" && key !== "cumWeights" && key !== "k") {
        return optionBag("choices", options, CHOICES_KEYS, CHOICES_HINTS);
      }
    }
    return options as ChoicesOptions;
  }
  if (isSequence(options)) {
    throw new TypeError(
      "choices: weights go in the options object: choices(population, { weights: [...] }), not as a second argument",
    );
  }
  if (typeof options === "number" || typeof options === "bigint") {
    throw new TypeError(
      `choices: k goes in the options object: choices(population, { k: ${options} })`,
    );
  }
  return optionBag("choices", options, CHOICES_KEYS, CHOICES_HINTS);
}

/** sample's options bag, checked; Python's keyword-only counts as one key. */
function sampleOptions(options: unknown): SampleOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options) && isSequence(options)) {
    throw new TypeError(
      "sample: counts go in the options object: sample(population, k, { counts: [...] }), not as a third argument",
    );
  }
  return optionBag("sample", options, SAMPLE_KEYS, SAMPLE_HINTS);
}

/** The constructor's `{ math }` option: JavaScript's Math or the C library's. */
function mathOption(fn: string, options: unknown): MathLib {
  const { math } = optionBag(fn, options, ["math"]);
  if (math === undefined || math === "js") return JS_MATH;
  if (math === "system") return systemMath(fn);
  throw new TypeError(
    `${fn}: options.math must be "js" or "system", got ${
      typeof math === "string" ? JSON.stringify(math) : describe(math)
    }`,
  );
}

/** `bisect.bisect_right(a, x, lo, hi)`. */
function bisectRight(
  a: ArrayLike<number>,
  x: number,
  lo: number,
  hi: number,
): number {
  // lo + hi fits 32 bits below 2**31 elements (any array); beyond, floats.
  if (hi > 0x7fffffff) {
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (x < a[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// For short outputs encodeHex's fixed cost (copies and a TextDecoder)
// outweighs the work; up to SHORT_HEX bytes the digits are written here.
const SHORT_HEX = 256;
const HEX_BYTES = new Uint8Array(SHORT_HEX);
const HEX_CODES: number[] = new Array(2 * SHORT_HEX).fill(0);

/** The first `n` bytes of `bytes` as lowercase hex (`n <= SHORT_HEX`). */
function shortHex(bytes: Uint8Array, n: number): string {
  const codes = HEX_CODES;
  codes.length = 2 * n;
  for (let i = 0; i < n; i++) {
    const hi = bytes[i] >>> 4;
    const lo = bytes[i] & 15;
    codes[2 * i] = hi + (hi < 10 ? 48 : 87); // "0".."9", "a".."f"
    codes[2 * i + 1] = lo + (lo < 10 ? 48 : 87);
  }
  return String.fromCharCode.apply(null, codes);
}

function bigBitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

/** `n.bit_length()` for 0 < n <= 2**53. */
function bitLength(n: number): number {
  return n > 0xffffffff
    ? 64 - Math.clz32(Math.floor(n / TWO32))
    : 32 - Math.clz32(n);
}

/** CPython's threshold between sample's pool and set methods. */
function setsize(k: number, m: MathLib): number {
  let size = 21;
  if (k > 5) size += 4 ** Math.ceil(m.log(k * 3) / m.log(4));
  return size;
}

/** CPython's `assert n*p >= 10.0 and p <= 0.5` failing (n or p is NaN). */
function binomialAssertion(): RangeError {
  return new RangeError(
    "binomialvariate: n and p must not be NaN (CPython's assertion n*p >= 10.0 and p <= 0.5 fails)",
  );
}

/** binomialvariate's `0.5 - fabs(u)`, a divisor: 0 is CPython's ZeroDivisionError. */
function binomialUs(u: number): number {
  const us = 0.5 - Math.abs(u);
  if (us === 0) throw new RangeError("binomialvariate: float division by zero");
  return us;
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
    if (!signed && x >= 1n << 64n) {
      throw new RangeError(
        "setstate: Python int too large to convert to C unsigned long" +
          where(),
      );
    }
    return Number(BigInt.asIntN(32, x));
  }
  throw new TypeError("setstate: an integer is required" + where());
}

// --- subclasses ---

// How a class draws integers and bytes, decided once per class as CPython's
// __init_subclass__ does: walking up from the class, the first prototype
// that defines getrandbits() or random() (getrandbits first) chooses where
// integers come from, and a getrandbits() overridden anywhere below Random
// is where bytes come from. The float methods call this.random(), which is
// the override where there is one.
const OWN_BITS = 1; // getrandbits() is overridden: bytes come from it
const BELOW_BITS = 2; // integers from getrandbits() (_randbelow_with_getrandbits)
const BELOW_FLOAT = 4; // integers from random() (_randbelow_without_getrandbits)
const DRAWS = new WeakMap<object, number>();

function drawsOf(ctor: { prototype: object }, base: object): number {
  let draws = DRAWS.get(ctor);
  if (draws !== undefined) return draws;
  draws = 0;
  for (
    let p = ctor.prototype;
    p !== base && p !== null;
    p = Object.getPrototypeOf(p)
  ) {
    const bits = Object.hasOwn(p, "getrandbits");
    const random = Object.hasOwn(p, "random");
    if ((draws & (BELOW_BITS | BELOW_FLOAT)) === 0) {
      if (bits) draws |= BELOW_BITS;
      else if (random) draws |= BELOW_FLOAT;
    }
    if (bits) draws |= OWN_BITS;
  }
  DRAWS.set(ctor, draws);
  return draws;
}

/** A getrandbits() override's result as a bigint. */
function overrideBits(r: unknown): bigint {
  if (typeof r === "bigint") return r;
  if (Number.isSafeInteger(r)) return BigInt(r as number);
  throw new TypeError(
    `getrandbits: an override must return a bigint, got ${describe(r)}`,
  );
}

/**
 * A Mersenne Twister generator with the API and the exact output of CPython
 * 3.13's `random.Random`.
 *
 * Every method is bound to its instance, so it can be passed around detached
 * (`const f = rng.random; f()`), e.g. as the `prng` of `@std/random`.
 *
 * As in CPython, a subclass may supply another generator by overriding
 * `random()` and/or `getrandbits()`: every other method then draws through
 * the overrides (integers from `getrandbits()` when the nearest class that
 * defines either defines `getrandbits()`, else from `random()`; bytes from
 * `getrandbits()`; floats from `random()`). The choice is made once per
 * class; `Random` itself keeps its direct path to the generator. Where
 * CPython warns that `random()` has too few bits for a range of 2**53 or
 * more, this prints nothing and draws as CPython does.
 *
 * @example Reproducible draws
 * ```ts
 * import { Random } from "@tempkit/tempkit/random";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const a = new Random("fixture");
 * const b = new Random("fixture");
 * assertEquals(a.sample([1, 2, 3, 4, 5], 3), b.sample([1, 2, 3, 4, 5], 3));
 * const roll = a.randint; // detached methods keep their instance
 * assert(roll(1, 6) >= 1);
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
  // CPython's gauss_next, with a flag beside it rather than null: a field
  // that only holds doubles is updated in place, one that may hold null
  // allocates a number on every store (NaN, not 0, makes it a double field
  // from the start).
  #gaussNext: number = NaN;
  #hasGauss: boolean = false;
  #system: boolean;
  #draws: number;
  #m: MathLib;

  /**
   * Creates a generator seeded with `seed` (see {@linkcode Random.seed});
   * without a seed, from OS entropy. `options.math` chooses where the
   * variates' libm functions come from (see {@linkcode RandomOptions}).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(new Random(0).random(), 0.8444218515250481);
   * ```
   */
  constructor(seed?: Seed, options?: RandomOptions) {
    // SystemRandom shares every algorithm and only swaps the word source.
    this.#system = this instanceof SystemRandom;
    this.#m = mathOption(this.#system ? "SystemRandom" : "Random", options);
    this.#draws = new.target === Random || new.target === SystemRandom
      ? 0
      : drawsOf(new.target, Random.prototype);
    // CPython's SystemRandom defines its own randbytes (os.urandom).
    if (this.#system) this.#draws &= ~OWN_BITS;
    // Bound by name, so that methods work detached while the instance keeps
    // fast properties (see bench/random_bench.ts, group "dictionary mode").
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

  /**
   * A uniform integer in [0, n) for 0 < n <= 2**53 (CPython's `_randbelow`).
   * The common case, a generator of this package and n below 2**32, is kept
   * small enough to inline into its callers.
   */
  #randbelow(n: number): number {
    if (this.#draws >= BELOW_BITS) return this.#randbelowOverride(n);
    if (n > 0xffffffff) return this.#randbelowWide(n);
    const shift = Math.clz32(n); // 32 - n.bit_length()
    const out = this.#out;
    for (;;) {
      if (this.#idx >= N) this.#refill();
      const r = out[this.#idx++] >>> shift;
      if (r < n) return r;
    }
  }

  /** `#randbelow` for 2**32 < n <= 2**53: two words a try. */
  #randbelowWide(n: number): number {
    const hiShift = Math.clz32(Math.floor(n / TWO32)); // 64 - bit_length
    const out = this.#out;
    for (;;) {
      // The first word drawn is the least significant.
      if (this.#idx >= N) this.#refill();
      const lo = out[this.#idx++] >>> 0;
      if (this.#idx >= N) this.#refill();
      const r = lo + (out[this.#idx++] >>> hiShift) * TWO32;
      if (r < n) return r;
    }
  }

  /** `#randbelow` through a subclass's getrandbits() or random(). */
  #randbelowOverride(n: number): number {
    if (this.#draws & BELOW_BITS) {
      const k = bitLength(n);
      const bn = BigInt(n);
      let r = overrideBits(this.getrandbits(k));
      while (r >= bn) r = overrideBits(this.getrandbits(k));
      return Number(r);
    }
    // CPython's _randbelow_without_getrandbits, maxsize = 2**53.
    if (n >= TWO53) return Math.floor(this.random() * n);
    const limit = (TWO53 - TWO53 % n) / TWO53;
    let r = this.random();
    while (r >= limit) r = this.random();
    const x = Math.floor(r * TWO53) % n;
    return x < 0 ? x + n : x; // Python's % (an override may return < 0)
  }

  #randbelowBig(n: bigint): bigint {
    if (n <= 9007199254740992n) return BigInt(this.#randbelow(Number(n)));
    if (this.#draws & BELOW_FLOAT) {
      // CPython warns that random() has too few bits, then scales it.
      const f = Number(n);
      if (f === Infinity) {
        throw new RangeError("randrange: int too large to convert to float");
      }
      return BigInt(Math.floor(this.random() * f));
    }
    const k = bigBitLength(n);
    if (this.#draws & BELOW_BITS) {
      let r = overrideBits(this.getrandbits(k));
      while (r >= n) r = overrideBits(this.getrandbits(k));
      return r;
    }
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
    const bits = k;
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
    // Larger: the words as big-endian hex, which BigInt parses in linear
    // time (the least significant word is drawn first, as in CPython).
    const bytes = new Uint8Array(4 * words);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words; i++, k -= 32) {
      const r = this.#next32();
      view.setUint32(4 * (words - 1 - i), k < 32 ? r >>> (32 - k) : r);
    }
    try {
      return BigInt("0x" + encodeHex(bytes)); // 260 bytes or more
    } catch (err) {
      throw new RangeError(
        `getrandbits: ${bits} bits are more than this engine's BigInt holds`,
        { cause: err },
      );
    }
  }

  /** `n` bytes for `fn` (randbytes or randbytesHex), size checked first. */
  #bytes(fn: string, n: unknown): Uint8Array {
    const size = checkSmallInt(fn, "n", n);
    if (size < 0) {
      throw new RangeError(`${fn}: number of bits must be non-negative`);
    }
    if (this.#draws & OWN_BITS) return this.#bytesFromOverride(fn, size);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(size);
    } catch (err) {
      throw new RangeError(`${fn}: cannot allocate ${size} bytes`, {
        cause: err,
      });
    }
    this.#fill(bytes, size);
    return bytes;
  }

  /** The first `size` bytes of `bytes` from the generator's words. */
  #fill(bytes: Uint8Array, size: number): void {
    // Whole words, then the rest; Math.floor, since size >>> 2 wraps at 2**32.
    const full = Math.floor(size / 4);
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
    const rest = size - 4 * full;
    if (rest > 0) {
      // The last word keeps its most significant bits (getrandbits' shift).
      const w = this.#next32() >>> (32 - 8 * rest);
      for (let i = 0; i < rest; i++) bytes[pos + i] = w >>> (8 * i);
    }
  }

  /** CPython's `getrandbits(n * 8).to_bytes(n, "little")` on an override. */
  #bytesFromOverride(fn: string, size: number): Uint8Array {
    if (8 * size > MAX_BIGINT_BITS) {
      throw new RangeError(
        `${fn}: ${size} bytes are more bits than a BigInt holds (${MAX_BIGINT_BITS})`,
      );
    }
    const x = overrideBits(this.getrandbits(8 * size));
    if (x < 0n || x >> BigInt(8 * size) !== 0n) {
      throw new RangeError(`${fn}: int too big to convert`);
    }
    if (size === 0) return new Uint8Array(0);
    // Little-endian: the hex digits' bytes, least significant first.
    return decodeHex(x.toString(16).padStart(2 * size, "0")).reverse();
  }

  // ------------------------------------------------------------ state

  /**
   * Re-seeds the generator and clears the cached Gaussian, as CPython's
   * `Random.seed(a, version)` does:
   * - `undefined`/`null`: 624 words of OS entropy (`crypto.getRandomValues`);
   * - a safe integer `number` or a `bigint`: its absolute value, all bits
   *   used;
   * - any other `number` (`1.5`, `1e20`, `±Infinity`): CPython's float hash,
   *   so `1e20` seeds as Python's `1e20`, not as `10**20` (that is `10n **
   *   20n`); `NaN` hashes by identity in CPython, so it cannot be reproduced
   *   and is a `RangeError`;
   * - a `string`: its UTF-8 bytes followed by their SHA-512 digest (a string
   *   with a lone surrogate has no UTF-8 form: `RangeError`);
   * - a `Uint8Array`: the same as Python `bytes`.
   *
   * `version` 1 is CPython's legacy algorithm for `str` and `bytes` seeds
   * (a 64-bit hash of the code points, or of the bytes read as Latin-1);
   * numbers seed the same under either version, as in CPython. Anything else
   * is a `TypeError`, and a `version` other than 1 or 2 a `RangeError`
   * (CPython would hash a string with its per-process random key, which
   * cannot be reproduced).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const rng = new Random();
   * rng.seed(2024);
   * const first = rng.random();
   * rng.seed(2024);
   * assertEquals(rng.random(), first);
   * // python3 -c "import random; random.seed('x', version=1); print(random.random())"
   * rng.seed("x", 1);
   * assertEquals(rng.random(), 0.5377813247899501);
   * ```
   */
  seed(a?: Seed, version: 1 | 2 = 2): void {
    if (version !== 1 && version !== 2) {
      const got = typeof version === "number"
        ? String(version)
        : describe(version);
      const why =
        "(CPython's other versions hash a str or bytes seed with a per-process random key)";
      if (typeof version !== "number") {
        throw new TypeError(`seed: version must be 1 or 2, got ${got} ${why}`);
      }
      throw new RangeError(`seed: version must be 1 or 2, got ${got} ${why}`);
    }
    const key = seedKey(a, version) ??
      Array.from(crypto.getRandomValues(new Uint32Array(N)));
    initByArray(this.#mt, key);
    this.#idx = N;
    this.#hasGauss = false;
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
   * import { assertEquals } from "@std/assert";
   *
   * const rng = new Random(7);
   * const state = rng.getstate();
   * const next = rng.random();
   * rng.setstate(state);
   * assertEquals(rng.random(), next);
   * ```
   */
  getstate(): RandomState {
    const words = new Array<number>(N + 1);
    for (let i = 0; i < N; i++) words[i] = this.#mt[i] >>> 0;
    words[N] = this.#idx;
    return [3, words, this.#hasGauss ? this.#gaussNext : null];
  }

  /**
   * Restores a state from {@linkcode Random.getstate} or from Python's
   * `random.getstate()` (a list parsed from JSON works as well as a tuple).
   * Version 2 states (signed words) are accepted as CPython accepts them.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const a = new Random(1);
   * const b = new Random(2);
   * b.setstate(a.getstate());
   * assertEquals(b.random(), a.random());
   * // From Python: json.dumps(random.getstate()), parsed.
   * b.setstate(JSON.parse(JSON.stringify(a.getstate())));
   * assertEquals(b.random(), a.random());
   * ```
   */
  setstate(state: RandomState): void {
    if (!Array.isArray(state) || state.length !== 3) {
      throw new TypeError(
        "setstate: state must be an array [version, words, gaussNext]",
      );
    }
    const [version, internal, gaussNext] = state as unknown[];
    if (version !== 3 && version !== 2) {
      if (typeof version !== "number" && typeof version !== "bigint") {
        throw new TypeError(
          `setstate: the version must be a number, got ${describe(version)}`,
        );
      }
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
      throw new TypeError(
        `setstate: the state vector must be an array, got ${
          describe(internal)
        }`,
      );
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
    this.#hasGauss = gaussNext !== null;
    this.#gaussNext = gaussNext ?? NaN;
  }

  // ------------------------------------------------------------ bits

  /**
   * The next float in [0, 1): 53 random bits over 2**53, as CPython's
   * `random()`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const f = new Random(42).random; // works detached
   * assertEquals(f(), 0.6394267984578837);
   * ```
   */
  random(): number {
    const i = this.#idx;
    if (i < N - 1) {
      const out = this.#out;
      this.#idx = i + 2;
      return ((out[i] >>> 5) * 67108864 + (out[i + 1] >>> 6)) * RECIP_BPF;
    }
    // The two words straddle a refill. (Written here rather than in a
    // private method: that costs the float methods inlining random() 10%.)
    const a = this.#next32() >>> 5;
    const b = this.#next32() >>> 6;
    return (a * 67108864 + b) * RECIP_BPF;
  }

  /**
   * A non-negative `bigint` with `k` random bits (`k >= 0`), as CPython's
   * `getrandbits(k)`. More bits than a `BigInt` holds (2**30 - 64 in V8) is
   * a `RangeError`, before anything is drawn.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const x = new Random(1).getrandbits(100);
   * assert(x >= 0n && x < 2n ** 100n);
   * ```
   */
  getrandbits(k: number | bigint): bigint {
    const bits = checkSmallInt("getrandbits", "k", k);
    if (bits < 0) {
      throw new RangeError("getrandbits: number of bits must be non-negative");
    }
    if (bits > MAX_BIGINT_BITS) {
      throw new RangeError(
        `getrandbits: k ${bits} is more bits than a BigInt holds (${MAX_BIGINT_BITS})`,
      );
    }
    return this.#getrandbits(bits);
  }

  /**
   * `n` random bytes: CPython's `getrandbits(8 * n).to_bytes(n, "little")`.
   * A size the engine cannot allocate is a `RangeError`, before anything is
   * drawn.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(new Random(3).randbytes(16).length, 16);
   * ```
   */
  randbytes(n: number | bigint): Uint8Array {
    return this.#bytes("randbytes", n);
  }

  /**
   * `randbytes(n)` as `2 * n` lowercase hex characters (Python's
   * `randbytes(n).hex()`). More than a string holds (2**29 - 24 characters
   * in V8) is a `RangeError`, before anything is drawn.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertMatch } from "@std/assert";
   *
   * assertMatch(new Random(3).randbytesHex(8), /^[0-9a-f]{16}$/);
   * ```
   */
  randbytesHex(n: number | bigint): string {
    const size = checkSmallInt("randbytesHex", "n", n);
    if (2 * size > MAX_STRING_LENGTH) {
      throw new RangeError(
        `randbytesHex: n ${size} needs ${
          2 * size
        } characters, more than a string holds (${MAX_STRING_LENGTH})`,
      );
    }
    if (size >= 0 && size <= SHORT_HEX && (this.#draws & OWN_BITS) === 0) {
      // Short: the bytes go through a scratch buffer, not a new one.
      this.#fill(HEX_BYTES, size);
      return shortHex(HEX_BYTES, size);
    }
    return encodeHex(this.#bytes("randbytesHex", size));
  }

  // ------------------------------------------------------------ integers

  /**
   * A random element of `range(stop)` or `range(start, stop, step)`, as
   * CPython's `randrange`. The result is a `bigint` when any argument is.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const rng = new Random(5);
   * assertEquals(rng.randrange(0, 100, 10) % 10, 0);
   * assertEquals(typeof rng.randrange(10n ** 30n), "bigint");
   * ```
   */
  randrange(stop: number): number;
  /**
   * A random element of `range(start, stop, step)` (`step` defaults to 1).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const odd = new Random(5).randrange(1, 100, 2);
   * assertEquals(odd % 2, 1);
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
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(new Random(5).randrange(10, null), new Random(5).randrange(10));
   * ```
   */
  randrange(stop: number, none: null | undefined, step?: 1): number;
  /**
   * A random `bigint` in [0, stop).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const id = new Random(5).randrange(2n ** 128n);
   * assert(id >= 0n && id < 2n ** 128n);
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
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(new Random(5).randrange(5, null, 1n), new Random(5).randrange(5n));
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
   * import { assertEquals } from "@std/assert";
   *
   * const big = new Random(5).randrange(0, 10n ** 20n, 5n);
   * assertEquals(big % 5n, 0n);
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
   * import { assert } from "@std/assert";
   *
   * const die = new Random(9).randint(1, 6);
   * assert(die >= 1 && die <= 6);
   * ```
   */
  randint(a: number, b: number): number;
  /**
   * A random `bigint` in [a, b] when `a` or `b` is a `bigint`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const x = new Random(9).randint(1n, 2n ** 64n);
   * assert(x >= 1n && x <= 2n ** 64n);
   * ```
   */
  randint(a: number | bigint, b: number | bigint): bigint;
  randint(a: number | bigint, b: number | bigint): number | bigint {
    // The common case first: safe integers, a range below 2**32. A wider or
    // rounded width goes the checked way below.
    if (
      typeof a === "number" && typeof b === "number" &&
      Number.isSafeInteger(a) && Number.isSafeInteger(b)
    ) {
      const width = b + 1 - a;
      if (width > 0 && width <= 0xffffffff) return a + this.#randbelow(width);
    }
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
   * import { assert } from "@std/assert";
   *
   * const color = new Random(1).choice(["red", "green", "blue"]);
   * assert(["red", "green", "blue"].includes(color));
   * ```
   */
  choice<T>(seq: ArrayLike<T> | Iterable<T>): T {
    const arr = toIndexable("choice", "seq", seq);
    const n = lengthOf(arr);
    if (n === 0) {
      throw new RangeError("choice: Cannot choose from an empty sequence");
    }
    return arr[this.#randbelow(n)];
  }

  /**
   * `k` elements chosen with replacement, optionally weighted by `weights`
   * or cumulative `cumWeights` (not both), as CPython's `choices`. The
   * options are Python's keyword arguments; an unknown one (`cum_weights`,
   * `weight`) is a `TypeError` naming the right one, and so are weights
   * passed as a second argument, as Python allows.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const picks = new Random(4).choices(["a", "b"], { weights: [0, 1], k: 3 });
   * assertEquals(picks, ["b", "b", "b"]);
   * ```
   */
  choices<T>(
    population: ArrayLike<T> | Iterable<T>,
    options?: ChoicesOptions,
  ): T[] {
    const pop = toIndexable("choices", "population", population);
    const n = lengthOf(pop);
    const { weights, cumWeights, k: rawK } = choicesOptions(options);
    const k = rawK === undefined
      ? 1
      : checkArrayLength("choices", "k", checkSmallInt("choices", "k", rawK));
    let cum: ArrayLike<number>;
    if (cumWeights === undefined || cumWeights === null) {
      if (weights === undefined || weights === null) {
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
      const w = toNumberArray("choices", "weights", weights);
      // itertools.accumulate: the first weight as it is, then running sums.
      const acc = new Array<number>(lengthOf(w));
      for (let i = 0; i < acc.length; i++) {
        acc[i] = i === 0 ? w[0] : acc[i - 1] + w[i];
      }
      cum = acc;
    } else if (weights !== undefined && weights !== null) {
      throw new TypeError(
        "choices: Cannot specify both weights and cumulative weights",
      );
    } else {
      cum = toNumberArray("choices", "cumWeights", cumWeights);
    }
    if (lengthOf(cum) !== n) {
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
   * import { assertEquals } from "@std/assert";
   *
   * const deck = [1, 2, 3, 4, 5];
   * assertEquals(new Random(8).shuffle(deck), deck);
   * assertEquals([...deck].sort(), [1, 2, 3, 4, 5]);
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
    const n = lengthOf(x);
    if (n <= 0xffffffff && this.#draws < BELOW_BITS) {
      // #randbelow's common case written out: one word per swap.
      const out = this.#out;
      for (let i = n - 1; i > 0; i--) {
        const shift = Math.clz32(i + 1);
        let j: number;
        do {
          if (this.#idx >= N) this.#refill();
          j = out[this.#idx++] >>> shift;
        } while (j > i);
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
      }
      return x;
    }
    for (let i = n - 1; i > 0; i--) {
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
   * { counts: [3, 1] })` samples from `["a", "a", "a", "b"]`; an unknown
   * option, or counts passed as a third argument, is a `TypeError`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const winners = new Random(10).sample(["ann", "bob", "cy", "dee"], 2);
   * assertEquals(new Set(winners).size, 2);
   * ```
   */
  sample<T>(
    population: ArrayLike<T> | Iterable<T>,
    k: number | bigint,
    options?: SampleOptions,
  ): T[] {
    const pop = toIndexable("sample", "population", population);
    const n = lengthOf(pop);
    const kk = checkSmallInt("sample", "k", k);
    const { counts: rawCounts } = sampleOptions(options);
    if (rawCounts !== undefined && rawCounts !== null) {
      const counts = toIndexable("sample", "counts", rawCounts);
      if (lengthOf(counts) !== n) {
        throw new RangeError(
          "sample: The number of counts does not match the population",
        );
      }
      const cum = new Array<number>(
        checkArrayLength("sample", "population length", n),
      );
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
    checkArrayLength("sample", "k", kk);
    if (n <= setsize(kk, this.#m)) {
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
    checkArrayLength("sample", "k", k);
    if (n <= setsize(k, this.#m)) {
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
  // ------------------------------------------------------------ floats

  /**
   * A float in [a, b) or [a, b] depending on rounding: `a + (b - a) *
   * random()`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const x = new Random(2).uniform(10, 20);
   * assert(x >= 10 && x <= 20);
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
   * import { assert } from "@std/assert";
   *
   * const x = new Random(2).triangular(0, 10, 8);
   * assert(x >= 0 && x <= 10);
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
    return low + (high - low) * this.#m.sqrt(u * c);
  }

  /**
   * Normal distribution by the Kinderman–Monahan ratio method (CPython's
   * `normalvariate`).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(typeof new Random(1).normalvariate(100, 15), "number");
   * ```
   */
  normalvariate(mu: number = 0.0, sigma: number = 1.0): number {
    checkNumber("normalvariate", "mu", mu);
    checkNumber("normalvariate", "sigma", sigma);
    return this.#normal("normalvariate", mu, sigma);
  }

  #normal(fn: string, mu: number, sigma: number): number {
    const m = this.#m;
    let z: number;
    for (;;) {
      const u1 = this.random();
      const u2 = 1.0 - this.random();
      z = NV_MAGICCONST * (u1 - 0.5) / u2;
      const zz = z * z / 4.0;
      if (zz <= -pyLog(fn, m, u2)) break;
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
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(typeof new Random(1).gauss(), "number");
   * ```
   */
  gauss(mu: number = 0.0, sigma: number = 1.0): number {
    checkNumber("gauss", "mu", mu);
    checkNumber("gauss", "sigma", sigma);
    if (this.#hasGauss) {
      this.#hasGauss = false;
      return mu + this.#gaussNext * sigma;
    }
    const m = this.#m;
    const x2pi = this.random() * TWOPI;
    const g2rad = m.sqrt(-2.0 * pyLog("gauss", m, 1.0 - this.random()));
    const z = m.cos(x2pi) * g2rad;
    this.#gaussNext = m.sin(x2pi) * g2rad;
    this.#hasGauss = true;
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
   * import { assert } from "@std/assert";
   *
   * assert(new Random(1).lognormvariate(0, 1) > 0);
   * ```
   */
  lognormvariate(mu: number, sigma: number): number {
    checkNumber("lognormvariate", "mu", mu);
    checkNumber("lognormvariate", "sigma", sigma);
    const x = this.#normal("lognormvariate", mu, sigma);
    const r = this.#m.exp(x);
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
   * import { assert } from "@std/assert";
   *
   * assert(new Random(1).expovariate(2) >= 0);
   * ```
   */
  expovariate(lambd: number = 1.0): number {
    checkNumber("expovariate", "lambd", lambd);
    // CPython: -log(1.0 - random()) / lambd; the draw comes first.
    const u = 1.0 - this.random();
    if (lambd === 0) {
      throw new RangeError("expovariate: float division by zero");
    }
    return -pyLog("expovariate", this.#m, u) / lambd;
  }

  /**
   * Von Mises distribution: angle in [0, 2π) around `mu` with concentration
   * `kappa` (Fisher's algorithm, as CPython).
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const theta = new Random(1).vonmisesvariate(Math.PI, 4);
   * assert(theta >= 0 && theta < 2 * Math.PI);
   * ```
   */
  vonmisesvariate(mu: number, kappa: number): number {
    checkNumber("vonmisesvariate", "mu", mu);
    checkNumber("vonmisesvariate", "kappa", kappa);
    if (kappa <= 1e-6) return TWOPI * this.random();
    const m = this.#m;
    const s = 0.5 / kappa;
    const r = s + m.sqrt(1.0 + s * s);
    let z: number;
    for (;;) {
      const u1 = this.random();
      z = m.cos(PI * u1);
      const d = z / (r + z);
      const u2 = this.random();
      if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * m.exp(d)) break;
    }
    const q = 1.0 / r;
    const f = (q + z) / (1.0 + q * z);
    const u3 = this.random();
    const theta = m.acos(f);
    if (Number.isNaN(theta) && !Number.isNaN(f)) {
      throw new RangeError("vonmisesvariate: math domain error");
    }
    return u3 > 0.5 ? pyMod(mu + theta, TWOPI) : pyMod(mu - theta, TWOPI);
  }

  /**
   * Gamma distribution with shape `alpha > 0` and scale `beta > 0` (not the
   * gamma function), CPython's three-branch algorithm.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * assert(new Random(1).gammavariate(2, 3) > 0);
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
    const m = this.#m;
    if (alpha > 1.0) {
      // R.C.H. Cheng (1977), as CPython.
      const ainv = m.sqrt(2.0 * alpha - 1.0);
      const bbb = alpha - LOG4;
      const ccc = alpha + ainv;
      for (;;) {
        const u1 = this.random();
        if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
        const u2 = 1.0 - this.random();
        const v = pyLog(fn, m, u1 / (1.0 - u1)) / ainv;
        const x = alpha * m.exp(v);
        const z = u1 * u1 * u2;
        const r = bbb + ccc * v - x;
        if (r + SG_MAGICCONST - 4.5 * z >= 0.0 || r >= pyLog(fn, m, z)) {
          return x * beta;
        }
      }
    }
    if (alpha === 1.0) return -pyLog(fn, m, 1.0 - this.random()) * beta;
    // Algorithm GS of Kennedy & Gentle, for 0 < alpha < 1.
    let x: number;
    for (;;) {
      const u = this.random();
      const b = (E + alpha) / E;
      const p = b * u;
      if (p <= 1.0) x = pyPow(fn, m, p, 1.0 / alpha);
      else x = -pyLog(fn, m, (b - p) / alpha);
      const u1 = this.random();
      if (p > 1.0) {
        if (u1 <= pyPow(fn, m, x, alpha - 1.0)) break;
      } else if (u1 <= m.exp(-x)) break;
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
   * import { assert } from "@std/assert";
   *
   * const x = new Random(1).betavariate(2, 5);
   * assert(x >= 0 && x <= 1);
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
   * import { assert } from "@std/assert";
   *
   * assert(new Random(1).paretovariate(3) >= 1);
   * ```
   */
  paretovariate(alpha: number): number {
    checkNumber("paretovariate", "alpha", alpha);
    const u = 1.0 - this.random();
    if (alpha === 0) {
      throw new RangeError("paretovariate: float division by zero");
    }
    return pyPow("paretovariate", this.#m, u, -1.0 / alpha);
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
   * import { assert } from "@std/assert";
   *
   * assert(new Random(1).weibullvariate(1, 1.5) >= 0);
   * ```
   */
  weibullvariate(alpha: number, beta: number): number {
    checkNumber("weibullvariate", "alpha", alpha);
    checkNumber("weibullvariate", "beta", beta);
    const u = 1.0 - this.random();
    if (beta === 0) {
      throw new RangeError("weibullvariate: float division by zero");
    }
    const m = this.#m;
    return alpha *
      pyPow("weibullvariate", m, -pyLog("weibullvariate", m, u), 1.0 / beta);
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
   * import { assert } from "@std/assert";
   *
   * const heads = new Random(1).binomialvariate(100, 0.5);
   * assert(heads >= 0 && heads <= 100);
   * ```
   */
  binomialvariate(n?: number, p?: number): number;
  /**
   * A `bigint` count of successes when `n` is a `bigint`.
   *
   * @example
   * ```ts
   * import { Random } from "@tempkit/tempkit/random";
   * import { assertEquals } from "@std/assert";
   *
   * const k = new Random(1).binomialvariate(10n ** 30n, 0.5);
   * assertEquals(typeof k, "bigint");
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
    const m = this.#m;
    if (n * p < 10.0) {
      // BG: Devroye's geometric method, O(np).
      let x = 0;
      let y = 0;
      const log2 = m.log2; // the loop's libm call, looked up once
      const c = log2(1.0 - p);
      if (!c) return x;
      for (;;) {
        const u = this.random();
        if (u <= 0) throw new RangeError("binomialvariate: math domain error");
        y += pyFloor("binomialvariate", log2(u) / c) + 1;
        if (y > n) return x;
        x += 1;
      }
    }
    if (!(n * p >= 10.0 && p <= 0.5)) throw binomialAssertion();
    // BTRS: Hörmann's transformed rejection with squeeze.
    const spq = m.sqrt(n * p * (1.0 - p));
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    let setupComplete = false;
    let alpha = 0;
    let lpq = 0;
    let mode = 0;
    let h = 0;
    for (;;) {
      const u = this.random() - 0.5;
      const us = binomialUs(u);
      const k = pyFloor("binomialvariate", (2.0 * a / us + b) * u + c);
      if (k < 0 || k > n) continue;
      let v = this.random();
      if (us >= 0.07 && v <= vr) return k;
      if (!setupComplete) {
        alpha = (2.83 + 5.1 / b) * spq;
        lpq = pyLog("binomialvariate", m, p / (1.0 - p));
        mode = pyFloor("binomialvariate", (n + 1) * p);
        h = lgamma("binomialvariate", m, mode + 1) +
          lgamma("binomialvariate", m, n - mode + 1);
        setupComplete = true;
      }
      v *= alpha / (a / (us * us) + b);
      if (
        pyLog("binomialvariate", m, v) <=
          h - lgamma("binomialvariate", m, k + 1) -
            lgamma("binomialvariate", m, n - k + 1) + (k - mode) * lpq
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
    const m = this.#m;
    if (fn * p < 10.0) {
      let x = 0n;
      let y = 0n;
      const log2 = m.log2;
      const c = log2(1.0 - p);
      if (!c) return x;
      for (;;) {
        const u = this.random();
        if (u <= 0) throw new RangeError("binomialvariate: math domain error");
        y += BigInt(pyFloor("binomialvariate", log2(u) / c)) + 1n;
        if (y > n) return x;
        x += 1n;
      }
    }
    if (!(fn * p >= 10.0 && p <= 0.5)) throw binomialAssertion();
    const spq = m.sqrt(fn * p * (1.0 - p));
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = fn * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    let setupComplete = false;
    let alpha = 0;
    let lpq = 0;
    let mode = 0n;
    let h = 0;
    for (;;) {
      const u = this.random() - 0.5;
      const us = binomialUs(u);
      const kf = pyFloor("binomialvariate", (2.0 * a / us + b) * u + c);
      if (kf < 0 || kf > n) continue; // a number against a bigint: exact
      const k = BigInt(kf);
      let v = this.random();
      if (us >= 0.07 && v <= vr) return k;
      if (!setupComplete) {
        alpha = (2.83 + 5.1 / b) * spq;
        lpq = pyLog("binomialvariate", m, p / (1.0 - p));
        mode = BigInt(pyFloor("binomialvariate", Number(n + 1n) * p));
        h = lgamma("binomialvariate", m, Number(mode + 1n)) +
          lgamma("binomialvariate", m, Number(n - mode + 1n));
        setupComplete = true;
      }
      v *= alpha / (a / (us * us) + b);
      if (
        pyLog("binomialvariate", m, v) <=
          h - lgamma("binomialvariate", m, Number(k + 1n)) -
            lgamma("binomialvariate", m, Number(n - k + 1n)) +
            Number(k - mode) * lpq
      ) {
        return k;
      }
    }
  }
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
 * import { assertEquals } from "@std/assert";
 *
 * const token = new SystemRandom().randbytesHex(16);
 * assertEquals(token.length, 32);
 * ```
 */
export class SystemRandom extends Random {
  /**
   * Creates a generator over OS entropy; `seed` is ignored, `options` are
   * {@linkcode Random}'s.
   *
   * @example
   * ```ts
   * import { SystemRandom } from "@tempkit/tempkit/random";
   * import { assert } from "@std/assert";
   *
   * const x = new SystemRandom(42).random(); // 42 is ignored
   * assert(x >= 0 && x < 1);
   * ```
   */
  constructor(seed?: Seed, options?: RandomOptions) {
    super(seed, options);
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
  override seed(_a?: Seed, _version?: 1 | 2): void {}

  /**
   * Always throws: OS entropy has no state.
   *
   * @example
   * ```ts
   * import { SystemRandom } from "@tempkit/tempkit/random";
   * import { assertThrows } from "@std/assert";
   *
   * assertThrows(() => new SystemRandom().getstate(), TypeError);
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
   * import { assertThrows } from "@std/assert";
   *
   * const state = new Random(1).getstate();
   * assertThrows(() => new SystemRandom().setstate(state), TypeError);
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
 * import { assertEquals } from "@std/assert";
 *
 * seed(42);
 * assertEquals(random(), 0.6394267984578837);
 * ```
 */
export const seed: Random["seed"] = inst.seed;
/**
 * The shared generator's state; see {@linkcode Random.getstate}.
 *
 * @example
 * ```ts
 * import { getstate, random, setstate } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * const state = getstate();
 * const x = random();
 * setstate(state);
 * assertEquals(random(), x);
 * ```
 */
export const getstate: Random["getstate"] = inst.getstate;
/**
 * Restores the shared generator's state; see {@linkcode Random.setstate}.
 *
 * @example
 * ```ts
 * import { getstate, randint, setstate } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * const state = getstate();
 * const a = randint(1, 100);
 * setstate(state);
 * assertEquals(randint(1, 100), a);
 * ```
 */
export const setstate: Random["setstate"] = inst.setstate;
/**
 * A float in [0, 1) from the shared generator; see {@linkcode Random.random}.
 *
 * @example
 * ```ts
 * import { random } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * const x = random();
 * assert(x >= 0 && x < 1);
 * ```
 */
export const random: Random["random"] = inst.random;
/**
 * `k` random bits as a `bigint`; see {@linkcode Random.getrandbits}.
 *
 * @example
 * ```ts
 * import { getrandbits } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(getrandbits(64) < 2n ** 64n);
 * ```
 */
export const getrandbits: Random["getrandbits"] = inst.getrandbits;
/**
 * `n` random bytes; see {@linkcode Random.randbytes}.
 *
 * @example
 * ```ts
 * import { randbytes } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(randbytes(10).length, 10);
 * ```
 */
export const randbytes: Random["randbytes"] = inst.randbytes;
/**
 * `n` random bytes as hex; see {@linkcode Random.randbytesHex}.
 *
 * @example
 * ```ts
 * import { randbytesHex } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(randbytesHex(4).length, 8);
 * ```
 */
export const randbytesHex: Random["randbytesHex"] = inst.randbytesHex;
/**
 * A random element of a range; see {@linkcode Random.randrange}.
 *
 * @example
 * ```ts
 * import { randrange } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(randrange(0, 10, 2) % 2, 0);
 * ```
 */
export const randrange: Random["randrange"] = inst.randrange;
/**
 * A random integer in [a, b]; see {@linkcode Random.randint}.
 *
 * @example
 * ```ts
 * import { randint } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * const d = randint(1, 6);
 * assert(d >= 1 && d <= 6);
 * ```
 */
export const randint: Random["randint"] = inst.randint;
/**
 * A random element; see {@linkcode Random.choice}.
 *
 * @example
 * ```ts
 * import { choice } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(["x", "y"].includes(choice(["x", "y"])));
 * ```
 */
export const choice: Random["choice"] = inst.choice;
/**
 * Elements chosen with replacement; see {@linkcode Random.choices}.
 *
 * @example
 * ```ts
 * import { choices } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(choices([1, 2, 3], { k: 5 }).length, 5);
 * ```
 */
export const choices: Random["choices"] = inst.choices;
/**
 * Shuffles in place; see {@linkcode Random.shuffle}.
 *
 * @example
 * ```ts
 * import { shuffle } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(shuffle([3, 1, 2]).sort(), [1, 2, 3]);
 * ```
 */
export const shuffle: Random["shuffle"] = inst.shuffle;
/**
 * Elements chosen without replacement; see {@linkcode Random.sample}.
 *
 * @example
 * ```ts
 * import { sample } from "@tempkit/tempkit/random";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new Set(sample([1, 2, 3, 4], 3)).size, 3);
 * ```
 */
export const sample: Random["sample"] = inst.sample;
/**
 * A float in [a, b]; see {@linkcode Random.uniform}.
 *
 * @example
 * ```ts
 * import { uniform } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * const x = uniform(-1, 1);
 * assert(x >= -1 && x <= 1);
 * ```
 */
export const uniform: Random["uniform"] = inst.uniform;
/**
 * Triangular distribution; see {@linkcode Random.triangular}.
 *
 * @example
 * ```ts
 * import { triangular } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * const x = triangular(0, 1, 0.2);
 * assert(x >= 0 && x <= 1);
 * ```
 */
export const triangular: Random["triangular"] = inst.triangular;
/**
 * Gaussian distribution; see {@linkcode Random.gauss}.
 *
 * @example
 * ```ts
 * import { gauss } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(Number.isFinite(gauss(0, 1)));
 * ```
 */
export const gauss: Random["gauss"] = inst.gauss;
/**
 * Normal distribution; see {@linkcode Random.normalvariate}.
 *
 * @example
 * ```ts
 * import { normalvariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(Number.isFinite(normalvariate(0, 1)));
 * ```
 */
export const normalvariate: Random["normalvariate"] = inst.normalvariate;
/**
 * Log-normal distribution; see {@linkcode Random.lognormvariate}.
 *
 * @example
 * ```ts
 * import { lognormvariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(lognormvariate(0, 1) > 0);
 * ```
 */
export const lognormvariate: Random["lognormvariate"] = inst.lognormvariate;
/**
 * Exponential distribution; see {@linkcode Random.expovariate}.
 *
 * @example
 * ```ts
 * import { expovariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(expovariate() >= 0);
 * ```
 */
export const expovariate: Random["expovariate"] = inst.expovariate;
/**
 * Von Mises distribution; see {@linkcode Random.vonmisesvariate}.
 *
 * @example
 * ```ts
 * import { vonmisesvariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(vonmisesvariate(0, 1) < 2 * Math.PI);
 * ```
 */
export const vonmisesvariate: Random["vonmisesvariate"] = inst.vonmisesvariate;
/**
 * Gamma distribution; see {@linkcode Random.gammavariate}.
 *
 * @example
 * ```ts
 * import { gammavariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(gammavariate(0.5, 1) >= 0);
 * ```
 */
export const gammavariate: Random["gammavariate"] = inst.gammavariate;
/**
 * Beta distribution; see {@linkcode Random.betavariate}.
 *
 * @example
 * ```ts
 * import { betavariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(betavariate(2, 2) <= 1);
 * ```
 */
export const betavariate: Random["betavariate"] = inst.betavariate;
/**
 * Pareto distribution; see {@linkcode Random.paretovariate}.
 *
 * @example
 * ```ts
 * import { paretovariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(paretovariate(2) >= 1);
 * ```
 */
export const paretovariate: Random["paretovariate"] = inst.paretovariate;
/**
 * Weibull distribution; see {@linkcode Random.weibullvariate}.
 *
 * @example
 * ```ts
 * import { weibullvariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(weibullvariate(1, 2) >= 0);
 * ```
 */
export const weibullvariate: Random["weibullvariate"] = inst.weibullvariate;
/**
 * Binomial distribution; see {@linkcode Random.binomialvariate}.
 *
 * @example
 * ```ts
 * import { binomialvariate } from "@tempkit/tempkit/random";
 * import { assert } from "@std/assert";
 *
 * assert(binomialvariate(10, 0.3) <= 10);
 * ```
 */
export const binomialvariate: Random["binomialvariate"] = inst.binomialvariate;
