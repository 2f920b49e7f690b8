// Private: the platform's C math library through Deno's FFI, for
// `new Random(seed, { math: "system" })`. CPython's variates call libm, and
// V8's `Math` differs from it in the last bit for about 0.1% of inputs; the
// same library called here gives CPython's bits exactly. This is the one part
// of random.ts that needs Deno (and `--allow-ffi`); nothing here runs unless
// that option is passed.

import type { MathLib } from "./_pymath.ts";
import { isGranted, notCapable } from "./_permissions.ts";

const UNARY = { parameters: ["f64"], result: "f64" } as const;
const SYMBOLS = {
  log: UNARY,
  log2: UNARY,
  exp: UNARY,
  sin: UNARY,
  cos: UNARY,
  acos: UNARY,
  sqrt: UNARY,
  pow: { parameters: ["f64", "f64"], result: "f64" },
} as const;

let loaded: MathLib | undefined;

/** The C library that holds libm on this platform (the one CPython links). */
function libraryName(os: typeof Deno.build.os): string {
  switch (os) {
    case "windows":
      return "ucrtbase.dll";
    case "darwin":
      return "/usr/lib/libSystem.B.dylib";
    case "freebsd":
      return "libm.so.5";
    case "android":
      return "libm.so";
    default:
      return "libm.so.6";
  }
}

/**
 * The C library's math functions, loaded once per process. Without Deno's
 * FFI a `TypeError`; without `--allow-ffi` the package's permission error
 * (checked first, so there is never a prompt). `fn` names the caller.
 */
export function systemMath(fn: string): MathLib {
  if (loaded !== undefined) return loaded;
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (typeof deno?.dlopen !== "function") {
    throw new TypeError(
      `${fn}: { math: "system" } calls the C math library through Deno.dlopen, which this runtime does not have`,
    );
  }
  const name = libraryName(deno.build.os);
  if (!isGranted("ffi")) {
    throw notCapable({
      fn,
      kind: "ffi",
      why: `{ math: "system" } calls ${name} through Deno.dlopen`,
    });
  }
  const s = deno.dlopen(name, SYMBOLS).symbols;
  loaded = Object.freeze({
    log: s.log,
    log2: s.log2,
    exp: s.exp,
    sin: s.sin,
    cos: s.cos,
    acos: s.acos,
    sqrt: s.sqrt,
    pow: s.pow,
  });
  return loaded;
}
