// Private: the parts of CPython's float arithmetic that random.py relies on
// and JavaScript spells differently: `math.lgamma` (JavaScript has none),
// Python's float `%`, `math.floor` and `**`. The libm functions come in as a
// `MathLib`, so that the same code runs on V8's `Math` (the default) or on
// the C library CPython itself calls (`{ math: "system" }`, see _libm.ts).

/** The C math library functions random.py and its `lgamma` call. */
export interface MathLib {
  readonly log: (x: number) => number;
  readonly log2: (x: number) => number;
  readonly exp: (x: number) => number;
  readonly sin: (x: number) => number;
  readonly cos: (x: number) => number;
  readonly acos: (x: number) => number;
  readonly sqrt: (x: number) => number;
  readonly pow: (x: number, y: number) => number;
}

/** JavaScript's own `Math`: portable, within 1e-12 of the C library. */
export const JS_MATH: MathLib = Object.freeze({
  log: Math.log,
  log2: Math.log2,
  exp: Math.exp,
  sin: Math.sin,
  cos: Math.cos,
  acos: Math.acos,
  sqrt: Math.sqrt,
  pow: Math.pow,
});

/** Python's float `%`: the result takes the sign of the divisor. */
export function pyMod(x: number, y: number): number {
  let mod = x % y;
  if (mod) {
    if ((y < 0) !== (mod < 0)) mod += y;
  } else {
    mod = y < 0 ? -0 : 0;
  }
  return mod;
}

/** Python's `//` on integers: the floor of the quotient. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Python's `math.floor` on a float: an error for infinities and NaN. */
export function pyFloor(fn: string, x: number): number {
  if (Number.isFinite(x)) return Math.floor(x);
  throw new RangeError(
    `${fn}: cannot convert float ${
      Number.isNaN(x) ? "NaN" : "infinity"
    } to integer`,
  );
}

/**
 * Python's float `**` where it differs from C's `pow`: `0 ** negative` is
 * CPython's ZeroDivisionError, and a finite power too large for a float its
 * OverflowError (both `RangeError`s here); `1 ** nan` and `(±1) ** ±inf`
 * are 1, which C gives and V8 does not. Bases are never negative where this
 * is used.
 */
export function pyPow(fn: string, m: MathLib, x: number, y: number): number {
  const r = m.pow(x, y);
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

// --- lgamma: a port of CPython's m_lgamma (Modules/mathmodule.c) ---

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
const PI = 3.141592653589793; // mathmodule.c's pi
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

function sinpi(x: number, m: MathLib): number {
  const y = Math.abs(x) % 2.0;
  const n = Math.round(2.0 * y); // y >= 0: C's round() and Math.round agree
  let r: number;
  switch (n) {
    case 0:
      r = m.sin(PI * y);
      break;
    case 1:
      r = m.cos(PI * (y - 0.5));
      break;
    case 2:
      r = m.sin(PI * (1.0 - y));
      break;
    case 3:
      r = -m.cos(PI * (y - 1.5));
      break;
    default:
      r = m.sin(PI * (y - 2.0));
  }
  return (x < 0 || Object.is(x, -0) ? -1 : 1) * r;
}

/**
 * ln|Γ(x)| as CPython's `math.lgamma` computes it (Lanczos, N=13), with
 * CPython's errors (`fn: math domain error` at the poles, `fn: math range
 * error` for an infinite result).
 */
export function lgamma(fn: string, m: MathLib, x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? x : Infinity;
  if (x === Math.floor(x) && x <= 2.0) {
    if (x <= 0.0) throw new RangeError(`${fn}: math domain error`);
    return 0.0;
  }
  const absx = Math.abs(x);
  if (absx < 1e-20) return -m.log(absx);
  let r = m.log(lanczosSum(absx)) - LANCZOS_G;
  r += (absx - 0.5) * (m.log(absx + LANCZOS_G - 0.5) - 1);
  if (x < 0.0) {
    r = LOGPI - m.log(Math.abs(sinpi(absx, m))) - m.log(absx) - r;
  }
  if (r === Infinity) throw new RangeError(`${fn}: math range error`);
  return r;
}

/** Python's `math.log`: a non-positive argument is its ValueError. */
export function pyLog(fn: string, m: MathLib, x: number): number {
  if (x > 0) return m.log(x);
  if (Number.isNaN(x)) return x;
  throw new RangeError(`${fn}: math domain error`);
}
